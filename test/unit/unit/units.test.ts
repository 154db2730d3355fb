import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAMPAIGNS } from '../../../config/default-campaigns.ts';
import { isExpected, matchUnit, parseUnitKind, parseUnits, unitNamedIn } from '../../../pipelines/unit/units.ts';

const CSV = [
  'รหัสหน่วยงาน,ชื่อหน่วยงาน,ประเภท,อีเมล,ชื่ออื่น',
  '50,สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่,จังหวัด,"cm@dcd.example.test; cm2@dcd.example.test",พช.ชม.',
  '57,สำนักงานพัฒนาชุมชนจังหวัดเชียงราย,province-office,cr@dcd.example.test,',
  'C01,กองการเจ้าหน้าที่,ส่วนกลาง,personnel@dcd.example.test,',
  'I01,สถาบันการพัฒนาชุมชน,institute,cdi@dcd.example.test,',
  'S01,ศูนย์ศึกษาและพัฒนาชุมชนลำปาง,ศูนย์,lampang@dcd.example.test,',
].join('\r\n');
const byId = (id: string) => DEFAULT_CAMPAIGNS.find((c) => c.id === id)!;

describe('units file', () => {
  it('reads Thai headers and kinds, several emails per unit, windows-874 and XLSX alike', async () => {
    for (const bytes of [Buffer.from(CSV), iconv.encode(CSV, 'windows-874')]) {
      const { directory, errors } = await parseUnits(bytes, 'units.csv');
      expect(errors).toEqual([]);
      expect(directory.units.map((u) => [u.id, u.kind])).toEqual([['50', 'province-office'], ['57', 'province-office'], ['C01', 'central'], ['I01',
        'institute'], ['S01', 'centre']]);
      expect(directory.byEmail.get('cm2@dcd.example.test')?.[0].id).toBe('50');
      expect(directory.units[0].aliases).toEqual(['พช.ชม.']);
    }
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('หน่วยงาน');
    sheet.addRow(['บัญชีหน่วยงาน กรมการพัฒนาชุมชน']);
    for (const line of CSV.split('\r\n')) sheet.addRow(line.split(',').map((c) => c.replace(/"/g, '')));
    const { directory } = await parseUnits(Buffer.from(await wb.xlsx.writeBuffer()), 'units.xlsx');
    expect(directory.units).toHaveLength(5);
  });

  it('names bad rows with their row number and keeps the good ones', async () => {
    const { directory, errors } = await parseUnits(Buffer.from([
      'unit_id,name,kind,emails',
      '1,หน่วย ก,district,a@x.test',
      '2,,central,b@x.test',
      '3,หน่วย ค,central,not-an-email',
      '3,หน่วย ง,central,',
    ].join('\n')), 'u.csv');
    expect(errors.map((e) => [e.row, e.field])).toEqual([[2, 'kind'], [3, 'name'], [4, 'emails'], [5, 'unit_id']]);
    expect(directory.units.map((u) => [u.id, u.emails])).toEqual([['3', []]]);
    expect((await parseUnits(Buffer.from('a,b\n1,2\n'), 'u.csv')).errors[0].message).toContain('ไม่พบแถวหัวตาราง');
  });

  it('follows the circular: central units are not asked for admin-appointment, centres only for it', async () => {
    const { directory } = await parseUnits(Buffer.from(CSV), 'units.csv');
    const asked = (id: string) => DEFAULT_CAMPAIGNS.filter((c) => isExpected(directory.byId.get(id)!, c)).map((c) => c.id);
    expect(asked('50')).toEqual(['seis-certification', 'login-status', 'admin-appointment']);
    expect(asked('C01')).toEqual(['seis-certification', 'login-status']);
    expect(asked('I01')).toEqual(['seis-certification', 'login-status', 'admin-appointment']);
    expect(asked('S01')).toEqual(['admin-appointment']);
    const override = { ...directory.byId.get('C01')!, requests: ['admin-appointment'] };
    expect(isExpected(override, byId('admin-appointment'))).toBe(true);
    expect(parseUnitKind('สำนักงานพัฒนาชุมชนจังหวัด')).toBe('province-office');
  });

  it('matches a sender by the unit in the form, then the address, then a unit named in the subject or body', async () => {
    const { directory } = await parseUnits(Buffer.from(CSV), 'units.csv');
    const m = (msg: Partial<Parameters<typeof matchUnit>[1]>) => matchUnit(directory, { subject: '', text: '', ...msg });
    expect(m({ from: 'CM2@dcd.example.test' })).toMatchObject({ unit: { id: '50' }, by: 'address' });
    expect(m({ from: 'x@gmail.test', subject: 'รายงาน พช.จังหวัดเชียงราย' })).toMatchObject({ unit: { id: '57' }, by: 'subject' });
    expect(m({ from: 'x@gmail.test', text: 'สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่\nโทร 053' })).toMatchObject({ unit: { id: '50' }, by: 'body' });
    expect(m({ from: 'x@gmail.test', text: '> สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่' })).toBeUndefined();
    const form = m({ from: 'cm@dcd.example.test', formUnit: 'ศูนย์ศึกษาและพัฒนาชุมชน ลำปาง' });
    expect(form).toMatchObject({ unit: { id: 'S01' }, by: 'form' });
    expect(form!.notes[0]).toContain('ส่งจากอีเมลของ สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่');
    expect(m({ formUnitId: 'I01' })).toMatchObject({ unit: { id: 'I01' } });
  });

  it('prefers the longest unit name and refuses a tie', async () => {
    const { directory } = await parseUnits(Buffer.from(CSV), 'units.csv');
    expect(unitNamedIn(directory, 'สถาบันการพัฒนาชุมชน')?.id).toBe('I01');
    expect(unitNamedIn(directory, 'จังหวัดเชียงใหม่ และ จังหวัดเชียงราย')).toBeUndefined();
  });
});

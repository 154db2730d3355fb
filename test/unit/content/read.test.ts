import { describe, expect, it } from 'vitest';
import { readContent, readPage, type PageText } from '../../../pipelines/content/index.ts';
import { withCheckDigit } from '../../../pipelines/identity/index.ts';
import { SOMCHAI } from '../../helpers/people.ts';

const grouped = (id: string) => `${id[0]} ${id.slice(1, 5)} ${id.slice(5, 10)} ${id.slice(10, 12)} ${id[12]}`;
const STAMP = '[ สําเนาถูกต้อง |\nลงชื่อ สมช\n(นายสมชาย ใจดีทดสอบ)';
const MOTHER = withCheckDigit('350010034567');
const OTHER = withCheckDigit('570020011122');

const front = (id: string, name = 'นาย สมชาย ใจดีทดสอบ') =>
  `บัตรประจําตัวประชาชน Thai National ID Card
เลขประจําตัวประชาชน Identification Number ${grouped(id)}
ชื่อตัวและชื่อสกุล ${name}\nLast name Jaideethodsob\nวันออกบัตร 12 ก.ย. 2563 วันบัตรหมดอายุ`;
const BACK = 'JT1-7001234-56\nกรมการปกครอง กระทรวงมหาดไทย\nDepartment of Provincial Administration';
const HOUSE_1 = 'ทะเบียนบ้าน ท.ร.14\nเลขรหัสประจำบ้าน 5001-012345-6\nรายการเกี่ยวกับบ้าน\nลักษณะบ้าน บ้านตึก';
const HOUSE_2 = `รายการบุคคลในบ้าน ท.ร.14\nชื่อ นายสมชาย ชื่อสกุล ใจดีทดสอบ\nเลขประจำตัวประชาชน ${grouped(SOMCHAI.nationalId)}
มารดา ชื่อ นางบุญมา ใจดีทดสอบ สัญชาติ ไทย\nเลขประจำตัวประชาชนมารดา ${grouped(MOTHER)}\nสถานภาพ ผู้อาศัย`;
const DEGREE = (level: string) => `สภามหาวิทยาลัยอนุมัติให้ นายสมชาย ใจดีทดสอบ\nได้รับปริญญา${level}\nพร้อมทั้งเกียรติและสิทธิทั้งปวง\nให้ไว้ ณ วันที่ ๑๕`;
const TRANSCRIPT = 'ใบแสดงผลการศึกษา TRANSCRIPT OF RECORDS\nDegree Bachelor of Science\nCourse No Course Title Credits Grade\nCumulative GPA 3.42';

const MEMO = 'บันทึกข้อความ ส่วนราชการ สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่\nเรื่อง ขอส่งเอกสารประกอบการตรวจสอบข้อมูล\nจึงเรียนมาเพื่อโปรดพิจารณา';

const ocr = (text: string, more: Partial<PageText> = {}): Omit<PageText, 'page'> => ({ text, source: 'ocr', confidence: 91, dpi: 200, ...more });
const pages = (...list: Array<Omit<PageText, 'page'>>): PageText[] => list.map((p, i) => ({ ...p, page: i + 1 }));

describe('readPage', () => {
  it('gives an ID card its holder\'s number and name, and the certifier no role', () => {
    const p = readPage({ page: 1, ...ocr(`${front(MOTHER, 'นาง บุญมา ใจดีทดสอบ')}\n${STAMP}`) });
    expect(p).toMatchObject({ kind: 'id-card', side: 'front', items: expect.arrayContaining(['id-card', 'mother-id']), certified: true, flags: [] });
    expect(p.ids).toEqual([{ id: MOTHER, role: 'holder' }]);
    expect(p.names).toEqual([
      { prefix: 'นาง', firstName: 'บุญมา', lastName: 'ใจดีทดสอบ', role: 'holder' },
      { prefix: 'นาย', firstName: 'สมชาย', lastName: 'ใจดีทดสอบ' },
    ]);
  });

  it('flags a page with text but no certification, a low-resolution scan, and never guesses a blank page', () => {
    expect(readPage({ page: 1, ...ocr(front(SOMCHAI.nationalId)) }).flags).toEqual(['no-certification']);
    expect(readPage({ page: 1, ...ocr(`${front(SOMCHAI.nationalId)}\n${STAMP}`, { dpi: 100 }) }).flags).toEqual(['low-resolution']);
    expect(readPage({ page: 1, ...ocr(' \' .\n|', { confidence: 40, ink: 0 }) })).toMatchObject({ kind: 'unknown', flags: ['blank'] });
  });

  it('tells unreadable ink from blank paper, and flags text OCR was unsure of', () => {
    expect(readPage({ page: 1, ...ocr('ee\n,', { confidence: 48, ink: 0.007 }) }).flags).toEqual(['unreadable']);
    expect(readPage({ page: 1, ...ocr(`${HOUSE_1}\n${STAMP}\nขอส่งเอกสาร`, { confidence: 45 }) }).flags).toEqual(['unreadable']);
    expect(readPage({ page: 1, text: '', source: 'none', timedOut: true }).flags).toEqual(['unreadable']);
    // under 150 dpi: only flagged when read with confidence, unreadable too when it could not be read
    expect(readPage({ page: 1, ...ocr(`${HOUSE_1}\n${STAMP}`, { dpi: 100 }) }).flags).toEqual(['low-resolution']);
    expect(readPage({ page: 1, ...ocr(`เลขที่ 12 ม.ค. 2528 นาย สมชาย ใจดีทดสอบ ที่อยู่ 99/1 หมู่ที่ 3\n${STAMP}`, { dpi: 100 }) }).flags)
      .toEqual(['unreadable', 'low-resolution']);
  });

  it('trusts a text layer without a confidence', () => {
    expect(readPage({ page: 1, text: `${HOUSE_1}\n${STAMP}`, source: 'text-layer' })).toMatchObject({ kind: 'house-registration', flags: [] });
  });
});

describe('readContent: one combined PDF cut into documents', () => {
  it('keeps a card\'s front and back, a house registration and a transcript together, and skips blank pages', () => {
    const r = readContent(pages(
      ocr(`${front(SOMCHAI.nationalId)}\n${STAMP}`),
      ocr(`${BACK}\n${STAMP}`),
      ocr(`${HOUSE_1}\n${STAMP}`),
      ocr(`${HOUSE_2}\n${STAMP}`),
      ocr('', { confidence: undefined, ink: 0 }),
      ocr(`${DEGREE('วิทยาศาสตรบัณฑิต')}\n${STAMP}`),
      ocr(`${TRANSCRIPT}\n${STAMP}`),
      ocr(`${TRANSCRIPT}\n${STAMP}`),
      ocr(`${DEGREE('รัฐประศาสนศาสตรมหาบัณฑิต')}\n${STAMP}`),
      ocr(MEMO),
    ));
    expect(r.segments.map((s) => [s.kind, s.level ?? '', s.firstPage, s.lastPage])).toEqual([
      ['id-card', '', 1, 2],
      ['house-registration', '', 3, 4],
      ['degree', 'bachelor', 6, 6],
      ['transcript', 'bachelor', 7, 8],
      ['degree', 'master', 9, 9],
      ['unknown', '', 10, 10],
    ]);
    expect(r.blankPages).toEqual([5]);
    const house = r.segments[1];
    expect(house.ids).toEqual([{ id: SOMCHAI.nationalId }, { id: MOTHER, role: 'mother' }]);
    expect(r.segments[5].flags).toEqual(['no-certification']);
  });

  it('starts a new document at another person\'s card, and at a second front of the same kind', () => {
    const r = readContent(pages(ocr(front(SOMCHAI.nationalId)), ocr(front(OTHER, 'นาง วันดี มีสุขจำลอง')), ocr(BACK), ocr(BACK)));
    expect(r.segments.map((s) => [s.firstPage, s.lastPage])).toEqual([[1, 1], [2, 3], [4, 4]]);
    expect(r.segments[1].ids).toEqual([{ id: OTHER, role: 'holder' }]);
  });

  it('keeps education papers of different levels apart', () => {
    const r = readContent(pages(ocr(DEGREE('วิทยาศาสตรบัณฑิต')), ocr(DEGREE('ปรัชญาดุษฎีบัณฑิต'))));
    expect(r.segments.map((s) => s.level)).toEqual(['bachelor', 'doctor']);
  });
});

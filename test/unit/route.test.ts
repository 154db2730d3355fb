import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import { plusTag, recipientAddresses, routeMessage } from '../../pipelines/route.ts';
import { readMessageForms } from '../../pipelines/unit/form.ts';
import type { ExtractedFile } from '../../pipelines/types.ts';
import { formCsv } from '../../templates/forms.ts';
import { SOMCHAI } from '../helpers/people.ts';
import { memoryBody } from '../../pipelines/body.ts';

const config = loadConfig({ env: {} });
const file = (name: string, content: Buffer = Buffer.from('%PDF-1.4\n%%EOF\n')): ExtractedFile => ({
  name,
  folders: [],
  origin: 'attachment',
  contentType: 'application/pdf',
  size: content.length,
  sha256: 'x',
  body: memoryBody(content),
});

async function route(msg: { subject?: string; text?: string; files?: ExtractedFile[]; recipients?: string[] }, cfg = config) {
  const parsed = { subject: msg.subject ?? '', text: msg.text ?? '', files: msg.files ?? [] };
  return routeMessage({
    parsed,
    recipients: msg.recipients ?? ['seis@dcd.example.test'],
    forms: await readMessageForms(parsed),
    campaigns: cfg.campaigns,
    defaultCampaign: cfg.defaultCampaign,
  });
}
const chosen = (r: Awaited<ReturnType<typeof route>>) => (r.kind === 'campaign' ? `${r.campaignId} by ${r.by}` : `unclear: ${r.candidates.join(', ')}`);

describe('routing a message to a campaign', () => {
  it('sends each request where its rules point', async () => {
    expect(chosen(await route({ subject: 'รายงานผู้ไม่สามารถเข้าใช้งานระบบ SEIS' }))).toBe('login-status by subject');
    expect(chosen(await route({ subject: 'SEIS login status report' }))).toBe('login-status by subject');
    expect(chosen(await route({ subject: 'ส่งคำสั่งแต่งตั้งผู้ดูแลระบบ' }))).toBe('admin-appointment by subject');
    expect(chosen(await route({ subject: 'ส่งเอกสาร', files: [file('คำสั่งแต่งตั้ง.pdf')] }))).toBe('admin-appointment by attachment-name');
    expect(chosen(await route({ subject: 'ส่งเอกสาร', text: 'จำนวนข้าราชการทั้งหมด: 5\nเข้าใช้งานได้: 5\nเข้าใช้งานไม่ได้: 0' }))).toBe('login-status by form');
    expect(chosen(await route({ subject: `ส่งเอกสาร ${SOMCHAI.nationalId}`, files: [file('บัตรประชาชน.pdf')] }))).toBe('seis-certification by person-documents');
  });

  it('recognises a filled template by its fields whatever the file is called', async () => {
    expect(chosen(await route({ subject: 'ส่งข้อมูล', files: [file('ข้อมูล.csv', formCsv('login-status'))] }))).toBe('login-status by form');
    expect(chosen(await route({ subject: 'ส่งข้อมูล', files: [file('seis-admin-template.csv', formCsv('admin-appointment'))] }))).toBe(
      'admin-appointment by form',
    );
  });

  it('lets a plus-address decide over everything else, on To, Cc, Delivered-To or X-Original-To', async () => {
    expect(chosen(await route({ subject: 'รายงานการเข้าใช้งาน', recipients: ['seis+admin@dcd.example.test'] }))).toBe('admin-appointment by plus-address');
    const raw = Buffer.from(
      'From: a@x.test\r\nTo: "SEIS" <seis@dcd.example.test>\r\nDelivered-To: seis+login@dcd.example.test\r\nCc: boss@x.test,\r\n seis+cert@dcd.example.test\r\nSubject: x\r\n\r\nTo: not-a-header@x.test\r\n',
    );
    expect(recipientAddresses(raw)).toEqual(['seis@dcd.example.test', 'seis+login@dcd.example.test', 'boss@x.test', 'seis+cert@dcd.example.test']);
    expect(plusTag('seis+Login@dcd.example.test')).toBe('login');
    expect(plusTag('seis@dcd.example.test')).toBeUndefined();
    // Only the header counts, whatever ends it (CRLF, LF, a mix) and however far into the first 256 KB.
    const big = 'X-Pad: ' + 'a'.repeat(300 * 1024) + '\r\n';
    for (const [head, want] of [
      ['To: a@x.test\nCc: b@x.test\n\nTo: c@x.test\n', ['a@x.test', 'b@x.test']],
      ['To: a@x.test\r\n\nTo: c@x.test\r\n', ['a@x.test']],
      ['To: a@x.test\n\r\nTo: c@x.test\r\n', ['a@x.test']],
      ['To: a@x.test\n\n\r\nTo: c@x.test\r\n', ['a@x.test']],
      ['\r\n\r\nTo: c@x.test\r\n', []],
      ['To: a@x.test\r\nCc: b@x.test', ['a@x.test', 'b@x.test']],
      [`To: a@x.test\r\n${'X-Pad: ' + 'a'.repeat(200 * 1024)}\r\nCc: b@x.test\r\n\r\n`, ['a@x.test', 'b@x.test']],
      [`To: a@x.test\r\n${big}Cc: b@x.test\r\n\r\n`, ['a@x.test']],
    ] as const) {
      expect(recipientAddresses(Buffer.from(head, 'latin1'))).toEqual(want);
    }
    // Two tags for two campaigns cancel out: the content decides.
    expect(chosen(await route({ subject: 'คำสั่งแต่งตั้ง', recipients: ['seis+login@d.test', 'seis+admin@d.test'] }))).toBe('admin-appointment by subject');
  });

  it('defaults to certification when nothing says otherwise', async () => {
    expect(chosen(await route({ subject: 'สวัสดีครับ', files: [file('scan001.pdf')] }))).toBe('seis-certification by default');
    expect(chosen(await route({}))).toBe('seis-certification by default');
  });

  it('lets stronger evidence win over a subject word: person documents over "แต่งตั้ง" in the subject', async () => {
    expect(chosen(await route({ subject: 'ส่งเอกสารตามที่แต่งตั้ง', files: [file('บัตรประชาชน.pdf'), file('ทะเบียนบ้าน.pdf')] }))).toBe(
      'seis-certification by person-documents',
    );
  });

  it('calls a message unclear when equally strong signals point at two campaigns', async () => {
    expect(chosen(await route({ subject: 'รายงานการเข้าใช้งาน และคำสั่งแต่งตั้งผู้ดูแลระบบ' }))).toBe('unclear: login-status, admin-appointment');
    expect(chosen(await route({ subject: 'ส่งข้อมูล', text: 'จำนวนข้าราชการทั้งหมด: 5\nเข้าใช้งานได้: 5', files: [file('คำสั่งแต่งตั้ง.pdf')] })))
      .toBe('unclear: login-status, admin-appointment');
    expect(chosen(await route({ subject: 'ส่งข้อมูล', files: [file('บัตรประชาชน.pdf'), file('คำสั่งแต่งตั้ง.pdf')] })))
      .toBe('unclear: seis-certification, admin-appointment');
  });

  it('follows rules changed in config', async () => {
    const custom = loadConfig({ env: {}, overrides: { defaultCampaign: 'login-status' } });
    expect(chosen(await route({ subject: 'hello' }, custom))).toBe('login-status by default');
    const tagged = structuredClone(config);
    tagged.campaigns[1].routing.subjectKeywords = ['สถานะผู้ใช้'];
    expect(chosen(await route({ subject: 'แจ้งสถานะผู้ใช้' }, tagged))).toBe('login-status by subject');
    expect(chosen(await route({ subject: 'แจ้งสถานะ login' }, tagged))).toBe('seis-certification by default');
  });
});

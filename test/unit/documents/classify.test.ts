import { describe, expect, it } from 'vitest';
import { classifyFile } from '../../../pipelines/documents/classify.ts';
import { SEIS_CERTIFICATION_CHECKLIST as checklist } from '../../../config/default-campaigns.ts';
import type { ChecklistItem } from '../../../pipelines/types.ts';
import { SOMCHAI } from '../../helpers/people.ts';

const classify = (name: string, folders: string[] = []) => classifyFile({ name, folders }, { checklist });
const items = (name: string, folders: string[] = []) => classify(name, folders).items;

describe('classifyFile: one document per file', () => {
  it.each([
    // id-card
    ['1.บัตรประชาชน.pdf', 'id-card'],
    ['สำเนาบัตรประจำตัวประชาชน.pdf', 'id-card'],
    ['บัตรประจ\u0E4D\u0E32ตัวประชาชน.pdf', 'id-card'], // ำ typed as nikhahit + sara aa
    ['บปช.pdf', 'id-card'],
    ['01-สำเนาบัตร.pdf', 'id-card'],
    ['บัตรประชาขน.pdf', 'id-card'],
    ['บัตรประชาชน (2).pdf', 'id-card'],
    ['IDCard.pdf', 'id-card'],
    ['scan_id_card_01.PDF', 'id-card'],
    ['ID.pdf', 'id-card'],
    [`สำเนาบัตรประชาชน นายสมชาย ใจดีทดสอบ ${SOMCHAI.nationalId}.pdf`, 'id-card'],
    ['บัตร สังกัด แม่ฮ่องสอน.pdf', 'id-card'], // a province, not a mother
    // house-registration
    ['02_ทะเบียนบ้าน (1).pdf', 'house-registration'],
    ['ทร.14.pdf', 'house-registration'],
    ['ทร14.pdf', 'house-registration'],
    ['ทร.๑๔.pdf', 'house-registration'],
    ['สำเนาทะเบียนบ้าน.pdf', 'house-registration'],
    ['ทะเบียนบาน.pdf', 'house-registration'],
    ['House Registration.pdf', 'house-registration'],
    // parents
    ['บัตรประชาชนบิดา.pdf', 'father-id'],
    ['3.สำเนาบัตรประชาชน_บิดา.pdf', 'father-id'],
    ['บัตรพ่อ.pdf', 'father-id'],
    ['พ่อ.pdf', 'father-id'],
    ['Father ID.pdf', 'father-id'],
    ['id_card_father.pdf', 'father-id'],
    ['บัตรประชาชนมารดา.pdf', 'mother-id'],
    ['บัตรแม่.pdf', 'mother-id'],
    ['เเม่.pdf', 'mother-id'], // แ typed as two เ
    ['IDCard_Mother.PDF', 'mother-id'],
    ['mom id.pdf', 'mother-id'],
    ['มรณบัตรพ่อ.pdf', 'father-death-certificate'],
    ['ใบมรณบัตรบิดา.pdf', 'father-death-certificate'],
    ['ใบมรณะบัตร บิดา.pdf', 'father-death-certificate'],
    ['มรณะบัตรบิดา.pdf', 'father-death-certificate'],
    ['death_certificate_father.pdf', 'father-death-certificate'],
    ['ใบมรณะบัตร_มารดา.pdf', 'mother-death-certificate'],
    ['มรณบัตรแม่.pdf', 'mother-death-certificate'],
    // spouse and children
    ['บัตรคู่สมรส.pdf', 'spouse-id'],
    ['บัตรประชาชนสามี.pdf', 'spouse-id'],
    ['ภรรยา.pdf', 'spouse-id'],
    ['ภริยา_บัตร.pdf', 'spouse-id'],
    ['spouse id.pdf', 'spouse-id'],
    ['บัตรประชาชนบุตร.pdf', 'child-id'],
    ['บุตร2.pdf', 'child-id'],
    ['บัตรลูกคนที่1.pdf', 'child-id'],
    ['child_id.pdf', 'child-id'],
    ['son.pdf', 'child-id'],
    // licence
    ['ใบอนุญาตประกอบวิชาชีพครู.pdf', 'professional-license'],
    ['ใบประกอบวิชาชีพ.pdf', 'professional-license'],
    ['ใบอนุญาติ.pdf', 'professional-license'],
    ['License.pdf', 'professional-license'],
    ['licence.pdf', 'professional-license'],
  ])('%s → %s', (name, item) => {
    expect(items(name)).toEqual([item]);
  });

  it('records the deciding keywords for the manifest', () => {
    expect(classify('บัตรประชาชนบิดา.pdf')).toEqual({ items: ['father-id'], matched: 'บัตรประชาชน+บิดา' });
    expect(classify('มรณบัตรพ่อ.pdf').matched).toBe('มรณบัตร+พ่อ');
  });
});

describe('classifyFile: education', () => {
  const both = ['appointment-education', 'highest-education'];
  it.each([
    ['ปริญญาบัตร.pdf', both, 'degree', true],
    ['ประกาศนียบัตร.pdf', both, 'degree', true],
    ['Degree Certificate.pdf', both, 'degree', true],
    ['diploma.pdf', both, 'degree', true],
    ['Transcript.pdf', both, 'transcript', true],
    ['ทรานสคริป.pdf', both, 'transcript', true],
    ['ทรานสคริปท์.pdf', both, 'transcript', true],
    ['ใบแสดงผลการเรียน.pdf', both, 'transcript', true],
    ['ใบรายงานผลการศึกษา.pdf', both, 'transcript', true],
    ['ปริญญาบัตรและทรานสคริปต์.pdf', both, 'both', true],
    ['วุฒิบรรจุ_ทรานสคริป.pdf', ['appointment-education'], 'transcript', undefined],
    ['ปริญญาบัตร วุฒิที่ใช้บรรจุ.pdf', ['appointment-education'], 'degree', undefined],
    ['วุฒิสูงสุด ปริญญาบัตร ป.โท.pdf', ['highest-education'], 'degree', undefined],
    ['วุฒิสูงสุด ปริญญาโท.pdf', ['highest-education'], undefined, true],
    ['ทรานสคริปต์ ปริญญาตรี (วุฒิบรรจุ).pdf', ['appointment-education'], 'transcript', undefined],
    ['ใบรับรองผลการเรียน.pdf', both, 'transcript', true],
    ['ทรานสคริปต์ (วุฒิสูงสุด).pdf', ['highest-education'], 'transcript', undefined],
    ['วุฒิบรรจุและวุฒิสูงสุด ปริญญาบัตร.pdf', both, 'degree', undefined],
    ['วุฒิการศึกษา.pdf', both, undefined, true],
  ])('%s → %j part %s (assumed %s)', (name, expected, part, assumed) => {
    const result = classify(name);
    expect(result.items).toEqual(expected);
    expect(result.part).toBe(part);
    expect(result.assumed).toBe(assumed);
  });
});

describe('classifyFile: what it must not guess', () => {
  it.each([
    ['ทะเบียนบ้านบิดา.pdf', 'the father\'s house registration is not on the checklist'],
    ['บัตรข้าราชการ.pdf', 'a civil-servant card is not a national ID card'],
    ['บัตรประจำตัวข้าราชการ.pdf', 'a civil-servant card is not a national ID card'],
    ['บัตรเจ้าหน้าที่ของรัฐ.pdf', 'a state-official card is not a national ID card'],
    ['มรณบัตร.pdf', 'a death certificate of whom?'],
    ['บิดามารดา.pdf', 'which document of the parents?'],
    ['บัตรประชาชน_ทะเบียนบ้าน.pdf', 'two different documents in one file'],
    ['มรณบัตรสามี.pdf', 'a spouse\'s death certificate is not on the checklist'],
    ['ปริญญาบัตรบิดา.pdf', 'a parent\'s degree'],
    ['ใบขับขี่.pdf', 'a driving licence is not a professional licence'],
    ['ทะเบียนสมรส.pdf', 'a marriage certificate is not a spouse ID card'],
    ['ใบเปลี่ยนชื่อ.pdf', 'a change-of-name certificate'],
    ['สูติบัตรบุตร.pdf', 'a child\'s birth certificate is not an ID card'],
    ['คำสั่งบรรจุ.pdf', 'an appointment order is not an education document'],
    ['สัญญาลูกจ้าง.pdf', 'ลูกจ้าง (employee) is not ลูก (child)'],
    ['scan0001.pdf', 'no keyword'],
    ['IMG_20230901_101010.jpg', 'no keyword'],
    ['person.pdf', '"son" inside another word'],
    ['video.pdf', '"id" inside another word'],
    [`${SOMCHAI.nationalId}.pdf`, 'only the owner ID'],
  ])('%s stays unclassified (%s)', (name) => {
    expect(classify(name)).toEqual({ items: [] });
  });
});

describe('classifyFile: combined files, folders and owner names', () => {
  it('files one scan of both parents\' ID cards under both parents', () => {
    expect(items('บัตรประชาชนบิดามารดา.pdf')).toEqual(['father-id', 'mother-id']);
    expect(items('มรณบัตรบิดามารดา.pdf')).toEqual(['father-death-certificate', 'mother-death-certificate']);
  });

  it.each([
    ['บัตรประชาชน.pdf', ['บิดา'], ['father-id']],
    ['ปริญญาบัตร.pdf', ['วุฒิบรรจุ'], ['appointment-education']],
    ['scan1.pdf', ['เอกสาร', 'ทะเบียนบ้าน'], ['house-registration']],
    ['บัตรบิดา.pdf', ['เอกสารบิดามารดา'], ['father-id']],
    ['บัตรประชาชน.pdf', ['นายสมชาย ใจดีทดสอบ'], ['id-card']],
    ['บัตรประชาชน.pdf', ['วุฒิการศึกษา'], ['id-card']],
  ])('%s in %j → %j', (name, folders, expected) => {
    expect(items(name, folders)).toEqual(expected);
  });

  it('ignores the owner\'s name, with a prefix or, when the caller passes the person, without one', () => {
    expect(items('นายปริญญา ใจดีทดสอบ_บัตรประชาชน.pdf')).toEqual(['id-card']);
    expect(items('นางสาวสมใจ ศรีบุตร_ทะเบียนบ้าน.pdf')).toEqual(['house-registration']);
    expect(items('ปริญญา ใจดีทดสอบ_บัตรประชาชน.pdf')).toEqual([]);
    const person = { firstName: 'ปริญญา', lastName: 'ใจดีทดสอบ' };
    expect(classifyFile({ name: 'ปริญญา ใจดีทดสอบ_บัตรประชาชน.pdf', folders: [] }, { checklist, person }).items).toEqual(['id-card']);
  });

  it('classifies a name the same way each time, whoever the owner passed before (routing, then filing)', () => {
    const name = { name: 'ปริญญา ใจดีทดสอบ_บัตรประชาชน.pdf', folders: ['นายปริญญา ใจดีทดสอบ'] };
    const owners = [undefined, { firstName: 'ปริญญา', lastName: 'ใจดีทดสอบ' }, { firstName: 'สมชาย', lastName: 'ใจดีทดสอบ' }];
    const results = (order: number[]) => order.map((i) => [i, classifyFile(name, { checklist, person: owners[i] }).items]);
    const first = results([0, 1, 2]);
    expect(first[1][1]).toEqual(['id-card']);
    expect(first[0][1]).not.toEqual(['id-card']);
    expect(results([2, 1, 0]).reverse()).toEqual(first);
  });
});

describe('classifyFile with another campaign\'s checklist', () => {
  const other: ChecklistItem[] = [
    { id: 'appointment-order', label: 'คำสั่งแต่งตั้งผู้ดูแลระบบ', required: true, keywords: ['คำสั่งแต่งตั้ง', 'คำสั่ง + ผู้ดูแลระบบ|admin', 'appointment order'] },
    { id: 'login-report', label: 'รายงานสถานะการเข้าใช้งาน', required: true, keywords: ['รายงานสถานะ', 'login status', '@missing-item + x'] },
  ];
  it.each([
    ['คำสั่งแต่งตั้งผู้ดูแลระบบ SEIS.pdf', ['appointment-order']],
    ['คำสั่ง_admin.pdf', ['appointment-order']],
    ['Appointment Order.pdf', ['appointment-order']],
    ['login_status.xlsx', ['login-report']],
    ['บัตรประชาชน.pdf', []],
    ['คำสั่ง.pdf', []],
  ])('%s → %j', (name, expected) => {
    expect(classifyFile({ name, folders: [] }, { checklist: other }).items).toEqual(expected);
  });
});

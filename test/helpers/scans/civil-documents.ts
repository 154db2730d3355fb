// Civil-registration papers as officers photocopy them: the national ID card (front and back, card-sized on an
// A4 page), the house registration ท.ร.14 (the house page and a resident's page with the parents' names) and
// the death certificate ท.ร.4. Layouts are after the real forms; every person and number is fictional.
import type { Person } from '../../../pipelines/types.ts';
import { cardGrouping, thaiName, type CardHolder } from './cast.ts';
import { a4, certified } from './page.ts';

const CARD_CSS = `
.card { position: absolute; width: 85.6mm; height: 54mm; border: 1px solid #777; border-radius: 3.2mm; box-sizing: border-box;
  padding: 2.2mm 3mm; font-family: 'Loma'; font-size: 7pt; line-height: 1.3; overflow: hidden;
  background: linear-gradient(135deg, #e9eef6 0%, #f5eaf0 50%, #e8f1ea 100%); }
.card .title { font-family: 'Garuda'; font-size: 9pt; font-weight: bold; }
.card .en { font-family: 'Garuda'; font-size: 6.5pt; }
.card .idno { font-size: 10pt; font-weight: bold; letter-spacing: 0.6px; }
.card .name { font-size: 9pt; font-weight: bold; }
.card .photo { position: absolute; right: 3mm; bottom: 4mm; width: 21mm; height: 26mm; background: #b9b9b9;
  border-radius: 1mm; overflow: hidden; }
.card .photo::before { content: ''; position: absolute; left: 6mm; top: 4mm; width: 9mm; height: 10mm; border-radius: 50%; background: #7a7a7a; }
.card .photo::after { content: ''; position: absolute; left: 2.5mm; top: 15mm; width: 16mm; height: 14mm; border-radius: 8mm 8mm 0 0; background: #7a7a7a; }
.card .chip { position: absolute; left: 4mm; top: 22mm; width: 9mm; height: 7mm; border-radius: 1.2mm;
  background: linear-gradient(90deg, #c9a94a, #e8d48a, #c9a94a); border: 1px solid #8a7320; }
.card .barcode { height: 9mm; width: 52mm; background: repeating-linear-gradient(90deg, #111 0 1px, #fff 1px 3px, #111 3px 5px, #fff 5px 6px); }
`;

/** The front of a Thai national ID card (smart card layout), absolutely placed at (left, top) mm. */
export function idCardFront(p: CardHolder, at: { left: number; top: number }): string {
  return `<div class="card" style="left:${at.left}mm; top:${at.top}mm">
  <div class="title">บัตรประจำตัวประชาชน <span class="en">Thai National ID Card</span></div>
  <div style="white-space:nowrap">เลขประจำตัวประชาชน <span class="en" style="font-size:5.5pt">Identification Number</span> <span class="idno">${
    cardGrouping(p.nationalId)
  }</span></div>
  <div style="margin-left:14mm">ชื่อตัวและชื่อสกุล <span class="name">${thaiName(p, ' ')}</span></div>
  <div class="en" style="margin-left:14mm">Name ${p.english.prefix} ${p.english.first}</div>
  <div class="en" style="margin-left:14mm">Last name ${p.english.last}</div>
  <div style="margin-left:14mm">เกิดวันที่ ${p.birthTh}</div>
  <div class="en" style="margin-left:14mm">Date of Birth ${p.birthEn}</div>
  <div style="margin-left:14mm">ศาสนา ${p.religion}</div>
  <div style="width:55mm">ที่อยู่ ${p.address}</div>
  <div class="chip"></div><div class="photo"></div>
  <div style="position:absolute; bottom:2mm; left:3mm">12 ก.ย. 2563 วันออกบัตร &nbsp; 11 ม.ค. 2572 วันบัตรหมดอายุ</div></div>`;
}

/** The back: barcode, laser code and the card-request number (4-2-8 digits), little else. */
export function idCardBack(p: CardHolder, at: { left: number; top: number }): string {
  const laser = `JT${p.nationalId[3]}-${p.nationalId.slice(4, 11)}-${p.nationalId.slice(11, 13)}`;
  return `<div class="card" style="left:${at.left}mm; top:${at.top}mm; background:#f1f1ee">
  <div style="margin-top:2mm">${p.nationalId.slice(1, 5)}-${p.nationalId.slice(5, 7)}-${p.nationalId.slice(7, 13)}01</div>
  <div class="barcode" style="margin-top:3mm"></div>
  <div style="margin-top:3mm; font-size:9pt; font-weight:bold">${laser}</div>
  <div style="margin-top:2mm">กรมการปกครอง กระทรวงมหาดไทย</div>
  <div class="en">Department of Provincial Administration</div></div>`;
}

export interface CopyOptions {
  certifiedBy?: Person;
  back?: boolean;
  backOnly?: boolean;
}

/** One A4 photocopy page: the card front (and back below it, as officers usually copy both sides). */
export function idCardPage(p: CardHolder, opts: CopyOptions = {}): string {
  const front = opts.backOnly ? '' : idCardFront(p, { left: 40, top: 28 });
  const back = opts.back || opts.backOnly ? idCardBack(p, { left: 40, top: opts.backOnly ? 28 : 92 }) : '';
  const stamp = opts.certifiedBy ? certified(opts.certifiedBy, { left: 45, top: opts.back ? 160 : 100 }) : '';
  return a4(front + back + stamp, { font: 'Laksaman', css: CARD_CSS });
}

const FORM_CSS = `
.form { border: 2px solid #222; padding: 4mm 5mm; font-size: 14pt; }
.form .head { display: flex; justify-content: space-between; font-weight: bold; font-size: 18pt; }
.field { border-bottom: 1px dotted #555; padding: 0 2mm; font-family: 'Tlwg Typo'; font-size: 13pt; }
.line { margin: 1.6mm 0; }
`;

/** ท.ร.14, first page: รายการเกี่ยวกับบ้าน. */
export function houseRegistrationHousePage(opts: { houseCode: string; address: string; certifiedBy?: Person }): string {
  return a4(`<div class="form">
  <div class="head"><span>ทะเบียนบ้าน</span><span>ท.ร.14</span></div>
  <div class="line">เลขรหัสประจำบ้าน <span class="field">${opts.houseCode}</span></div>
  <div class="line b" style="font-size:16pt; margin-top:4mm">รายการเกี่ยวกับบ้าน</div>
  <div class="line">สำนักทะเบียน <span class="field">ท้องถิ่นเทศบาลนครเชียงใหม่</span></div>
  <div class="line">ที่อยู่ บ้านเลขที่ <span class="field">${opts.address}</span></div>
  <div class="line">ชื่อหมู่บ้าน <span class="field">บ้านทดสอบ</span> ชื่อบ้าน <span class="field">-</span></div>
  <div class="line">ประเภทบ้าน <span class="field">บ้าน</span> ลักษณะบ้าน <span class="field">บ้านตึก</span></div>
  <div class="line">วันเดือนปีที่กำหนดบ้านเลขที่ <span class="field">1 มีนาคม 2530</span></div>
  <div class="line" style="margin-top:6mm">ลงชื่อ ............................................ นายทะเบียน</div>
  <div class="line">วันเดือนปีที่พิมพ์ <span class="field">10 สิงหาคม 2566</span></div></div>
  ${opts.certifiedBy ? certified(opts.certifiedBy, { left: 100, top: 150 }) : ''}`, { font: 'Laksaman', css: FORM_CSS });
}

/** ท.ร.14, a resident's page: รายการบุคคลในบ้าน with the mother's and father's names and IDs. */
export function houseRegistrationPersonPage(opts: {
  houseCode: string;
  resident: CardHolder;
  mother: Person;
  father: Person;
  order: number;
  certifiedBy?: Person;
}): string {
  const r = opts.resident;
  return a4(`<div class="form">
  <div class="head"><span>รายการบุคคลในบ้าน</span><span>ท.ร.14</span></div>
  <div class="line">เลขรหัสประจำบ้าน <span class="field">${opts.houseCode}</span> ลำดับที่ <span class="field">${opts.order}</span></div>
  <div class="line">ชื่อ <span class="field">${r.prefix}${r.firstName}</span> ชื่อสกุล <span class="field">${r.lastName}</span></div>
  <div class="line">เลขประจำตัวประชาชน <span class="field">${cardGrouping(r.nationalId)}</span></div>
  <div class="line">เพศ <span class="field">${r.prefix === 'นาย' ? 'ชาย' : 'หญิง'}</span> สัญชาติ <span class="field">ไทย</span>
    เกิดเมื่อ <span class="field">${r.birthTh}</span></div>
  <div class="line">มารดา ชื่อ <span class="field">${thaiName(opts.mother)}</span> สัญชาติ <span class="field">ไทย</span></div>
  <div class="line">เลขประจำตัวประชาชนมารดา <span class="field">${cardGrouping(opts.mother.nationalId)}</span></div>
  <div class="line">บิดา ชื่อ <span class="field">${thaiName(opts.father)}</span> สัญชาติ <span class="field">ไทย</span></div>
  <div class="line">เลขประจำตัวประชาชนบิดา <span class="field">${cardGrouping(opts.father.nationalId)}</span></div>
  <div class="line">สถานภาพ <span class="field">ผู้อาศัย</span> ย้ายเข้ามาจาก <span class="field">-</span></div>
  <div class="line" style="margin-top:6mm">ลงชื่อ ............................................ นายทะเบียน</div></div>
  ${opts.certifiedBy ? certified(opts.certifiedBy, { left: 100, top: 160 }) : ''}`, { font: 'Laksaman', css: FORM_CSS });
}

/** มรณบัตร ท.ร.4 ตอนที่ 1: who died, when, where, of what, and who reported it. */
export function deathCertificatePage(opts: {
  deceased: CardHolder;
  ageYears: number;
  reporter: Person;
  relation: string;
  certifiedBy?: Person;
}): string {
  const d = opts.deceased;
  return a4(`<div class="form">
  <div class="head"><span>มรณบัตร</span><span>ท.ร.4 ตอนที่ 1</span></div>
  <div class="line">สำนักทะเบียน <span class="field">อำเภอเมืองเชียงใหม่</span> จังหวัด <span class="field">เชียงใหม่</span></div>
  <div class="line">ทะเบียนคนตายเลขที่ <span class="field">1234/2560</span></div>
  <div class="line b">ผู้ตาย</div>
  <div class="line">ชื่อ <span class="field">${d.prefix}${d.firstName}</span> ชื่อสกุล <span class="field">${d.lastName}</span></div>
  <div class="line">เลขประจำตัวประชาชน <span class="field">${cardGrouping(d.nationalId)}</span></div>
  <div class="line">เพศ <span class="field">ชาย</span> อายุ <span class="field">${opts.ageYears} ปี</span> สัญชาติ <span class="field">ไทย</span></div>
  <div class="line">ตายเมื่อวันที่ <span class="field">3 มีนาคม 2560</span> เวลา <span class="field">14.30 น.</span></div>
  <div class="line">สถานที่ตาย <span class="field">โรงพยาบาลนครพิงค์ จังหวัดเชียงใหม่</span></div>
  <div class="line">สาเหตุการตาย <span class="field">หัวใจล้มเหลว</span></div>
  <div class="line">ผู้แจ้งการตาย ชื่อ <span class="field">${thaiName(opts.reporter)}</span> เกี่ยวข้องเป็น <span class="field">${opts.relation}</span></div>
  <div class="line" style="margin-top:6mm">ลงชื่อ ............................................ นายทะเบียนผู้รับแจ้ง</div>
  <div class="line">วันที่รับแจ้ง <span class="field">4 มีนาคม 2560</span></div></div>
  ${opts.certifiedBy ? certified(opts.certifiedBy, { left: 100, top: 170 }) : ''}`, { font: 'Laksaman', css: FORM_CSS });
}

// Unit papers for the other two campaigns (the login-status form filled and printed, an appointment order naming
// the system administrators), a cover memo that is on no checklist, and a blank page (the back of a sheet).
import type { Person } from '../../../pipelines/types.ts';
import { cardGrouping, thaiName } from './cast.ts';
import { a4, certified } from './page.ts';

const UNIT = 'สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่';

/** แบบรายงานสถานะการเข้าใช้งานระบบ SEIS, filled in: counts and the list of who cannot log in. */
export function loginStatusPage(cannotLogin: Person[], certifiedBy?: Person): string {
  const rows = cannotLogin.map((p, i) =>
    `<tr><td class="center">${i + 1}</td><td>${thaiName(p)}</td>
    <td>${cardGrouping(p.nationalId)}</td><td>${p.email ?? '-'}</td></tr>`
  ).join('');
  return a4(`<div class="center b" style="font-size:18pt">แบบรายงานสถานะการเข้าใช้งานระบบ SEIS</div>
  <div style="margin-top:5mm">หน่วยงาน ${UNIT}</div>
  <div>รหัสหน่วยงาน 50010</div>
  <div>จำนวนข้าราชการทั้งหมด 45 คน</div>
  <div>จำนวนผู้เข้าใช้งานได้ ${45 - cannotLogin.length} คน</div>
  <div>จำนวนผู้ที่ไม่สามารถเข้าใช้งานได้ ${cannotLogin.length} คน</div>
  <div class="b" style="margin-top:4mm">รายชื่อผู้ที่ไม่สามารถเข้าใช้งานได้</div>
  <table style="font-size:13pt"><tr><th>ลำดับ</th><th>ชื่อ-นามสกุล</th><th>เลขประจำตัวประชาชน</th><th>อีเมล</th></tr>${rows}</table>
  <div style="margin-top:10mm" class="right">ลงชื่อ ........................................ ผู้รายงาน<br>
  ตำแหน่ง นักทรัพยากรบุคคลชำนาญการ</div>
  ${certifiedBy ? certified(certifiedBy, { left: 25, top: 215 }) : ''}`, { font: 'Laksaman' });
}

/** คำสั่ง … เรื่อง แต่งตั้งผู้ดูแลระบบ: the order a unit head signs (page 1 of 1). */
export function appointmentOrderPage(dpis: Person, seis: Person, certifiedBy?: Person): string {
  return a4(`<div class="emblem" style="width:22mm; height:22mm"></div>
  <div class="center b" style="font-size:18pt">คำสั่ง${UNIT}</div>
  <div class="center">ที่ 123/2566</div>
  <div class="center">เรื่อง แต่งตั้งผู้ดูแลระบบสารสนเทศทรัพยากรบุคคลระดับกรม (DPIS V6) และระบบ SEIS</div>
  <div class="center">------------------------------</div>
  <div style="text-indent:25mm; margin-top:3mm">ตามที่กรมการพัฒนาชุมชนได้พัฒนาระบบรับรองข้อมูลทะเบียนประวัติข้าราชการ (SEIS)
  เพื่อให้การบริหารงานบุคคลเป็นไปด้วยความเรียบร้อย จึงแต่งตั้งข้าราชการดังต่อไปนี้เป็นผู้ดูแลระบบ</div>
  <div style="margin-left:15mm">1. ${thaiName(dpis)} ตำแหน่ง นักทรัพยากรบุคคลชำนาญการ เป็นผู้ดูแลระบบ DPIS V6</div>
  <div style="margin-left:15mm">2. ${thaiName(seis)} ตำแหน่ง นักวิชาการพัฒนาชุมชนปฏิบัติการ เป็นผู้ดูแลระบบ SEIS</div>
  <div style="text-indent:25mm">ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป</div>
  <div style="margin-left:60mm; margin-top:5mm">สั่ง ณ วันที่ 10 กันยายน พ.ศ. 2566</div>
  <div style="margin-left:70mm; margin-top:14mm">(นายทดลอง ตัวอย่างสมมุติ)<br>พัฒนาการจังหวัดเชียงใหม่</div>
  ${certifiedBy ? certified(certifiedBy, { left: 20, top: 235 }) : ''}`, { font: 'Laksaman' });
}

/** บันทึกข้อความ: a cover memo sending the documents. On no checklist: it must stay unknown. */
export function coverMemoPage(from: Person): string {
  return a4(`<div class="row"><div class="b" style="font-size:24pt">บันทึกข้อความ</div></div>
  <div>ส่วนราชการ ${UNIT} โทร 0 5311 2345</div>
  <div>ที่ ชม 0017/2566 &nbsp; วันที่ 14 กันยายน 2566</div>
  <div>เรื่อง ขอส่งเอกสารประกอบการตรวจสอบข้อมูล</div>
  <div style="margin-top:4mm">เรียน ผู้อำนวยการกองการเจ้าหน้าที่</div>
  <div style="text-indent:25mm; margin-top:3mm">ตามหนังสือที่อ้างถึง ขอให้หน่วยงานจัดส่งเอกสารหลักฐานของข้าราชการในสังกัด
  ภายในวันที่กำหนด นั้น ${UNIT} ขอส่งเอกสารดังกล่าวมาพร้อมนี้ รายละเอียดตามสิ่งที่ส่งมาด้วย</div>
  <div style="text-indent:25mm">จึงเรียนมาเพื่อโปรดพิจารณา</div>
  <div style="margin-left:80mm; margin-top:16mm">(${thaiName(from)})<br>นักวิชาการพัฒนาชุมชน</div>`, { font: 'Laksaman' });
}

/** The back of a sheet from a duplex scanner: nothing but paper. */
export function blankPage(): string {
  return a4('', { font: 'Laksaman' });
}

// Education and licence papers: a degree certificate (bachelor, master, doctor), a two-page transcript with
// its grade table and GPA, and professional licences (Teachers Council, Nursing Council, Council of Engineers).
// Universities, numbers and people are fictional.
import type { Person } from '../../../pipelines/types.ts';
import { thaiDigits, thaiName, type CardHolder } from './cast.ts';
import { a4, certified } from './page.ts';

export type Level = 'bachelor' | 'master' | 'doctor';

const DEGREES: Record<Level, { th: string; en: string; major: string; year: string }> = {
  bachelor: { th: 'วิทยาศาสตรบัณฑิต', en: 'Bachelor of Science', major: 'วิทยาการคอมพิวเตอร์', year: '2550' },
  master: { th: 'รัฐประศาสนศาสตรมหาบัณฑิต', en: 'Master of Public Administration', major: 'การบริหารทรัพยากรมนุษย์', year: '2556' },
  doctor: { th: 'ปรัชญาดุษฎีบัณฑิต', en: 'Doctor of Philosophy', major: 'การพัฒนาชุมชน', year: '2563' },
};
const UNIVERSITY = 'มหาวิทยาลัยสมมุติแห่งล้านนา';

/** The certificate itself: "สภามหาวิทยาลัย … อนุมัติให้ … ได้รับปริญญา … ให้ไว้ ณ วันที่", Thai digits in the date. */
export function degreePage(p: Person, level: Level, certifiedBy?: Person): string {
  const d = DEGREES[level];
  return a4(`<div class="center" style="margin-top:10mm">
  <div class="emblem"></div>
  <div style="font-size:24pt" class="b">${UNIVERSITY}</div>
  <div style="margin-top:6mm">อาศัยอำนาจแห่งพระราชบัญญัติ${UNIVERSITY} พ.ศ. ๒๕๔๗</div>
  <div>สภามหาวิทยาลัยอนุมัติให้</div>
  <div style="font-size:26pt; margin:6mm 0" class="b">${thaiName(p)}</div>
  <div>ได้รับปริญญา<span class="b" style="font-size:22pt">${d.th}</span></div>
  <div>สาขาวิชา${d.major}</div>
  <div>พร้อมทั้งเกียรติและสิทธิทั้งปวงอันเกี่ยวกับปริญญานี้</div>
  <div style="margin-top:6mm">ให้ไว้ ณ วันที่ ๑๕ เดือน มีนาคม พุทธศักราช ${thaiDigits(d.year)}</div>
  <div class="row" style="margin-top:18mm"><div>..............................<br>นายกสภามหาวิทยาลัย</div>
  <div>..............................<br>อธิการบดี</div></div></div>
  ${certifiedBy ? certified(certifiedBy, { left: 25, top: 240 }) : ''}`, { font: 'Kinnari', fontSize: '18pt' });
}

const COURSES: Array<[string, string, number]> = [
  ['001101', 'Fundamental English I', 3],
  ['204111', 'Fundamentals of Programming', 3],
  ['206111', 'Calculus I', 3],
  ['204211', 'Object Oriented Programming', 3],
  ['204231', 'Computer Organization', 3],
  ['208263', 'Elementary Statistics', 3],
  ['204251', 'Data Structures', 3],
  ['204315', 'Operating Systems', 3],
  ['204321', 'Database Systems', 3],
  ['204341', 'Software Engineering', 3],
  ['204361', 'Artificial Intelligence', 3],
  ['204452', 'Computer Networks', 3],
  ['011251', 'Thai Society and Culture', 3],
  ['204490', 'Research Methods', 3],
  ['204499', 'Senior Project', 3],
];
const GRADES = ['A', 'B+', 'B', 'A', 'C+', 'B', 'A', 'B+', 'B', 'A', 'B', 'C+', 'A', 'B+', 'A'];

/** A transcript page: header on both pages (as registrars print them), half of the course table each. */
export function transcriptPage(p: CardHolder, level: Level, page: 1 | 2, certifiedBy?: Person): string {
  const d = DEGREES[level];
  const rows = COURSES.slice(page === 1 ? 0 : 8, page === 1 ? 8 : 15)
    .map(([code, title, credit], i) =>
      `<tr><td>${code}</td><td>${title}</td><td class="center">${credit}</td>
      <td class="center">${GRADES[i + (page === 1 ? 0 : 8)]}</td></tr>`
    ).join('');
  const total = page === 2 ?
    `<div style="margin-top:3mm">Total Credits Earned 132 &nbsp; Cumulative GPA 3.42</div>
    <div>หน่วยกิตสะสม 132 &nbsp; คะแนนเฉลี่ยสะสม 3.42</div>
    <div style="margin-top:8mm" class="right">..............................<br>Registrar / นายทะเบียน</div>` :
    '';
  return a4(`<div class="center b" style="font-size:15pt">${UNIVERSITY}</div>
  <div class="center b" style="font-size:17pt">ใบแสดงผลการศึกษา &nbsp; TRANSCRIPT OF RECORDS</div>
  <div style="font-size:11pt; margin-top:3mm">
  <div class="row"><div>Name ${p.english.prefix} ${p.english.first} ${p.english.last}</div><div>ชื่อ ${thaiName(p)}</div></div>
  <div class="row"><div>Student ID 4612${p.nationalId.slice(8, 12)}</div><div>Date of Birth ${p.birthEn}</div></div>
  <div class="row"><div>Degree ${d.en}</div><div>ปริญญา ${d.th}</div></div>
  <div class="row"><div>Date of Graduation March ${Number(d.year) - 543}</div><div>Page ${page} of 2</div></div></div>
  <table style="font-size:11pt; margin-top:3mm"><tr><th>Course No.</th><th>Course Title</th><th>Credits</th><th>Grade</th></tr>
  ${rows}</table>
  <div style="font-size:11pt; margin-top:2mm">Semester GPA ${page === 1 ? '3.38' : '3.47'}</div>${total}
  ${certifiedBy ? certified(certifiedBy, { left: 25, top: 235 }) : ''}`, { font: 'Garuda', fontSize: '12pt' });
}

export type Council = 'teacher' | 'nurse' | 'engineer';

const COUNCILS: Record<Council, { council: string; title: string; body: string }> = {
  teacher: {
    council: 'คุรุสภา',
    title: 'ใบอนุญาตประกอบวิชาชีพครู',
    body: 'เป็นผู้ประกอบวิชาชีพครู ตามพระราชบัญญัติสภาครูและบุคลากรทางการศึกษา พ.ศ. 2546',
  },
  nurse: {
    council: 'สภาการพยาบาล',
    title: 'ใบอนุญาตเป็นผู้ประกอบวิชาชีพการพยาบาลและการผดุงครรภ์ ชั้นหนึ่ง',
    body: 'ได้ขึ้นทะเบียนและรับใบอนุญาตเป็นผู้ประกอบวิชาชีพการพยาบาลและการผดุงครรภ์',
  },
  engineer: {
    council: 'สภาวิศวกร',
    title: 'ใบอนุญาตประกอบวิชาชีพวิศวกรรมควบคุม',
    body: 'ระดับภาคีวิศวกร สาขาวิศวกรรมโยธา ตามพระราชบัญญัติวิศวกร พ.ศ. 2542',
  },
};

/** A professional licence, as the council issues it (A4 certificate style). */
export function licencePage(p: Person, council: Council, certifiedBy?: Person): string {
  const c = COUNCILS[council];
  return a4(`<div class="center" style="margin-top:8mm">
  <div class="emblem"></div>
  <div class="b" style="font-size:24pt">${c.council}</div>
  <div class="b" style="font-size:20pt; margin-top:3mm">${c.title}</div>
  <div style="margin-top:3mm">เลขที่ใบอนุญาต 62100000${p.nationalId.slice(6, 12)}</div>
  <div style="margin-top:6mm">ใบอนุญาตฉบับนี้ให้ไว้เพื่อแสดงว่า</div>
  <div class="b" style="font-size:22pt; margin:4mm 0">${thaiName(p)}</div>
  <div>${c.body}</div>
  <div style="margin-top:5mm">ออกให้ ณ วันที่ 1 ตุลาคม 2562 &nbsp; ใช้ได้ถึงวันที่ 30 กันยายน 2567</div>
  <div style="margin-top:16mm">..............................<br>เลขาธิการ${c.council}</div></div>
  ${certifiedBy ? certified(certifiedBy, { left: 25, top: 235 }) : ''}`, { font: 'Sawasdee', fontSize: '16pt' });
}

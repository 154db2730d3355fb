import { describe, expect, it } from 'vitest';
import { classifyPage, degreeLevel, isCertified, normaliseOcrText, skeleton } from '../../../pipelines/content/index.ts';

const classify = (text: string) => {
  const n = normaliseOcrText(text);
  return classifyPage(n, skeleton(n));
};

// Tesseract's output on the scan fixtures (test/helpers/scans), marks lost and letters wrong as it read them.
const OCR = {
  idCardLowRes: `บัตรประจําตัวประชาชน tai พลย่๐กม 10 car
เลขประจําตัวประชาชน ๒๓๕๓๕๓3๓๓ 1 ใ017 00123 45 6
นาย สมชาย ใจดีทดสอบ
12 nu, 2563 วันออกบัตร 11 ม.ค. 2572 วันบิตรหม`,
  idCardBack: `1017-00-1234501\n|\nll\nJTO-2001112-26\nกรมการปกครอง กระทรวงมหาด  ‘Ina\n[ สําเนาถูกต้อง |`,
  house: `รายการบุคคลในบ้าน
ท.ร.14
เลขรหัสประจําบ้าน 4001-054321-8 ลําดับที่ 1
งวันดี ชื่อสกุล มีสุขจําลอง
เลขประจ้าตัวประชาชน 5 7002 00111 22 6
มารดา ชื่อ ูนางสายใจ แสงทองสมมุติ สัญชาติ ไทย
สถานภาพ ผู้อาศัย ย้ายเข้ามาจาก -`,
  death: `มรณบตร\nท.ร.4 ตอนท 1\nสํานักทะเบียน อําเภอเมืองเชียงใหม่\nทะเบียนคนตายเลขที่ 1234/2560\nผตาย\nตายเมื่อวันที่ 3 มีนาคม 2560
สาเหตุการตาย หัวใจล้มเหลว`,
  masterTranscript: `มหาวิทยาลัยสมมุติแห่งล้านนา
ใบแสดงผลการศึกษา TRANSCRIPT OF RECORDS
Degree Master of Public Administration
ปริญญา รัฐปร  ศาสนศาสตรมหาบณฑต
Course No\nCourse Title\nCredits\nGrade`,
  order: `คําสั่งสํานักงานพตู\nัฒนาชุมชนจังหวัดเชียงใหม่\nn 1723/2566\nเรอง แต่งตังผูดูแลว์\nและระบบ SEIS
เรียบร้อย จึงแต่งตั้งข้าราชกา\nผู้ดูแลระบบ กเร ง6\nทั้งนี่ ตั้งแต่บัดนีเ\nสั่ง ณ วันที่ 1ไ0 ก`,
  memo: `บนทกขอความ
สุ่วนราชการ สํานักงานพัฒนาชุมชนจังหวัดเชียงใหม่ โทร 0 5311 2345
เรือง  ขอส่งเอกสารประกอบการตรวจสอบข้อมล
ตามหนังสือที่อ้างถึง  ขอให้หน่วยงานจัดส่งเอกสารหลักฐานของ`,
  sideways: 'Oe ๑\nee\nQh-eLVe S\nee\nRo\nSp ๑2-\nAe\nale\nCp\n23\nSp.\nริย.\n๑26\nDo',
};

describe('classifyPage on OCR text', () => {
  it.each([
    ['a low-resolution ID card', OCR.idCardLowRes, 'id-card'],
    ['the back of an ID card (laser code read with O for 0)', OCR.idCardBack, 'id-card'],
    ['a house registration resident page', OCR.house, 'house-registration'],
    ['a death certificate read with marks lost', OCR.death, 'death-certificate'],
    ['a master\'s transcript', OCR.masterTranscript, 'transcript'],
    ['a skewed appointment order', OCR.order, 'appointment-order'],
  ])('recognises %s', (_, text, kind) => {
    const got = classify(text);
    expect(got.kind).toBe(kind);
    expect(got.confidence).toBeGreaterThanOrEqual(0.5);
    expect(got.evidence.length).toBeGreaterThan(1);
  });

  it('tells which side of an ID card a page shows', () => {
    expect(classify(OCR.idCardBack).side).toBe('back');
    expect(classify(OCR.idCardLowRes).side).toBe('front');
    expect(classify(`${OCR.idCardLowRes}\n${OCR.idCardBack}`).side).toBe('both');
  });

  it('keeps a cover memo, a sideways page read as garbage and an empty page unknown', () => {
    for (const text of [OCR.memo, OCR.sideways, '']) expect(classify(text).kind).toBe('unknown');
  });

  it('does not guess from one word, nor from a list naming several documents', () => {
    const one = classify('ขอส่งสำเนาทะเบียนบ้าน มาพร้อมนี้');
    expect(one).toMatchObject({ kind: 'unknown', guess: 'house-registration' });
    expect(one.confidence).toBeLessThan(0.5);
    const list = classify('สิ่งที่ส่งมาด้วย 1. สำเนาบัตรประจำตัวประชาชน 2. สำเนาทะเบียนบ้าน 3. ใบอนุญาตประกอบวิชาชีพ 4. มรณบัตร');
    expect(list.kind).toBe('unknown');
  });

  it('reads the professional councils', () => {
    for (const council of ['คุรุสภา', 'สภาการพยาบาล', 'สภาวิศวกร']) {
      expect(classify(`${council}\nใบอนุญาตประกอบวิชาชีพ\nเลขที่ใบอนุญาต 62100000123456`).kind).toBe('professional-license');
    }
  });

  it('reads a login-status form', () => {
    expect(classify('แบบรายงานสถานะการเข้าใช้งานระบบ SEIS\nจำนวนข้าราชการทั้งหมด 45 คน\nจำนวนผู้ที่ไม่สามารถเข้าใช้งานได้ 2 คน').kind)
      .toBe('login-status-form');
  });
});

describe('degree level', () => {
  it.each([
    ['ได้รับปริญญาวิทยาศาสตรบัณฑิต', 'bachelor'],
    ['ได้รับปริญญารัฐประศาสนศาสตรมหาบัณฑิต', 'master'],
    ['ได้รับปริญญาปรัชญาดุษฎีบัณฑิต', 'doctor'],
    ['ปริญญา รัฐปร  ศาสนศาสตรมหาบณฑต', 'master'],
    ['Degree Bachelor of Science', 'bachelor'],
    ['ระดับปริญญาโท', 'master'],
  ])('%s → %s', (text, level) => {
    expect(degreeLevel(skeleton(text))).toBe(level);
  });

  it('is not fooled by ปริญญาว… (one letter from ปริญญาโท) on a bachelor\'s certificate', () => {
    expect(degreeLevel(skeleton('มหาวิทยาลัยสมมุติ สภามหาวิทยาลัยอนุมัติให้ ได้รับปริญญาวิทยาศาสตรบัณฑิต'))).toBe('bachelor');
  });
});

describe('certification mark', () => {
  it.each(['สำเนาถูกต้อง', 'สําเนาถูกตอง', '[ สําเนาถูกต้อง |', 'าเนาถูกต้อง', 'รับรองสำเนาถูกต้อง', 'Certified true copy'])('sees %s', (text) => {
    expect(isCertified(skeleton(text))).toBe(true);
  });

  it('does not see it in other words about copies', () => {
    expect(isCertified(skeleton('สำเนาทะเบียนบ้าน ขอส่งสำเนาเอกสาร'))).toBe(false);
  });
});

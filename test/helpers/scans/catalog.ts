// The scan fixtures: files as officers send them (unnamed scans, a phone photo, a combined PDF, a relative's card
// named as the officer's own, rotated and skewed pages, blank, low-resolution and unreadable pages, copies without
// the certification), each page with what a careful clerk would read from it.
import { FATHER_BOONMEE, FATHER_SOMPONG, MOTHER_BOONMA, MOTHER_SAIJAI, OFFICER_PRASERT, OFFICER_SOMCHAI, OFFICER_SOMSRI, OFFICER_WANDEE } from './cast.ts';
import { deathCertificatePage, houseRegistrationHousePage, houseRegistrationPersonPage, idCardPage } from './civil-documents.ts';
import { LOOKS, type Degrade } from './degrade.ts';
import { degreePage, licencePage, transcriptPage, type Level } from './education-documents.ts';
import { appointmentOrderPage, blankPage, coverMemoPage, loginStatusPage } from './unit-documents.ts';

export type ExpectedKind = 'id-card' | 'house-registration' | 'death-certificate' | 'degree' | 'transcript' | 'professional-license' | 'login-status-form'
  | 'appointment-order' | 'unknown';
export type ExpectedFlag = 'blank' | 'unreadable' | 'low-resolution' | 'no-certification';

export interface FixturePage {
  label: string;
  html: string;
  look: Degrade;
  kind: ExpectedKind;
  level?: Level;
  /** IDs printed on the page that must be read exactly (ID cards). */
  ids?: string[];
  /** Flags the page must carry; a readable certified page must carry none. */
  flags?: ExpectedFlag[];
  /** False for pages nobody could read (blank, unreadable): they do not count in the accuracy. */
  readable: boolean;
}

export interface FixtureFile {
  name: string;
  format: 'pdf' | 'jpg' | 'png';
  pages: FixturePage[];
  /** The documents a combined PDF holds, as [kind, first page, last page] (1-based). */
  segments?: Array<[ExpectedKind, number, number]>;
}

const page = (label: string, html: string, look: Degrade, kind: ExpectedKind, more: Partial<FixturePage> = {}): FixturePage => ({ label, html, look, kind,
  readable: true, ...more });

const HOUSE_CM = { houseCode: '5001-012345-6', address: '99/1 หมู่ที่ 3 ถนนห้วยแก้ว ตำบลสุเทพ อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่' };
const HOUSE_KK = { houseCode: '4001-054321-8', address: '45 หมู่ที่ 7 ตำบลในเมือง อำเภอเมืองขอนแก่น จังหวัดขอนแก่น' };
const S = OFFICER_SOMCHAI;
const W = OFFICER_WANDEE;

export const SCAN_FIXTURES: FixtureFile[] = [
  { name: 'scan0001.pdf', format: 'pdf', pages: [
    page('Somchai ID card front+back, office copier', idCardPage(S, { back: true, certifiedBy: S }), LOOKS.office, 'id-card', { ids: [S.nationalId] }),
  ] },
  { name: 'IMG_20230914_0932.jpg', format: 'jpg', pages: [
    page('Somsri ID card, phone photo', idCardPage(OFFICER_SOMSRI, { certifiedBy: OFFICER_SOMSRI }), LOOKS.phone, 'id-card', {
      ids: [OFFICER_SOMSRI.nationalId],
    }),
  ] },
  { name: 'scan.png', format: 'png', pages: [
    page('Prasert ID card, PNG scan', idCardPage(OFFICER_PRASERT, { back: true, certifiedBy: OFFICER_PRASERT }), LOOKS.clean, 'id-card', {
      ids: [OFFICER_PRASERT.nationalId],
    }),
  ] },
  { name: 'Doc1.pdf', format: 'pdf', segments: [['house-registration', 1, 2]], pages: [
    page('Somchai house registration, house page, skewed', houseRegistrationHousePage({ ...HOUSE_CM, certifiedBy: S }), LOOKS.skewed, 'house-registration'),
    page('Somchai house registration, resident page', houseRegistrationPersonPage({
      ...HOUSE_CM,
      resident: S,
      mother: MOTHER_BOONMA,
      father: FATHER_BOONMEE,
      order: 2,
      certifiedBy: S,
    }), LOOKS.office, 'house-registration'),
  ] },
  { name: 'เอกสาร 1.pdf', format: 'pdf', pages: [
    page('father death certificate, fed sideways', deathCertificatePage({
      deceased: FATHER_BOONMEE,
      ageYears: 77,
      reporter: S,
      relation: 'บุตร',
      certifiedBy: S,
    }), LOOKS.rot90, 'death-certificate'),
  ] },
  { name: 'scan0002.pdf', format: 'pdf', pages: [
    page('bachelor degree, upside down', degreePage(S, 'bachelor', S), LOOKS.rot180, 'degree', { level: 'bachelor' }),
  ] },
  // named as a house registration: the content says otherwise
  { name: 'ทะเบียนบ้าน.pdf', format: 'pdf', segments: [['transcript', 1, 2]],
    pages: [1, 2].map((n) =>
      page(`bachelor transcript p${n}`, transcriptPage(S, 'bachelor', n as 1 | 2, S), LOOKS.office, 'transcript', { level: 'bachelor' })
    ) },
  { name: 'ปริญญาโท.pdf', format: 'pdf', segments: [['degree', 1, 1], ['transcript', 2, 3]], pages: [
    page('master degree, blurred', degreePage(S, 'master', S), LOOKS.blurred, 'degree', { level: 'master' }),
    ...[1, 2].map((n) => page(`master transcript p${n}`, transcriptPage(S, 'master', n as 1 | 2, S), LOOKS.office, 'transcript', { level: 'master' })),
  ] },
  { name: 'doctor.pdf', format: 'pdf', pages: [
    page('doctor degree, noisy', degreePage(OFFICER_PRASERT, 'doctor', OFFICER_PRASERT), LOOKS.noisy, 'degree', { level: 'doctor' }),
  ] },
  { name: 'licence.pdf', format: 'pdf', pages: [
    page('teacher licence', licencePage(OFFICER_SOMSRI, 'teacher', OFFICER_SOMSRI), LOOKS.clean, 'professional-license'),
  ] },
  { name: 'scan0005.pdf', format: 'pdf', pages: [
    page('nurse licence, rotated 270', licencePage(W, 'nurse', W), LOOKS.rot270, 'professional-license'),
  ] },
  { name: 'engineer.pdf', format: 'pdf', pages: [
    page('engineer licence without certification', licencePage(OFFICER_PRASERT, 'engineer'), LOOKS.skewed, 'professional-license', {
      flags: ['no-certification'],
    }),
  ] },
  { name: 'บัตรประชาชน.pdf', format: 'pdf', pages: [
    page('mother ID card named as the officer\'s own', idCardPage(MOTHER_BOONMA, { back: true, certifiedBy: S }), LOOKS.office, 'id-card', {
      ids: [MOTHER_BOONMA.nationalId],
    }),
  ] },
  { name: 'scan0004.pdf', format: 'pdf',
    segments: [['id-card', 1, 2], ['house-registration', 3, 4], ['degree', 6, 6], ['transcript', 7, 8], ['degree', 9, 9], ['unknown', 10, 10]], pages: [
      page('Wandee ID front', idCardPage(W, { certifiedBy: W }), LOOKS.office, 'id-card', { ids: [W.nationalId] }),
      page('Wandee ID back', idCardPage(W, { backOnly: true, certifiedBy: W }), LOOKS.office, 'id-card'),
      page('Wandee house page', houseRegistrationHousePage({ ...HOUSE_KK, certifiedBy: W }), LOOKS.office, 'house-registration'),
      page('Wandee resident page', houseRegistrationPersonPage({
        ...HOUSE_KK,
        resident: W,
        mother: MOTHER_SAIJAI,
        father: FATHER_SOMPONG,
        order: 1,
        certifiedBy: W,
      }), LOOKS.office, 'house-registration'),
      page('blank back of a sheet', blankPage(), LOOKS.blank, 'unknown', { flags: ['blank'], readable: false }),
      page('Wandee bachelor degree', degreePage(W, 'bachelor', W), LOOKS.office, 'degree', { level: 'bachelor' }),
      page('Wandee bachelor transcript p1', transcriptPage(W, 'bachelor', 1, W), LOOKS.office, 'transcript', { level: 'bachelor' }),
      page('Wandee bachelor transcript p2', transcriptPage(W, 'bachelor', 2, W), LOOKS.skewed, 'transcript', { level: 'bachelor' }),
      page('Wandee master degree', degreePage(W, 'master', W), LOOKS.office, 'degree', { level: 'master' }),
      page('cover memo (no checklist item, not certified)', coverMemoPage(W), LOOKS.office, 'unknown', { flags: ['no-certification'] }),
    ] },
  { name: 'blank.pdf', format: 'pdf', pages: [
    page('blank page', blankPage(), LOOKS.blank, 'unknown', { flags: ['blank'], readable: false }),
  ] },
  { name: 'lowres.pdf', format: 'pdf', pages: [
    page('ID card scanned at 100 dpi', idCardPage(S, { back: true, certifiedBy: S }), LOOKS.lowres, 'id-card', { flags: ['low-resolution'], readable: false }),
  ] },
  { name: 'scan72.pdf', format: 'pdf', pages: [
    page('house page at 72 dpi', houseRegistrationHousePage({ ...HOUSE_CM, certifiedBy: S }), LOOKS.tiny, 'house-registration', { flags: ['low-resolution'],
      readable: false }),
  ] },
  { name: 'IMG_20230915_1204.jpg', format: 'jpg', pages: [
    page('ID card photo badly out of focus', idCardPage(OFFICER_WANDEE, { certifiedBy: W }), LOOKS.unreadable, 'unknown', { flags: ['unreadable'],
      readable: false }),
  ] },
  { name: 'no-stamp.pdf', format: 'pdf', pages: [
    page('Somsri ID card without certification', idCardPage(OFFICER_SOMSRI, { back: true }), LOOKS.office, 'id-card', { ids: [OFFICER_SOMSRI.nationalId],
      flags: ['no-certification'] }),
  ] },
  { name: 'IMG_20230916_0811.jpg', format: 'jpg', pages: [
    page('mother house registration page, phone photo', houseRegistrationPersonPage({
      ...HOUSE_CM,
      resident: MOTHER_BOONMA,
      mother: MOTHER_SAIJAI,
      father: FATHER_SOMPONG,
      order: 1,
      certifiedBy: S,
    }), LOOKS.phone, 'house-registration'),
  ] },
  { name: 'scan0006.pdf', format: 'pdf', segments: [['id-card', 1, 1], ['id-card', 2, 2], ['death-certificate', 3, 3]], pages: [
    page('Prasert ID card copied upside down', idCardPage(OFFICER_PRASERT, { back: true, certifiedBy: OFFICER_PRASERT }), LOOKS.rot180, 'id-card', {
      ids: [OFFICER_PRASERT.nationalId],
    }),
    page('Somchai father ID card, blurred', idCardPage(FATHER_BOONMEE, { back: true, certifiedBy: S }), LOOKS.blurred, 'id-card', {
      ids: [FATHER_BOONMEE.nationalId],
    }),
    page('father death certificate, noisy', deathCertificatePage({
      deceased: FATHER_BOONMEE,
      ageYears: 77,
      reporter: S,
      relation: 'บุตร',
      certifiedBy: S,
    }), LOOKS.noisy, 'death-certificate'),
  ] },
  { name: 'doctor-transcript.pdf', format: 'pdf', segments: [['transcript', 1, 2]],
    pages: [1, 2].map((n) =>
      page(`doctor transcript p${n}, phone photo`, transcriptPage(OFFICER_PRASERT, 'doctor', n as 1 | 2, OFFICER_PRASERT), LOOKS.phone, 'transcript', {
        level: 'doctor',
      })
    ) },
  { name: 'login-status.pdf', format: 'pdf', pages: [
    page('login-status form', loginStatusPage([OFFICER_SOMSRI, OFFICER_PRASERT], W), LOOKS.office, 'login-status-form'),
  ] },
  { name: 'คำสั่ง.pdf', format: 'pdf', pages: [
    page('appointment order', appointmentOrderPage(W, OFFICER_SOMSRI, W), LOOKS.skewed, 'appointment-order'),
  ] },
];

export type { Level };

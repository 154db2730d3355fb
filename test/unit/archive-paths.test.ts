import { describe, expect, it } from 'vitest';
import { assertKey, documentFileName, messageEmlPath, nextFreeName, numberedName, personDirPath, personFolder, problemPath, safeFileName, safeSegment,
  supersededPath, UNKNOWN_UNIT, unitFolder } from '../../pipelines/archive-paths.ts';
import { SOMCHAI, PRASERT } from '../helpers/people.ts';

describe('archive names', () => {
  it('names a person folder "<id> <prefix><first> <last>" under the unit', () => {
    expect(personFolder(SOMCHAI)).toBe(`${SOMCHAI.nationalId} นายสมชาย ใจดีทดสอบ`);
    expect(personDirPath('seis-certification', PRASERT))
      .toBe(`seis-certification/สำนักงานพัฒนาชุมชนจังหวัดสงขลา/${PRASERT.nationalId} ว่าที่ร้อยตรีประเสริฐ ทองคำตัวอย่าง`);
  });

  it('uses the bare ID when there is no name, and "ไม่ระบุสังกัด" when the unit is unknown', () => {
    const person = { nationalId: SOMCHAI.nationalId, firstName: '', lastName: '' };
    expect(personFolder(person)).toBe(SOMCHAI.nationalId);
    expect(personDirPath('seis-certification', person)).toBe(`seis-certification/${UNKNOWN_UNIT}/${SOMCHAI.nationalId}`);
    expect(unitFolder('   ')).toBe(UNKNOWN_UNIT);
  });

  it('neutralises hostile names: separators, traversal, NUL, control characters, our "_" folders, Windows devices', () => {
    for (const hostile of ['../../etc/passwd', '..', '/abs/path', 'a\u0000b', 'x\r\ny', '_unmatched', '.hidden', 'C:\\evil']) {
      const safe = safeSegment(hostile);
      expect(safe).not.toMatch(/[/\\\u0000-\u001f]/);
      expect(safe).not.toMatch(/^[._]/);
      expect(safe).not.toBe('..');
    }
    expect(safeSegment('../../etc/passwd')).toBe('etc_passwd');
    expect(safeSegment('CON')).toBe('file-CON');
    expect(unitFolder('_state')).toBe('state');
    expect(safeSegment('name. . ')).toBe('name');
  });

  it('normalises to NFC so a macOS (NFD) name and a Windows name land in one folder', () => {
    const nfd = 'ทดสอบ café'.normalize('NFD');
    expect(safeSegment(nfd)).toBe('ทดสอบ café'.normalize('NFC'));
  });

  it('bounds names to 200 bytes without splitting a Thai letter from its vowel, keeping the extension', () => {
    const long = 'สำเนาบัตรประจำตัวประชาชน'.repeat(20);
    const seg = safeSegment(long);
    expect(Buffer.byteLength(seg)).toBeLessThanOrEqual(200);
    expect(long.startsWith(seg)).toBe(true);
    expect(long.slice(seg.length)).not.toMatch(/^[\u0e31\u0e33-\u0e3a\u0e47-\u0e4e]/);
    const file = safeFileName(`${long}.pdf`);
    expect(file.endsWith('.pdf')).toBe(true);
    expect(Buffer.byteLength(file)).toBeLessThanOrEqual(200);
  });

  it('names documents by checklist id, with the education part and a number for further children', () => {
    expect(documentFileName('id-card', undefined, 'pdf')).toBe('id-card.pdf');
    expect(documentFileName('appointment-education', 'degree', '.PDF')).toBe('appointment-education-degree.pdf');
    expect(documentFileName('appointment-education', 'both', 'pdf')).toBe('appointment-education.pdf');
    expect(documentFileName('child-id', undefined, 'pdf', 2)).toBe('child-id-2.pdf');
    expect(documentFileName('id-card', undefined, '../x')).toBe('id-card.pdf');
  });

  it('stamps superseded versions with the Bangkok arrival time in Buddhist Era', () => {
    const at = new Date('2023-09-20T03:15:30Z'); // 10:15:30 in Bangkok
    expect(supersededPath('id-card.pdf', at)).toBe('_superseded/id-card-2566-09-20-101530.pdf');
    expect(supersededPath('id-card.pdf', at, 2)).toBe('_superseded/id-card-2566-09-20-101530-2.pdf');
  });

  it('files originals by the Bangkok month of arrival', () => {
    const key = 'a'.repeat(64);
    expect(messageEmlPath(key, new Date('2023-09-30T18:00:00Z'))).toBe(`_messages/2023/10/${key}.eml`);
    expect(messageEmlPath(key, new Date('2023-09-30T16:00:00Z'))).toBe(`_messages/2023/09/${key}.eml`);
  });

  it('takes the next free numbered name, comparing names as the disk does', () => {
    const taken = new Set(['scan.pdf', 'scan (2).pdf', 'id-card.pdf']);
    expect(nextFreeName((n) => numberedName('scan.pdf', n), taken)).toBe('scan (3).pdf');
    expect(nextFreeName((n) => documentFileName('child-id', undefined, 'pdf', n), taken)).toBe('child-id.pdf');
    expect(nextFreeName((n) => numberedName('SCAN.pdf', n), taken)).toBe('SCAN.pdf');
    expect(nextFreeName((n) => numberedName('SCAN.pdf', n), taken, (x) => x.toLowerCase())).toBe('SCAN (3).pdf');
  });

  it('numbers problem files that share a name and refuses unsafe keys', () => {
    expect(problemPath('scan.jpg')).toBe('_problems/scan.jpg');
    expect(problemPath('scan.jpg', 2)).toBe('_problems/scan (2).jpg');
    expect(problemPath('../../x.pdf')).toBe('_problems/x.pdf');
    expect(() => assertKey('../evil')).toThrow();
    expect(() => assertKey('a/b')).toThrow();
    expect(assertKey('3f9a-abc_1')).toBe('3f9a-abc_1');
  });
});

import { describe, expect, it } from 'vitest';
import { safeFileName } from '../../pipelines/safe-name.ts';

describe('safeFileName', () => {
  it('keeps an ordinary Thai name as it is, in NFC', () => {
    expect(safeFileName('สำเนาบัตรประชาชน.pdf', 150)).toBe('สำเนาบัตรประชาชน.pdf');
    expect(safeFileName('สำเนาบัตรประชาชน.pdf'.normalize('NFD'), 150)).toBe('สำเนาบัตรประชาชน.pdf'.normalize('NFC'));
  });

  it('keeps only the last segment of a path, so ../ and absolute paths cannot escape', () => {
    expect(safeFileName('../../etc/passwd', 150)).toBe('passwd');
    expect(safeFileName('/etc/shadow', 150)).toBe('shadow');
    expect(safeFileName('C:\\Users\\somchai\\Desktop\\บัตร.pdf', 150)).toBe('บัตร.pdf');
    expect(safeFileName('folder/', 150)).toBe('folder');
  });

  it('removes NUL, control characters and bidi overrides', () => {
    expect(safeFileName('a\u0000b\u0007c.pdf', 150)).toBe('abc.pdf');
    expect(safeFileName('invoice\u202Efdp.exe', 150)).toBe('invoicefdp.exe');
    expect(safeFileName('\u200Bบัตร\uFEFF.pdf', 150)).toBe('บัตร.pdf');
  });

  it('never returns an empty name or one of dots only', () => {
    for (const bad of ['', '.', '..', '....', '   ', '\u0000', '/', '\\..\\', '\u202E']) {
      const safe = safeFileName(bad, 150);
      expect(safe.length).toBeGreaterThan(0);
      expect(safe).not.toMatch(/^\.*$/);
    }
  });

  it('defuses Windows reserved names and forbidden characters', () => {
    expect(safeFileName('CON', 150)).toBe('_CON');
    expect(safeFileName('nul.pdf', 150)).toBe('_nul.pdf');
    expect(safeFileName('a<b>:c"d|e?f*.pdf', 150)).toBe('a_b__c_d_e_f_.pdf');
    expect(safeFileName('name. . .', 150)).toBe('name');
    expect(safeFileName('.hidden.pdf', 150)).toBe('_.hidden.pdf');
  });

  it('shortens an over-long name to the limit, keeping the extension and whole Thai characters', () => {
    const long = `${'บัตรประชาชน'.repeat(40)}.pdf`;
    const safe = safeFileName(long, 50);
    expect([...safe].length).toBeLessThanOrEqual(50);
    expect(safe.endsWith('.pdf')).toBe(true);
    expect(long.startsWith(safe.slice(0, -4))).toBe(true);
  });

  it('bounds the name in UTF-8 bytes too', () => {
    const safe = safeFileName(`${'ก'.repeat(200)}.pdf`, 1000);
    expect(Buffer.byteLength(safe)).toBeLessThanOrEqual(255);
    expect(safe.endsWith('.pdf')).toBe(true);
  });

  it('does not shorten into a reserved name', () => {
    expect(safeFileName('console.pdf', 7)).not.toMatch(/^con\./i);
  });
});

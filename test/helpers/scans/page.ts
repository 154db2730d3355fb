// One A4 page of HTML as the fixtures render it: Debian's TLWG Thai fonts (Laksaman is the TH Sarabun look of
// Thai official papers), the "สำเนาถูกต้อง" certification an officer stamps and signs, and the signature scrawl.
import type { Person } from '../../../pipelines/types.ts';
import { thaiName } from './cast.ts';

export type ThaiFont = 'Laksaman' | 'Garuda' | 'Loma' | 'Kinnari' | 'Norasi' | 'Sawasdee' | 'Umpush' | 'Waree' | 'Tlwg Typo';

const BASE_CSS = `
@page { size: A4; margin: 0 }
html, body { margin: 0; padding: 0; background: #fff; }
.page { width: 210mm; height: 297mm; position: relative; overflow: hidden; box-sizing: border-box; padding: 16mm 20mm;
  color: #151515; font-size: 16pt; line-height: 1.35; }
.center { text-align: center; }
.right { text-align: right; }
.b { font-weight: bold; }
.row { display: flex; gap: 6mm; }
.row > * { flex: 1; }
table { border-collapse: collapse; width: 100%; }
td, th { border: 1px solid #333; padding: 0.6mm 1.5mm; vertical-align: top; }
.stamp { position: absolute; color: #1b3a8c; font-size: 17pt; line-height: 1.3; transform: rotate(-3deg); }
.stamp .box { border: 2.5px solid #1b3a8c; border-radius: 2mm; padding: 0.5mm 3mm; display: inline-block; font-weight: bold;
  font-size: 20pt; letter-spacing: 0.5px; }
.scrawl { font-family: 'Purisa'; font-size: 20pt; color: #1b3a8c; font-style: italic; }
.emblem { width: 26mm; height: 26mm; border-radius: 50%; border: 3px double #444; margin: 0 auto 3mm;
  background: radial-gradient(circle, #ddd 0 30%, #fff 31% 45%, #bbb 46% 55%, #fff 56%); }
`;

export interface PageOptions {
  font: ThaiFont;
  fontSize?: string;
  css?: string;
}

/** A standalone HTML document of one A4 page. */
export function a4(body: string, opts: PageOptions): string {
  return `<!doctype html><html lang="th"><head><meta charset="utf-8"><style>${BASE_CSS}
.page { font-family: '${opts.font}', 'Garuda', sans-serif; ${opts.fontSize ? `font-size: ${opts.fontSize};` : ''} }
${opts.css ?? ''}</style></head><body><div class="page">${body}</div></body></html>`;
}

/**
 * The certification the circular asks for on every copy: "สำเนาถูกต้อง", a signature line and the name in
 * brackets, stamped in blue at (left, top) in millimetres.
 */
export function certified(p: Person, at: { left: number; top: number }): string {
  return `<div class="stamp" style="left:${at.left}mm; top:${at.top}mm">
  <div class="box">สำเนาถูกต้อง</div>
  <div>ลงชื่อ <span class="scrawl">${p.firstName.slice(0, 3)}~</span> ..................</div>
  <div>(${thaiName(p)})</div></div>`;
}

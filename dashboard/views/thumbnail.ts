// The picture shown instead of a thumbnail that could not be drawn: a page outline with one Thai line saying why.
// Static markup (no script, no external font or image), served as image/svg+xml from the dashboard's own origin.
import type { PlaceholderReason } from '../../adapters/thumbnail-cache.ts';
import { html } from '../html.ts';

export const PLACEHOLDER_TH: Record<PlaceholderReason, string> = {
  'no-renderer': 'ไม่มีภาพตัวอย่าง',
  unreadable: 'แสดงภาพไม่ได้',
  missing: 'ไม่พบไฟล์',
  busy: 'ลองใหม่ภายหลัง',
};

export function placeholderSvg(reason: PlaceholderReason): string {
  return html`<svg xmlns="http://www.w3.org/2000/svg" width="170" height="240" viewBox="0 0 170 240" role="img" aria-label="${PLACEHOLDER_TH[reason]}">
<rect x="1" y="1" width="168" height="238" fill="#f5f7f9" stroke="#b8c2cc" stroke-width="2"/>
<path d="M40 70h90M40 90h90M40 110h60" stroke="#d9dee4" stroke-width="6"/>
<text x="85" y="160" text-anchor="middle" font-size="15" fill="#5b6775" font-family="Noto Sans Thai, Sarabun, Tahoma, Loma, sans-serif">${
    PLACEHOLDER_TH[reason]
  }</text>
</svg>`.value;
}

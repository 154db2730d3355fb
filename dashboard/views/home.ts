// The home page: every campaign of the circular side by side, with its deadline (Buddhist Era, days left)
// and headline counts, each linking to its own overview. Counts come from the index, as on each overview.
import { formatThaiDate } from '../../pipelines/dates.ts';
import { html, num, url, type Html } from '../html.ts';
import type { Tally } from '../person-summary.ts';
import type { UnitCounts } from '../unit-index.ts';
import { daysText } from './overview.ts';

interface Base {
  id: string;
  title: string;
  deadline: Date;
}
export type HomeCampaign =
  | (Base & { scope: 'person'; tally: Tally; openUnmatched: number })
  | (Base & { scope: 'unit'; counts: UnitCounts });

const stat = (label: string, n: number | null, id: string, cls = '') =>
  html`<div class="card ${cls}" data-count="${id}"><div class="n">${n === null ? '–' : num(n)}</div><div class="small muted">${label}</div></div>`;

function personCounts(c: Extract<HomeCampaign, { scope: 'person' }>): Html {
  const t = c.tally;
  return html`<div class="cards">${stat('ทั้งหมด (คน)', t.total, 'total', 'blue')}${stat('ส่งครบ', t.complete, 'complete', 'ok')}
${stat('ส่งไม่ครบ', t.incomplete, 'incomplete', 'warn')}${stat('ยังไม่ส่ง', t.notSubmitted, 'not-submitted')}
${stat('ส่งเกินกำหนด', t.late, 'late', 'bad')}${stat('อีเมลที่ระบุตัวไม่ได้', c.openUnmatched, 'unmatched', c.openUnmatched ? 'bad' : '')}</div>`;
}

export function unitCountCards(u: UnitCounts): Html {
  return html`<div class="cards">${stat('หน่วยงานที่ต้องส่ง', u.expected, 'expected', 'blue')}${stat('ส่งแล้ว', u.sent, 'sent')}
${stat('ส่งครบ', u.complete, 'complete', 'ok')}${stat('ฉบับล่าสุดมีปัญหา', u.problems, 'problems', u.problems ? 'warn' : '')}
${stat('ส่งเกินกำหนด', u.late, 'late', 'bad')}${stat('ยังไม่ส่ง/ยังไม่ครบ', u.missing, 'missing', u.missing ? 'bad' : '')}</div>`;
}

export function homeView(campaigns: HomeCampaign[], now: Date): Html {
  return html`<h1>เรื่องที่รับตามหนังสือเวียน</h1>
<div class="campaign-list">${
    campaigns.map((c) =>
      html`<section class="panel" data-home-campaign="${c.id}">
<h2><a href="${url('c', c.id)}">${c.title}</a></h2>
<p class="small">${c.scope === 'person' ? 'ส่งรายบุคคล' : 'ส่งรายหน่วยงาน'} · กำหนดส่ง <strong>${formatThaiDate(c.deadline)}</strong> · <span data-days>${
        daysText(c.deadline, now)
      }</span></p>
${c.scope === 'person' ? personCounts(c) : unitCountCards(c.counts)}
${c.scope === 'unit' && c.counts.expected === null ? html`<p class="small muted">ไม่ได้โหลดไฟล์บัญชีหน่วยงาน (--units) จึงไม่ทราบว่าหน่วยงานใดต้องส่ง</p>` : ''}
<p><a href="${url('c', c.id)}">ดูภาพรวม ›</a></p></section>`
    )
  }</div>`;
}

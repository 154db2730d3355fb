// The campaign overview: headline counts (persons with page flags among them, linked to their list), deadline in
// Buddhist Era with days left, progress per unit as a table and an inline SVG chart (no script, no chart library).
import { daysUntil, formatThaiDateTime } from '../../pipelines/dates.ts';
import { html, num, percent, url, withQuery, type Html } from '../html.ts';
import type { UnitSummary } from '../archive-index.ts';
import type { Tally } from '../person-summary.ts';

export interface OverviewModel {
  campaign: { id: string; title: string; deadline: Date };
  tally: Tally;
  units: UnitSummary[];
  openUnmatched: number;
  now: Date;
}

export function card(label: string, n: number, cls = '', id = ''): Html {
  return html`<div class="card ${cls}" data-count="${id}"><div class="n">${num(n)}</div><div class="small muted">${label}</div></div>`;
}

export function daysText(deadline: Date, now: Date): string {
  const days = daysUntil(deadline, now);
  if (days > 0) return `เหลืออีก ${num(days)} วัน`;
  if (days === 0) return 'ครบกำหนดวันนี้';
  return `เลยกำหนดมาแล้ว ${num(-days)} วัน`;
}

const BAR = 16;
const LABEL_W = 300;
const CHART_W = 980;

/** Stacked horizontal bars (complete / incomplete / not submitted), one row per unit; widths as attributes, so the CSP needs no inline styles. */
export function unitChart(units: UnitSummary[]): Html {
  const height = units.length * (BAR + 6) + 8;
  const span = CHART_W - LABEL_W - 60;
  const rows = units.map((u, i) => {
    const y = 4 + i * (BAR + 6);
    const t = u.tally;
    const w = (n: number) => (t.total ? (n / t.total) * span : 0);
    const x1 = LABEL_W;
    const x2 = x1 + w(t.complete);
    const x3 = x2 + w(t.incomplete);
    return html`<g><title>${u.unit}: ส่งครบ ${t.complete}, ส่งไม่ครบ ${t.incomplete}, ยังไม่ส่ง ${t.notSubmitted}</title>
<text x="${LABEL_W - 8}" y="${y + BAR - 4}" text-anchor="end" font-size="11">${u.unit.length > 42 ? `${u.unit.slice(0, 41)}…` : u.unit}</text>
<rect x="${x1}" y="${y}" width="${w(t.complete).toFixed(1)}" height="${BAR}" fill="#2e9e68"/>
<rect x="${x2.toFixed(1)}" y="${y}" width="${w(t.incomplete).toFixed(1)}" height="${BAR}" fill="#f0b040"/>
<rect x="${x3.toFixed(1)}" y="${y}" width="${w(t.notSubmitted).toFixed(1)}" height="${BAR}" fill="#c9d1da"/>
<text x="${LABEL_W + span + 6}" y="${y + BAR - 4}" font-size="11">${percent(t.complete, t.total)}%</text></g>`;
  });
  return html`<svg class="chart" viewBox="0 0 ${CHART_W} ${height}" role="img" aria-label="ความคืบหน้ารายหน่วยงาน" font-family="Noto Sans Thai, Sarabun, Tahoma, Loma, sans-serif">${rows}</svg>`;
}

export function overviewView(m: OverviewModel): Html {
  const t = m.tally;
  const c = m.campaign.id;
  return html`
<h1>${m.campaign.title}</h1>
<p>กำหนดส่ง <strong>${formatThaiDateTime(m.campaign.deadline)}</strong> · <span data-days>${daysText(m.campaign.deadline, m.now)}</span></p>
<div class="cards">
  ${card('ทั้งหมด (คน)', t.total, 'blue', 'total')}
  ${card('ส่งครบ', t.complete, 'ok', 'complete')}
  ${card('ส่งไม่ครบ', t.incomplete, 'warn', 'incomplete')}
  ${card('ยังไม่ส่ง', t.notSubmitted, '', 'not-submitted')}
  ${card('ส่งเกินกำหนด', t.late, 'bad', 'late')}
  ${card('ตรวจรับครบแล้ว', t.fullyAccepted, 'ok', 'fully-accepted')}
  ${card('เอกสารรอตรวจ', t.awaitingReview, 'blue', 'awaiting-review')}
  ${card('อีเมลที่ระบุตัวไม่ได้', m.openUnmatched, m.openUnmatched ? 'bad' : '', 'unmatched')}
  ${card('มีข้อสังเกตจากการอ่านเอกสาร (คน)', t.flagged, t.flagged ? 'warn' : '', 'flagged')}
</div>
${
    t.flagged
      ? html`<p class="small" data-filter="flags"><a href="${
        withQuery(url('c', c, 'search'), { flags: 1 })
      }">เฉพาะที่มีข้อสังเกต: บุคคลและเอกสารที่มีหน้าว่าง อ่านไม่ออก ความละเอียดต่ำ หรือไม่มีคำรับรองสำเนาถูกต้อง (${num(t.flagged)} คน)</a></p>`
      : ''
  }
<h2>ความคืบหน้ารายหน่วยงาน</h2>
<div class="legend"><span><i class="k1"></i>ส่งครบ</span><span><i class="k2"></i>ส่งไม่ครบ</span><span><i class="k3"></i>ยังไม่ส่ง</span></div>
${unitChart(m.units)}
<h2>ตารางรายหน่วยงาน</h2>
<table class="units">
<thead><tr><th>สังกัด</th><th class="num">ทั้งหมด</th><th class="num">ส่งครบ</th><th class="num">ส่งไม่ครบ</th><th class="num">ยังไม่ส่ง</th><th class="num">ส่งเกินกำหนด</th><th class="num">ตรวจรับครบ</th><th class="num">ร้อยละที่ส่งครบ</th></tr></thead>
<tbody>${
    m.units.map((u) =>
      html`<tr>
<td><a href="${url('c', c, 'units', u.unit)}">${u.unit}</a></td><td class="num">${num(u.tally.total)}</td>
<td class="num">${num(u.tally.complete)}</td><td class="num">${num(u.tally.incomplete)}</td><td class="num">${num(u.tally.notSubmitted)}</td>
<td class="num">${num(u.tally.late)}</td><td class="num">${num(u.tally.fullyAccepted)}</td><td class="num">${
        percent(u.tally.complete, u.tally.total)
      }%</td></tr>`
    )
  }
</tbody></table>`;
}

// Pages of a unit-scope campaign (login-status, admin-appointment) as a whole: the overview (headline counts,
// every unit with its status, latest arrival and the problems in its latest report), the units that have not
// sent what the circular asks of them, and the exports. Rows are the staff report's (pipelines/unit/report.ts).
import { formatThaiDateTime } from '../../pipelines/dates.ts';
import type { ChecklistItem, UnmatchedRecord } from '../../pipelines/types.ts';
import type { UnitReport, UnitReportRow } from '../../pipelines/unit/index.ts';
import { html, num, url, type Html } from '../html.ts';
import type { UnitCounts } from '../unit-index.ts';
import { unitCountCards } from './home.ts';
import { shortLabelOf, UNIT_KIND_TH, UNIT_STATUS_TH, UNIT_UNMATCHED_TH } from './labels.ts';
import { daysText } from './overview.ts';

export interface UnitCampaignModel {
  campaign: { id: string; title: string; deadline: Date; checklist: ChecklistItem[]; form?: string };
  report: UnitReport;
  counts: UnitCounts;
  /** URL key (folder name) of a row's unit, when it has a folder. */
  keyOf: (row: UnitReportRow) => string | undefined;
  unmatched: UnmatchedRecord[];
  now: Date;
}

const when = (iso?: string) => (iso ? formatThaiDateTime(new Date(iso), { short: true }) : '-');

export function unitStatusBadges(r: Pick<UnitReportRow, 'status' | 'late' | 'expected'>): Html {
  return html`<span class="badge s-${r.status}">${UNIT_STATUS_TH[r.status]}</span>${r.late ? html` <span class="badge late">เกินกำหนด</span>` : ''}${
    r.expected === false ? html` <span class="badge s-not-submitted">ไม่ต้องส่ง</span>` : ''
  }`;
}

function dataCell(m: UnitCampaignModel, r: UnitReportRow): Html {
  if (m.report.form === 'login-status') {
    return r.total === undefined ? html`<span class="muted">-</span>` : html`${num(r.total)} / ${num(r.can ?? 0)} / <strong>${num(r.cannot ?? 0)}</strong>`;
  }
  const admins = r.administrators?.length ?? 0;
  return html`${admins ? `${num(admins)} คน` : '-'} · ${r.orders?.length ? 'มีคำสั่ง' : 'ยังไม่มีคำสั่ง'}`;
}

function unitLink(m: UnitCampaignModel, r: UnitReportRow): Html {
  const key = m.keyOf(r);
  return key ? html`<a href="${url('c', m.campaign.id, 'units', key)}">${r.name}</a>` : html`${r.name}`;
}

export function unitCampaignOverview(m: UnitCampaignModel): Html {
  const c = m.campaign;
  const login = m.report.form === 'login-status';
  return html`
<h1>${c.title}</h1>
<p>ส่งรายหน่วยงาน · กำหนดส่ง <strong>${formatThaiDateTime(c.deadline)}</strong> · <span data-days>${daysText(c.deadline, m.now)}</span></p>
${unitCountCards(m.counts)}
${
    m.report.unitsFile
      ? ''
      : html`<div class="flash bad">ไม่ได้โหลดไฟล์บัญชีหน่วยงาน (--units หรือ UNITS_FILE) จึงไม่ทราบว่าหน่วยงานใดต้องส่งและใดยังไม่ส่ง แสดงเฉพาะหน่วยงานที่ส่งมาแล้ว</div>`
  }
${m.counts.notAsked ? html`<p class="small muted">รวมหน่วยงานที่ส่งมาแม้หนังสือเวียนไม่ได้ขอ ${num(m.counts.notAsked)} หน่วยงาน</p>` : ''}
${
    login && m.report.totals
      ? html`<p data-totals>รวมทุกหน่วยงานที่รายงาน: ข้าราชการ ${num(m.report.totals.total)} คน · เข้าใช้งานได้ ${num(m.report.totals.can)} คน · เข้าใช้งานไม่ได้ <strong>${
        num(m.report.totals.cannot)
      }</strong> คน</p>`
      : ''
  }
<h2>รายหน่วยงาน</h2>
<table class="units">
<thead><tr><th>รหัส</th><th>หน่วยงาน</th><th>ประเภท</th><th>สถานะ</th><th>${
    login ? 'ทั้งหมด / ได้ / ไม่ได้' : 'ผู้ดูแลระบบ · คำสั่ง'
  }</th><th>ยังขาด</th><th>ได้รับล่าสุด</th><th>ปัญหาในฉบับล่าสุด</th></tr></thead>
<tbody>${
    m.report.units.map((r) =>
      html`<tr data-unit="${r.unitId ?? r.name}" data-status="${r.status}">
<td class="small">${r.unitId ?? ''}</td><td>${unitLink(m, r)}</td><td class="small">${r.kind ? UNIT_KIND_TH[r.kind] : ''}</td>
<td>${unitStatusBadges(r)}</td><td class="small">${dataCell(m, r)}</td>
<td class="small">${r.expected === false && !r.submissions ? '' : r.missing.map((id) => shortLabelOf(c.checklist, id)).join(', ')}</td>
<td class="small">${when(r.lastReceivedAt)}</td>
<td class="small">${r.lastProblems.length ? html`<ul class="problems">${r.lastProblems.map((p) => html`<li>${p}</li>`)}</ul>` : ''}</td></tr>`
    )
  }
</tbody></table>
${
    m.unmatched.length ?
      html`<h2>รายงานที่ระบุหน่วยงานไม่ได้ (${num(m.unmatched.length)})</h2>
<p class="small muted">ระบบตอบผู้ส่งแล้วว่าให้ระบุหน่วยงาน ดาวน์โหลดต้นฉบับเพื่อดูรายละเอียด</p>
<table data-unit-unmatched><thead><tr><th>ได้รับเมื่อ</th><th>ผู้ส่ง</th><th>เรื่อง</th><th>สาเหตุ</th></tr></thead><tbody>
${
        m.unmatched.map((u) =>
          html`<tr><td class="small">${when(u.receivedAt)}</td><td class="small">${u.from ?? '-'}</td>
<td><a href="${url('c', c.id, 'unmatched', u.messageKey)}"><bdi>${u.subject || '(ไม่มีเรื่อง)'}</bdi></a></td><td class="small">${
            UNIT_UNMATCHED_TH[u.reason] ?? u.reason
          }</td></tr>`
        )
      }
</tbody></table>` :
      ''
  }`;
}

export function missingUnitsView(m: UnitCampaignModel): Html {
  const c = m.campaign;
  const rows = m.report.missingUnits;
  return html`<p class="small"><a href="${url('c', c.id)}">ภาพรวม</a> › หน่วยงานที่ยังไม่ส่ง</p>
<h1>หน่วยงานที่ยังไม่ส่ง: ${c.title}</h1>
${
    !m.report.unitsFile ?
      html`<div class="flash bad">ไม่ได้โหลดไฟล์บัญชีหน่วยงาน (--units หรือ UNITS_FILE) จึงไม่ทราบว่าหน่วยงานใดยังไม่ส่ง</div>`
      : rows.length ?
      html`<p>หน่วยงานที่หนังสือเวียนขอเรื่องนี้ แต่ยังไม่ได้รับครบ ${num(rows.length)} หน่วยงาน · กำหนดส่ง ${formatThaiDateTime(c.deadline)} (${
        daysText(c.deadline, m.now)
      })</p>
<table data-missing><thead><tr><th>รหัส</th><th>หน่วยงาน</th><th>ประเภท</th><th>สถานะ</th><th>รายการที่ยังขาด</th><th>อีเมลติดต่อ</th></tr></thead><tbody>
${
        rows.map((u) => {
          const row = m.report.units.find((r) => r.inUnitsFile && r.unitId === u.unitId);
          return html`<tr data-unit="${u.unitId}"><td class="small">${u.unitId}</td><td>${row ? unitLink(m, row) : u.name}</td><td class="small">${
            UNIT_KIND_TH[u.kind]
          }</td>
<td><span class="badge s-${u.status}">${UNIT_STATUS_TH[u.status]}</span></td><td class="small">${
            u.missing.map((id) => shortLabelOf(c.checklist, id)).join(', ')
          }</td>
<td class="small">${u.emails.map((e, i) => html`${i ? ', ' : ''}<a href="${`mailto:${e}`}">${e}</a>`)}</td></tr>`;
        })
      }</tbody></table>` :
      html`<p class="flash ok">ทุกหน่วยงานที่ต้องส่งได้ส่งครบแล้ว</p>`
  }`;
}

export function unitExportsView(campaign: { id: string; form?: string }): Html {
  const list = campaign.form === 'admin-appointment' ? 'รายชื่อผู้ดูแลระบบทุกหน่วยงาน' : 'รายชื่อผู้ที่เข้าใช้งานไม่ได้ทุกหน่วยงาน';
  return html`<h1>ส่งออกรายงาน</h1>
<div class="panel"><p>รายงานรายหน่วยงานชุดเดียวกับคำสั่ง <code>seis-intake report --campaign ${campaign.id}</code> ณ เวลาที่ดาวน์โหลด</p>
<div class="actions"><a class="button" href="${url('c', campaign.id, 'export.xlsx')}">Excel (.xlsx) สรุปรายหน่วยงาน ${list} และหน่วยงานที่ยังไม่ส่ง</a>
<a class="button" href="${url('c', campaign.id, 'export.csv')}">CSV (UTF-8): ${list}</a></div>
<p class="small muted">ทุกการดาวน์โหลดถูกบันทึกไว้ในบันทึกการใช้งาน (ผู้ใช้ เวลา และรายการที่ดาวน์โหลด)</p></div>`;
}

// One unit's people, a checklist row each: received ✓ (✔ once staff accepted it), missing ✗, half an
// education pair, returned by staff, the files that do not count with their reasons, and the page flags of
// content reading (with a "เฉพาะที่มีข้อสังเกต" filter).
import type { ChecklistItem } from '../../pipelines/types.ts';
import { formatNationalId } from '../../pipelines/identity/index.ts';
import { html, num, url, withQuery, type Html } from '../html.ts';
import { columnItems, type ItemCell, type PersonEntry } from '../person-summary.ts';
import { PART_TH, problemTh, shortLabel, shortLabelOf, STATUS_TH } from './labels.ts';
import { flagBadges } from './reading.ts';

export function cellView(cell: ItemCell | undefined, item: ChecklistItem, checklist: ChecklistItem[]): Html {
  if (!cell) return html`<span class="c-none">–</span>`;
  switch (cell.kind) {
    case 'accepted':
    case 'received': {
      const stand = cell.replacedBy ? checklist.find((c) => c.id === cell.replacedBy)?.label ?? cell.replacedBy : '';
      const title = `${item.label}: ${cell.kind === 'accepted' ? 'ตรวจรับแล้ว' : 'ได้รับแล้ว รอตรวจ'}${stand ? ` (${stand})` : ''}`;
      return html`<span class="c-${cell.kind}" title="${title}">${cell.kind === 'accepted' ? '✔' : '✓'}${cell.docs > 1 ? html`<sup>${cell.docs}</sup>` : ''}${
        stand ? html`<sup>ม</sup>` : ''
      }</span>`;
    }
    case 'partial':
      return html`<span class="c-partial" title="${item.label}: ขาด${PART_TH[cell.lacking]}">½</span>`;
    case 'returned':
      return html`<span class="c-returned" title="${item.label}: ส่งคืนแก้ไข ${cell.reason ?? ''}">↩</span>`;
    case 'missing':
      return html`<span class="c-missing" title="${item.label}: ยังไม่ได้รับ">✗</span>`;
    default:
      return html`<span class="c-none" title="${item.label}: ไม่บังคับ">–</span>`;
  }
}

export function statusBadges(p: PersonEntry): Html {
  return html`<span class="badge s-${p.status}">${STATUS_TH[p.status]}</span>${p.late ? html` <span class="badge late">เกินกำหนด</span>` : ''}${
    p.fullyAccepted ? html` <span class="badge r-accepted">ตรวจรับครบ</span>` : ''
  }`;
}

/** Each flagged document of a person: its short item label and its page flags. */
function flagsCell(p: PersonEntry, checklist: ChecklistItem[]): Html {
  return html`${p.flagged.map((d) => html`<div data-flagged="${d.path}">${shortLabelOf(checklist, d.item)}: ${flagBadges(d.flags)}</div>`)}`;
}

/** `showFlags`: the page-flags column (shown anyway when a listed person has flags). */
export function personTable(campaignId: string, persons: PersonEntry[], checklist: ChecklistItem[],
  opts: { showUnit?: boolean; showFlags?: boolean } = {}): Html {
  const items = columnItems(checklist);
  const flags = opts.showFlags || persons.some((p) => p.flags.length > 0);
  return html`<table class="matrix">
<thead><tr><th>ชื่อ-นามสกุล</th><th>เลขประจำตัวประชาชน</th>${opts.showUnit ? html`<th>สังกัด</th>` : ''}<th>สถานะ</th>
${items.map((item) => html`<th class="item" title="${item.label}">${shortLabel(item)}${item.required ? '' : html`<br><span class="muted">(ถ้ามี)</span>`}</th>`)}
<th>ไฟล์ที่ใช้ไม่ได้</th>${flags ? html`<th>ข้อสังเกตจากการอ่านเอกสาร</th>` : ''}</tr></thead>
<tbody>${
    persons.map((p) =>
      html`<tr data-person="${p.nationalId}">
<td><a href="${url('c', campaignId, 'p', p.nationalId)}">${p.name}</a></td>
<td class="small">${formatNationalId(p.nationalId)}</td>
${opts.showUnit ? html`<td class="small">${p.unit}</td>` : ''}
<td data-status="${p.status}">${statusBadges(p)}</td>
${items.map((item) => html`<td class="cell">${cellView(p.cells[item.id], item, checklist)}</td>`)}
<td class="small">${p.invalid.map((i) => html`<div>${i.file}: ${problemTh(i.reason)}</div>`)}</td>
${flags ? html`<td class="small">${flagsCell(p, checklist)}</td>` : ''}
</tr>`
    )
  }</tbody></table>`;
}

export interface UnitModel {
  campaignId: string;
  unit: string;
  persons: PersonEntry[];
  checklist: ChecklistItem[];
  /** Only persons with page flags ("เฉพาะที่มีข้อสังเกต"). */
  flaggedOnly?: boolean;
}

/** The two views of a list: everyone, or only persons whose documents carry page flags. */
export function flagFilter(href: string, flaggedOnly: boolean, flagged: number): Html {
  const here = (on: boolean) => (on ? html` aria-current="page"` : '');
  return html`<span class="filter small" data-filter="flags">แสดง: <a href="${href}"${here(!flaggedOnly)}>ทั้งหมด</a> ·
<a href="${withQuery(href, { flags: 1 })}"${here(flaggedOnly)}>เฉพาะที่มีข้อสังเกต (${num(flagged)} คน)</a></span>`;
}

export function unitView(m: UnitModel): Html {
  const count = (s: PersonEntry['status']) => m.persons.filter((p) => p.status === s).length;
  const flagged = m.persons.filter((p) => p.flags.length > 0);
  const shown = m.flaggedOnly ? flagged : m.persons;
  return html`
<p class="small"><a href="${url('c', m.campaignId)}">ภาพรวม</a> › ${m.unit}</p>
<h1>${m.unit}</h1>
<div class="actions">
  <span>ทั้งหมด ${num(m.persons.length)} คน · ส่งครบ ${num(count('complete'))} · ส่งไม่ครบ ${num(count('incomplete'))} · ยังไม่ส่ง ${num(count('not-submitted'))}</span>
  <a class="button" href="${url('c', m.campaignId, 'units', m.unit, 'zip')}">ดาวน์โหลดเอกสารทั้งหน่วยงาน (ZIP)</a>
</div>
<div class="actions">${flagFilter(url('c', m.campaignId, 'units', m.unit), Boolean(m.flaggedOnly), flagged.length)}</div>
<p class="small muted">✔ ตรวจรับแล้ว · ✓ ได้รับแล้ว รอตรวจ · ½ ได้รับเพียงบางส่วน · ↩ ส่งคืนแก้ไข · ✗ ยังไม่ได้รับ · – ไม่บังคับ · <sup>ม</sup> ใช้ใบมรณบัตรแทน</p>
${
    m.flaggedOnly && !flagged.length ?
      html`<p class="panel">ไม่มีเอกสารที่มีข้อสังเกตในหน่วยงานนี้</p>`
      : personTable(m.campaignId, shown, m.checklist, { showFlags: m.flaggedOnly })
  }`;
}

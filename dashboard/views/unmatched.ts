// The queue of mail the machine could not match to a person: the list, and one message with its files (each with
// its first page) and the form that assigns it to a roster person (found by ID or name, or suggested from the message).
import { formatNationalId } from '../../pipelines/identity/index.ts';
import { formatThaiDateTime } from '../../pipelines/dates.ts';
import type { UnmatchedRecord } from '../../pipelines/types.ts';
import { bidi, html, num, url, withQuery, type Html } from '../html.ts';
import type { PersonEntry } from '../person-summary.ts';
import { csrfField } from './layout.ts';
import { problemTh, STATUS_TH, UNMATCHED_TH } from './labels.ts';
import { thumbnail } from './reading.ts';
import type { Flash } from './flash.ts';

const when = (iso: string) => formatThaiDateTime(new Date(iso), { short: true });

export function unmatchedListView(campaignId: string, open: UnmatchedRecord[], resolved: UnmatchedRecord[]): Html {
  return html`<h1>อีเมลที่ระบุตัวไม่ได้ <span class="muted small">(${num(open.length)} ฉบับรอดำเนินการ)</span></h1>
<p class="small muted">อีเมลที่ระบบระบุไม่ได้ว่าเป็นของผู้ใด หรือมีไฟล์ที่ไม่ทราบเจ้าของ เปิดดูแล้วเลือกบุคคลในบัญชีรายชื่อเพื่อจัดเก็บเข้าแฟ้มของผู้นั้น</p>
${
    open.length ?
      html`<table data-queue="open"><thead><tr><th>ได้รับเมื่อ</th><th>ผู้ส่ง</th><th>เรื่อง</th><th>สาเหตุ</th><th class="num">ไฟล์</th></tr></thead><tbody>
${
        open.map((r) =>
          html`<tr data-message="${r.messageKey}"><td class="small">${when(r.receivedAt)}</td><td class="small">${bidi(r.from ?? '-')}</td>
<td><a href="${url('c', campaignId, 'unmatched', r.messageKey)}">${bidi(r.subject || '(ไม่มีเรื่อง)')}</a></td>
<td class="small">${UNMATCHED_TH[r.reason] ?? r.reason}</td><td class="num">${r.files.length}</td></tr>`
        )
      }
</tbody></table>` :
      html`<p class="panel">ไม่มีอีเมลค้างดำเนินการ</p>`
  }
${
    resolved.length ?
      html`<h2>ดำเนินการแล้ว (${num(resolved.length)})</h2>
<table><thead><tr><th>ได้รับเมื่อ</th><th>ผู้ส่ง</th><th>เรื่อง</th><th>จัดเก็บให้</th><th>โดย</th></tr></thead><tbody>
${
        resolved.map((r) =>
          html`<tr><td class="small">${when(r.receivedAt)}</td><td class="small">${bidi(r.from ?? '-')}</td>
<td><a href="${url('c', campaignId, 'unmatched', r.messageKey)}">${bidi(r.subject || '(ไม่มีเรื่อง)')}</a></td>
<td><a href="${url('c', campaignId, 'p', r.resolved!.nationalId)}">${formatNationalId(r.resolved!.nationalId)}</a></td>
<td class="small">${r.resolved!.by} · ${when(r.resolved!.at)}</td></tr>`
        )
      }
</tbody></table>` :
      ''
  }`;
}

export interface UnmatchedDetailModel {
  campaignId: string;
  record: UnmatchedRecord;
  mail: Html;
  csrf: string;
  query: string;
  /** Persons suggested by the message itself (IDs, names, sender address) and by the staff's search. */
  suggestions: PersonEntry[];
  results: PersonEntry[];
  flash?: Flash;
}

function assignButton(m: UnmatchedDetailModel, p: PersonEntry): Html {
  return html`<form class="inline" method="post" action="${url('c', m.campaignId, 'unmatched', m.record.messageKey, 'assign')}">
${csrfField(m.csrf)}<input type="hidden" name="nationalId" value="${p.nationalId}">
<label class="small"><input type="checkbox" name="notify" value="1" checked> แจ้งผู้ส่งทางอีเมล</label>
<button class="primary" type="submit">จัดเก็บให้บุคคลนี้</button></form>`;
}

function candidates(m: UnmatchedDetailModel, list: PersonEntry[], label: string): Html {
  if (!list.length) return html``;
  return html`<h2>${label}</h2><table data-candidates><thead><tr><th>ชื่อ-นามสกุล</th><th>เลขประจำตัวประชาชน</th><th>สังกัด</th><th>สถานะ</th><th></th></tr></thead><tbody>
${
    list.map((p) =>
      html`<tr data-person="${p.nationalId}"><td><a href="${url('c', m.campaignId, 'p', p.nationalId)}">${bidi(p.name)}</a></td>
<td class="small">${formatNationalId(p.nationalId)}</td><td class="small">${p.unit}</td><td class="small">${STATUS_TH[p.status]}</td>
<td>${m.record.resolved ? '' : assignButton(m, p)}</td></tr>`
    )
  }</tbody></table>`;
}

export function unmatchedDetailView(m: UnmatchedDetailModel): Html {
  const r = m.record;
  const self = url('c', m.campaignId, 'unmatched', r.messageKey);
  return html`<p class="small"><a href="${url('c', m.campaignId, 'unmatched')}">อีเมลที่ระบุตัวไม่ได้</a> › ${r.subject || '(ไม่มีเรื่อง)'}</p>
${m.flash ? html`<div class="flash ${m.flash.kind}" role="status">${m.flash.text}</div>` : ''}
<h1>${bidi(r.subject || '(ไม่มีเรื่อง)')}</h1>
<p>สาเหตุ: <strong>${UNMATCHED_TH[r.reason] ?? r.reason}</strong>
${
    r.resolved
      ? html` · <span class="badge s-complete">จัดเก็บให้ <a href="${url('c', m.campaignId, 'p', r.resolved.nationalId)}">${
        formatNationalId(r.resolved.nationalId)
      }</a> แล้ว โดย ${r.resolved.by}</span>`
      : ''
  }</p>
${
    r.resolved ? '' : html`<div class="panel"><h2>จัดเก็บให้บุคคลในบัญชีรายชื่อ</h2>
<form class="inline" method="get" action="${self}"><input id="assign-q" type="text" name="q" value="${m.query}" placeholder="เลขประจำตัวประชาชน หรือ ชื่อ-นามสกุล" size="36" aria-label="ค้นหาบุคคล"><button class="secondary" type="submit">ค้นหา</button></form>
${candidates(m, m.suggestions, 'บุคคลที่อาจเป็นเจ้าของ (จากเนื้อหาอีเมลและที่อยู่ผู้ส่ง)')}
${m.query ? (m.results.length ? candidates(m, m.results, `ผลการค้นหา "${m.query}"`) : html`<p class="muted">ไม่พบ "${m.query}"</p>`) : ''}
</div>`
  }
${
    r.files.length ?
      html`<div class="panel"><strong>ไฟล์ที่รอจัดเก็บ</strong>
<table data-files><thead><tr><th>หน้าแรก</th><th>ไฟล์</th></tr></thead><tbody>${
        r.files.map((f, i) => {
          const href = withQuery(`${self}/file`, { n: i });
          return html`<tr data-file="${i}"><td>${thumbnail(withQuery(`${self}/thumb`, { n: i }), href, f.name)}</td>
<td><a href="${href}" target="_blank" rel="noopener">${bidi(f.name)}</a>${f.code ? html`<div class="small muted">${problemTh(f.code)}</div>` : ''}</td></tr>`;
        })
      }</tbody></table></div>` :
      ''
  }
${m.mail}`;
}

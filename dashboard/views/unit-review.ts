// Staff review of unit-scope reports: the panel on a unit's page (accept, or return with a reason, each report),
// and a report no unit could be found for, with the form that files it into a unit. Forms only when the
// account may decide; the routes check again.
import { formatThaiDateTime } from '../../pipelines/dates.ts';
import type { UnmatchedRecord } from '../../pipelines/types.ts';
import type { Unit, UnitSubmission } from '../../pipelines/unit/index.ts';
import { html, url, withQuery, type Html } from '../html.ts';
import { csrfField } from './layout.ts';
import type { Flash } from './flash.ts';

const when = (iso: string) => formatThaiDateTime(new Date(iso), { short: true });
const REVIEW_TH = { accepted: 'ตรวจรับแล้ว', returned: 'ส่งคืนให้แก้ไขแล้ว' } as const;

export interface UnitReviewModel {
  campaignId: string;
  unitKey: string;
  submissions: UnitSubmission[];
  csrf: string;
  canDecide: boolean;
  flash?: Flash;
}

function reviewForms(m: UnitReviewModel, s: UnitSubmission): Html {
  const action = url('c', m.campaignId, 'units', m.unitKey, 'review');
  return html`<form class="inline" method="post" action="${action}">${csrfField(m.csrf)}<input type="hidden" name="messageKey" value="${s.messageKey}">
<input type="hidden" name="decision" value="accept"><button class="secondary" type="submit">ตรวจรับ</button></form>
<form class="inline" method="post" action="${action}">${csrfField(m.csrf)}<input type="hidden" name="messageKey" value="${s.messageKey}">
<input type="hidden" name="decision" value="return"><input type="text" name="reason" maxlength="300" required placeholder="เหตุผลที่ส่งคืน" aria-label="เหตุผลที่ส่งคืน">
<button class="danger" type="submit">ส่งคืนให้แก้ไข</button></form>`;
}

export function unitReviewPanel(m: UnitReviewModel): Html {
  const list = m.submissions.filter((s) => s.provides.length > 0);
  return html`<div class="panel" data-unit-review><h2>การตรวจของเจ้าหน้าที่</h2>
${m.flash ? html`<div class="flash ${m.flash.kind}" role="status">${m.flash.text}</div>` : ''}
${
    list.length ?
      html`<table><thead><tr><th>ได้รับเมื่อ</th><th>ผลการตรวจ</th><th></th></tr></thead><tbody>
${
        list.map((s) =>
          html`<tr data-review="${s.messageKey}"><td class="small">${when(s.receivedAt)}</td>
<td class="small">${
            s.review
              ? html`<span class="badge ${s.review.state === 'accepted' ? 'r-accepted' : 'r-returned'}">${REVIEW_TH[s.review.state]}</span> ${s.review.by} · ${
                when(s.review.at)
              }${s.review.reason ? html` · <bdi>${s.review.reason}</bdi>` : ''}`
              : html`<span class="badge r-awaiting-review">รอตรวจ</span>`
          }</td>
<td>${m.canDecide ? reviewForms(m, s) : ''}</td></tr>`
        )
      }</tbody></table>` :
      html`<p class="muted">ยังไม่มีรายงานที่ใช้ได้ให้ตรวจ</p>`
  }</div>`;
}

export interface UnitUnmatchedModel {
  campaignId: string;
  record: UnmatchedRecord;
  mail: Html;
  csrf: string;
  canDecide: boolean;
  /** Units the account may file into (from the units file); undefined: no units file, a name is typed. */
  units?: Unit[];
  flash?: Flash;
}

export function unitUnmatchedView(m: UnitUnmatchedModel): Html {
  const r = m.record;
  const self = url('c', m.campaignId, 'unmatched', r.messageKey);
  const choose = m.units
    ? html`<select name="unit" required aria-label="หน่วยงาน"><option value="">— เลือกหน่วยงาน —</option>${
      m.units.map((u) => html`<option value="${u.id}">${u.name}</option>`)
    }</select>`
    : html`<input type="text" name="unit" required maxlength="300" placeholder="ชื่อหน่วยงาน" aria-label="ชื่อหน่วยงาน">`;
  return html`<p class="small"><a href="${url('c', m.campaignId)}">ภาพรวม</a> › รายงานที่ระบุหน่วยงานไม่ได้</p>
${m.flash ? html`<div class="flash ${m.flash.kind}" role="status">${m.flash.text}</div>` : ''}
<h1><bdi>${r.subject || '(ไม่มีเรื่อง)'}</bdi></h1>
${
    r.resolved ?
      html`<p><span class="badge s-complete">จัดเก็บให้หน่วยงาน <a href="${
        url('c', m.campaignId, 'units', r.resolved.unit ?? '')
      }"><bdi>${r.resolved.unit}</bdi></a> แล้ว โดย ${r.resolved.by}</span></p>`
      : m.canDecide ?
      html`<div class="panel"><h2>จัดเก็บให้หน่วยงาน</h2><form class="inline" method="post" action="${self}/assign-unit">${csrfField(m.csrf)}${choose}
<button class="primary" type="submit">จัดเก็บให้หน่วยงานนี้</button></form></div>` :
      ''
  }
${
    r.files.length
      ? html`<div class="panel"><strong>ไฟล์แนบ</strong><ul>${
        r.files.map((f, i) => html`<li><a href="${withQuery(`${self}/file`, { n: i })}" target="_blank" rel="noopener"><bdi>${f.name}</bdi></a></li>`)
      }</ul></div>`
      : ''
  }
${m.mail}`;
}

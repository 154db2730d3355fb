// One person's folder: every document with its first-page thumbnail, what its pages said (views/reading.ts),
// source message, sender, arrival time, original name and review state (accept / return forms), superseded
// versions, files that do not count (unclassified ones can be assigned to a checklist item), combined originals,
// the messages, and the staff decisions so far (with what became of the mail each one sent: views/person-mail.ts).
import { formatNationalId } from '../../pipelines/identity/index.ts';
import { formatThaiDateTime } from '../../pipelines/dates.ts';
import type { ChecklistItem, ManifestDocument, PersonManifest } from '../../pipelines/types.ts';
import type { StaffMailStatus } from '../../usecases/staff-mail.ts';
import { bidi, fileSize, html, url, withQuery, type Html } from '../html.ts';
import type { PersonEntry } from '../person-summary.ts';
import { csrfField } from './layout.ts';
import { labelOf, PART_TH, problemTh, REVIEW_TH } from './labels.ts';
import { staffMailCell } from './person-mail.ts';
import { combinedView, flagBadges, readingView, thumbnail } from './reading.ts';
import { statusBadges } from './unit.ts';
import type { Flash } from './flash.ts';

export const RETURN_REASONS = [
  'ไม่ได้รับรองสำเนาถูกต้อง',
  'เอกสารไม่ชัดเจน อ่านไม่ออก',
  'เป็นเอกสารของบุคคลอื่น',
  'เอกสารไม่ครบทุกหน้า',
  'เอกสารไม่ตรงกับรายการ',
];

export interface PersonModel {
  campaignId: string;
  checklist: ChecklistItem[];
  manifest: PersonManifest;
  entry: PersonEntry;
  csrf: string;
  flash?: Flash;
  /** Per entry of manifest.decisions: the mail it sent, when it sent one. */
  decisionMail?: Array<StaffMailStatus | undefined>;
}

const when = (iso: string) => formatThaiDateTime(new Date(iso), { short: true });

function itemText(checklist: ChecklistItem[], doc: { item: string; part?: ManifestDocument['part'] }): string {
  const label = labelOf(checklist, doc.item);
  return doc.part && doc.part !== 'both' ? `${label} — ${PART_TH[doc.part]}` : label;
}

function reviewForms(m: PersonModel, doc: ManifestDocument): Html {
  const action = url('c', m.campaignId, 'p', m.manifest.person.nationalId, 'review');
  const state = doc.review?.state ?? 'awaiting-review';
  const by = doc.review?.by ? html`<div class="small muted">โดย ${doc.review.by}${doc.review.at ? ` · ${when(doc.review.at)}` : ''}</div>` : '';
  const reason = doc.review?.reason ? html`<div class="small">เหตุผล: ${doc.review.reason}</div>` : '';
  return html`<span class="badge r-${state}" data-review="${state}">${REVIEW_TH[state]}</span>${by}${reason}
<form class="inline" method="post" action="${action}">${csrfField(m.csrf)}<input type="hidden" name="path" value="${doc.path}">
${state !== 'accepted' ? html`<button class="secondary" name="decision" value="accept" type="submit">ตรวจรับ</button>` : ''}
${
    state !== 'returned' ?
      html`<select name="reason" aria-label="เหตุผลที่ส่งคืน">${RETURN_REASONS.map((r) => html`<option>${r}</option>`)}</select>
<input type="text" name="note" placeholder="เหตุผลอื่น (ถ้ามี)" size="14">
<button class="danger" name="decision" value="return" type="submit">ส่งคืนให้แก้ไข</button>` :
      ''
  }
</form>`;
}

const fileHref = (m: PersonModel, path: string) => withQuery(url('c', m.campaignId, 'p', m.manifest.person.nationalId, 'file'), { path });
const thumbHref = (m: PersonModel, path: string) => withQuery(url('c', m.campaignId, 'p', m.manifest.person.nationalId, 'thumb'), { path });

function fileLink(m: PersonModel, path: string, text: string | Html): Html {
  return html`<a href="${fileHref(m, path)}" target="_blank" rel="noopener">${text}</a>`;
}

function thumb(m: PersonModel, path: string, name: string): Html {
  return thumbnail(thumbHref(m, path), fileHref(m, path), name);
}

function messageLink(m: PersonModel, messageKey: string, text: string): Html {
  return html`<a href="${url('c', m.campaignId, 'p', m.manifest.person.nationalId, 'messages', messageKey)}">${text}</a>`;
}

function assignForm(m: PersonModel, path: string): Html {
  const action = url('c', m.campaignId, 'p', m.manifest.person.nationalId, 'classify');
  const options = m.checklist.flatMap((item) =>
    item.parts?.length
      ? (['both', ...item.parts] as const).map((part) => html`<option value="${item.id}:${part}">${item.label} — ${PART_TH[part]}</option>`)
      : [html`<option value="${item.id}">${item.label}</option>`]
  );
  return html`<form class="inline" method="post" action="${action}">${csrfField(m.csrf)}<input type="hidden" name="path" value="${path}">
<select name="item" aria-label="รายการเอกสาร">${options}</select><button class="secondary" type="submit">กำหนดเป็นรายการนี้</button></form>`;
}

export function personView(m: PersonModel): Html {
  const { manifest, entry } = m;
  const p = manifest.person;
  const sender = new Map(manifest.messages.map((msg) => [msg.messageKey, msg]));
  const current = manifest.documents.filter((d) => d.current);
  const superseded = manifest.documents.filter((d) => !d.current);
  const missing = entry.missing.map((id) => labelOf(m.checklist, id));
  return html`
<p class="small"><a href="${url('c', m.campaignId)}">ภาพรวม</a> › <a href="${url('c', m.campaignId, 'units', entry.unit)}">${entry.unit}</a> › ${entry.name}</p>
${m.flash ? html`<div class="flash ${m.flash.kind}" role="status">${m.flash.text}</div>` : ''}
<h1>${bidi(entry.name)}</h1>
<div class="panel"><dl class="kv">
<dt>เลขประจำตัวประชาชน</dt><dd>${formatNationalId(p.nationalId)}</dd>
<dt>สังกัด</dt><dd>${entry.unit}</dd>
<dt>อีเมล</dt><dd>${p.email ?? '-'}</dd>
<dt>สถานะ</dt><dd data-person-status="${entry.status}">${statusBadges(entry)}${
    entry.inRoster ? '' : html` <span class="badge s-not-submitted">ไม่อยู่ในบัญชีรายชื่อ</span>`
  }</dd>
<dt>เอกสารที่ยังขาด</dt><dd>${missing.length ? missing.join(', ') : 'ไม่มี'}</dd>
${entry.flags.length ? html`<dt>ข้อสังเกตจากการอ่านเอกสาร</dt><dd data-person-flags>${flagBadges(entry.flags)}</dd>` : ''}
</dl>
${
    entry.dir
      ? html`<div class="actions"><a class="button" href="${url('c', m.campaignId, 'p', p.nationalId, 'zip')}">ดาวน์โหลดแฟ้มทั้งหมด (ZIP)</a></div>`
      : ''
  }</div>

<h2>เอกสารที่ได้รับ (${current.length})</h2>
${
    current.length ?
      html`<table class="docs"><thead><tr><th>หน้าแรก</th><th>รายการ</th><th>ไฟล์ (ชื่อเดิม)</th><th class="num">หน้า</th><th>ได้รับเมื่อ</th><th>ผู้ส่ง / อีเมลต้นทาง</th><th>การตรวจ</th></tr></thead><tbody>
${
        current.map((d) =>
          html`<tr data-doc="${d.path}"><td>${thumb(m, d.path, d.originalName)}</td>
<td>${itemText(m.checklist, d)}${d.assumed ? html`<div class="small muted">(ระบบคาดว่าเป็นรายการนี้)</div>` : ''}${readingView(d.reading)}</td>
<td>${fileLink(m, d.path, d.path)}<div class="small muted">${bidi(d.originalName)} · ${fileSize(d.size)}${d.converted ? ' · แปลงจากภาพ' : ''}</div></td>
<td class="num">${d.pages}</td><td class="small">${when(d.receivedAt)}${d.late ? html` <span class="badge late">เกินกำหนด</span>` : ''}</td>
<td class="small">${sender.get(d.messageKey)?.from ?? '-'}<div>${messageLink(m, d.messageKey, 'ดูอีเมลต้นทาง')}</div></td>
<td>${reviewForms(m, d)}</td></tr>`
        )
      }
</tbody></table>` :
      html`<p class="muted">ยังไม่มีเอกสารที่ใช้ได้</p>`
  }

${
    manifest.problems.length ?
      html`<h2>ไฟล์ที่ใช้ไม่ได้หรือระบุประเภทไม่ได้ (${manifest.problems.length})</h2>
<table><thead><tr><th>หน้าแรก</th><th>ไฟล์ (ชื่อเดิม)</th><th>สาเหตุ</th><th>ได้รับเมื่อ</th><th>ดำเนินการ</th></tr></thead><tbody>
${
        manifest.problems.map((f) =>
          html`<tr data-problem="${f.path}"><td>${thumb(m, f.path, f.originalName)}</td><td>${
            fileLink(m, f.path, bidi(f.originalName))
          }<div class="small muted">${fileSize(f.size)}</div></td>
<td>${problemTh(f.code)}${f.detail ? html`<div class="small muted">${f.detail}</div>` : ''}${readingView(f.reading)}</td><td class="small">${
            when(f.receivedAt)
          }</td>
<td>${f.code === 'unclassified' ? assignForm(m, f.path) : html`<span class="small muted">ให้เจ้าของส่งใหม่</span>`}</td></tr>`
        )
      }
</tbody></table>` :
      ''
  }

${
    combinedView({
      combined: manifest.combined ?? [],
      documents: manifest.documents,
      label: (d) => itemText(m.checklist, d),
      fileHref: (path) => fileHref(m, path),
      thumbHref: (path) => thumbHref(m, path),
      when,
    })
  }

${
    superseded.length ?
      html`<h2>ฉบับก่อนหน้า (ถูกแทนที่แล้ว)</h2>
<table><thead><tr><th>หน้าแรก</th><th>รายการ</th><th>ไฟล์</th><th>ได้รับเมื่อ</th><th>อีเมลต้นทาง</th></tr></thead><tbody>
${
        superseded.map((d) =>
          html`<tr data-superseded="${d.path}"><td>${thumb(m, d.path, d.originalName)}</td><td>${itemText(m.checklist, d)}${
            d.relabelled ? html`<div class="small muted">ย้ายออกเมื่ออ่านเนื้อหาแล้วพบว่าไม่ใช่รายการนี้</div>` : ''
          }${readingView(d.reading)}</td>
<td>${fileLink(m, d.path, d.path)}<div class="small muted">${bidi(d.originalName)}</div></td>
<td class="small">${when(d.receivedAt)}</td><td class="small">${messageLink(m, d.messageKey, sender.get(d.messageKey)?.from ?? 'ดูอีเมล')}</td></tr>`
        )
      }
</tbody></table>` :
      ''
  }

<h2>อีเมลที่ได้รับ (${manifest.messages.length})</h2>
<table><thead><tr><th>ได้รับเมื่อ</th><th>ผู้ส่ง</th><th>เรื่อง</th></tr></thead><tbody>
${
    manifest.messages.map((msg) =>
      html`<tr><td class="small">${when(msg.receivedAt)}${msg.late ? html` <span class="badge late">เกินกำหนด</span>` : ''}</td>
<td class="small">${msg.from ?? '-'}</td><td>${messageLink(m, msg.messageKey, msg.subject || '(ไม่มีเรื่อง)')}</td></tr>`
    )
  }
</tbody></table>

${
    manifest.decisions.length ?
      html`<h2>การดำเนินการของเจ้าหน้าที่</h2>
<table><thead><tr><th>เมื่อ</th><th>โดย</th><th>การดำเนินการ</th><th>อีเมลถึงผู้ส่ง</th></tr></thead><tbody>
${
        manifest.decisions.map((d, i) =>
          html`<tr data-decision="${d.action}"><td class="small">${when(d.at)}</td><td>${d.by}</td><td>${decisionText(m.checklist, d.action, d.detail)}</td>
<td>${staffMailCell(m.decisionMail?.[i])}</td></tr>`
        )
      }
</tbody></table>` :
      ''
  }`;
}

const ACTION_TH: Record<string, string> = {
  'accept-document': 'ตรวจรับเอกสาร',
  'return-document': 'ส่งคืนเอกสารให้แก้ไข',
  'assign-item': 'กำหนดรายการเอกสาร',
  'assign-message': 'จับคู่อีเมลกับบุคคลนี้',
};

function decisionText(checklist: ChecklistItem[], action: string, detail: Record<string, unknown>): string {
  const parts = [ACTION_TH[action] ?? action];
  if (typeof detail.item === 'string') parts.push(labelOf(checklist, detail.item));
  if (typeof detail.originalName === 'string') parts.push(detail.originalName);
  if (typeof detail.reason === 'string') parts.push(`เหตุผล: ${detail.reason}`);
  if (typeof detail.subject === 'string') parts.push(`เรื่อง "${detail.subject}"`);
  return parts.join(' · ');
}

// One unit's folder in a unit-scope campaign. login-status: the counts on file and everyone who cannot log in
// (full national IDs: staff only, behind login, and the page view is audited). admin-appointment: the appointed
// officers and the appointment order (opens in the browser like a person's PDF). Then every report received,
// with its problems in Thai, and the earlier reports a later one superseded (kept, with their files).
import { SYSTEM_TH, currentSubmission, type UnitReportRow, type UnitFile, type UnitManifest, type UnitSubmission } from '../../pipelines/unit/index.ts';
import { formatThaiDateTime } from '../../pipelines/dates.ts';
import { formatNationalId } from '../../pipelines/identity/index.ts';
import type { ChecklistItem } from '../../pipelines/types.ts';
import { bidi, fileSize, html, num, url, withQuery, type Html } from '../html.ts';
import { labelOf, shortLabelOf, UNIT_FILE_ROLE_TH, UNIT_KIND_TH } from './labels.ts';
import { unitStatusBadges } from './unit-campaign.ts';

export interface UnitFolderModel {
  campaign: { id: string; title: string; checklist: ChecklistItem[]; form?: string };
  /** URL key of the unit (its folder name). */
  unitKey: string;
  manifest: UnitManifest;
  row: UnitReportRow;
}

const when = (iso: string) => formatThaiDateTime(new Date(iso), { short: true });
const ORDER = 'appointment-order';

function fileLink(m: UnitFolderModel, f: UnitFile, text: string | Html = f.path): Html {
  return html`<a href="${withQuery(url('c', m.campaign.id, 'units', m.unitKey, 'file'), { path: f.path })}" target="_blank" rel="noopener">${text}</a>`;
}

function messageLink(m: UnitFolderModel, s: UnitSubmission, text: string): Html {
  return html`<a href="${url('c', m.campaign.id, 'units', m.unitKey, 'messages', s.messageKey)}">${text}</a>`;
}

function loginSection(m: UnitFolderModel, s: UnitSubmission | undefined): Html {
  if (s?.data.form !== 'login-status') return html`<p class="muted">ยังไม่มีรายงานสถานะการเข้าใช้งานที่ใช้ได้</p>`;
  const d = s.data;
  return html`<div class="cards">
<div class="card blue" data-count="total"><div class="n">${num(d.total ?? 0)}</div><div class="small muted">ข้าราชการทั้งหมด</div></div>
<div class="card ok" data-count="can"><div class="n">${num(d.can ?? 0)}</div><div class="small muted">เข้าใช้งานได้</div></div>
<div class="card bad" data-count="cannot"><div class="n">${num(d.cannot ?? 0)}</div><div class="small muted">เข้าใช้งานไม่ได้</div></div></div>
<p class="small muted">ตามรายงานที่ได้รับเมื่อ ${when(s.receivedAt)} (${messageLink(m, s, 'ดูอีเมลต้นทาง')})</p>
<h2>ผู้ที่เข้าใช้งานไม่ได้ (${num(d.people.length)})</h2>
${
    d.people.length ?
      html`<table data-cannot-login><thead><tr><th class="num">ที่</th><th>ชื่อ-นามสกุล</th><th>เลขประจำตัวประชาชน</th><th>อีเมล</th><th>หมายเหตุ</th></tr></thead><tbody>
${
        d.people.map((p, i) =>
          html`<tr data-national-id="${p.nationalId}"><td class="num">${num(i + 1)}</td><td>${p.name}</td><td>${formatNationalId(p.nationalId)}</td>
<td>${p.email}</td><td class="small">${p.note ?? ''}</td></tr>`
        )
      }</tbody></table>` :
      html`<p class="muted">ไม่มี (ทุกคนเข้าใช้งานได้)</p>`
  }`;
}

function adminSection(m: UnitFolderModel, data: UnitSubmission | undefined, order: UnitSubmission | undefined): Html {
  const admins = data?.data.form === 'admin-appointment' ? data.data.administrators : [];
  const orders = order?.files.filter((f) => f.role === 'order' && f.current) ?? [];
  const info = order?.data.form === 'admin-appointment' ? order.data : data?.data.form === 'admin-appointment' ? data.data : undefined;
  return html`<h2>ผู้ดูแลระบบที่ได้รับแต่งตั้ง (${num(admins.length)})</h2>
${
    admins.length ?
      html`<table data-admins><thead><tr><th>ระบบ</th><th>ชื่อ-นามสกุล</th><th>ตำแหน่ง</th><th>โทรศัพท์</th><th>อีเมล</th></tr></thead><tbody>
${
        admins.map((a) =>
          html`<tr><td>${a.system ? SYSTEM_TH[a.system] : 'ไม่ระบุ'}</td><td>${a.name}</td><td>${a.position}</td><td>${a.phone}</td><td>${a.email}</td></tr>`
        )
      }
</tbody></table>${data ? html`<p class="small muted">ตามข้อมูลที่ได้รับเมื่อ ${when(data.receivedAt)} (${messageLink(m, data, 'ดูอีเมลต้นทาง')})</p>` : ''}`
      : html`<p class="muted">ยังไม่มีรายชื่อผู้ดูแลระบบที่ใช้ได้</p>`
  }
<h2>คำสั่งแต่งตั้ง</h2>
${info?.orderNo || info?.orderDate ? html`<p>คำสั่งเลขที่ ${info.orderNo ?? '-'} ลงวันที่ ${info.orderDate ?? '-'}</p>` : ''}
${
    orders.length && order ?
      html`<table data-orders><thead><tr><th>ไฟล์</th><th>ชื่อเดิม</th><th class="num">หน้า</th><th>ได้รับเมื่อ</th></tr></thead><tbody>
${
        orders.map((f) =>
          html`<tr data-order="${f.path}"><td>${fileLink(m, f)}</td><td class="small">${bidi(f.originalName)} · ${fileSize(f.size)}</td>
<td class="num">${f.pages ?? ''}</td><td class="small">${when(order.receivedAt)} · ${messageLink(m, order, 'ดูอีเมลต้นทาง')}</td></tr>`
        )
      }</tbody></table>`
      : html`<p class="muted">ยังไม่ได้รับคำสั่งแต่งตั้งที่เป็นไฟล์ PDF ที่ใช้ได้</p>`
  }`;
}

function stateOf(s: UnitSubmission): { code: string; text: string } {
  if (!s.provides.length) return { code: 'unused', text: 'ใช้ไม่ได้' };
  if (!s.current.length) return { code: 'superseded', text: 'ถูกแทนที่แล้ว' };
  if (s.current.length < s.provides.length) return { code: 'partly-superseded', text: 'ใช้อยู่บางส่วน' };
  return { code: 'current', text: 'ใช้อยู่' };
}

function sourceText(s: UnitSubmission): string {
  if (s.source.kind === 'attachment') return `ไฟล์แนบ ${s.source.file}`;
  if (s.source.kind === 'body') return 'เนื้อความอีเมล';
  return s.files.some((f) => f.role === 'order') ? 'ไฟล์คำสั่งแต่งตั้งเท่านั้น' : 'ไม่พบข้อมูล';
}

function dataSummary(s: UnitSubmission): string {
  if (s.data.form === 'login-status') {
    const d = s.data;
    return d.total === undefined && d.can === undefined
      ? ''
      : `ทั้งหมด ${d.total ?? '-'} · ได้ ${d.can ?? '-'} · ไม่ได้ ${d.cannot ?? '-'} (รายชื่อ ${d.people.length})`;
  }
  return s.data.administrators.map((a) => `${a.system ? SYSTEM_TH[a.system] : '?'}: ${a.name}`).join(', ');
}

function submissionsTable(m: UnitFolderModel, list: UnitSubmission[], attr: string): Html {
  return html`<table ${attr}><thead><tr><th>ได้รับเมื่อ</th><th>ผู้ส่ง / เรื่อง</th><th>ข้อมูล</th><th>สถานะ</th><th>ปัญหา</th><th>ไฟล์</th></tr></thead><tbody>
${
    list.map((s) => {
      const st = stateOf(s);
      return html`<tr data-submission="${s.messageKey}" data-state="${st.code}"><td class="small">${when(s.receivedAt)}${
        s.late ? html` <span class="badge late">เกินกำหนด</span>` : ''
      }</td>
<td class="small">${s.from ?? '-'}<div>${messageLink(m, s, s.subject || '(ไม่มีเรื่อง)')}</div></td>
<td class="small">${sourceText(s)}<div>${dataSummary(s)}</div></td>
<td class="small">${st.text}${
        s.current.length ? html`<div class="muted">${s.current.map((i) => shortLabelOf(m.campaign.checklist, i)).join(', ')}</div>` : ''
      }</td>
<td class="small">${s.problems.length ? html`<ul class="problems">${s.problems.map((p) => html`<li>${p.message}</li>`)}</ul>` : '-'}</td>
<td class="small">${
        s.files.map((f) =>
          html`<div>${fileLink(m, f, bidi(f.originalName))} <span class="muted">(${UNIT_FILE_ROLE_TH[f.role]}${
            f.current ? '' : f.path.startsWith('_superseded/') ? ', ฉบับเดิม' : ''
          })</span></div>`
        )
      }</td></tr>`;
    })
  }</tbody></table>`;
}

export function unitFolderView(m: UnitFolderModel): Html {
  const { manifest, row } = m;
  const unit = manifest.unit;
  const data = currentSubmission(manifest);
  const order = manifest.submissions.filter((s) => s.current.includes(ORDER)).at(-1);
  const superseded = manifest.submissions.filter((s) => s.provides.length && s.current.length < s.provides.length);
  const history = [...manifest.submissions].reverse();
  return html`
<p class="small"><a href="${url('c', m.campaign.id)}">${m.campaign.title}</a> › ${unit.name}</p>
<h1>${bidi(unit.name)}</h1>
<div class="panel"><dl class="kv">
<dt>รหัสหน่วยงาน</dt><dd>${unit.id ?? '-'}${unit.inUnitsFile ? '' : html` <span class="badge s-not-submitted">ไม่อยู่ในบัญชีหน่วยงาน</span>`}</dd>
<dt>ประเภท</dt><dd>${unit.kind ? UNIT_KIND_TH[unit.kind] : '-'}</dd>
<dt>สถานะ</dt><dd data-unit-status="${row.status}">${unitStatusBadges(row)}</dd>
<dt>รายการที่ยังขาด</dt><dd>${row.missing.length ? row.missing.map((id) => labelOf(m.campaign.checklist, id)).join(', ') : 'ไม่มี'}</dd>
</dl></div>
${m.campaign.form === 'admin-appointment' ? adminSection(m, data, order) : loginSection(m, data)}
${superseded.length ? html`<h2>ฉบับก่อนหน้า (ถูกแทนที่แล้ว เก็บไว้) (${num(superseded.length)})</h2>${submissionsTable(m, superseded, 'data-superseded')}` : ''}
<h2>รายงานที่ได้รับทั้งหมด (${num(manifest.submissions.length)})</h2>
${submissionsTable(m, history, 'data-history')}`;
}

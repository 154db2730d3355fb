// The two pages of the staff who run the system: accounts (admins: add, new password, disable, log out
// everywhere) and the audit log (admins and central staff: who saw or did what, filterable).
import { formatThaiDateTime } from '../../pipelines/dates.ts';
import type { Account } from '../accounts.ts';
import type { AuditEntry, AuditQuery } from '../audit.ts';
import { AUDIT_ACTIONS } from '../audit.ts';
import { html, num, url, withQuery, type Html } from '../html.ts';
import { ROLE_TH, ROLES } from '../roles.ts';
import { csrfField } from './layout.ts';
import type { Flash } from './flash.ts';

const when = (iso: string) => formatThaiDateTime(new Date(iso), { short: true });

function rowActions(a: Account, csrf: string): Html {
  if (a.source !== 'file') return html`<span class="small muted">${a.source === 'config' ? 'กำหนดในไฟล์ตั้งค่า' : 'จาก ADMIN_PASSWORD'}</span>`;
  const base = url('admin', 'users', a.name);
  return html`<form class="inline" method="post" action="${base}/update">${csrfField(csrf)}<select name="role" aria-label="บทบาทของ ${a.name}">${
    ROLES.map((r) => html`<option value="${r}"${r === a.role ? html` selected` : ''}>${ROLE_TH[r]}</option>`)
  }</select>
<input type="text" name="units" value="${
    a.units.join(', ')
  }" size="12" placeholder="หน่วยงาน" aria-label="หน่วยงานของ ${a.name}"><input type="text" name="displayName" value="${
    a.displayName ?? ''
  }" size="14" placeholder="ชื่อ-นามสกุล" aria-label="ชื่อ-นามสกุลของ ${a.name}"><button class="secondary" type="submit">บันทึก</button></form>
<form class="inline" method="post" action="${base}/password">${
    csrfField(csrf)
  }<input type="password" name="password" autocomplete="new-password" required minlength="12" placeholder="รหัสผ่านใหม่" aria-label="รหัสผ่านใหม่ของ ${a.name}"><button class="secondary" type="submit">ตั้งรหัสผ่าน</button></form>
<form class="inline" method="post" action="${base}/${a.disabled ? 'enable' : 'disable'}">${csrfField(csrf)}<button class="${
    a.disabled ? 'secondary' : 'danger'
  }" type="submit">${a.disabled ? 'เปิดใช้' : 'ระงับ'}</button></form>`;
}

export function accountsView(m: { accounts: Account[]; sessions: Map<string, number>; csrf: string; flash?: Flash }): Html {
  return html`<h1>บัญชีผู้ใช้</h1>
${m.flash ? html`<div class="flash ${m.flash.kind}" role="status">${m.flash.text}</div>` : ''}
<table data-accounts><thead><tr><th>ชื่อผู้ใช้</th><th>ชื่อ-นามสกุล</th><th>บทบาท</th><th>หน่วยงาน</th><th>สถานะ</th><th class="num">เข้าระบบอยู่</th><th></th></tr></thead><tbody>
${
    m.accounts.map((a) =>
      html`<tr data-account="${a.name}"><td>${a.name}</td><td><bdi>${a.displayName ?? ''}</bdi></td><td>${ROLE_TH[a.role]}</td>
<td class="small">${a.units.length ? a.units.map((u) => html`<bdi>${u}</bdi> `) : 'ทุกหน่วยงาน'}</td><td>${
        a.disabled ? html`<span class="badge late">ระงับ</span>` : 'ใช้งาน'
      }</td>
<td class="num">${num(m.sessions.get(a.name) ?? 0)}</td>
<td>${rowActions(a, m.csrf)} <form class="inline" method="post" action="${url('admin', 'users', a.name, 'logout')}">${
        csrfField(m.csrf)
      }<button class="secondary" type="submit">ออกจากระบบทุกเครื่อง</button></form></td></tr>`
    )
  }
</tbody></table>
<div class="panel"><h2>เพิ่มบัญชี</h2><form method="post" action="/admin/users">${csrfField(m.csrf)}
<p><label>ชื่อผู้ใช้ <input type="text" name="name" required maxlength="64" pattern="[A-Za-z0-9][A-Za-z0-9._@-]*"></label>
<label>ชื่อ-นามสกุล <input type="text" name="displayName" maxlength="120"></label>
<label>บทบาท <select name="role">${
    ROLES.map((r) => html`<option value="${r}"${r === 'unit' ? html` selected` : ''}>${ROLE_TH[r]}</option>`)
  }</select></label></p>
<p><label>หน่วยงาน (รหัสหรือชื่อ บรรทัดละหนึ่งหน่วยงาน) <textarea name="units" rows="2" cols="40"></textarea></label></p>
<p><label>รหัสผ่าน (อย่างน้อย 12 ตัวอักษร) <input type="password" name="password" autocomplete="new-password" required minlength="12"></label>
<button class="primary" type="submit">เพิ่มบัญชี</button></p></form></div>`;
}

export function auditView(m: { query: AuditQuery; entries: AuditEntry[]; more: boolean; users: string[] }): Html {
  const q = m.query;
  return html`<h1>บันทึกการใช้งาน</h1>
<form class="inline panel" method="get" action="/audit">
<label>ตั้งแต่ <input type="text" name="from" value="${q.from}" size="10" pattern="\\d{4}-\\d{2}-\\d{2}"></label>
<label>ถึง <input type="text" name="to" value="${q.to}" size="10" pattern="\\d{4}-\\d{2}-\\d{2}"></label>
<label>ผู้ใช้ <select name="user"><option value="">ทั้งหมด</option>${
    m.users.map((u) => html`<option${u === q.user ? html` selected` : ''}>${u}</option>`)
  }</select></label>
<label>การกระทำ <select name="action"><option value="">ทั้งหมด</option>${
    AUDIT_ACTIONS.map((a) => html`<option${a === q.action ? html` selected` : ''}>${a}</option>`)
  }</select></label>
<label>เลขประจำตัว / หน่วยงาน / คำค้น <input type="text" name="target" value="${q.target ?? ''}" size="20"></label>
<button class="primary" type="submit">แสดง</button></form>
<p class="muted small">${num(m.entries.length)} รายการ${
    m.more ? ` (แสดง ${num(q.limit)} รายการล่าสุด กรุณาระบุเงื่อนไขให้แคบลง)` : ''
  } · วันที่ตามเวลาประเทศไทย (ค.ศ.)</p>
<table data-audit><thead><tr><th>เวลา</th><th>ผู้ใช้</th><th>การกระทำ</th><th>เรื่อง</th><th>เกี่ยวกับ</th><th>รายละเอียด</th><th>IP</th></tr></thead><tbody>
${
    m.entries.map((e) =>
      html`<tr data-action="${e.action}"><td class="small">${when(e.at)}</td><td>${e.user}${
        e.name ? html`<br><span class="small muted"><bdi>${e.name}</bdi></span>` : ''
      }</td>
<td>${e.action}</td><td class="small">${e.campaign ?? ''}</td>
<td class="small">${e.target ? html`<a href="${withQuery('/audit', { from: q.from, to: q.to, target: e.target })}"><bdi>${e.target}</bdi></a>` : ''}</td>
<td class="small"><bdi>${e.detail ? JSON.stringify(e.detail) : ''}</bdi></td><td class="small">${e.ip ?? ''}</td></tr>`
    )
  }
</tbody></table>`;
}

// The reminders page of one campaign: the schedule and how far it got, the next send and who it would reach, pause
// and resume, excuses, deadline extensions, and the history of every reminder sent. Rendering only.
import type { CampaignConfig } from '../../config/schema.ts';
import { formatThaiDate, formatThaiDateTime } from '../../pipelines/dates.ts';
import type { DeadlineExtension } from '../../pipelines/extensions.ts';
import { formatNationalId } from '../../pipelines/identity/index.ts';
import type { ReminderControl, ReminderPlan, StepTime } from '../../pipelines/reminders/index.ts';
import type { ReminderHistory } from '../../usecases/reminder-state.ts';
import { html, num, url, type Html } from '../html.ts';
import { flashTable, type Flash } from './flash.ts';
import { csrfField } from './layout.ts';

export interface RemindersModel {
  campaign: CampaignConfig;
  now: Date;
  times: StepTime[];
  due?: StepTime;
  next?: StepTime;
  control: ReminderControl;
  /** The latest records (newest first) and how many there are. */
  history: ReminderHistory;
  /** Settled reminders per step. */
  perStep: Map<string, number>;
  extensions: DeadlineExtension[];
  active: DeadlineExtension[];
  preview?: { at: Date; plan: ReminderPlan };
  nameOf: (nationalId: string) => string;
  unitName: (unitId: string) => string;
  csrf: string;
  flash?: Flash;
}

export const REMINDER_FLASH = flashTable({
  paused: 'หยุดส่งการแจ้งเตือนของเรื่องนี้ชั่วคราวแล้ว',
  resumed: 'เริ่มส่งการแจ้งเตือนตามกำหนดอีกครั้งแล้ว',
  excused: 'ยกเว้นการแจ้งเตือนแล้ว',
  unexcused: 'ยกเลิกการยกเว้นแล้ว จะได้รับการแจ้งเตือนในรอบถัดไป',
  extended: 'ขยายกำหนดส่งแล้ว การตรวจส่งเกินกำหนด ข้อความตอบกลับ รายงาน และการแจ้งเตือนใช้กำหนดใหม่',
  withdrawn: 'ยกเลิกการขยายกำหนดส่งแล้ว',
}, {
  'not-found': 'ไม่พบบุคคลหรือหน่วยงานนี้ กรุณาตรวจสอบเลขประจำตัวประชาชน 13 หลักหรือชื่อหน่วยงาน',
  'need-reason': 'กรุณาระบุเหตุผล',
  'bad-date': 'วันที่ไม่ถูกต้อง: ใช้รูปแบบ 2566-09-29 หรือ 29/09/2566 และต้องหลังกำหนดส่งเดิม',
});

const STATE_TH: Record<string, string> = { sent: 'ส่งแล้ว', outbox: 'อยู่ในกล่องขาออก', suppressed: 'ไม่ส่ง (อีเมลตีกลับ)', pending: 'กำลังส่ง' };
const SKIP_TH: Record<string, string> = {
  complete: 'ส่งครบแล้ว',
  'staff-accepted': 'เจ้าหน้าที่ตรวจรับแล้ว',
  excused: 'ได้รับการยกเว้น',
  'no-email': 'ไม่มีอีเมล',
  'not-due': 'ยังไม่ถึงรอบของตน',
  'already-sent': 'ได้รับรอบนี้แล้ว',
  suppressed: 'อีเมลตีกลับ',
  'no-reply-sender': 'อีเมลระบบ',
  'own-address': 'อีเมลของระบบเอง',
  'not-expected': 'หนังสือเวียนไม่ได้ขอ',
  'nothing-missing': 'ไม่มีรายการค้าง',
  'no-contact': 'ไม่มีอีเมลหน่วยงาน',
};
const PREVIEW_LIMIT = 300;
export const HISTORY_LIMIT = 300;
const when = (d: Date | string) => formatThaiDateTime(new Date(d), { short: true });

function statusPanel(m: RemindersModel): Html {
  const action = url('c', m.campaign.id, 'reminders', 'pause');
  if (!m.campaign.reminders.enabled) return html`<div class="panel"><p>ปิดการแจ้งเตือนของเรื่องนี้ไว้ในไฟล์ตั้งค่า (campaigns[].reminders.enabled)</p></div>`;
  return html`<div class="panel" data-paused="${m.control.paused ? 'yes' : 'no'}">
${
    m.control.paused
      ? html`<p><span class="badge late">หยุดส่งชั่วคราว</span> โดย ${m.control.paused.by} เมื่อ ${when(m.control.paused.at)}</p>
<form class="inline" method="post" action="${action}">${
        csrfField(m.csrf)
      }<input type="hidden" name="action" value="resume"><button class="primary" type="submit">ส่งต่อตามกำหนด</button></form>`
      : html`<p><span class="badge s-complete">ส่งอัตโนมัติตามกำหนด</span></p>
<form class="inline" method="post" action="${action}">${
        csrfField(m.csrf)
      }<input type="hidden" name="action" value="pause"><button class="danger" type="submit">หยุดส่งชั่วคราว</button></form>`
  }
</div>`;
}

function scheduleTable(m: RemindersModel): Html {
  const status = (t: StepTime) => {
    if (t.until.getTime() <= t.at.getTime()) return 'ข้าม (ตรงกับรอบถัดไปหรือหลังกำหนดส่ง)';
    if (m.due?.step === t.step) return 'ถึงกำหนดส่งแล้ว';
    if (t.until.getTime() <= m.now.getTime()) return 'ผ่านไปแล้ว';
    return 'รอ';
  };
  return html`<h2>กำหนดการแจ้งเตือน</h2>
<p class="small muted">กำหนดส่ง ${formatThaiDateTime(m.campaign.deadline)} · ส่งเฉพาะวันทำการ ในเวลาทำการ รอบที่ตรงกับวันหยุดเลื่อนไปวันทำการถัดไป ·
ผู้ที่ได้ขยายกำหนดส่งได้รับการแจ้งเตือนตามกำหนดใหม่ของตน · หากระบบหยุดทำงาน รอบที่พลาดจะส่งเมื่อกลับมา ถ้ายังไม่ถึงรอบถัดไปหรือยังไม่พ้นกำหนดส่ง</p>
<table data-schedule><thead><tr><th>รอบ</th><th>ส่งเมื่อ</th><th>ส่งได้ถึง</th><th class="num">ดำเนินการแล้ว</th><th>สถานะ</th></tr></thead><tbody>
${
    m.times.map((t) =>
      html`<tr data-step="${t.step}"><td>${t.step}${t.afterDeadline ? ' (เลยกำหนด)' : ''}</td><td>${when(t.at)}</td><td>${when(t.until)}</td>
<td class="num">${num(m.perStep.get(t.step) ?? 0)}</td><td class="small">${status(t)}</td></tr>`
    )
  }
</tbody></table>`;
}

function excuseForm(m: RemindersModel, nationalId: string): Html {
  return html`<form class="inline" method="post" action="${url('c', m.campaign.id, 'reminders', 'excuse')}">${csrfField(m.csrf)}
<input type="hidden" name="nationalId" value="${nationalId}"><input type="text" name="reason" placeholder="เหตุผลที่ยกเว้น" aria-label="เหตุผลที่ยกเว้น" required>
<button class="secondary" type="submit">ยกเว้นการแจ้งเตือน</button></form>`;
}

function previewSection(m: RemindersModel): Html {
  if (!m.preview) return html`<h2>รอบถัดไป</h2><p class="panel">ไม่มีรอบการแจ้งเตือนที่จะส่งอีก</p>`;
  const { plan, at } = m.preview;
  const persons = plan.due.filter((d) => d.kind === 'person').length;
  const skipped = new Map<string, number>();
  for (const s of plan.skipped) skipped.set(s.reason, (skipped.get(s.reason) ?? 0) + 1);
  const what = (d: ReminderPlan['due'][number]) => (d.people ?
    `${num(d.people.length)} คนยังไม่ครบ`
    : d.unitState ?
    `ยังขาด ${d.unitState.missing.length} รายการ${d.unitState.problems.length ? ', มีรายการต้องแก้ไข' : ''}`
    : `ยังขาด ${d.person?.missing.length ?? 0} รายการ${d.person?.invalid.length ? `, ไฟล์ใช้ไม่ได้ ${d.person.invalid.length}` : ''}`);
  return html`<h2>รอบถัดไป: ${m.due ? `${m.due.step} (ถึงกำหนดแล้ว)` : m.next?.step} · ${when(at)}</h2>
<p>ผู้รับ ${num(plan.due.length)} ราย (บุคคล ${num(persons)}, หน่วยงาน ${num(plan.due.length - persons)}) หากสถานะเอกสารยังเป็นเช่นนี้${
    m.control.paused ? ' — ขณะนี้หยุดส่งชั่วคราว' : ''
  }</p>
${skipped.size ? html`<p class="small muted">ไม่ส่ง: ${[...skipped].map(([r, n]) => `${SKIP_TH[r] ?? r} ${num(n)}`).join(' · ')}</p>` : ''}
${
    plan.due.length ?
      html`<table data-preview><thead><tr><th>รอบ</th><th>ผู้รับ</th><th>อีเมล</th><th>สิ่งที่ค้าง</th><th></th></tr></thead><tbody>
${
        plan.due.slice(0, PREVIEW_LIMIT).map((d) =>
          html`<tr data-recipient="${d.recipientKey}"><td class="small">${d.step}</td>
<td>${d.person ? html`<a href="${url('c', m.campaign.id, 'p', d.person.person.nationalId)}">${d.name}</a>` : d.name}${
            d.extended ? html` <span class="badge">ขยายถึง ${formatThaiDate(d.deadline)}</span>` : ''
          }</td>
<td class="small">${d.to.join(', ')}</td><td class="small">${what(d)}</td><td>${d.person ? excuseForm(m, d.person.person.nationalId) : ''}</td></tr>`
        )
      }
</tbody></table>${
        plan.due.length > PREVIEW_LIMIT
          ? html`<p class="small muted">แสดง ${num(PREVIEW_LIMIT)} จาก ${num(plan.due.length)} ราย (ทั้งหมด: seis-intake remind --dry-run)</p>`
          : ''
      }` :
      ''
  }`;
}

function excusedSection(m: RemindersModel): Html {
  const entries = Object.entries(m.control.excused);
  const action = url('c', m.campaign.id, 'reminders', 'excuse');
  return html`<h2>ยกเว้นการแจ้งเตือน (${num(entries.length)})</h2>
${
    entries.length ?
      html`<table data-excused><thead><tr><th>บุคคล / หน่วยงาน</th><th>เหตุผล</th><th>โดย</th><th></th></tr></thead><tbody>
${
        entries.map(([target, e]) => {
          const unit = target.startsWith('unit:') ? target.slice(5) : undefined;
          return html`<tr data-target="${target}"><td>${
            unit ? m.unitName(unit) : html`${m.nameOf(target)} <span class="small muted">${formatNationalId(target)}</span>`
          }</td>
<td>${e.reason}</td><td class="small">${e.by} · ${when(e.at)}</td>
<td><form class="inline" method="post" action="${action}">${csrfField(m.csrf)}<input type="hidden" name="action" value="lift">
<input type="hidden" name="${unit ? 'unitId' : 'nationalId'}" value="${
            unit ?? target
          }"><button class="secondary" type="submit">ยกเลิกการยกเว้น</button></form></td></tr>`;
        })
      }</tbody></table>` :
      ''
  }
<form class="inline" method="post" action="${action}">${csrfField(m.csrf)}
<input type="text" name="nationalId" placeholder="เลขประจำตัวประชาชน 13 หลัก" aria-label="เลขประจำตัวประชาชน" required>
<input type="text" name="reason" placeholder="เหตุผล" aria-label="เหตุผล" required><button class="secondary" type="submit">ยกเว้นการแจ้งเตือน</button></form>`;
}

function extensionsSection(m: RemindersModel): Html {
  const action = url('c', m.campaign.id, 'reminders', 'extend');
  const inForce = (e: DeadlineExtension) => m.active.includes(e);
  const target = (
    e: DeadlineExtension,
  ) => (e.nationalId
    ? html`${m.nameOf(e.nationalId)} <span class="small muted">${formatNationalId(e.nationalId)}</span>`
    : html`หน่วยงาน ${m.unitName(e.unit ?? '')}`);
  return html`<h2>ขยายกำหนดส่ง</h2>
${
    m.extensions.length ?
      html`<table data-extensions><thead><tr><th>บุคคล / หน่วยงาน</th><th>ขยายถึง</th><th>เหตุผล</th><th>ที่มา</th><th></th></tr></thead><tbody>
${
        m.extensions.map((e) =>
          html`<tr><td>${target(e)}</td><td>${e.revoked ? html`<s>${formatThaiDateTime(e.until)}</s>` : formatThaiDateTime(e.until)}</td><td>${
            e.reason ?? ''
          }</td>
<td class="small">${e.source === 'config' ? 'ไฟล์ตั้งค่า' : `${e.by ?? ''} · ${when(e.at ?? m.now)}`}${e.revoked ? ` · ยกเลิกโดย ${e.revoked.by}` : ''}${
            inForce(e) ? '' : ' · ไม่มีผล'
          }</td>
<td>${
            e.source === 'dashboard' && !e.revoked && inForce(e) ?
              html`<form class="inline" method="post" action="${action}">${csrfField(m.csrf)}
<input type="hidden" name="action" value="withdraw"><input type="hidden" name="${e.nationalId ? 'nationalId' : 'unit'}" value="${e.nationalId ?? e.unit ?? ''}">
<button class="secondary" type="submit">ยกเลิก</button></form>` :
              ''
          }</td></tr>`
        )
      }</tbody></table>` :
      ''
  }
<form class="inline" method="post" action="${action}">${csrfField(m.csrf)}
<input type="text" name="nationalId" placeholder="เลขประจำตัวประชาชน (หรือเว้นว่าง)" aria-label="เลขประจำตัวประชาชน">
<input type="text" name="unit" placeholder="หรือรหัส/ชื่อหน่วยงาน" aria-label="หน่วยงาน">
<input type="text" name="until" placeholder="ขยายถึง เช่น 2566-09-29" aria-label="ขยายถึง" required>
<input type="text" name="reason" placeholder="เหตุผล" aria-label="เหตุผล" required><button class="primary" type="submit">ขยายกำหนดส่ง</button></form>`;
}

function historySection(m: RemindersModel): Html {
  const { latest, total } = m.history;
  return html`<h2>ประวัติการแจ้งเตือน (${num(total)})</h2>
${
    latest.length ?
      html`<table data-history><thead><tr><th>เมื่อ</th><th>รอบ</th><th>ผู้รับ</th><th>อีเมล</th><th>ผล</th></tr></thead><tbody>
${
        latest.map((r) =>
          html`<tr data-reminder="${r.id}"><td class="small">${when(r.sentAt ?? r.createdAt)}</td><td class="small">${r.step}</td>
<td>${r.nationalId ? html`<a href="${url('c', m.campaign.id, 'p', r.nationalId)}">${r.name}</a>` : r.name}</td><td class="small">${r.to.join(', ')}</td>
<td class="small">${STATE_TH[r.state] ?? r.state}${r.by === 'command' ? ' (สั่งส่งเอง)' : ''}</td></tr>`
        )
      }</tbody></table>
${
        total > latest.length
          ? html`<p class="small muted">แสดงล่าสุด ${num(latest.length)} จาก ${num(total)} รายการ (บันทึกทั้งหมดอยู่ใน _state/reminders/ ของคลังเอกสาร)</p>`
          : ''
      }` :
      html`<p class="panel">ยังไม่มีการแจ้งเตือน</p>`
  }`;
}

export function remindersView(m: RemindersModel): Html {
  return html`<p class="small"><a href="${url('c', m.campaign.id)}">ภาพรวม</a> › การแจ้งเตือน</p>
<h1>การแจ้งเตือนทางอีเมล <span class="muted small">${m.campaign.title}</span></h1>
${m.flash ? html`<div class="flash ${m.flash.kind}">${m.flash.text}</div>` : ''}
${statusPanel(m)}${scheduleTable(m)}${previewSection(m)}${excusedSection(m)}${extensionsSection(m)}${historySection(m)}`;
}

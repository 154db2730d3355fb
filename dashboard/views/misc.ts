// Small pages: login, search results, exports, and the error page.
import type { ChecklistItem } from '../../pipelines/types.ts';
import { html, num, url, type Html } from '../html.ts';
import type { PersonEntry } from '../person-summary.ts';
import { personTable } from './unit.ts';

export function loginView(opts: { csrf: string; next?: string; error?: string; expired?: boolean }): Html {
  return html`<form class="login" method="post" action="/login">
<h1>เข้าสู่ระบบ</h1>
<p class="small muted">ระบบรับเอกสารรับรองข้อมูลทะเบียนประวัติ สำหรับเจ้าหน้าที่ส่วนกลาง</p>
${opts.error ? html`<div class="flash bad" role="alert">${opts.error}</div>` : ''}
${opts.expired ? html`<div class="flash bad" role="alert">หมดเวลาการใช้งาน กรุณาเข้าสู่ระบบอีกครั้ง</div>` : ''}
<input type="hidden" name="_csrf" value="${opts.csrf}"><input type="hidden" name="next" value="${opts.next ?? ''}">
<label for="username">ชื่อผู้ใช้</label><input id="username" type="text" name="username" autocomplete="username" required autofocus>
<label for="password">รหัสผ่าน</label><input id="password" type="password" name="password" autocomplete="current-password" required>
<button class="primary" type="submit">เข้าสู่ระบบ</button></form>`;
}

/** `flagged`: only persons whose documents carry page flags ("เฉพาะที่มีข้อสังเกต"), all of them when the query is empty. */
export function searchView(campaignId: string, query: string, results: PersonEntry[], checklist: ChecklistItem[], limit: number, flagged = false): Html {
  return html`<h1>${flagged && !query ? 'บุคคลที่มีข้อสังเกตจากการอ่านเอกสาร' : 'ค้นหา'}</h1>
<form class="inline" method="get" action="${
    url('c', campaignId, 'search')
  }"><input type="text" name="q" value="${query}" size="40" placeholder="เลขประจำตัวประชาชน หรือ ชื่อ-นามสกุล (มีหรือไม่มีคำนำหน้าก็ได้)">
<label class="small"><input type="checkbox" name="flags" value="1"${
    flagged ? html` checked` : ''
  }> เฉพาะที่มีข้อสังเกต</label><button class="primary" type="submit">ค้นหา</button></form>
${query || flagged ? html`<p class="muted">พบ ${num(results.length)} รายการ${results.length >= limit ? ` (แสดง ${num(limit)} รายการแรก)` : ''}</p>` : ''}
${results.length ? personTable(campaignId, results, checklist, { showUnit: true, showFlags: flagged }) : ''}`;
}

export function exportsView(campaignId: string): Html {
  return html`<h1>ส่งออกรายงาน</h1>
<div class="panel"><p>รายงานรายบุคคลชุดเดียวกับคำสั่ง <code>seis-intake report</code> ทั้งหมดในโครงการนี้ ณ เวลาที่ดาวน์โหลด</p>
<div class="actions"><a class="button" href="${url('c', campaignId, 'export.xlsx')}">Excel (.xlsx) แยกแผ่นงานตามหน่วยงาน พร้อมสรุป</a>
<a class="button" href="${url('c', campaignId, 'export.csv')}">CSV (UTF-8)</a></div>
<p class="small muted">ทุกการดาวน์โหลดถูกบันทึกไว้ในบันทึกการใช้งาน (ผู้ใช้ เวลา และรายการที่ดาวน์โหลด)</p></div>`;
}

export function errorView(status: number, message: string): Html {
  return html`<div class="panel"><h1>${status === 404 ? 'ไม่พบหน้าที่ต้องการ' : status === 403 ? 'ไม่อนุญาต' : 'เกิดข้อผิดพลาด'}</h1>
<p>${message}</p><p><a href="/">กลับหน้าหลัก</a></p></div>`;
}

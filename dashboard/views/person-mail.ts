// What became of the mail a staff decision sent (revision request, updated acknowledgement), for the person
// page's decision history: sent, queued for `run`, not queued (Redis unreachable: outbox only), outbox only
// (no SMTP configured), or not sent and why. Read from _state/staff-mail/ by the route; no I/O here.
import { formatThaiDateTime } from '../../pipelines/dates.ts';
import type { StaffMailState, StaffMailStatus } from '../../usecases/staff-mail.ts';
import { html, type Html } from '../html.ts';

/** Badge classes of views/layout.ts: green done, blue waiting, grey outbox, red needs someone. */
const LOOK: Record<StaffMailState, { cls: string; label: string }> = {
  sent: { cls: 's-complete', label: 'ส่งอีเมลแล้ว' },
  queued: { cls: 'r-awaiting-review', label: 'อยู่ในคิวรอส่ง' },
  retrying: { cls: 's-incomplete', label: 'กำลังลองส่งใหม่' },
  'not-queued': { cls: 'late', label: 'ยังไม่ได้ส่ง: เข้าคิวไม่ได้' },
  outbox: { cls: 's-not-submitted', label: 'อยู่ในกล่องขาออกเท่านั้น' },
  'no-smtp': { cls: 's-not-submitted', label: 'อยู่ในกล่องขาออกเท่านั้น' },
  suppressed: { cls: 'late', label: 'ไม่ส่ง: ที่อยู่นี้เคยตีกลับ' },
  failed: { cls: 'late', label: 'ส่งไม่สำเร็จ' },
};

function explain(s: StaffMailStatus): string {
  switch (s.state) {
    case 'sent':
      return `ถึง ${s.to}`;
    case 'queued':
      return `ถึง ${s.to} ระบบรับอีเมล (run) จะส่งให้`;
    case 'retrying':
      return `ถึง ${s.to} เซิร์ฟเวอร์อีเมลยังไม่รับ (${s.code ?? ''}) ระบบจะลองส่งใหม่เอง`;
    case 'not-queued':
      return `ถึง ${s.to} ติดต่อคิวงาน (Redis) ไม่ได้ (${s.code ?? ''}) อีเมลอยู่ในกล่องขาออก (outbox) ระบบจะลองเข้าคิวใหม่`;
    case 'outbox':
      return `ถึง ${s.to} ไม่ได้ตั้งค่า SMTP จึงเขียนไว้ในกล่องขาออก (outbox) ต้องส่งเอง`;
    case 'no-smtp':
      return `ถึง ${s.to} ระบบรับอีเมล (run) ไม่ได้ตั้งค่า SMTP อีเมลอยู่ในกล่องขาออก (outbox)`;
    case 'suppressed':
      return `ถึง ${s.to} เคยส่งไปแล้วตีกลับ (bounce) จึงไม่ส่งซ้ำ`;
    case 'failed':
      return `ถึง ${s.to} (${s.code ?? ''}) อีเมลอยู่ในกล่องขาออก ผู้ดูแลระบบส่งใหม่ได้ด้วย seis-intake jobs --retry staff-${s.id}`;
  }
}

export function staffMailCell(status: StaffMailStatus | undefined): Html | string {
  if (!status) return '-';
  const look = LOOK[status.state];
  return html`<span class="badge ${look.cls}" data-mail-state="${status.state}">${look.label}</span>
<div class="small muted">${explain(status)} · ${formatThaiDateTime(new Date(status.at), { short: true })}</div>`;
}

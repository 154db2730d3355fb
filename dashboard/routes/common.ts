// What every route needs: checked path parameters (campaign ids, national IDs and message keys are looked up
// or pattern-checked, never used as paths), the page frame for the signed-in user, flash messages, and
// sending a stored file (inline only when it really is a PDF).
import { createReadStream, promises as fs } from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatThaiDateTime } from '../../pipelines/dates.ts';
import { withoutScripts } from '../../pipelines/documents/index.ts';
import type { Campaign } from '../../pipelines/types.ts';
import type { AuditEntry } from '../audit.ts';
import type { Renderable } from '../html.ts';
import { canManageQueues, ROLE_TH, roleAllows } from '../roles.ts';
import type { DashboardState } from '../state.ts';
import { flashTable } from '../views/flash.ts';
import { errorView } from '../views/misc.ts';
import { CONTENT_SECURITY_POLICY, page, type PageContext } from '../views/layout.ts';

export const NATIONAL_ID = /^\d{13}$/;
export const MESSAGE_KEY = /^[A-Za-z0-9][A-Za-z0-9._@+=-]{0,199}$/;

export function pageContext(state: DashboardState, request: FastifyRequest, campaignId?: string, home = false): PageContext {
  const scan = state.index.lastScan;
  const role = request.account?.role;
  return {
    user: request.account?.displayName ? `${request.account.displayName} (${request.session?.user})` : request.session?.user,
    ...(role
      ? { role: ROLE_TH[role], audit: roleAllows(role, 'audit'), accounts: roleAllows(role, 'accounts'), reminders: roleAllows(role, 'reminders') }
      : {}),
    csrf: request.session?.csrf,
    campaignId,
    home,
    queues: state.queueView && canManageQueues(request.session),
    campaigns: [...state.campaigns.values()].map((c) => ({ id: c.id, title: c.title, scope: c.scope })),
    freshness: scan.at.getTime() ? `ข้อมูล ณ ${formatThaiDateTime(scan.at)} · ตรวจแฟ้ม ${scan.manifests.toLocaleString('th-TH')} แฟ้มใน ${scan.ms} มิลลิวินาที` : '',
  };
}

export function sendPage(reply: FastifyReply, title: string, ctx: PageContext, body: Renderable, status = 200) {
  return reply.code(status).type('text/html; charset=utf-8').send(page(title, ctx, body));
}

export function notFound(state: DashboardState, request: FastifyRequest, reply: FastifyReply, message = 'ไม่พบข้อมูลที่ต้องการ') {
  return sendPage(reply, 'ไม่พบ', pageContext(state, request), errorView(404, message), 404);
}

export function campaignOf(state: DashboardState, id: string): Campaign | undefined {
  return state.campaigns.get(id);
}

/**
 * A message in a person's folder, by checked path parameters: nothing when the campaign is not person-scope or a
 * parameter fails its pattern; else the folder (if any) and the message (if the folder lists it).
 */
export async function findPersonMessage(state: DashboardState, campaign: Campaign | undefined, nid: string, key: string) {
  if (campaign?.scope !== 'person' || !NATIONAL_ID.test(nid) || !MESSAGE_KEY.test(key)) return undefined;
  const found = await state.store.readPerson(campaign.id, nid);
  return { campaign, found, message: found?.manifest.messages.find((m) => m.messageKey === key) };
}

/** The socket address, or what a trusted proxy (config dashboard.trustedProxies) says it was: never a client's own claim. */
export function clientIp(request: FastifyRequest): string {
  return request.ip;
}

/** Writes an audit entry in the name of the signed-in user, from the request's address. */
export function auditRequest(state: DashboardState, request: FastifyRequest, entry: Omit<AuditEntry, 'at' | 'user' | 'ip'>): Promise<void> {
  return state.audit.write({ user: request.session!.user, ip: clientIp(request), ...entry });
}

/**
 * A download name that is only a name: no "/", "\\", "..", control or bidi characters (a browser or unzip tool
 * must not read a folder or a disguised extension into it), at most 150 characters.
 */
export function downloadName(name: string): string {
  const cleaned = name.normalize('NFC')
    .replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g, '')
    .replace(/[/\\]/g, '_').replace(/\.{2,}/g, '.').replace(/^[.\s]+/, '').trim();
  return [...cleaned].slice(0, 150).join('') || 'download';
}

/** RFC 6266: an ASCII fallback plus the UTF-8 name (Thai unit and person names), both from downloadName(). */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const safe = downloadName(name);
  const ascii = safe.normalize('NFKD').replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_') || 'download';
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(safe)}`;
}

export const FLASH = flashTable({
  accepted: 'ตรวจรับเอกสารแล้ว',
  returned: 'ส่งคืนเอกสารแล้ว ระบบเขียนอีเมลขอเอกสารใหม่ถึงผู้ส่งไว้ในกล่องอีเมลขาออก (outbox) แล้ว',
  'returned-queued': 'ส่งคืนเอกสารแล้ว อีเมลขอเอกสารใหม่ถึงผู้ส่งอยู่ในคิวรอส่ง',
  classified: 'กำหนดรายการเอกสารแล้ว สถานะปรับตามแล้ว',
  assigned: 'จัดเก็บอีเมลเข้าแฟ้มของบุคคลนี้แล้ว',
  'assigned-mail': 'จัดเก็บอีเมลเข้าแฟ้มของบุคคลนี้แล้ว และเขียนอีเมลแจ้งผลถึงผู้ส่งไว้ในกล่องอีเมลขาออก (outbox) แล้ว',
  'assigned-mail-queued': 'จัดเก็บอีเมลเข้าแฟ้มของบุคคลนี้แล้ว อีเมลแจ้งผลถึงผู้ส่งอยู่ในคิวรอส่ง',
  'assigned-unit': 'จัดเก็บรายงานเข้าแฟ้มของหน่วยงานนี้แล้ว',
  unchanged: 'ไม่มีการเปลี่ยนแปลง (ดำเนินการไว้แล้ว)',
}, {
  'returned-notqueued': 'ส่งคืนเอกสารแล้ว แต่ยังส่งอีเมลขอเอกสารใหม่ไม่ได้ (ติดต่อคิวงานไม่ได้) อีเมลอยู่ในกล่องขาออก (outbox) ระบบจะลองเข้าคิวใหม่',
  'returned-nomail': 'ส่งคืนเอกสารแล้ว แต่ไม่มีที่อยู่อีเมลของผู้ส่ง จึงไม่ได้ส่งอีเมลแจ้ง',
  'assigned-mail-notqueued': 'จัดเก็บอีเมลเข้าแฟ้มของบุคคลนี้แล้ว แต่ยังส่งอีเมลแจ้งผลไม่ได้ (ติดต่อคิวงานไม่ได้) อีเมลอยู่ในกล่องขาออก (outbox) ระบบจะลองเข้าคิวใหม่',
  'not-found': 'ไม่พบรายการนี้ อาจมีการเปลี่ยนแปลงไปแล้ว กรุณาตรวจสอบอีกครั้ง',
  'need-reason': 'กรุณาระบุเหตุผลที่ส่งคืน',
});

export function flashOf(query: unknown) {
  const code = (query as { done?: string } | undefined)?.done;
  return code ? FLASH[code] : undefined;
}

async function head(abs: string): Promise<Buffer> {
  const handle = await fs.open(abs, 'r');
  try {
    const buf = Buffer.alloc(1029);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * A PDF opens in the browser, with its scripts and automatic actions removed first (Chromium's viewer runs them
 * whatever the CSP says) and a CSP sandbox besides; one pdf-lib cannot read is downloaded instead. Anything else
 * (images, Word files, a hostile .html) is only ever downloaded.
 */
export async function sendStoredFile(reply: FastifyReply, abs: string, name: string) {
  const stat = await fs.stat(abs).catch(() => undefined);
  if (!stat?.isFile()) return false;
  const isPdf = /\.pdf$/i.test(name) && (await head(abs)).includes('%PDF-');
  const safe = isPdf ? await withoutScripts(await fs.readFile(abs)) : undefined;
  reply.header('content-disposition', contentDisposition(safe ? 'inline' : 'attachment', name))
    .header('cache-control', 'private, no-store')
    .type(safe ? 'application/pdf' : 'application/octet-stream');
  if (safe) {
    reply.header('content-security-policy', `${CONTENT_SECURITY_POLICY}; sandbox`).header('content-length', safe.bytes.byteLength);
    await reply.send(Buffer.from(safe.bytes.buffer, safe.bytes.byteOffset, safe.bytes.byteLength));
    return true;
  }
  reply.header('content-length', stat.size);
  await reply.send(createReadStream(abs));
  return true;
}

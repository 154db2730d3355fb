// A source message as staff need to see it: headers, arrival time, plain text of the body and its files.
// The body is shown as text only (never as HTML from the sender).
import { formatThaiDateTime } from '../../pipelines/dates.ts';
import type { ParsedMessage, UnmatchedRecord } from '../../pipelines/types.ts';
import { bidi, fileSize, html, withQuery, type Html } from '../html.ts';
import { problemTh } from './labels.ts';

export interface MailModel {
  parsed?: ParsedMessage;
  receivedAt: string;
  emlHref: string;
  /** Link for each file of the message, when it is kept somewhere staff may open it. */
  fileHref?: (index: number) => string | undefined;
  /** Cut long bodies: this is for recognising the mail, not archiving it (the .eml is). */
  maxChars?: number;
}

const addr = (a?: { name: string; address: string }) => (a ? (a.name ? `${a.name} <${a.address}>` : a.address) : '-');

export function mailView(m: MailModel): Html {
  const p = m.parsed;
  if (!p) {
    return html`<div class="panel"><p class="muted">อ่านอีเมลฉบับนี้ไม่ได้ ดาวน์โหลดต้นฉบับเพื่อเปิดด้วยโปรแกรมอีเมล</p>
<a class="button" href="${m.emlHref}">ดาวน์โหลดต้นฉบับ (.eml)</a></div>`;
  }
  const max = m.maxChars ?? 20_000;
  const text = p.text.length > max ? `${p.text.slice(0, max)}\n…` : p.text;
  return html`<div class="panel"><dl class="kv">
<dt>เรื่อง</dt><dd>${bidi(p.subject || '(ไม่มีเรื่อง)')}</dd>
<dt>จาก</dt><dd>${bidi(addr(p.from))}</dd>
${p.replyTo ? html`<dt>ตอบกลับถึง</dt><dd>${bidi(addr(p.replyTo))}</dd>` : ''}
<dt>ถึง</dt><dd>${p.to.length ? p.to.map((a, i) => html`${i ? ', ' : ''}${bidi(addr(a))}`) : '-'}</dd>
<dt>วันที่ในอีเมล</dt><dd>${p.date ? formatThaiDateTime(p.date) : '-'}</dd>
<dt>เวลาที่ได้รับ</dt><dd>${formatThaiDateTime(new Date(m.receivedAt))}</dd>
<dt>Message-ID</dt><dd class="small">${p.messageId}</dd>
</dl>
<div class="actions"><a class="button" href="${m.emlHref}">ดาวน์โหลดต้นฉบับ (.eml)</a></div>
<pre class="mail">${text || '(ไม่มีข้อความ)'}</pre>
<h2>ไฟล์แนบ (${p.files.length})</h2>
${
    p.files.length ?
      html`<table><thead><tr><th>ชื่อไฟล์</th><th>ที่มา</th><th class="num">ขนาด</th><th>หมายเหตุ</th></tr></thead><tbody>
${
        p.files.map((f, i) => {
          const href = m.fileHref?.(i);
          const where = f.origin === 'zip'
            ? `ใน ZIP ${f.container ?? ''}${f.folders.length ? ` / ${f.folders.join(' / ')}` : ''}`
            : f.origin === 'forwarded'
            ? 'ในอีเมลที่ส่งต่อ'
            : 'ไฟล์แนบ';
          return html`<tr><td>${
            href ? html`<a href="${href}" target="_blank" rel="noopener">${bidi(f.name)}</a>` : bidi(f.name)
          }</td><td class="small">${where}</td>
<td class="num small">${fileSize(f.size)}</td><td class="small">${f.problem ? problemTh(f.problem.code) : ''}</td></tr>`;
        })
      }</tbody></table>` :
      html`<p class="muted">ไม่มีไฟล์แนบ</p>`
  }</div>`;
}

/** Links each file of the message to the kept file with the same bytes (sha256), when there is one. */
export function keptFileHref<K extends { sha256: string }>(parsed: ParsedMessage | undefined, kept: readonly K[], href: (file: K, index: number) => string) {
  return (i: number): string | undefined => {
    const sha256 = parsed?.files[i]?.sha256;
    const n = sha256 === undefined ? -1 : kept.findIndex((k) => k.sha256 === sha256);
    return n >= 0 ? href(kept[n]!, n) : undefined;
  };
}

/** A message no one was matched to, its files linked to their copies in the unmatched folder (`<self>/file?n=`). */
export function unmatchedMailView(parsed: ParsedMessage | undefined, record: UnmatchedRecord, self: string): Html {
  const fileHref = keptFileHref(parsed, record.files, (_file, n) => withQuery(`${self}/file`, { n }));
  return mailView({ parsed, receivedAt: record.receivedAt, emlHref: `${self}/eml`, fileHref });
}

/** A filed message of the folder at `base`, its files linked to the kept ones (`<base>/file?path=`). */
export function filedMailView(
  parsed: ParsedMessage | undefined,
  filed: { base: string; messageKey: string; receivedAt: string; kept: ReadonlyArray<{ sha256: string; path: string }> },
): Html {
  const fileHref = keptFileHref(parsed, filed.kept, (file) => withQuery(`${filed.base}/file`, { path: file.path }));
  return mailView({ parsed, receivedAt: filed.receivedAt, emlHref: `${filed.base}/messages/${encodeURIComponent(filed.messageKey)}/eml`, fileHref });
}

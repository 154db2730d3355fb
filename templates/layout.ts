// Turns a reply written as a few plain blocks into the text and HTML bodies, so both always say the same.
// Every string is treated as hostile (file names come from strangers): HTML is escaped here, in one place.

export interface ListItem {
  /** Shown in bold in HTML and before a colon in text (a checklist label or a file name). */
  strong?: string;
  text?: string;
  /** Smaller follow-up lines under the item (what to do, a caveat). */
  notes?: string[];
}

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string; tone?: 'ok' | 'warning' | 'error' | 'muted' }
  | { kind: 'list'; items: ListItem[] }
  | { kind: 'rule' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' })[ch] as string);
}

/** Control characters (other than newline) and bidi overrides in names would garble or disguise text. */
export function cleanInline(text: string): string {
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, ' ');
}

function itemText(item: ListItem): string {
  const head = item.strong && item.text ? `${item.strong}: ${item.text}` : (item.strong ?? item.text ?? '');
  return cleanInline(head);
}

export function renderText(blocks: Block[]): string {
  const out: string[] = [];
  for (const block of blocks) {
    if (block.kind === 'heading') out.push('', `■ ${cleanInline(block.text)}`);
    else if (block.kind === 'paragraph') out.push('', cleanInline(block.text));
    else if (block.kind === 'rule') out.push('', '------------------------------');
    else {
      out.push('');
      for (const item of block.items) {
        out.push(`  • ${itemText(item)}`);
        for (const note of item.notes ?? []) out.push(`    - ${cleanInline(note)}`);
      }
    }
  }
  return `${out.join('\n').trim()}\n`;
}

const TONES = {
  ok: 'background:#e9f7ef;border-left:4px solid #1e8449;',
  warning: 'background:#fef5e7;border-left:4px solid #d68910;',
  error: 'background:#fdedec;border-left:4px solid #c0392b;',
  muted: 'color:#555555;font-size:14px;',
} as const;

/** Inline styles only (mail clients drop <style>); one narrow column that reads on a phone. */
export function renderHtml(blocks: Block[], opts: { title: string }): string {
  const e = (s: string) => escapeHtml(cleanInline(s)).replace(/\n/g, '<br>');
  const body = blocks.map((block) => {
    if (block.kind === 'heading') return `<h2 style="font-size:18px;line-height:1.4;margin:24px 0 8px;color:#1b4f72">${e(block.text)}</h2>`;
    if (block.kind === 'rule') return '<hr style="border:none;border-top:1px solid #dddddd;margin:24px 0">';
    if (block.kind === 'paragraph') {
      const tone = block.tone ? TONES[block.tone] : '';
      const pad = block.tone && block.tone !== 'muted' ? 'padding:10px 12px;' : '';
      return `<p style="margin:0 0 12px;${pad}${tone}">${e(block.text)}</p>`;
    }
    const items = block.items.map((item) => {
      const strong = item.strong ? `<strong>${e(item.strong)}</strong>` : '';
      const sep = item.strong && item.text ? ': ' : '';
      const notes = (item.notes ?? []).map((n) => `<br><span style="color:#555555;font-size:14px">${e(n)}</span>`).join('');
      return `<li style="margin:0 0 8px">${strong}${sep}${e(item.text ?? '')}${notes}</li>`;
    }).join('');
    return `<ul style="margin:0 0 12px;padding-left:20px">${items}</ul>`;
  }).join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="th"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(opts.title)}</title></head>`,
    '<body style="margin:0;padding:0;background:#ffffff">',
    '<div style="max-width:600px;margin:0 auto;padding:16px;font-family:Tahoma,\'Leelawadee UI\',\'Sarabun\',sans-serif;'
    + 'font-size:16px;line-height:1.6;color:#1a1a1a;overflow-wrap:anywhere;word-break:break-word">',
    body,
    '</div></body></html>',
    '',
  ].join('\n');
}

// Splits an mbox file (mboxo or mboxrd, as Thunderbird and `formail` write them) into raw messages.
// It leaves out mboxcl/Content-Length framing: Thunderbird and Dovecot exports do not rely on it.

/** "From sender Fri Sep  1 10:00:00 2023" — a postmark line, not a "From:" header. */
const POSTMARK = /^From \S*.*\d{1,2}:\d{2}(:\d{2})?.*\d{4}/;

function lineAt(data: Buffer, start: number): { text: string; end: number } {
  const nl = data.indexOf(0x0a, start);
  const end = nl === -1 ? data.length : nl + 1;
  return { text: data.subarray(start, Math.min(end, start + 300)).toString('latin1').replace(/\r?\n$/, ''), end };
}

export function looksLikeMbox(data: Buffer): boolean {
  if (data.length < 5 || data.subarray(0, 5).toString('latin1') !== 'From ') return false;
  const first = lineAt(data, 0);
  if (!POSTMARK.test(first.text)) return false;
  // The next line must start a header block, or this is just prose that begins with "From ".
  const next = lineAt(data, first.end);
  return /^[!-9;-~]+[ \t]*:/.test(next.text);
}

/** ">From " quoting (mboxrd: any number of ">"; mboxo: one) loses one ">" per line. */
function unescape(message: Buffer): Buffer {
  if (message.indexOf('>From ') === -1) return message;
  const out: Buffer[] = [];
  let at = 0;
  let pos = 0;
  while (pos < message.length) {
    const nl = message.indexOf(0x0a, pos);
    const end = nl === -1 ? message.length : nl + 1;
    let q = pos;
    while (q < end && message[q] === 0x3e) q++;
    if (q > pos && message.subarray(q, q + 5).toString('latin1') === 'From ') {
      out.push(message.subarray(at, pos));
      at = pos + 1;
    }
    pos = end;
  }
  out.push(message.subarray(at));
  return Buffer.concat(out);
}

/** The messages of an mbox, postmark lines removed, ">From " unescaped. Data that is not an mbox → [data]. */
export function splitMbox(data: Buffer): Buffer[] {
  if (!looksLikeMbox(data)) return data.length > 0 ? [data] : [];
  const starts: number[] = [0];
  let pos = 0;
  for (;;) {
    const hit = data.indexOf('\nFrom ', pos);
    if (hit === -1) break;
    pos = hit + 1;
    // Writers escape body lines that start with "From "; a full postmark is required so that a
    // sloppy writer's unescaped "From here on…" stays in its message.
    if (POSTMARK.test(lineAt(data, pos).text)) starts.push(pos);
  }
  const messages: Buffer[] = [];
  for (let i = 0; i < starts.length; i++) {
    const bodyStart = lineAt(data, starts[i]).end;
    let end = i + 1 < starts.length ? starts[i + 1] : data.length;
    // The blank line before the next postmark belongs to the mbox, not to the message.
    let cut = end;
    if (data[cut - 1] === 0x0a) cut--;
    if (data[cut - 1] === 0x0d) cut--;
    if (cut < end && data[cut - 1] === 0x0a) end = cut;
    const msg = data.subarray(bodyStart, Math.max(bodyStart, end));
    if (msg.some((b) => b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== 0x0a)) messages.push(unescape(msg));
  }
  return messages;
}

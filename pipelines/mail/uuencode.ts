// Finds files uuencoded into a plain-text body (old Outlook Express and some scanners' "send as text" do this,
// `begin 644 name` … `end`, or `begin-base64` from `uuencode -m`) and takes them out of the text.
// It leaves out yEnc and BinHex, which no officer's client here produces.

export interface UuFile {
  name: string;
  content: Buffer;
}

/** At most this many encoded files in one body; the parse stage's file limits apply after that. */
const MAX_BLOCKS = 300;

const BEGIN = /^begin(-base64)? +[0-7]{3,4} +(.+?)[ \t]*$/;

/** One classic uuencoded line: a length character, then 4 characters for every 3 bytes. */
function decodeLine(line: string): Buffer {
  const n = (line.charCodeAt(0) - 32) & 63;
  if (n === 0) return Buffer.alloc(0);
  // Trailing spaces (zero values) are often stripped on the way: missing characters count as zero.
  const body = line.slice(1);
  const out = Buffer.alloc(Math.ceil(n / 3) * 3);
  for (let i = 0, o = 0; o < out.length; i += 4) {
    const c = [0, 1, 2, 3].map((k) => {
      const code = body.charCodeAt(i + k);
      if (Number.isNaN(code)) return 0;
      if (code < 32 || code > 96) throw new RangeError('not uuencoded');
      return (code - 32) & 63;
    });
    out[o++] = (c[0] << 2) | (c[1] >> 4);
    out[o++] = ((c[1] & 15) << 4) | (c[2] >> 2);
    out[o++] = ((c[2] & 3) << 6) | c[3];
  }
  return out.subarray(0, n);
}

function decodeBlock(lines: string[], base64: boolean): Buffer | undefined {
  if (base64) {
    const data = lines.join('').replace(/\s+/g, '');
    return /^[A-Za-z0-9+/]*={0,2}$/.test(data) ? Buffer.from(data, 'base64') : undefined;
  }
  const chunks: Buffer[] = [];
  try {
    for (const line of lines) {
      chunks.push(decodeLine(line));
    }
  } catch {
    return undefined;
  }
  return Buffer.concat(chunks);
}

/**
 * The files in `text` and the text without their blocks. A block that does not decode cleanly (cut off, or an
 * ordinary sentence that happens to start with "begin 644") is left in the text untouched.
 */
export function extractUuencoded(text: string): { text: string; files: UuFile[] } {
  if (!/^begin(-base64)? +[0-7]{3,4} /m.test(text)) return { text, files: [] };
  const lines = text.split(/\r?\n/);
  const kept: string[] = [];
  const files: UuFile[] = [];
  for (let i = 0; i < lines.length; i++) {
    const begin = BEGIN.exec(lines[i]);
    if (!begin || files.length >= MAX_BLOCKS) {
      kept.push(lines[i]);
      continue;
    }
    const base64 = Boolean(begin[1]);
    const endMark = base64 ? '====' : 'end';
    let end = i + 1;
    while (end < lines.length && lines[end].trimEnd() !== endMark) end++;
    const body = lines.slice(i + 1, end).map((l) => l.replace(/[ \t]+$/, ''));
    // Classic uuencode closes with a zero-length line ("`" or a space) before "end".
    const data = end < lines.length ? decodeBlock(base64 ? body : body.filter((l) => l !== ''), base64) : undefined;
    if (!data) {
      kept.push(lines[i]);
      continue;
    }
    files.push({ name: begin[2], content: data });
    i = end;
  }
  return { text: files.length > 0 ? kept.join('\n') : text, files };
}

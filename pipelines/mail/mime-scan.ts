// Walks the MIME structure of raw bytes once: repairs raw 8-bit header lines that are not UTF-8
// (old Thai clients send windows-874 unencoded) and notes structural damage. Bodies are never touched.
import iconv from 'iconv-lite';

export interface MimeScan {
  /** The message with every non-UTF-8 header line re-encoded as UTF-8; the input itself when none was. */
  raw: Buffer;
  repairedLines: number;
  /** Lower-cased content types of every part, in order (embedded messages are opaque). */
  contentTypes: string[];
  /** Structural damage: multipart without boundary, boundary never closed, headers cut off. */
  damage: string[];
  /**
   * The content type of each part's enclosing multipart, by IMAP-style part number ("1", "2.3") as mailparser
   * numbers its attachments: tells an alternative body (a text/calendar invite) from an attached file.
   */
  parents: Map<string, string>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Buffer): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function has8bit(bytes: Buffer): boolean {
  for (const b of bytes) if (b >= 0x80) return true;
  return false;
}

/** Decodes a raw 8-bit header line: UTF-8 when valid, else windows-874 (a superset of TIS-620). */
export function decodeHeaderBytes(bytes: Buffer): string {
  return isUtf8(bytes) ? bytes.toString('utf8') : iconv.decode(bytes, 'win874');
}

interface Block {
  contentType: string;
  boundary?: string;
  encoding: string;
}

function headerParams(lines: string[]): Block {
  const unfolded = lines.join('').replace(/\r?\n[ \t]+/g, ' ');
  const field = (name: string): string => {
    const m = new RegExp(`(?:^|\\n)${name}[ \\t]*:([^\\n]*)`, 'i').exec(unfolded);
    return m ? m[1].trim() : '';
  };
  const ct = field('content-type');
  const boundary = /boundary[ \t]*=[ \t]*(?:"([^"]*)"|([^;\s]+))/i.exec(ct);
  return {
    contentType: (ct.split(';')[0] || 'text/plain').trim().toLowerCase(),
    boundary: boundary ? (boundary[1] ?? boundary[2]) : undefined,
    encoding: field('content-transfer-encoding').toLowerCase(),
  };
}

export function scanMime(input: Buffer): MimeScan {
  const repairs: Array<{ start: number; end: number; text: Buffer }> = [];
  const contentTypes: string[] = [];
  const damage: string[] = [];
  const open: string[] = [];
  /** One frame per open boundary: the multipart's part number, its type and how many children it has had. */
  const frames: Array<{ partNr: number[]; type: string; children: number }> = [];
  const parents = new Map<string, string>();
  let child: number[] | undefined = [];
  let pos = 0;

  // Reads one header block from pos up to and including the empty line; returns false at EOF.
  const readHeaders = (top: boolean): Block | null => {
    const lines: string[] = [];
    while (pos < input.length) {
      const nl = input.indexOf(0x0a, pos);
      const end = nl === -1 ? input.length : nl + 1;
      const line = input.subarray(pos, end);
      const content = line.toString('latin1').replace(/\r?\n$/, '');
      if (content === '') {
        pos = end;
        return headerParams(lines);
      }
      if (has8bit(line) && !isUtf8(line)) {
        repairs.push({ start: pos, end, text: Buffer.from(iconv.decode(line, 'win874'), 'utf8') });
      }
      lines.push(`${content}\n`);
      pos = end;
    }
    // A message of headers only is legal; a part whose headers run to the end was cut off.
    if (lines.length > 0 && !top) damage.push('part headers cut off');
    return lines.length > 0 ? headerParams(lines) : null;
  };

  let inHeaders = true;
  while (pos < input.length) {
    if (inHeaders) {
      const top = pos === 0;
      if (top && !/^[!-9;-~]+[ \t]*:/.test(input.subarray(0, 200).toString('latin1'))) {
        damage.push('does not start with a header field');
      }
      const block = readHeaders(top);
      if (!block) break;
      contentTypes.push(block.contentType);
      const partNr = child ?? [];
      if (block.contentType.startsWith('multipart/')) {
        if (block.boundary) {
          open.push(block.boundary);
          frames.push({ partNr, type: block.contentType, children: 0 });
        } else damage.push(`${block.contentType} without boundary`);
      }
      child = undefined;
      inHeaders = false;
      continue;
    }
    if (open.length === 0) break; // a single-part body: nothing more to find
    // Next line starting with "--" (a delimiter candidate); bodies are skipped with indexOf only.
    let start = pos;
    if (!(input[pos] === 0x2d && input[pos + 1] === 0x2d)) {
      const hit = input.indexOf('\n--', pos);
      if (hit === -1) break;
      start = hit + 1;
    }
    const nl = input.indexOf(0x0a, start);
    const end = nl === -1 ? input.length : nl + 1;
    pos = end;
    const line = input.subarray(start, Math.min(end, start + 400)).toString('latin1').replace(/[ \t\r\n]+$/, '');
    for (let i = open.length - 1; i >= 0; i--) {
      const b = open[i];
      if (line === `--${b}`) {
        for (const inner of open.splice(i + 1)) damage.push(`boundary "${inner}" never closed`);
        frames.splice(i + 1);
        const frame = frames[i];
        child = [...frame.partNr, ++frame.children];
        parents.set(child.join('.'), frame.type);
        inHeaders = true;
        break;
      }
      if (line === `--${b}--`) {
        for (const inner of open.splice(i + 1)) damage.push(`boundary "${inner}" never closed`);
        frames.splice(i);
        open.pop();
        break;
      }
    }
  }
  for (const b of open) damage.push(`boundary "${b}" never closed`);

  let raw = input;
  if (repairs.length > 0) {
    const pieces: Buffer[] = [];
    let at = 0;
    for (const r of repairs) {
      pieces.push(input.subarray(at, r.start), r.text);
      at = r.end;
    }
    pieces.push(input.subarray(at));
    raw = Buffer.concat(pieces);
  }
  return { raw, repairedLines: repairs.length, contentTypes, damage, parents };
}

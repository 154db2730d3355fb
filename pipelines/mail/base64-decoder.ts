// Streaming base64 decoding with exactly mailsplit's (libbase64's) result, at native speed: libbase64 strips every
// byte outside [A-Za-z0-9+/=] and decodes each '='-separated segment on its own, in whole quartets as data arrives.
// Node's decoder skips every other byte by itself, so a chunk without '=', '-' or '_' (which Node reads as url-safe
// digits) decodes in one native call; only a chunk with one of those takes libbase64's string path.

/** 1 for the bytes that carry base64 digits; Node's decoder skips every other byte except '=', '-' and '_'. */
const DIGIT = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') DIGIT[c.charCodeAt(0)] = 1;
const EQ = 0x3d;
const DASH = 0x2d;
const UNDERSCORE = 0x5f;
const EMPTY = Buffer.alloc(0);

const decodeDigits = (digits: string): Buffer => (digits ? Buffer.from(digits, 'base64') : EMPTY);

/** Each '='-separated segment decoded on its own (libbase64's decode of a string of digits and '='). */
function decodeSegments(text: string): Buffer {
  if (!text.includes('=')) return decodeDigits(text);
  const parts = text.split('=').filter((segment) => segment !== '').map(decodeDigits);
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

export class Base64Decoder {
  /** Digits of the current segment's last, incomplete quartet: up to three, all in [A-Za-z0-9+/]. */
  private carry = '';

  write(chunk: Buffer): Buffer {
    if (chunk.length === 0) return EMPTY;
    if (chunk.includes(EQ) || chunk.includes(DASH) || chunk.includes(UNDERSCORE)) return this.writeSlow(chunk);
    // Complete the carried quartet from the first digits here, so the big string is never a concatenation.
    let start = 0;
    let quartet = this.carry;
    while (quartet.length > 0 && quartet.length < 4 && start < chunk.length) {
      if (DIGIT[chunk[start]]) quartet += String.fromCharCode(chunk[start]);
      start += 1;
    }
    if (quartet.length > 0 && quartet.length < 4) {
      this.carry = quartet;
      return EMPTY;
    }
    let count = 0;
    for (let i = start; i < chunk.length; i++) count += DIGIT[chunk[i]];
    // The last count % 4 digits wait for the rest of their quartet.
    let cut = chunk.length;
    for (let left = count % 4; left > 0; left -= DIGIT[chunk[cut]]) cut -= 1;
    this.carry = onlyDigits(chunk, cut);
    const out = Buffer.allocUnsafe(3 + Math.ceil((count * 3) / 4));
    let length = quartet ? out.write(quartet, 0, 'base64') : 0;
    if (cut > start) length += out.write(chunk.toString('latin1', start, cut), length, 'base64');
    return length === 0 ? EMPTY : out.subarray(0, length);
  }

  /** The incomplete quartet at the end, decoded as libbase64 does on flush. */
  end(): Buffer {
    const rest = this.carry;
    this.carry = '';
    return decodeDigits(rest);
  }

  private writeSlow(chunk: Buffer): Buffer {
    let text = this.carry + chunk.toString('latin1').replace(/[^a-zA-Z0-9+/=]/g, '');
    let padded = '';
    const lastPad = text.lastIndexOf('=');
    if (lastPad >= 0) {
      padded = text.slice(0, lastPad + 1);
      text = text.slice(lastPad + 1);
    }
    const whole = text.length - (text.length % 4);
    this.carry = text.slice(whole);
    const head = decodeSegments(padded);
    const tail = decodeDigits(text.slice(0, whole));
    return head.length === 0 ? tail : tail.length === 0 ? head : Buffer.concat([head, tail]);
  }
}

function onlyDigits(chunk: Buffer, from: number): string {
  let out = '';
  for (let i = from; i < chunk.length; i++) if (DIGIT[chunk[i]]) out += String.fromCharCode(chunk[i]);
  return out;
}

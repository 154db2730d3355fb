// Tells an openable "secured" PDF (owner password / permissions only: every reader opens it without asking)
// from one that needs a password, by trying the empty user password (PDF standard security handler, R2–R6).
// It leaves out everything else about encryption: pdf-lib cannot decrypt, so we only decrypt object streams
// (needed to count pages) and never strings, content streams or images. Public-key handlers count as locked.
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import {
  PDFArray, PDFContext, PDFDict, PDFHexString, PDFInvalidObject, PDFName, PDFNumber, PDFObjectParser,
  PDFObjectStreamParser, PDFRawStream, PDFRef, PDFString,
} from 'pdf-lib';

/** Algorithm 2's padding string (ISO 32000-1, 7.6.3.3). */
const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

export interface OpenableEncryption {
  /** File key obtained with the empty user password. */
  key: Buffer;
  revision: number;
  /** How streams are encrypted. */
  method: 'rc4' | 'aes128' | 'aes256' | 'none';
}

function bytesOf(obj: unknown): Buffer | undefined {
  if (obj instanceof PDFString || obj instanceof PDFHexString) return Buffer.from(obj.asBytes());
  return undefined;
}

function numberOf(dict: PDFDict, key: string, fallback: number): number {
  const value = dict.lookup(PDFName.of(key));
  return value instanceof PDFNumber ? value.asNumber() : fallback;
}

/** RC4 is gone from OpenSSL 3's default provider, so it is written out here (it is eight lines). */
export function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 255;
    j = (j + s[i]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
    out[n] = data[n] ^ s[(s[i] + s[j]) & 255];
  }
  return out;
}

const md5 = (...parts: Buffer[]) => createHash('md5').update(Buffer.concat(parts)).digest();

/** Algorithms 2 + 4/5 with the empty password: the file key, when the empty user password is the right one. */
function legacyKey(dict: PDFDict, id0: Buffer, revision: number): Buffer | undefined {
  const o = bytesOf(dict.lookup(PDFName.of('O')));
  const u = bytesOf(dict.lookup(PDFName.of('U')));
  if (!o || !u || u.length < 16) return undefined;
  const length = revision === 2 ? 5 : Math.min(16, Math.max(5, numberOf(dict, 'Length', 40) / 8));
  const p = Buffer.alloc(4);
  p.writeInt32LE(numberOf(dict, 'P', 0) | 0);
  const encryptMetadata = dict.lookup(PDFName.of('EncryptMetadata'))?.toString() !== 'false';
  let hash = md5(PAD, o.subarray(0, 32), p, id0, revision >= 4 && !encryptMetadata ? Buffer.from([255, 255, 255, 255]) : Buffer.alloc(0));
  if (revision >= 3) for (let i = 0; i < 50; i++) hash = md5(hash.subarray(0, length));
  const key = hash.subarray(0, length);
  if (revision === 2) return rc4(key, PAD).equals(u.subarray(0, 32)) ? key : undefined;
  let x = rc4(key, md5(PAD, id0));
  for (let i = 1; i <= 19; i++) x = rc4(Buffer.from(key.map((b) => b ^ i)), x);
  return x.equals(u.subarray(0, 16)) ? key : undefined;
}

/** Algorithm 2.B (R6); R5 is a single SHA-256. */
function hash2b(password: Buffer, salt: Buffer, revision: number): Buffer {
  let k = createHash('sha256').update(Buffer.concat([password, salt])).digest();
  if (revision === 5) return k;
  for (let round = 0; ; round++) {
    const k1 = Buffer.concat(Array(64).fill(Buffer.concat([password, k])));
    const cipher = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32)).setAutoPadding(false);
    const e = Buffer.concat([cipher.update(k1), cipher.final()]);
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += e[i];
    k = createHash(['sha256', 'sha384', 'sha512'][sum % 3]).update(e).digest();
    if (round >= 63 && e[e.length - 1] <= round - 31) return k.subarray(0, 32);
  }
}

/** Algorithms 2.A + 11 with the empty password (R5/R6, AES-256). */
function aes256Key(dict: PDFDict, revision: number): Buffer | undefined {
  const u = bytesOf(dict.lookup(PDFName.of('U')));
  const ue = bytesOf(dict.lookup(PDFName.of('UE')));
  if (!u || u.length < 48 || !ue || ue.length < 32) return undefined;
  const empty = Buffer.alloc(0);
  if (!hash2b(empty, u.subarray(32, 40), revision).equals(u.subarray(0, 32))) return undefined;
  const intermediate = hash2b(empty, u.subarray(40, 48), revision);
  const decipher = createDecipheriv('aes-256-cbc', intermediate, Buffer.alloc(16)).setAutoPadding(false);
  return Buffer.concat([decipher.update(ue.subarray(0, 32)), decipher.final()]);
}

function streamMethod(dict: PDFDict, version: number): OpenableEncryption['method'] {
  if (version < 4) return 'rc4';
  const name = dict.lookup(PDFName.of('StmF'))?.toString() ?? '/Identity';
  if (name === '/Identity') return 'none';
  const filters = dict.lookup(PDFName.of('CF'));
  const filter = filters instanceof PDFDict ? filters.lookup(PDFName.of(name.slice(1))) : undefined;
  const cfm = filter instanceof PDFDict ? filter.lookup(PDFName.of('CFM'))?.toString() : undefined;
  if (cfm === '/AESV3') return 'aes256';
  if (cfm === '/AESV2') return 'aes128';
  if (cfm === '/None') return 'none';
  return 'rc4';
}

/** The file key when the document opens without a password; undefined when a password is needed. */
export function openWithoutPassword(context: PDFContext): OpenableEncryption | undefined {
  const dict = context.lookup(context.trailerInfo.Encrypt);
  if (!(dict instanceof PDFDict)) return undefined;
  if (dict.lookup(PDFName.of('Filter'))?.toString() !== '/Standard') return undefined;
  const version = numberOf(dict, 'V', 0);
  const revision = numberOf(dict, 'R', 0);
  let key: Buffer | undefined;
  if (revision >= 5) {
    key = aes256Key(dict, revision);
  } else if (revision >= 2) {
    const ids = context.trailerInfo.ID;
    const id0 = ids instanceof PDFArray ? bytesOf(ids.lookup(0)) : undefined;
    key = legacyKey(dict, id0 ?? Buffer.alloc(0), revision);
  }
  return key ? { key, revision, method: streamMethod(dict, version) } : undefined;
}

/** Algorithm 1: decrypts one stream of object `ref`. */
export function decryptStream(enc: OpenableEncryption, ref: PDFRef, data: Buffer): Buffer {
  if (enc.method === 'none') return data;
  let key = enc.key;
  if (enc.method !== 'aes256') {
    const id = Buffer.from([
      ref.objectNumber & 255, (ref.objectNumber >> 8) & 255, (ref.objectNumber >> 16) & 255,
      ref.generationNumber & 255, (ref.generationNumber >> 8) & 255,
    ]);
    const salt = enc.method === 'aes128' ? Buffer.from('sAlT') : Buffer.alloc(0);
    key = md5(enc.key, id, salt).subarray(0, Math.min(enc.key.length + 5, 16));
  }
  if (enc.method === 'rc4') return rc4(key, data);
  const decipher = createDecipheriv(enc.method === 'aes256' ? 'aes-256-cbc' : 'aes-128-cbc', key, data.subarray(0, 16));
  return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
}

/**
 * pdf-lib keeps an encrypted object stream as a PDFInvalidObject (its Flate decode fails). Decrypt those and
 * parse the objects they hold into the context, so the page tree can be read. Best effort: false if any fails.
 */
export async function unlockObjectStreams(context: PDFContext, enc: OpenableEncryption): Promise<boolean> {
  let ok = true;
  for (const [ref, obj] of context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFInvalidObject)) continue;
    try {
      const raw = Buffer.alloc(obj.sizeInBytes());
      obj.copyBytesInto(raw, 0);
      const streamAt = raw.indexOf('stream');
      const dict = PDFObjectParser.forBytes(raw.subarray(0, streamAt), context).parseObject();
      if (!(dict instanceof PDFDict) || dict.lookup(PDFName.of('Type')) !== PDFName.of('ObjStm')) continue;
      let start = streamAt + 'stream'.length;
      if (raw[start] === 0x0d) start++;
      if (raw[start] === 0x0a) start++;
      const length = dict.lookup(PDFName.of('Length'));
      const end = length instanceof PDFNumber ? start + length.asNumber() : raw.lastIndexOf('endstream');
      const plain = decryptStream(enc, ref, raw.subarray(start, end));
      await PDFObjectStreamParser.forStream(PDFRawStream.of(dict, plain)).parseIntoContext();
    } catch {
      ok = false;
    }
  }
  return ok;
}

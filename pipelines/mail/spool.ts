// One streaming pass over a message (mailsplit) that takes every large attachment body out into the sink, decoded
// and hashed as it flows, and leaves a small "skeleton" message for the parse stage: same headers byte for byte,
// same structure, the spooled parts with an empty body and a private header naming their spooled body.
import { randomBytes } from 'node:crypto';
import type { MimeNode } from '@zone-eu/mailsplit';
import { LeafBodySplitter } from './leaf-body-splitter.ts';
import { drained, Part, type PartOptions, type SpooledPart } from './spool-part.ts';

export { INLINE_PART_BYTES, type SpooledPart, SpoolWriteError } from './spool-part.ts';

/**
 * The private header of a spooled part in the skeleton: "<token>-<index into Skeleton.parts>". The token is new for
 * every pass, so a sender's own header of that name can never point at another part's body.
 */
export const SPOOLED_HEADER = 'x-seis-spooled';
/** What mailparser reads as body text rather than an attachment (with no disposition or "inline"). */
const TEXT_TYPES = new Set(['text/plain', 'text/html', 'message/delivery-status']);

export interface Skeleton {
  raw: Buffer;
  parts: SpooledPart[];
  /** What this pass's spool headers start with. */
  token: string;
}

/** The spooled body a part's header value names, if it is one of this skeleton's. */
export function spooledPart(skeleton: Pick<Skeleton, 'parts' | 'token'>, header: unknown): SpooledPart | undefined {
  const m = /^([0-9a-f]+)-(\d+)$/.exec(String(header ?? '').trim());
  return m && m[1] === skeleton.token ? skeleton.parts[Number(m[2])] : undefined;
}

function isInlineText(node: MimeNode): boolean {
  const disposition = node.disposition || '';
  return TEXT_TYPES.has(node.contentType || 'text/plain') && (disposition === '' || disposition === 'inline');
}

/**
 * Reads the message once. Text bodies and small parts stay as they are; every other leaf part goes to the sink.
 * Throws SpoolWriteError when the sink fails, and mailsplit's error on input it cannot split.
 */
export async function spoolMessage(source: AsyncIterable<Buffer>, opts: PartOptions): Promise<Skeleton> {
  const splitter = new LeafBodySplitter({ ignoreEmbedded: true });
  const token = randomBytes(8).toString('hex');
  const feeding = (async () => {
    try {
      for await (const chunk of source) {
        if (splitter.destroyed) return;
        if (!splitter.write(chunk)) await drained(splitter);
      }
      splitter.end();
    } catch (err) {
      splitter.destroy(err as Error);
    }
  })();
  const out: Buffer[] = [];
  const parts: SpooledPart[] = [];
  let current: Part | undefined;
  const close = async (): Promise<void> => {
    if (!current) return;
    const part = current;
    current = undefined;
    const ended = await part.end(`${token}-${parts.length}`);
    out.push(...ended.skeleton);
    if (ended.spooled) parts.push(ended.spooled);
  };
  try {
    for await (const obj of splitter as AsyncIterable<MimeNode | { node: MimeNode; type: 'data' | 'body'; value: Buffer }>) {
      if (obj.type === 'node') {
        await close();
        const node = obj as MimeNode;
        if (node.multipart || isInlineText(node)) out.push(node.getHeaders());
        else current = new Part(node, node.getHeaders(), opts);
        continue;
      }
      const chunk = obj as { node: MimeNode; type: 'data' | 'body'; value: Buffer };
      if (chunk.type === 'body' && current && chunk.node === current.node) {
        await current.add(chunk.value);
        continue;
      }
      await close();
      if (chunk.value) out.push(chunk.value);
    }
    await close();
  } catch (err) {
    // Bodies already spooled belong to the sink, which removes them with its area.
    splitter.destroy();
    await current?.abort();
    throw err;
  } finally {
    await feeding;
  }
  return { raw: Buffer.concat(out), parts, token };
}

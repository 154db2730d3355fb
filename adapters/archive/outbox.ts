// `_outbox/<messageKey>.eml` (or the CLI's --outbox): replies when no SMTP server is configured, never overwritten.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { assertKey, outboxPath } from '../../pipelines/archive-paths.ts';
import { isCode, writeVia } from '../atomic-fs.ts';
import type { ArchiveRoot } from './root.ts';

/** The outbox file of a mail: absolute, and the path to report (relative to the root unless the outbox is elsewhere). */
export function outboxFile(archive: ArchiveRoot, id: string, outboxDir?: string): { abs: string; reported: string } {
  const rel = outboxPath(assertKey(id, 'message key'));
  const dir = outboxDir ? path.resolve(outboxDir) : undefined;
  const abs = dir ? path.join(dir, path.basename(rel)) : archive.resolveInside(rel);
  return { abs, reported: dir ? abs : rel };
}

/** Publishes the reply with link(2), which fails rather than overwrite: a second write for the same message keeps the first file. */
export async function writeOutbox(archive: ArchiveRoot, messageKey: string, eml: Buffer, outboxDir?: string): Promise<string> {
  const { abs, reported } = outboxFile(archive, messageKey, outboxDir);
  await writeVia(abs, eml, async (tmp) => {
    try {
      await fs.link(tmp, abs);
    } catch (err) {
      if (isCode(err, 'EEXIST')) {
        archive.log.info({ code: 'archive.outbox_exists', messageKey }, 'Reply already in the outbox, kept');
        return;
      }
      throw err;
    }
  });
  return reported;
}

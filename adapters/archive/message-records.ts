// `_state/messages/<messageKey>.json`: the MessageRecord of each message (processing + reply; makes re-runs idempotent).
import { messageLockPath, messageRecordPath } from '../../pipelines/archive-paths.ts';
import type { MessageRecord } from '../../pipelines/types.ts';
import { json, readJson, writeAtomic } from '../atomic-fs.ts';
import type { ArchiveRoot } from './root.ts';

export function getMessageRecord(archive: ArchiveRoot, messageKey: string): Promise<MessageRecord | undefined> {
  return readJson<MessageRecord>(archive.resolveInside(messageRecordPath(messageKey)));
}

export function putMessageRecord(archive: ArchiveRoot, record: MessageRecord): Promise<void> {
  return writeAtomic(archive.resolveInside(messageRecordPath(record.messageKey)), json(record));
}

/** `fn` sees the stored record (or undefined); returning undefined leaves it as it is. */
export function updateMessageRecord(
  archive: ArchiveRoot,
  messageKey: string,
  fn: (r: MessageRecord | undefined) => MessageRecord | undefined,
): Promise<MessageRecord | undefined> {
  return archive.withLock(messageLockPath(messageKey), async (assertHeld) => {
    const current = await getMessageRecord(archive, messageKey);
    const next = fn(current);
    if (next === undefined) return current;
    if (next.messageKey !== messageKey) throw new Error('updateMessageRecord may not change the message key');
    assertHeld();
    await putMessageRecord(archive, next);
    return next;
  });
}

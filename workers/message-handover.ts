// The watcher's one effect per message: store the original (fsync), then queue its ingest job. Store first, so
// nothing is lost even if Redis dies now; a repeat of either is harmless (content-named file, job id by UID).
import type { ArchiveStore } from '../adapters/archive-store.ts';
import type { Logger } from '../adapters/logger.ts';
import { metrics } from '../adapters/metrics.ts';
import { ingestJobId, type MailboxRef, type Queues } from '../adapters/queues.ts';
import type { MessageBytes } from './message-fetch.ts';

export interface HandOverDeps {
  store: ArchiveStore;
  queues: Pick<Queues, 'ingest'>;
  log: Logger;
  now?: () => Date;
  /** Tests only: called after each chunk of a streamed message is written; a throw cuts that download. */
  onStreamChunk?: (uid: number, bytesSoFar: number) => void | Promise<void>;
}

export async function handOver(
  deps: HandOverDeps,
  ref: MailboxRef,
  bytes: MessageBytes,
  fetchedDate: Date | string | undefined,
): Promise<void> {
  const internalDate = fetchedDate ? new Date(fetchedDate) : undefined;
  const receivedAt = internalDate && !Number.isNaN(internalDate.getTime()) ? internalDate : (deps.now ?? (() => new Date()))();
  const hook = deps.onStreamChunk;
  // The message counts as received only here: once the file is fsynced under its final name.
  const { emlPath, size } = 'raw' in bytes
    ? { ...(await deps.store.storeOriginal(bytes.raw, receivedAt)), size: bytes.raw.length }
    : await deps.store.storeOriginalStream(bytes.stream, receivedAt, { onChunk: hook && ((n) => hook(ref.uid, n)) })
      .then((stored) => ({ emlPath: stored.emlPath, size: stored.bytes }));
  const jobId = ingestJobId(ref);
  await deps.queues.ingest.add('ingest', {
    ...ref,
    emlPath,
    internalDate: internalDate?.toISOString(),
    size,
  }, { jobId });
  metrics.messagesReceived.inc();
  deps.log.info({ code: 'watcher.queued', uid: ref.uid, jobId, size }, 'message stored and queued');
}

// The files one message writes into a folder, made durable together instead of one after another: every temp is
// written and fsynced side by side (the thread pool runs the fsyncs at once and the file system can commit them in
// one journal transaction), nothing is visible until the temps are renamed, and each directory is fsynced once.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FileBody } from '../pipelines/body.ts';
import { bodyTemp, publishTemp, syncDirs, writeTemp } from './atomic-fs.ts';

/**
 * A file to stage: a body, or content. `derived`: a file rebuilt when lost or unreadable (the person index), neither
 * fsynced nor its directory; a crash may leave it missing, empty or old.
 */
export type StageSource = { abs: string; body: FileBody } | { abs: string; content: Buffer | string; mode?: number; derived?: boolean };

/** A temp file, fsynced, beside the target it will be renamed to. */
export interface StagedFile {
  abs: string;
  tmp: string;
  derived?: boolean;
}

/** At most this many temps are written at once (each holds a file handle; memory bodies are in memory already). */
const AT_ONCE = 8;

/** Writes (or links) and fsyncs a temp beside each target; nothing is visible yet. A failure leaves no temp behind. */
export async function stageFiles(files: StageSource[]): Promise<StagedFile[]> {
  const staged: StagedFile[] = [];
  let failure: { err: unknown } | undefined;
  for (let at = 0; at < files.length && !failure; at += AT_ONCE) {
    const results = await Promise.allSettled(
      files.slice(at, at + AT_ONCE).map(async (file) => ({ abs: file.abs, tmp: await stageOne(file),
        ...('derived' in file && file.derived ? { derived: true } : {}) })
      ),
    );
    for (const result of results) {
      if (result.status === 'fulfilled') staged.push(result.value);
      else failure ??= { err: result.reason };
    }
  }
  if (failure) {
    await discardStaged(staged);
    throw failure.err;
  }
  return staged;
}

function stageOne(file: StageSource): Promise<string> {
  return 'body' in file ? bodyTemp(file.abs, file.body) : writeTemp(file.abs, file.content, file.mode, !file.derived);
}

/**
 * Renames the temps onto their targets, in order, then fsyncs each of their directories once (side by side), so
 * every name but a derived file's is durable when it returns. A failed rename removes the temps not yet renamed.
 */
export async function publishStaged(staged: StagedFile[]): Promise<void> {
  for (const [i, file] of staged.entries()) {
    try {
      await publishTemp(file.abs, file.tmp);
    } catch (err) {
      await discardStaged(staged.slice(i + 1));
      throw err;
    }
  }
  await syncDirs(staged.filter((f) => !f.derived).map((f) => path.dirname(f.abs)));
}

/**
 * Publishes all but the last staged file, runs `beforeLast` (links, the lock check), then publishes the last: the
 * record that names the others (a manifest, record.json) is visible only once they are durable. A failure before
 * that removes the last temp too.
 */
export async function publishRecordLast(staged: StagedFile[], beforeLast: () => Promise<void>): Promise<void> {
  const record = staged.pop()!;
  try {
    await publishStaged(staged);
    await beforeLast();
  } catch (err) {
    await discardStaged([record]);
    throw err;
  }
  await publishStaged([record]);
}

/** Removes temps that will not be published. */
export async function discardStaged(staged: StagedFile[]): Promise<void> {
  await Promise.all(staged.map((f) => fs.unlink(f.tmp).catch(() => undefined)));
}

// Reading back what the archive stored for a message: its original, parsed again; its unmatched record; and its
// files as the pipeline saw them, for decisions and pages that work on a message after the fact.
import { readFile } from 'node:fs/promises';
import { unmatchedDirPath } from '../pipelines/archive-paths.ts';
import { sha256 } from '../pipelines/hash.ts';
import { parseMessage } from '../pipelines/mail/index.ts';
import type { ExtractedFile, ParsedMessage, UnmatchedRecord } from '../pipelines/types.ts';
import { memoryBody } from '../pipelines/body.ts';
import type { DashboardCore } from './decision-context.ts';

export function fileFrom(name: string, content: Buffer): ExtractedFile {
  return {
    name,
    folders: [],
    origin: 'attachment',
    contentType: 'application/octet-stream',
    size: content.length,
    sha256: sha256(content),
    body: memoryBody(content),
  };
}

export async function readUnmatched(ctx: DashboardCore, campaignId: string, messageKey: string): Promise<UnmatchedRecord | undefined> {
  try {
    const text = await readFile(ctx.store.resolveInside(`${unmatchedDirPath(campaignId, messageKey)}/record.json`), 'utf8');
    return JSON.parse(text) as UnmatchedRecord;
  } catch {
    return undefined;
  }
}

/** The message's files as the pipeline saw them (re-parsed), else as stored in the unmatched folder. */
export async function unmatchedFiles(ctx: DashboardCore, record: UnmatchedRecord, parsed: ParsedMessage | undefined): Promise<ExtractedFile[]> {
  const out: ExtractedFile[] = [];
  for (const f of record.files) {
    const same = parsed?.files.find((p) => p.sha256 === f.sha256);
    out.push(same ?? fileFrom(f.name, await readFile(ctx.store.resolveInside(f.path))));
  }
  return out;
}

export async function parseStored(ctx: DashboardCore, emlPath: string): Promise<ParsedMessage | undefined> {
  if (!emlPath) return undefined;
  try {
    return await parseMessage(await ctx.store.readOriginal(emlPath), { limits: ctx.config.limits });
  } catch (err) {
    ctx.log.warn({ err, emlPath, code: 'dashboard.parse_failed' }, 'Stored message could not be parsed');
    return undefined;
  }
}

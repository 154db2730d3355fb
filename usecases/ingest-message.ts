// The whole core pipeline for one message already stored in the archive: parse → route → identify → classify →
// validate → judge → file → reply. Shared by the CLI and the BullMQ ingest worker; it sends nothing itself.
// Routing picks the campaign first: per-person campaigns go to ingest-person.ts, unit-scope ones and unclear
// messages to ingest-unit.ts; duplicates, automatic mail and the message record are handled here, with ingest-read.ts
// (parse, route, judge) and ingest-record.ts (record, outcome).
import type { BodySink, FileBody } from '../pipelines/body.ts';
import { replyMessageId } from './compose-reply.ts';
import { judge, readMessage, type Judged, type ReadMessage } from './ingest-read.ts';
import { newRecord, outcomeOf, recordDuplicate, replyRecordOf, type Filed } from './ingest-record.ts';
import type { IngestOptions, IngestOutcome } from './ingest-types.ts';
import { ingestPersonMessage } from './ingest-person.ts';
import { ingestUnitMessage, ingestUnrouted } from './ingest-unit.ts';

export { composeReplyMail, replyMessageId } from './compose-reply.ts';
export { messageKeyOf, ownAddresses } from './ingest-read.ts';
export type { IngestContext, IngestOutcome } from './ingest-types.ts';

/** Stores the original first (nothing is ever lost), then runs the pipeline on it. */
export async function ingestRaw(raw: Buffer, ctx: IngestOptions): Promise<IngestOutcome> {
  const { emlPath } = await ctx.store.storeOriginal(raw, ctx.internalDate ?? ctx.fileMtime ?? ctx.now());
  return ingestStored(emlPath, ctx);
}

/**
 * Runs the pipeline on a stored original, read as a stream: attachment bodies go to a spool directory of this
 * run (filing links them into the folders), removed when the run ends, whatever its outcome.
 */
export async function ingestStored(emlPath: string, ctx: IngestOptions): Promise<IngestOutcome> {
  const original = await ctx.store.openOriginal(emlPath);
  return ctx.store.spool.with((spool) => ingest(original, emlPath, ctx, spool));
}

/** Files the message by its kind: automatic mail (nothing filed), a unit report or unclear mail, or persons' documents. */
async function file(m: ReadMessage, j: Judged, ctx: IngestOptions): Promise<Filed> {
  const { campaign, arrival, guard, route } = j;
  const late = arrival.late;
  const replySuppressed = guard.reply ? undefined : guard.reason;
  if (j.automatic) {
    const suppressed = guard.reply ? 'bounce' : guard.reason;
    m.log.info({ code: 'ingest.ignored', reason: suppressed }, 'message ignored (automatic mail)');
    return { outcome: 'ignored', persons: [], late, replySuppressed: suppressed, replyRecord: { messageId: '', status: 'rejected', suppressed } };
  }
  const step = {
    config: ctx.config,
    store: ctx.store,
    parsed: m.parsed,
    arrival,
    messageKey: m.messageKey,
    emlPath: m.emlPath,
    now: j.now,
    log: m.log,
    replyAllowed: guard.reply,
    replyMessageId: replyMessageId(m.messageKey, ctx.config.reply.from),
  };
  if (route.kind === 'unclear' || campaign.scope === 'unit') {
    const unitStep = { ...step, units: ctx.units, forms: j.forms };
    const result = route.kind === 'unclear' ? await ingestUnrouted(unitStep, route.candidates) : await ingestUnitMessage(unitStep, campaign);
    return {
      outcome: result.status,
      persons: [],
      late: result.late ?? late,
      reply: result.reply,
      replySuppressed,
      replyRecord: replyRecordOf(result.status, guard, result.reply),
      unit: result.unit,
      ...(route.kind === 'campaign' ? { campaign: campaign.id } : {}),
    };
  }
  const result = await ingestPersonMessage({ ...step, roster: ctx.roster, units: ctx.units, content: ctx.content, contentDone: ctx.contentDone }, campaign);
  if ('deferred' in result) {
    m.log.info({ code: 'content.deferred', files: result.deferred.length }, 'message waits for its scans to be read');
    return { outcome: 'incomplete', persons: [], late, campaign: campaign.id, deferred: result.deferred };
  }
  // Late against the deadline that applies to the persons in it (an extension moves it).
  m.log.info({ code: 'ingest.filed', outcome: result.status, persons: result.persons.length, files: m.parsed.files.length, late: result.late },
    'message filed');
  return {
    outcome: result.status,
    persons: result.persons,
    late: result.late,
    reply: result.reply,
    replySuppressed,
    campaign: campaign.id,
    replyRecord: replyRecordOf(result.status, guard, result.reply),
    unread: result.unread,
  };
}

async function ingest(original: FileBody, emlPath: string, ctx: IngestOptions, sink: BodySink): Promise<IngestOutcome> {
  const m = await readMessage(original, emlPath, ctx, sink);
  const existing = await ctx.store.getMessageRecord(m.messageKey);
  if (existing) return outcomeOf(m, true, await recordDuplicate(m, existing, ctx));
  const judged = await judge(m, ctx);
  const filed = await file(m, judged, ctx);
  // A message waiting for its scans to be read is filed, and recorded, when it runs again.
  if (!filed.deferred) await ctx.store.putMessageRecord(newRecord(m, judged, filed));
  return outcomeOf(m, false, filed);
}

// `seis-intake ingest <path…>`: the whole pipeline over files; replies go over SMTP when SMTP_HOST is set
// (each sent once: the send is recorded in the message record), else to the outbox. Prints one line per
// message and a summary; details are in the archive. No Redis: the hourly per-sender limit is `run`'s.
import { join, relative } from 'node:path';
import type { ErrorCode } from '../adapters/errors.ts';
import { ingestRaw, type IngestOutcome } from '../usecases/ingest-message.ts';
import { createDeliverer, type Deliver } from '../usecases/deliver-once.ts';
import { deliverReply } from '../usecases/reply-delivery.ts';
import { tokenSourceFromConfig } from '../adapters/oauth-token.ts';
import { SmtpMailer } from '../adapters/smtp-mailer.ts';
import { SuppressionList } from '../adapters/suppression.ts';
import { COMMON_OPTIONS, parseCommandArgs, UsageError, showHelp } from './args.ts';
import { buildContext, type CliContext } from './context.ts';
import { readInputs } from './inputs.ts';

const HELP = `usage: seis-intake ingest <path…> [--archive DIR] [--roster FILE] [--units FILE] [--config FILE] [--outbox DIR] [--quiet | --verbose]
  <path>  .eml files, folders of them (searched recursively) and mbox files; processed in arrival order
  --verbose  operator logs (pino JSON, level from LOG_LEVEL/config) on stderr; default: warnings only
  Replies: sent over SMTP when SMTP_HOST (config smtp.host) is set, else written to the outbox. A reply that
  could not be sent stays in the outbox and is sent by the next run over the same input (exit code 1).`;

export const OUTCOME_TH: Record<IngestOutcome['outcome'], string> = {
  accepted: 'ครบถ้วน',
  incomplete: 'ยังไม่ครบ',
  rejected: 'ไม่รับ',
  ignored: 'ไม่ตอบ (อีเมลอัตโนมัติ)',
};

export interface IngestSummary {
  outcomes: Array<IngestOutcome & { source: string; outboxPath?: string; sentAt?: string }>;
  /** Messages that failed for a reason other than their content (disk full, a bug): kept, to run again. */
  failures: Array<{ source: string; error: string }>;
  /** Replies SMTP did not take: filed messages whose reply waits in the outbox for the next run. */
  unsent: Array<{ source: string; messageKey: string; code: ErrorCode; outboxPath: string }>;
}

export interface IngestPathsOptions {
  /** Send replies with this (SMTP configured); without it replies are written to the outbox. */
  mailer?: SmtpMailer;
}

/**
 * The deliverer of a run over files: no Redis (no sent markers, no hourly limit: those are `run`'s), and a reply
 * SMTP did not take is kept in the outbox unrecorded, so the record still says "not sent" and the next run sends it.
 */
function cliDeliverer(ctx: CliContext, now: () => Date, mailer: SmtpMailer | undefined): Deliver {
  return createDeliverer({
    from: ctx.config.reply.from,
    now,
    mailer,
    suppression: new SuppressionList(ctx.store.root),
    exclusive: (mail, fn) => ctx.store.withDeliveryLock('messages', mail.id, fn),
    onFailure: 'keep-in-outbox',
  });
}

/** Runs inputs through the pipeline; replies go over SMTP with `opts.mailer`, else to the outbox. */
export async function ingestPaths(
  paths: string[],
  ctx: CliContext,
  now: () => Date = () => new Date(),
  opts: IngestPathsOptions = {},
): Promise<IngestSummary> {
  const inputs = await readInputs(paths);
  const deliver = cliDeliverer(ctx, now, opts.mailer);
  const summary: IngestSummary = { outcomes: [], failures: [], unsent: [] };
  for (const input of inputs) {
    try {
      const outcome = await ingestRaw(await input.load(), { ...ctx, now, fileMtime: input.fileMtime });
      // A duplicate whose earlier reply was sent or suppressed is settled: deliver-once sends nothing for it.
      const log = ctx.log.child({ messageKey: outcome.messageKey });
      const delivery = outcome.reply ? await deliverReply(deliver, ctx.store, ctx.config.reply.from, outcome.messageKey, log) : undefined;
      if (delivery?.status === 'unsent')
        summary.unsent.push({ source: input.source, messageKey: outcome.messageKey, code: delivery.code, outboxPath: delivery.path });
      summary.outcomes.push({
        ...outcome,
        source: input.source,
        ...(delivery?.status === 'outbox' ? { outboxPath: delivery.path } : {}),
        ...(delivery?.status === 'sent' ? { sentAt: delivery.at } : {}),
        ...(delivery?.status === 'suppressed' ? { replySuppressed: delivery.reason } : {}),
      });
    } catch (err) {
      // Content problems are values, never exceptions: this is the machine (disk, permissions) or a bug.
      ctx.log.error({ err, source: input.source, code: 'ingest.failed' }, 'message could not be processed');
      summary.failures.push({ source: input.source, error: (err as Error).message });
    }
  }
  return summary;
}

export async function ingestCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    ...COMMON_OPTIONS,
    outbox: { type: 'string' },
    units: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    verbose: { type: 'boolean', short: 'v' },
  }, true);
  if (showHelp(values, HELP)) return 0;
  if (positionals.length === 0) throw new UsageError('give at least one .eml file, folder or mbox file');
  // Operators' JSON logs go to stderr; by default only warnings, so the table on stdout stays readable.
  const ctx = await buildContext(values, { logLevel: values.quiet ? 'error' : values.verbose ? undefined : 'warn' });
  const { smtp } = ctx.config;
  const mailer = smtp.host ? new SmtpMailer(ctx.config, ctx.log, tokenSourceFromConfig(ctx.config, ctx.log), { markers: false }) : undefined;
  let summary: IngestSummary;
  try {
    summary = await ingestPaths(positionals, ctx, undefined, { mailer });
  } finally {
    await mailer?.close();
  }
  const { outcomes, failures, unsent } = summary;
  const unsentKeys = new Set(unsent.map((u) => u.messageKey));
  if (!values.quiet) {
    for (const o of outcomes) {
      const who = o.persons.length ? o.persons.join(',') : o.unit ? `${o.campaign}/${o.unit}` : '-';
      const flags = [
        o.duplicate ? 'ซ้ำ' : '',
        o.late ? 'ล่าช้า' : '',
        o.replySuppressed ? `ไม่ตอบ:${o.replySuppressed}` : '',
        unsentKeys.has(o.messageKey) ? 'ยังส่งอีเมลตอบไม่ได้' : '',
      ].filter(Boolean);
      console.log(`${OUTCOME_TH[o.outcome].padEnd(12)} ${who.padEnd(27)} ${relative(process.cwd(), o.source)}${flags.length ? `  (${flags.join(', ')})` : ''}`);
    }
  }
  const count = (k: IngestOutcome['outcome']) => outcomes.filter((o) => o.outcome === k && !o.duplicate).length;
  console.log(
    `รวม ${outcomes.length} ฉบับ: ครบถ้วน ${count('accepted')} · ยังไม่ครบ ${count('incomplete')} · ไม่รับ ${count('rejected')} · ` +
      `อีเมลอัตโนมัติ ${count('ignored')} · ซ้ำ ${outcomes.filter((o) => o.duplicate).length}` +
      (mailer ? ` · ส่งอีเมลตอบกลับแล้ว ${outcomes.filter((o) => o.sentAt).length}` : ''),
  );
  const outbox = ctx.config.outboxDir ?? join(ctx.store.root, '_outbox');
  console.log(`archive: ${ctx.store.root}   ${mailer ? `smtp: ${smtp.host}:${smtp.port}   ` : ''}outbox: ${outbox}`);
  for (const f of failures) console.error(`ประมวลผลไม่สำเร็จ (failed): ${f.source}: ${f.error}`);
  if (unsent.length) {
    const codes = [...new Set(unsent.map((u) => u.code))].join(', ');
    console.error(
      `ส่งอีเมลตอบกลับไม่สำเร็จ ${unsent.length} ฉบับ (${unsent.length} replies not sent: ${codes}); ` +
        `เก็บไว้ใน ${outbox} แล้ว รันคำสั่งเดิมอีกครั้งเมื่อเซิร์ฟเวอร์ SMTP ใช้ได้ (the next run sends them)`,
    );
  }
  return failures.length || unsent.length ? 1 : 0;
}

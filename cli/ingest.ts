// `seis-intake ingest <path…>`: the whole pipeline over files; replies go over SMTP when SMTP_HOST is set
// (each sent once: the send is recorded in the message record), else to the outbox. Prints one line per
// message and a summary; details are in the archive. No Redis: the hourly per-sender limit is `run`'s.
import { rm } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { outboxPath as outboxRelPath } from '../pipelines/archive-paths.ts';
import { normaliseAddress } from '../pipelines/mail/index.ts';
import type { MessageRecord } from '../pipelines/types.ts';
import { classifyError, type ErrorCode } from '../adapters/errors.ts';
import { composeReplyMail, ingestRaw, type IngestOutcome } from '../usecases/ingest-message.ts';
import { tokenSourceFromConfig } from '../adapters/oauth-token.ts';
import { bareAddress, SmtpMailer } from '../adapters/smtp-mailer.ts';
import { SuppressionList } from '../adapters/suppression.ts';
import { COMMON_OPTIONS, parseCommandArgs, UsageError } from './args.ts';
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

type Delivery =
  | { via: 'outbox'; outboxPath: string }
  | { via: 'smtp'; sentAt: string }
  | { via: 'suppressed' }
  | { via: 'unsent'; code: ErrorCode; outboxPath: string };

/** Failures that say the server (not this one message) is unusable: the rest of the run skips SMTP. */
const SERVER_DOWN = new Set<ErrorCode>(['smtp.connection', 'smtp.auth', 'smtp.tls', 'oauth.unavailable', 'oauth.refused']);

/**
 * One reply: over SMTP (sent time recorded the moment the server accepted it; a leftover outbox copy of an
 * earlier failed try is removed), or into the outbox. An unsent reply's outbox copy is NOT recorded as
 * `outboxPath`, so the record still says "not sent" and the next run sends it.
 */
function replyDelivery(ctx: CliContext, now: () => Date, mailer: SmtpMailer | undefined) {
  const suppression = new SuppressionList(ctx.store.root);
  const setReply = (key: string, patch: Partial<NonNullable<MessageRecord['reply']>>) =>
    ctx.store.updateMessageRecord(key, (r) => (r?.reply ? { ...r, reply: { ...r.reply, ...patch } } : r));
  const outboxFile = (key: string) => ctx.config.outboxDir
    ? join(resolve(ctx.config.outboxDir), basename(outboxRelPath(key)))
    : ctx.store.resolveInside(outboxRelPath(key));
  let down: ErrorCode | undefined;

  return async (messageKey: string, reply: NonNullable<IngestOutcome['reply']>): Promise<Delivery> => {
    const eml = await composeReplyMail(reply, ctx.config.reply.from);
    if (!mailer) {
      const outboxPath = await ctx.store.writeOutbox(messageKey, eml);
      await setReply(messageKey, { outboxPath });
      return { via: 'outbox', outboxPath };
    }
    const log = ctx.log.child({ messageKey });
    if (await suppression.get(normaliseAddress(reply.to))) {
      await setReply(messageKey, { suppressed: 'bounced-address' });
      log.warn({ code: 'reply.bounced-address' }, 'reply suppressed: an earlier reply to this address bounced');
      return { via: 'suppressed' };
    }
    let code = down;
    if (!down) {
      const sentAt = now().toISOString();
      try {
        await mailer.send({ from: bareAddress(ctx.config.reply.from), to: [bareAddress(reply.to)] }, eml);
      } catch (err) {
        code = classifyError(err).code;
        if (SERVER_DOWN.has(code)) down = code;
        log.warn({ code: 'reply.not_sent', errorCode: code, err: (err as Error).message }, 'reply not sent over SMTP; kept in the outbox');
      }
      if (!code) {
        try {
          await setReply(messageKey, { sentAt });
        } catch (err) {
          log.error({ code: 'reply.record_failed', err: (err as Error).message, resendRisk: true }, 'reply sent but not recorded: a re-run sends it again');
          throw err;
        }
        await rm(outboxFile(messageKey), { force: true });
        log.info({ code: 'reply.sent', size: eml.length }, 'reply sent');
        return { via: 'smtp', sentAt };
      }
    } else {
      log.warn({ code: 'reply.not_sent', errorCode: code, skipped: true }, 'SMTP unusable in this run; reply kept in the outbox');
    }
    return { via: 'unsent', code: code!, outboxPath: await ctx.store.writeOutbox(messageKey, eml) };
  };
}

/** Runs inputs through the pipeline; replies go over SMTP with `opts.mailer`, else to the outbox. */
export async function ingestPaths(
  paths: string[], ctx: CliContext, now: () => Date = () => new Date(), opts: IngestPathsOptions = {},
): Promise<IngestSummary> {
  const inputs = await readInputs(paths);
  const deliver = replyDelivery(ctx, now, opts.mailer);
  const summary: IngestSummary = { outcomes: [], failures: [], unsent: [] };
  for (const input of inputs) {
    try {
      const outcome = await ingestRaw(await input.load(), { ...ctx, now, fileMtime: input.fileMtime });
      // A duplicate whose earlier reply was suppressed (bounce, rate limit) stays unanswered.
      const due = outcome.reply && !(outcome.duplicate && outcome.replySuppressed);
      const delivery = due ? await deliver(outcome.messageKey, outcome.reply!) : undefined;
      if (delivery?.via === 'unsent') summary.unsent.push({ source: input.source, messageKey: outcome.messageKey, code: delivery.code, outboxPath: delivery.outboxPath });
      summary.outcomes.push({
        ...outcome, source: input.source,
        ...(delivery?.via === 'outbox' ? { outboxPath: delivery.outboxPath } : {}),
        ...(delivery?.via === 'smtp' ? { sentAt: delivery.sentAt } : {}),
        ...(delivery?.via === 'suppressed' ? { replySuppressed: 'bounced-address' } : {}),
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
    ...COMMON_OPTIONS, outbox: { type: 'string' }, units: { type: 'string' }, quiet: { type: 'boolean', short: 'q' }, verbose: { type: 'boolean', short: 'v' },
  }, true);
  if (values.help) {
    console.log(HELP);
    return 0;
  }
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
        o.duplicate ? 'ซ้ำ' : '', o.late ? 'ล่าช้า' : '', o.replySuppressed ? `ไม่ตอบ:${o.replySuppressed}` : '',
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

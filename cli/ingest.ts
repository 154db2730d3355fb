// `seis-intake ingest <path…>`: the whole pipeline over files, replies to the outbox (or over SMTP when
// one is configured). Prints one line per message and a summary; details are in the archive.
import { join, relative } from 'node:path';
import { COMMON_OPTIONS, parseCommandArgs, UsageError } from './args.ts';
import { buildContext, type CliContext } from './context.ts';
import { readInputs } from './inputs.ts';
import { composeReplyMail, ingestRaw, type IngestOutcome } from '../workers/ingest-message.ts';

const HELP = `usage: seis-intake ingest <path…> [--archive DIR] [--roster FILE] [--units FILE] [--config FILE] [--outbox DIR] [--quiet | --verbose]
  <path>  .eml files, folders of them (searched recursively) and mbox files; processed in arrival order
  --verbose  operator logs (pino JSON, level from LOG_LEVEL/config) on stderr; default: warnings only`;

export const OUTCOME_TH: Record<IngestOutcome['outcome'], string> = {
  accepted: 'ครบถ้วน',
  incomplete: 'ยังไม่ครบ',
  rejected: 'ไม่รับ',
  ignored: 'ไม่ตอบ (อีเมลอัตโนมัติ)',
};

export interface IngestSummary {
  outcomes: Array<IngestOutcome & { source: string; outboxPath?: string }>;
  /** Messages that failed for a reason other than their content (disk full, a bug): kept, to run again. */
  failures: Array<{ source: string; error: string }>;
}

/** Runs inputs through the pipeline; replies go to the outbox (no SMTP here: the live `run` sends). */
export async function ingestPaths(paths: string[], ctx: CliContext, now: () => Date = () => new Date()): Promise<IngestSummary> {
  const inputs = await readInputs(paths);
  const outcomes: IngestSummary['outcomes'] = [];
  const failures: IngestSummary['failures'] = [];
  for (const input of inputs) {
    try {
      const outcome = await ingestRaw(await input.load(), { ...ctx, now, fileMtime: input.fileMtime });
      let outboxPath: string | undefined;
      if (outcome.reply) {
        const eml = await composeReplyMail(outcome.reply, ctx.config.reply.from);
        outboxPath = await ctx.store.writeOutbox(outcome.messageKey, eml);
        await ctx.store.updateMessageRecord(outcome.messageKey, (r) => r && r.reply ? { ...r, reply: { ...r.reply, outboxPath } } : r);
      }
      outcomes.push({ ...outcome, source: input.source, outboxPath });
    } catch (err) {
      // Content problems are values, never exceptions: this is the machine (disk, permissions) or a bug.
      ctx.log.error({ err, source: input.source, code: 'ingest.failed' }, 'message could not be processed');
      failures.push({ source: input.source, error: (err as Error).message });
    }
  }
  return { outcomes, failures };
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
  const { outcomes, failures } = await ingestPaths(positionals, ctx);
  if (!values.quiet) {
    for (const o of outcomes) {
      const who = o.persons.length ? o.persons.join(',') : o.unit ? `${o.campaign}/${o.unit}` : '-';
      const flags = [o.duplicate ? 'ซ้ำ' : '', o.late ? 'ล่าช้า' : '', o.replySuppressed ? `ไม่ตอบ:${o.replySuppressed}` : ''].filter(Boolean);
      console.log(`${OUTCOME_TH[o.outcome].padEnd(12)} ${who.padEnd(27)} ${relative(process.cwd(), o.source)}${flags.length ? `  (${flags.join(', ')})` : ''}`);
    }
  }
  const count = (k: IngestOutcome['outcome']) => outcomes.filter((o) => o.outcome === k && !o.duplicate).length;
  console.log(
    `รวม ${outcomes.length} ฉบับ: ครบถ้วน ${count('accepted')} · ยังไม่ครบ ${count('incomplete')} · ไม่รับ ${count('rejected')} · ` +
      `อีเมลอัตโนมัติ ${count('ignored')} · ซ้ำ ${outcomes.filter((o) => o.duplicate).length}`,
  );
  console.log(`archive: ${ctx.store.root}   outbox: ${ctx.config.outboxDir ?? join(ctx.store.root, '_outbox')}`);
  for (const f of failures) console.error(`ประมวลผลไม่สำเร็จ (failed): ${f.source}: ${f.error}`);
  return failures.length ? 1 : 0;
}

// `seis-intake remind`: staff's hand on the reminders. --dry-run prints who would get which reminder (now, at --at, or
// for --step as if it were sent now) and why the others are left out; --send sends them now, each at most once,
// through the same path as `run` (records in the archive, bounced addresses, the hourly limit).
import type { Redis } from 'ioredis';
import { campaignById } from '../config/load.ts';
import { formatThaiDateTime } from '../pipelines/dates.ts';
import { isStep, nextStep, stepTimes, type ReminderPlan } from '../pipelines/reminders/index.ts';
import { createRedis } from '../adapters/redis-connection.ts';
import { SmtpMailer } from '../adapters/smtp-mailer.ts';
import { SuppressionList } from '../adapters/suppression.ts';
import { tokenSourceFromConfig } from '../adapters/oauth-token.ts';
import { dueNow, renderPlan, sendReminder, type RemindDeps } from '../usecases/reminders.ts';
import { COMMON_OPTIONS, parseCommandArgs, UsageError, showHelp, stringOptions, booleanOptions } from './args.ts';
import { buildContext, type CliContext } from './context.ts';

const HELP = `usage: seis-intake remind (--dry-run | --send) [--campaign ID] [--step STEP] [--at DATE-TIME] [--json]
                          [--config FILE] [--archive DIR] [--roster FILE] [--units FILE]
  --dry-run  who would get which reminder now and why the others are left out; nothing is sent or recorded.
             --at 2566-09-19T09:00 looks at another time (Bangkok); --json prints each mail's subject and text.
  --send     sends now: the step due now, or --step (d-7, d-3, d-1, overdue, or a configured step id) for everyone
             it applies to; each reminder at most once. Needs Redis (REDIS_URL); SMTP_HOST, else the outbox.
  Paused campaigns (dashboard) send nothing. Schedule and rules: docs/reminders.md.`;

const COUNT_TH: Record<string, string> = {
  complete: 'ส่งครบแล้ว',
  'staff-accepted': 'เจ้าหน้าที่ตรวจรับแล้ว',
  excused: 'ได้รับการยกเว้น',
  'no-email': 'ไม่มีอีเมล',
  'not-due': 'ยังไม่ถึงรอบ',
  'already-sent': 'ส่งรอบนี้แล้ว',
  suppressed: 'อีเมลตีกลับ',
  'no-reply-sender': 'อีเมลระบบ (no-reply)',
  'own-address': 'อีเมลของระบบเอง',
  'not-expected': 'หนังสือเวียนไม่ได้ขอ',
  'nothing-missing': 'ไม่มีรายการค้าง',
  'no-contact': 'ไม่มีอีเมลหน่วยงาน',
};

function planText(ctx: CliContext, plan: ReminderPlan, now: Date): string {
  const campaign = campaignById(ctx.config, plan.campaign);
  const lines = [`${campaign.id} — ${campaign.title} · กำหนดส่ง ${formatThaiDateTime(campaign.deadline)}`];
  if (plan.off) lines.push(`  ${plan.off === 'paused' ? 'หยุดส่งชั่วคราว (สั่งจากแดชบอร์ด)' : 'ปิดการแจ้งเตือน (campaigns[].reminders.enabled)'}`);
  for (const d of plan.due) {
    const what = d.people
      ? `${d.people.length} คน`
      : d.unitState
      ? `ขาด ${d.unitState.missing.length} รายการ`
      : `ขาด ${d.person?.missing.length ?? 0} รายการ, ไฟล์ใช้ไม่ได้ ${d.person?.invalid.length ?? 0}`;
    lines.push(
      `  ${d.step.padEnd(8)} ${d.kind === 'person' ? 'บุคคล  ' : 'หน่วยงาน'} ${d.name} <${d.to.join(', ')}> ${what}${
        d.extended ? ` (ขยายถึง ${formatThaiDateTime(d.deadline)})` : ''
      }`,
    );
  }
  if (!plan.due.length && !plan.off) lines.push('  ไม่มีอีเมลแจ้งเตือนที่ถึงกำหนดส่ง');
  const counts = new Map<string, number>();
  for (const s of plan.skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  if (counts.size) lines.push(`  ไม่ส่ง: ${[...counts].map(([r, n]) => `${COUNT_TH[r] ?? r} ${n}`).join(', ')}`);
  const next = nextStep(stepTimes(campaign.deadline, campaign.reminders, ctx.config.calendar), now);
  if (next && campaign.reminders.enabled) lines.push(`  รอบถัดไป: ${next.step} ${formatThaiDateTime(next.at)}`);
  return lines.join('\n');
}

function parseAt(text: string | undefined): Date {
  if (!text) return new Date();
  const m = /^(\d{4})(-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  const year = m ? Number(m[1]) : NaN;
  const date = m ? new Date(`${year > 2400 ? year - 543 : year}${m[2]}${m[3] ?? '+07:00'}`) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--at must be a date-time such as 2566-09-19T09:00 (got "${text}")`);
  return date;
}

export async function remindCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { ...COMMON_OPTIONS, ...stringOptions('units', 'campaign', 'step', 'at'),
    ...booleanOptions('dry-run', 'send', 'json') });
  if (showHelp(values, HELP)) return 0;
  if (Boolean(values['dry-run']) === Boolean(values.send)) throw new UsageError('give either --dry-run or --send');
  if (values.send && values.at) throw new UsageError('--at is for --dry-run: --send always sends now');
  const ctx = await buildContext(values, { logLevel: 'warn' });
  const campaigns = values.campaign ? [campaignById(ctx.config, values.campaign)] : ctx.config.campaigns;
  if (values.step && !campaigns.some((c) => isStep(c.reminders, values.step!))) {
    throw new UsageError(
      `no campaign has a reminder step "${values.step}" (steps: ${[...new Set(campaigns.flatMap((c) => c.reminders.steps.map((s) => s.id)))].join(', ')})`,
    );
  }
  const now = parseAt(values.at);
  let redis: Redis | undefined;
  const mailer = values.send && ctx.config.smtp.host ? new SmtpMailer(ctx.config, ctx.log, tokenSourceFromConfig(ctx.config, ctx.log)) : undefined;
  const deps: RemindDeps = {
    config: ctx.config,
    store: ctx.store,
    log: ctx.log,
    suppression: new SuppressionList(ctx.config.archiveDir),
    now: () => now,
    roster: async () => ctx.roster,
    units: async () => ctx.units,
    mailer,
    // A dry run reads the archive only; sending takes claims, markers and hourly slots in Redis.
    get redis(): Redis {
      redis ??= createRedis(ctx.config.redis.url, ctx.log, 'remind');
      return redis;
    },
  };
  try {
    const plans = (await dueNow(deps, { now, ...(values.campaign ? { campaign: values.campaign } : {}), ...(values.step ? { forceStep: values.step } : {}) }))
      .filter((p) => !values.step || isStep(campaignById(ctx.config, p.campaign).reminders, values.step));
    if (values['dry-run']) return await dryRun(ctx, deps, plans, now, Boolean(values.json));
    return await sendAll(deps, plans, Boolean(values.step), Boolean(values.json));
  } finally {
    await mailer?.close();
    if (redis) await redis.quit().catch(() => redis?.disconnect());
  }
}

async function dryRun(ctx: CliContext, deps: RemindDeps, plans: ReminderPlan[], now: Date, json: boolean): Promise<number> {
  if (!json) {
    console.log(`seis-intake remind --dry-run · ณ ${formatThaiDateTime(now)} (ไม่มีการส่งจริง)\n`);
    console.log(plans.map((p) => planText(ctx, p, now)).join('\n\n'));
    return 0;
  }
  const out = [];
  for (const plan of plans) {
    const mails = await renderPlan(deps, plan, now);
    out.push({
      campaign: plan.campaign,
      ...(plan.off ? { off: plan.off } : {}),
      due: mails.map(({ item, mail }) => ({
        id: item.id,
        step: item.step,
        kind: item.kind,
        name: item.name,
        to: mail.to,
        deadline: item.deadline.toISOString(),
        daysLeft: item.daysLeft,
        extended: item.extended,
        messageId: mail.messageId,
        subject: mail.subject,
        text: mail.text,
        headers: mail.headers,
      })),
      skipped: plan.skipped,
    });
  }
  console.log(JSON.stringify({ at: now.toISOString(), campaigns: out }, null, 2));
  return 0;
}

async function sendAll(deps: RemindDeps, plans: ReminderPlan[], forced: boolean, json: boolean): Promise<number> {
  const results: Array<{ id: string; campaign: string; step: string; name: string; state: string; reason?: string }> = [];
  let failed = 0;
  for (const plan of plans) {
    if (plan.off) {
      results.push({ id: '', campaign: plan.campaign, step: '', name: '', state: plan.off });
      continue;
    }
    for (const item of plan.due) {
      try {
        const outcome = await sendReminder(deps, item.id, { forced, by: 'command' });
        const reason = 'reason' in outcome ? outcome.reason : outcome.state === 'rate-limited' ? 'hourly limit' : undefined;
        results.push({ id: item.id, campaign: item.campaign, step: item.step, name: item.name, state: outcome.state, ...(reason ? { reason } : {}) });
      } catch (err) {
        failed++;
        results.push({ id: item.id, campaign: item.campaign, step: item.step, name: item.name, state: 'failed', reason: (err as Error).message });
      }
    }
  }
  if (json) console.log(JSON.stringify({ results }, null, 2));
  else {
    for (const r of results)
      console.log(r.id ? `${r.state.padEnd(12)} ${r.campaign} ${r.step} ${r.name}${r.reason ? ` (${r.reason})` : ''}` : `${r.campaign}: ${r.state}`);
    const sent = results.filter((r) => r.state === 'sent' || r.state === 'outbox').length;
    console.log(`\nส่งแล้ว ${sent} ฉบับ${failed ? ` · ล้มเหลว ${failed} ฉบับ` : ''}`);
  }
  return failed ? 1 : 0;
}

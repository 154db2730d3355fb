// The reading half of ingesting a message: parse it, key it, and judge where it goes and whether we may answer.
import type { AppConfig } from '../config/schema.ts';
import { campaignById } from '../config/load.ts';
import { judgeArrival } from '../pipelines/arrival.ts';
import type { BodySink, FileBody } from '../pipelines/body.ts';
import { analyseBounce, parseMessageStream, replyGuard, type BounceAnalysis } from '../pipelines/mail/index.ts';
import { RECIPIENT_SCAN_BYTES, recipientAddresses, routeMessage } from '../pipelines/route.ts';
import type { ParsedMessage } from '../pipelines/types.ts';
import { formStrength, readMessageForms } from '../pipelines/unit/index.ts';
import type { Logger } from '../adapters/logger.ts';
import type { IngestOptions } from './ingest-types.ts';

export function messageKeyOf(dedupeKey: string): string {
  return dedupeKey.slice(0, 32);
}

/** Addresses that are ours: never answered, never reminded. */
export function ownAddresses(config: AppConfig): string[] {
  const from = /<([^>]+)>/.exec(config.reply.from)?.[1] ?? config.reply.from;
  return [from, ...config.reply.ownAddresses, ...(config.imap.user?.includes('@') ? [config.imap.user] : [])];
}

/** One message read: its parse, keys and bounce analysis; what every outcome and record of it carries. */
export interface ReadMessage {
  /** The first bytes of the original (more of a bounce): bounce reports and recipient headers are read from there. */
  head: Buffer;
  parsed: ParsedMessage;
  messageKey: string;
  rawKey: string;
  emlPath: string;
  bounce?: BounceAnalysis;
  log: Logger;
}

/** analyseBounce reads no further than this into the original; recipientAddresses reads less. */
const BOUNCE_SCAN_BYTES = 512 * 1024;

export async function readMessage(original: FileBody, emlPath: string, ctx: IngestOptions, sink: BodySink): Promise<ReadMessage> {
  const parsed = await parseMessageStream(original, { limits: ctx.config.limits, sink });
  const messageKey = messageKeyOf(parsed.dedupeKey);
  const rawKey = /([0-9a-f]{64})\.eml$/.exec(emlPath)?.[1] ?? emlPath;
  const head = await original.read(0, parsed.isBounce ? BOUNCE_SCAN_BYTES : RECIPIENT_SCAN_BYTES);
  const bounce = parsed.isBounce ? analyseBounce(head) : undefined;
  return { head, parsed, messageKey, rawKey, emlPath, ...(bounce ? { bounce } : {}), log: ctx.log.child({ messageKey }) };
}

/** Where the message goes and how it stands: campaign, arrival (late or not), and whether we may answer. */
export async function judge(m: ReadMessage, ctx: IngestOptions) {
  const forms = await readMessageForms(m.parsed);
  const route = routeMessage({
    parsed: m.parsed,
    recipients: recipientAddresses(m.head),
    forms,
    campaigns: ctx.config.campaigns,
    defaultCampaign: ctx.config.defaultCampaign,
  });
  const campaign = campaignById(ctx.config, route.kind === 'campaign' ? route.campaignId : undefined);
  m.log.debug({ code: 'ingest.routed', route: route.kind === 'campaign' ? `${route.campaignId} (${route.by})` : 'unclear', evidence: route.evidence },
    'message routed');
  const now = ctx.now();
  const arrival = judgeArrival(
    { internalDate: ctx.internalDate, receivedHeaderAt: m.parsed.receivedHeaderAt, date: m.parsed.date, fileMtime: ctx.fileMtime, now },
    campaign,
  );
  const guard = replyGuard(m.parsed, { ownAddresses: ownAddresses(ctx.config), requireAuth: ctx.config.reply.requireAuth });
  const bodyData = campaign.scope === 'unit' && campaign.form !== undefined && formStrength(campaign.form, forms) > 0;
  // Bounces, and automatic mail that carries nothing to file, are kept and left unanswered.
  const automatic = m.parsed.isBounce || (!guard.reply && m.parsed.files.length === 0 && !bodyData);
  return { forms, route, campaign, now, arrival, guard, automatic };
}
export type Judged = Awaited<ReturnType<typeof judge>>;

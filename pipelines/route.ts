// Which campaign a message is for, from each campaign's configurable rules: a plus-address on a recipient
// (seis+admin@…), the data it carries (a filled template, the template's fields in the body), attachment names,
// and subject keywords. Certification is the default when nothing says otherwise; when signals of the same
// strength point at two campaigns the message is "unclear" and answered with guidance, never guessed.
// It leaves out what happens next (usecases/ingest-message.ts) and who the sender is (identify.ts, units.ts).
import type { CampaignConfig } from '../config/schema.ts';
import { classifyFile } from './documents/index.ts';
import { findNationalIds, cleanThai, matchesOf } from './identity/index.ts';
import { formStrength, type MessageForms } from './unit/index.ts';
import type { ParsedMessage } from './types.ts';

export type RouteSignal = 'plus-address' | 'form' | 'attachment-name' | 'person-documents' | 'subject' | 'partial-form';

export type RouteDecision =
  | { kind: 'campaign'; campaignId: string; by: RouteSignal | 'default'; evidence: string[] }
  | { kind: 'unclear'; candidates: string[]; evidence: string[] };

export interface RouteInput {
  parsed: Pick<ParsedMessage, 'subject' | 'files'>;
  /** Every recipient address (To, Cc, Delivered-To, X-Original-To): see recipientAddresses(). */
  recipients: string[];
  forms: MessageForms;
  campaigns: CampaignConfig[];
  defaultCampaign: string;
}

const STRONG: RouteSignal[] = ['form', 'attachment-name', 'person-documents'];

function compact(text: string): string {
  return cleanThai(text).toLowerCase().replace(/[\s_\-.,:;'"()[\]/\\]+/g, '');
}

const ADDRESS = /[A-Za-z0-9._%+=-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|[A-Za-z0-9._%+=-]+@localhost/g;

/** recipientAddresses reads no further than this into the original. */
export const RECIPIENT_SCAN_BYTES = 256 * 1024;

/** Addresses on the headers a mailbox server leaves (To, Cc, Delivered-To, X-Original-To, Envelope-To). */
export function recipientAddresses(raw: Buffer): string[] {
  const scan = raw.subarray(0, RECIPIENT_SCAN_BYTES);
  // Only the header is decoded: the end of the first blank line (\r?\n\r?\n), found in the bytes.
  const crlf = scan.indexOf('\n\r\n');
  const lf = scan.subarray(0, crlf < 0 ? scan.length : crlf + 1).indexOf('\n\n');
  const blank = lf < 0 ? crlf : lf;
  const end = blank < 0 ? scan.length : blank > 0 && scan[blank - 1] === 0x0d ? blank - 1 : blank;
  const lines = scan.toString('latin1', 0, end).replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
  const out = new Set<string>();
  for (const line of lines) {
    const m = /^(to|cc|delivered-to|x-original-to|envelope-to)\s*:(.*)$/i.exec(line);
    if (!m) continue;
    for (const a of matchesOf(ADDRESS, m[2])) out.add(a[0].toLowerCase());
  }
  return [...out];
}

/** "seis+admin@example.go.th" → "admin". */
export function plusTag(address: string): string | undefined {
  const local = address.split('@')[0] ?? '';
  const at = local.indexOf('+');
  return at > 0 && at < local.length - 1 ? local.slice(at + 1).toLowerCase() : undefined;
}

/** Keywords of the campaign's checklist found in attachment names (คำสั่งแต่งตั้ง.pdf for admin-appointment). */
function namedFiles(campaign: CampaignConfig, names: string[]): string[] {
  const words = fileWords(campaign.checklist);
  return names.filter((n) => {
    const name = compact(n);
    return words.some((w) => name.includes(w));
  });
}

const fileWordsCache = new WeakMap<CampaignConfig['checklist'], string[]>();

function fileWords(checklist: CampaignConfig['checklist']): string[] {
  let words = fileWordsCache.get(checklist);
  if (!words) {
    words = checklist.flatMap((i) => i.keywords).filter((k) => !/[|+@]/.test(k)).map(compact).filter(Boolean);
    fileWordsCache.set(checklist, words);
  }
  return words;
}

function signalsOf(campaign: CampaignConfig, input: RouteInput, otherFileWords: (name: string) => boolean): Map<RouteSignal, string[]> {
  const signals = new Map<RouteSignal, string[]>();
  const add = (s: RouteSignal, e: string) => signals.set(s, [...(signals.get(s) ?? []), e]);
  const tags = new Set(campaign.routing.plusTags.map((t) => t.toLowerCase()));
  for (const r of input.recipients) if (tags.has(plusTag(r) ?? '')) add('plus-address', r);

  const names = input.parsed.files.map((f) => f.name);
  if (campaign.scope === 'unit' && campaign.form) {
    const strength = formStrength(campaign.form, input.forms);
    if (strength === 2) add('form', campaign.form);
    else if (strength === 1) add('partial-form', campaign.form);
    for (const n of namedFiles(campaign, names)) add('attachment-name', n);
  } else {
    for (const file of input.parsed.files) {
      if (otherFileWords(file.name)) continue;
      if (classifyFile(file, { checklist: campaign.checklist }).items.length) add('person-documents', file.name);
    }
    for (const id of findNationalIds(input.parsed.subject)) if (id.valid) add('person-documents', 'national ID in subject');
  }
  const subject = compact(input.parsed.subject);
  for (const k of campaign.routing.subjectKeywords) if (compact(k) && subject.includes(compact(k))) add('subject', k);
  return signals;
}

export function routeMessage(input: RouteInput): RouteDecision {
  const unitCampaigns = input.campaigns.filter((c) => c.scope === 'unit');
  const otherFileWords = (name: string) => unitCampaigns.some((c) => namedFiles(c, [name]).length > 0);
  const all = input.campaigns.map((c) => ({ id: c.id, signals: signalsOf(c, input, otherFileWords) }));
  const evidence = all.flatMap((c) => [...c.signals].map(([s, e]) => `${c.id}: ${s} (${e.join(', ')})`));
  const pick = (test: (s: RouteSignal) => boolean) => all.filter((c) => [...c.signals.keys()].some(test));

  const plus = pick((s) => s === 'plus-address');
  if (plus.length === 1) return { kind: 'campaign', campaignId: plus[0].id, by: 'plus-address', evidence };

  const strong = pick((s) => STRONG.includes(s));
  if (strong.length === 1) {
    const by = STRONG.find((s) => strong[0].signals.has(s)) as RouteSignal;
    return { kind: 'campaign', campaignId: strong[0].id, by, evidence };
  }
  if (strong.length > 1) return { kind: 'unclear', candidates: strong.map((c) => c.id), evidence };

  const weak = pick((s) => s === 'subject' || s === 'partial-form');
  if (weak.length === 1) {
    const by = weak[0].signals.has('subject') ? 'subject' : 'partial-form';
    return { kind: 'campaign', campaignId: weak[0].id, by, evidence };
  }
  if (weak.length > 1) return { kind: 'unclear', candidates: weak.map((c) => c.id), evidence };
  return { kind: 'campaign', campaignId: input.defaultCampaign, by: 'default', evidence };
}

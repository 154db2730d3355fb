// Decides who must never get an automatic reply: machines (auto-replies, bounces, lists), no-reply senders,
// ourselves, and, when asked, senders whose mail our server could not authenticate. It leaves out the per-sender
// hourly limit and the record of addresses that bounced: those need state (usecases/deliver-once.ts).
import type { Address, ParsedMessage } from '../types.ts';
import { normaliseAddress } from './address.ts';

export type GuardReason = 'auto-submitted' | 'bounce' | 'null-sender' | 'bulk' | 'list' | 'auto-reply' | 'no-reply-sender' | 'own-address' | 'no-address'
  | 'unauthenticated';

/** Local parts that are machines or say "do not answer": mailer-daemon, no-reply, do_not_reply, bounces+x… */
const MACHINE_LOCAL = [
  /^mailer[-_.]?daemon$/,
  /^postmaster$/,
  /^(no|do[-_.]?not|dont)[-_.]?reply([-_.].*)?$/,
  /^noreply.*$/,
  /^bounces?([-_.].*)?$/,
  /^microsoftexchange[0-9a-f]{32}$/,
];

const ADDRESS = /^[^\s@<>(),;:"\\[\]]+@[^\s@<>(),;:"\\[\]]+\.[^\s@<>(),;:"\\[\]]+$/;

function localPart(addr: string): string {
  return addr.slice(0, addr.lastIndexOf('@'));
}

function domainOf(value: string): string {
  return value.slice(value.lastIndexOf('@') + 1).replace(/[>.]+$/, '');
}

/** Relaxed alignment without a public-suffix list: the same domain, or one a subdomain of the other. */
function aligned(a: string, b: string): boolean {
  if (!a.includes('.') || !b.includes('.')) return false;
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}

/**
 * True when the (topmost, i.e. our own server's) Authentication-Results shows spf, dkim or dmarc = pass for
 * the From domain. A pass for some other domain (the spammer's own SPF or DKIM) does not count; a pass with
 * no domain stated counts, as the receiving server vouched for the message.
 */
export function authenticated(results: string | undefined, fromAddress: string): boolean {
  if (!results) return false;
  const fromDomain = domainOf(fromAddress);
  const clauses = results.toLowerCase().replace(/\([^()]*\)/g, ' ').split(';');
  return clauses.some((clause) => {
    const m = /^\s*(spf|dkim|dmarc)\s*=\s*([a-z]+)/.exec(clause);
    if (!m || m[2] !== 'pass') return false;
    const keys = { spf: ['smtp.mailfrom', 'smtp.helo'], dkim: ['header.d', 'header.i'], dmarc: ['header.from'] }[m[1] as 'spf'];
    const domains = [...clause.matchAll(/([a-z.]+)\s*=\s*"?([^\s;"]+)/g)]
      .filter((p) => keys.includes(p[1]))
      .map((p) => domainOf(p[2]));
    return domains.length === 0 || domains.some((d) => aligned(d, fromDomain));
  });
}

function says(value: string | undefined): boolean {
  return value !== undefined && !/^\s*(no|false|0)?\s*$/i.test(value);
}

/**
 * Whether mail we start ourselves (a reminder) may go to this address: the address rules of the reply guard
 * (a real address, not a machine or no-reply mailbox, not one of ours). undefined = allowed.
 */
export function addressGuard(address: string, ownAddresses: string[]): 'no-address' | 'no-reply-sender' | 'own-address' | undefined {
  const to = normaliseAddress(address);
  if (!ADDRESS.test(to)) return 'no-address';
  if (MACHINE_LOCAL.some((re) => re.test(localPart(to)))) return 'no-reply-sender';
  if (ownAddresses.map(normaliseAddress).includes(to)) return 'own-address';
  return undefined;
}

/** Whether to answer at all, and if not why. */
export type ReplyDecision = { reply: true } | { reply: false; reason: GuardReason };

export function replyGuard(
  msg: ParsedMessage,
  ctx: { ownAddresses: string[]; requireAuth?: boolean },
): ReplyDecision {
  const no = (reason: GuardReason) => ({ reply: false as const, reason });
  const h = msg.headers;

  // RFC 3834: anything but "no" (auto-generated, auto-replied, auto-notified…) is a machine speaking.
  const autoSubmitted = h.autoSubmitted?.split(';')[0].trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return no('auto-submitted');
  if (msg.isBounce || /^\s*multipart\/report\b/i.test(h.contentType ?? '')) return no('bounce');
  if (h.returnPath !== undefined && /^\s*<?\s*>?\s*$/.test(h.returnPath)) return no('null-sender');

  const precedence = h.precedence?.trim().split(/[\s;(]/)[0].toLowerCase();
  if (precedence === 'bulk' || precedence === 'junk') return no('bulk');
  if (precedence === 'list' || h.listId !== undefined || h.listUnsubscribe !== undefined) return no('list');

  if (says(h.xAutoreply) || says(h.xAutorespond)) return no('auto-reply');
  // Exchange's request to other servers: "do not auto-answer this". Our reply is an auto-reply.
  const suppress = (h.xAutoResponseSuppress ?? '').toLowerCase().split(/[\s,]+/);
  if (suppress.includes('all') || suppress.includes('autoreply')) return no('auto-reply');

  const target: Address | undefined = msg.replyTo?.address ? msg.replyTo : msg.from;
  const to = target?.address ? normaliseAddress(target.address) : '';
  if (!ADDRESS.test(to)) return no('no-address');
  const from = msg.from?.address ? normaliseAddress(msg.from.address) : to;

  if ([from, to].some((a) => MACHINE_LOCAL.some((re) => re.test(localPart(a))))) return no('no-reply-sender');
  const own = new Set(ctx.ownAddresses.map(normaliseAddress));
  if (own.has(from) || own.has(to)) return no('own-address');

  if (ctx.requireAuth && !authenticated(h.authenticationResults, from)) return no('unauthenticated');
  return { reply: true };
}

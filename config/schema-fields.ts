// Field types the configuration sections share: dates, flags, ports, counts, times of day, mail servers.
import { z } from 'zod';
import { parseDeadline, toCeYear } from './deadline.ts';

export const deadline = z.union([z.string(), z.date()]).transform((value, ctx) => {
  const date = parseDeadline(value);
  if (!date) {
    ctx.addIssue({ code: 'custom', message: `not a date: "${String(value)}" (use 2566-09-22, 2023-09-22 or ISO)` });
    return z.NEVER;
  }
  return date;
});

/** "true"/"false"/"1"/"0"/"yes"/"no" — z.coerce.boolean() would turn "false" into true. */
export const flag = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes'),
]);

export const port = z.coerce.number().int().min(1).max(65535);
export const positiveInt = z.coerce.number().int().positive();
/** Where a mail server is and how to log in to it (IMAP and SMTP alike); every field optional but the defaults. */
export const mailServer = (defaultPort: number, defaultSecure: boolean) => ({
  host: z.string().optional(),
  port: port.default(defaultPort),
  secure: flag.default(defaultSecure),
  user: z.string().optional(),
  password: z.string().optional(),
});

/** "09:00": a Bangkok wall-clock time. */
export const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time of day is HH:MM (Bangkok), e.g. 09:00');

/** A holiday as a Bangkok calendar date (BE or CE), kept as CE "YYYY-MM-DD". */
export const holiday = z.string().transform((value, ctx) => {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value.trim()) ?? /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `not a date: "${value}" (use 2566-10-13 or 2023-10-13)` });
    return z.NEVER;
  }
  const [y, mo, d] = m[1].length === 4 ? [m[1], m[2], m[3]] : [m[3], m[2], m[1]];
  return `${toCeYear(Number(y))}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
});

// One campaign of the configuration: its checklist, routing, reminders and extensions.
import { z } from 'zod';
import { DEFAULT_REMINDER_STEPS } from './default-campaigns.ts';
import { clockTime, deadline, flag, positiveInt } from './schema-fields.ts';

const checklistItem = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'checklist ids are lower-case words joined by "-"'),
  label: z.string().min(1),
  required: z.boolean().default(false),
  replacedBy: z.array(z.string()).optional(),
  replaces: z.string().optional(),
  parts: z.array(z.enum(['degree', 'transcript'])).optional(),
  multiple: z.boolean().optional(),
  keywords: z.array(z.string()).default([]),
});

/** The circular's unit kinds (units file, column kind). */
export const UNIT_KINDS = ['province-office', 'central', 'institute', 'centre'] as const;
export const unitKind = z.enum(UNIT_KINDS);

/** How a message is sent to this campaign (pipelines/route.ts decides; README "Campaigns" explains). */
const routing = z.object({
  /** Words in the subject, Thai or English, compared without case and spaces. */
  subjectKeywords: z.array(z.string().min(1)).default([]),
  /** seis+TAG@… on To/Cc/Delivered-To/X-Original-To sends the message here, whatever else it says. */
  plusTags: z.array(z.string().regex(/^[a-z0-9._-]+$/i, 'plus tags are letters, digits, ".", "_" or "-"')).default([]),
});

/** One reminder step: so many calendar days before the deadline, or so many working days after it, at a time. */
const reminderStep = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,23}$/, 'step ids are lower-case words joined by "-" (d-7, overdue)'),
  daysBefore: z.number().int().min(0).max(365).optional(),
  workingDaysAfter: z.number().int().min(1).max(60).optional(),
  at: clockTime.default('09:00'),
}).superRefine((s, ctx) => {
  if ((s.daysBefore === undefined) === (s.workingDaysAfter === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'a step has either daysBefore or workingDaysAfter' });
  }
});

/** What a campaign chases before its deadline (pipelines/reminders decides; docs/reminders.md explains). */
const campaignReminders = z.object({
  enabled: flag.default(true),
  steps: z.array(reminderStep).default(DEFAULT_REMINDER_STEPS),
  /** A reminder to each roster person (person-scope campaigns). */
  persons: flag.default(true),
  /** One digest per step to each unit's contact addresses (units file). */
  unitDigests: flag.default(true),
  /** A step after the deadline (overdue) missed while the service was down is still sent this many days late. */
  lateSendDays: positiveInt.default(7),
}).superRefine((r, ctx) => {
  const ids = r.steps.map((s) => s.id);
  if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['steps'], message: 'step ids must differ' });
});

/** A later deadline for one person (national ID) or one unit (units-file id or name), from the config file. */
const extension = z.object({
  nationalId: z.string().regex(/^\d{13}$/, 'a national ID is 13 digits').optional(),
  unit: z.string().min(1).optional(),
  until: deadline,
  reason: z.string().max(300).optional(),
}).superRefine((e, ctx) => {
  if (Boolean(e.nationalId) === Boolean(e.unit)) ctx.addIssue({ code: 'custom', message: 'an extension names either nationalId or unit' });
});

export const campaignSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  deadline,
  latePolicy: z.enum(['accept', 'reject']).default('accept'),
  scope: z.enum(['person', 'unit']).default('person'),
  checklist: z.array(checklistItem).min(1),
  /** Archive folder of a unit-scope campaign (<archive>/<folder>/<unit>/); person campaigns use their id. */
  folder: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'folder keys are lower-case words joined by "-"').optional(),
  /** The structured data a unit-scope campaign reads (and the Thai reply and published template it uses). */
  form: z.enum(['login-status', 'admin-appointment']).optional(),
  routing: routing.prefault({}),
  /** Unit kinds the circular asks for this request; a units-file row may override it (column requests). */
  expectedFrom: z.array(unitKind).default(['province-office', 'central', 'institute']),
  reminders: campaignReminders.prefault({}),
  extensions: z.array(extension).default([]),
}).superRefine((c, ctx) => {
  if (c.scope === 'unit' && !c.form)
    ctx.addIssue({ code: 'custom', path: ['form'], message: 'a unit-scope campaign needs form: login-status or admin-appointment' });
});

export type CampaignConfig = z.infer<typeof campaignSchema>;

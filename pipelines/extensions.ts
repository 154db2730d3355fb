// Deadline extensions for one person or one unit: which deadline applies to whom. Lateness, the reply texts, the
// reports and the reminder schedule all ask here. Leaves out where extensions are kept (config file, the archive's
// _state/extensions/) and who may grant them (the dashboard, audited).

export interface DeadlineExtension {
  /** Exactly one of nationalId and unit. */
  nationalId?: string;
  /** A units-file id or a unit name (as the roster's สังกัด or the units file writes it). */
  unit?: string;
  until: Date;
  reason?: string;
  source: 'config' | 'dashboard';
  /** Dashboard entries: who granted it and when; a later entry for the same target replaces an earlier one. */
  by?: string;
  at?: string;
  /** Dashboard entries withdrawn by staff: kept for the record, never applied. */
  revoked?: { by: string; at: string };
}

/** Whom a deadline is asked for: a person (ID and unit names) or a unit (its id and names). */
export interface DeadlineSubject {
  nationalId?: string;
  /** Every name the unit goes by here: the roster's สังกัด, the units-file id and name. */
  units?: Array<string | undefined>;
}

export function unitKey(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, '').toLowerCase();
}

export function targetKey(e: Pick<DeadlineExtension, 'nationalId' | 'unit'>): string {
  return e.nationalId ? `person:${e.nationalId}` : `unit:${unitKey(e.unit ?? '')}`;
}

/**
 * The extensions in force: per target, the latest dashboard entry (a revoked latest entry withdraws it), else the
 * config file's. Config entries cannot be revoked from the dashboard, only replaced.
 */
export function activeExtensions(all: readonly DeadlineExtension[]): DeadlineExtension[] {
  const fromConfig = new Map(all.filter((x) => x.source === 'config').map((e) => [targetKey(e), e]));
  const active = new Map(fromConfig);
  const dashboard = all.filter((x) => x.source === 'dashboard').sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''));
  for (const e of dashboard) {
    const key = targetKey(e);
    const fallback = fromConfig.get(key);
    if (!e.revoked) active.set(key, e);
    else if (fallback) active.set(key, fallback);
    else active.delete(key);
  }
  return [...active.values()];
}

/** The extension that applies to a subject, if any (the later of its own and its unit's). */
export function extensionFor(active: readonly DeadlineExtension[], who: DeadlineSubject): DeadlineExtension | undefined {
  const units = new Set((who.units ?? []).filter((u): u is string => Boolean(u?.trim())).map(unitKey));
  const matching = active.filter((e) => (e.nationalId ? e.nationalId === who.nationalId : units.has(unitKey(e.unit ?? ''))));
  return matching.sort((a, b) => b.until.getTime() - a.until.getTime())[0];
}

/** The deadline for a subject: the campaign's, or a later extended one (an extension never shortens it). */
export function deadlineFor(base: Date, active: readonly DeadlineExtension[], who: DeadlineSubject): Date {
  const ext = extensionFor(active, who);
  return ext && ext.until.getTime() > base.getTime() ? ext.until : base;
}

// Deadline extensions as the whole system sees them: the config file's (campaigns[].extensions) and the ones staff
// grant or withdraw on the dashboard, kept in the archive so every process (run, serve, the CLI) reads the same.
// Which deadline applies to whom is pipelines/extensions.ts's decision.
//
// <archive>/_state/extensions/<campaign>.json   { entries: DeadlineExtension[] } (dashboard entries, appended)
import type { AppConfig, CampaignConfig } from '../config/schema.ts';
import { activeExtensions, deadlineFor, type DeadlineExtension } from '../pipelines/extensions.ts';
import { assertCampaignId } from '../pipelines/archive-paths.ts';
import { unitForName, type UnitsDirectory } from '../pipelines/unit/index.ts';
import type { Person } from '../pipelines/types.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import { json, readJson, writeAtomic } from '../adapters/atomic-fs.ts';

interface StoredEntry extends Omit<DeadlineExtension, 'until'> {
  until: string;
}

const fileOf = (store: ArchiveStore, campaignId: string) => store.resolveInside(`_state/extensions/${assertCampaignId(campaignId)}.json`);

function fromConfig(campaign: CampaignConfig): DeadlineExtension[] {
  return campaign.extensions.map((e) => ({
    ...(e.nationalId ? { nationalId: e.nationalId } : { unit: e.unit }),
    until: e.until,
    ...(e.reason ? { reason: e.reason } : {}),
    source: 'config' as const,
  }));
}

async function stored(store: ArchiveStore, campaignId: string): Promise<DeadlineExtension[]> {
  const file = await readJson<{ entries: StoredEntry[] }>(fileOf(store, campaignId));
  return (file?.entries ?? []).map((e) => ({ ...e, until: new Date(e.until) })).filter((e) => !Number.isNaN(e.until.getTime()));
}

/** Every extension of a campaign, config and dashboard, withdrawn ones included (the dashboard lists them). */
export async function allExtensions(config: AppConfig, store: ArchiveStore, campaignId: string): Promise<DeadlineExtension[]> {
  const campaign = config.campaigns.find((c) => c.id === campaignId);
  return [...(campaign ? fromConfig(campaign) : []), ...(await stored(store, campaignId))];
}

/** The extensions in force for a campaign. */
export async function loadExtensions(config: AppConfig, store: ArchiveStore, campaignId: string): Promise<DeadlineExtension[]> {
  return activeExtensions(await allExtensions(config, store, campaignId));
}

/** A person's deadline: the campaign's, or their own or their unit's extension. */
export function personDeadline(
  campaign: { deadline: Date },
  active: DeadlineExtension[],
  person: Pick<Person, 'nationalId' | 'unit'>,
  units?: UnitsDirectory,
): Date {
  const unit = units ? unitForName(units, person.unit) : undefined;
  return deadlineFor(campaign.deadline, active, { nationalId: person.nationalId, units: [person.unit, unit?.id, unit?.name] });
}

/** A unit's deadline in a unit-scope campaign. */
export function unitDeadline(campaign: { deadline: Date }, active: DeadlineExtension[], unit: { id?: string; name: string }): Date {
  return deadlineFor(campaign.deadline, active, { units: [unit.id, unit.name] });
}

/** Adds a dashboard entry (a grant, or a withdrawal with `revoked`) under the campaign's lock. */
export async function recordExtension(store: ArchiveStore, campaignId: string, entry: DeadlineExtension): Promise<void> {
  if (entry.source !== 'dashboard' || !entry.by || !entry.at) throw new Error('a dashboard extension names who granted it and when');
  if (Boolean(entry.nationalId) === Boolean(entry.unit)) throw new Error('an extension names either a person or a unit');
  await store.underStateLock(`extensions/${assertCampaignId(campaignId)}`, async (assertHeld) => {
    const file = fileOf(store, campaignId);
    const current = (await readJson<{ entries: StoredEntry[] }>(file))?.entries ?? [];
    assertHeld();
    await writeAtomic(file, json({ entries: [...current, { ...entry, until: entry.until.toISOString() }] }));
  });
}

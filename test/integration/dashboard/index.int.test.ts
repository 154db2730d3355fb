import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEIS_CERTIFICATION_CHECKLIST as CHECKLIST } from '../../../config/default-campaigns.ts';
import { ArchiveIndex } from '../../../dashboard/archive-index.ts';
import { GENERATED_EML, generateArchive, type GeneratedArchive } from '../../helpers/dashboard/generate-archive.ts';
import { parseDeadline } from '../../../pipelines/dates.ts';
import { planFiling } from '../../../pipelines/person/file-plan.ts';
import { buildReport } from '../../../pipelines/person/report.ts';
import type { MessageRecord } from '../../../pipelines/types.ts';
import { ArchiveStore } from '../../../adapters/archive-store.ts';
import { memoryBody } from '../../../pipelines/body.ts';

const campaign = { id: 'seis-certification', deadline: parseDeadline('2566-09-22')!, checklist: CHECKLIST };
const NOW = new Date('2023-09-20T00:00:00Z');
let root: string;
let generated: GeneratedArchive;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dash-index-'));
  generated = await generateArchive(root, { persons: 120, documentsPerPerson: 10, units: 4, files: 'none', seed: 7 });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function newIndex() {
  return new ArchiveIndex({ store: new ArchiveStore(root), campaigns: [campaign], roster: generated.roster, clock: () => NOW, sweepMs: 60_000,
    burstFactor: 0 });
}

async function reportCounts() {
  const store = new ArchiveStore(root);
  const report = buildReport({ campaign, roster: generated.roster, persons: await store.listPersons(campaign.id),
    unmatched: await store.listUnmatched(campaign.id), now: NOW });
  const count = (s: string) => report.persons.filter((p) => p.status === s).length;
  return { total: report.persons.length, complete: count('complete'), incomplete: count('incomplete'), notSubmitted: count('not-submitted'),
    late: report.persons.filter((p) => p.late).length, unmatched: report.unmatched.length };
}

/** What a separate `run`/`ingest` process does for one message: the person folder, then the message record. */
async function ingestElsewhere(nationalId: string, key: string, items: string[]) {
  const store = new ArchiveStore(root);
  const person = generated.roster.find((p) => p.nationalId === nationalId)!;
  const message = { messageId: `${key}@example.test`, messageKey: key, receivedAt: '2023-09-19T00:00:00.000Z', subject: 's', emlPath: GENERATED_EML,
    late: false };
  await store.updatePerson(campaign.id, person, (current) =>
    planFiling(current, {
      campaignId: campaign.id,
      person,
      inRoster: true,
      message,
      late: false,
      now: NOW,
      checklist: CHECKLIST,
      documents: items.map((item, i) => ({
        originalName: `${item}.pdf`,
        sha256: `${key}${i}`.padEnd(64, 'c'),
        size: 10,
        body: memoryBody(Buffer.from('%PDF-1.4')),
        ext: 'pdf',
        classification: { items: [item], ...(item.includes('education') ? { part: 'both' as const } : {}) },
        validation: { ok: true, pages: 1 },
      })),
    }));
  const record: MessageRecord = {
    messageKey: key,
    dedupeKey: key,
    messageId: message.messageId,
    rawKeys: [],
    emlPath: GENERATED_EML,
    campaign: campaign.id,
    receivedAt: message.receivedAt,
    processedAt: NOW.toISOString(),
    outcome: 'incomplete',
    persons: [nationalId],
  };
  await store.putMessageRecord(record);
}

describe('archive index', () => {
  it('counts what the report counts', async () => {
    const index = newIndex();
    await index.check(true);
    const c = index.campaign(campaign.id)!;
    const expected = await reportCounts();
    expect(c.tally()).toMatchObject({ total: expected.total, complete: expected.complete, incomplete: expected.incomplete, notSubmitted: expected.notSubmitted,
      late: expected.late });
    expect(c.openUnmatched()).toHaveLength(expected.unmatched);
    expect(c.units()).toHaveLength(4);
    expect(c.units().reduce((n, u) => n + u.tally.total, 0)).toBe(expected.total);
  });

  it('answers a check without new mail from a few stats, without reading manifests', async () => {
    const index = newIndex();
    await index.check(true);
    const before = index.lastScan;
    expect(await index.check()).toBe(0);
    expect(index.lastScan).toBe(before);
  });

  it('sees a submission filed by another process, without a restart', async () => {
    const index = newIndex();
    await index.check(true);
    const c = index.campaign(campaign.id)!;
    const silent = [...c.persons.values()].find((p) => p.status === 'not-submitted')!;
    await ingestElsewhere(silent.nationalId, 'elsewhere1', ['id-card', 'house-registration']);
    expect(await index.check()).toBeGreaterThan(0);
    expect(c.persons.get(silent.nationalId)).toMatchObject({ status: 'incomplete', documents: 2 });
    expect(c.tally()).toMatchObject(await reportCounts().then(({ complete, incomplete, notSubmitted }) => ({ complete, incomplete, notSubmitted })));

    const partial = [...c.persons.values()].find((p) => p.status === 'incomplete' && p.dir && p.nationalId !== silent.nationalId)!;
    await ingestElsewhere(partial.nationalId, 'elsewhere2', ['id-card', 'house-registration', 'father-id', 'mother-id', 'appointment-education',
      'highest-education']);
    await index.check();
    expect(c.persons.get(partial.nationalId)?.status).toBe('complete');
  });

  it('follows a person folder that moved, and forgets one that is gone', async () => {
    const index = newIndex();
    await index.check(true);
    const c = index.campaign(campaign.id)!;
    const person = [...c.persons.values()].find((p) => p.dir && p.status === 'complete')!;
    const moved = `${person.dir!}-moved`;
    await rename(path.join(root, person.dir!), path.join(root, moved));
    await index.rescan();
    expect(c.persons.get(person.nationalId)?.dir).toBe(moved);
    await rm(path.join(root, moved), { recursive: true });
    await index.rescan();
    // A roster person whose folder is gone is "not submitted" again, not forgotten.
    expect(c.persons.get(person.nationalId)).toMatchObject({ status: 'not-submitted', dir: undefined });
  });
});

// One scanned submission for the dashboard's browser test, read by the real engine (poppler + Tesseract) through
// the real pipeline: a fictional officer's ID card copy without "สำเนาถูกต้อง" (test/helpers/scans), so the person
// page has a thumbnail to draw and a page flag to show. The officer is not on the sample roster.
import { readFile } from 'node:fs/promises';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { AppConfig } from '../../../config/schema.ts';
import { buildRoster } from '../../../pipelines/identity/roster.ts';
import type { Person } from '../../../pipelines/types.ts';
import type { ArchiveStore } from '../../../adapters/archive-store.ts';
import { ContentCache } from '../../../adapters/content-cache.ts';
import { createPageEngine } from '../../../adapters/content/index.ts';
import { silentLogger } from '../../../adapters/logger.ts';
import { inlineContentReader } from '../../../usecases/content-reader.ts';
import { ingestRaw } from '../../../usecases/ingest-message.ts';
import { buildScanFixtures } from '../scans/build.ts';
import { SCAN_FIXTURES } from '../scans/catalog.ts';
import { OFFICER_SOMSRI } from '../scans/cast.ts';

export interface ScannedSample {
  person: Person;
  /** The document's path in the person's folder. */
  path: string;
}

export async function addScannedMail(opts: { config: AppConfig; store: ArchiveStore; roster: Person[]; now: Date }): Promise<ScannedSample> {
  const fixture = SCAN_FIXTURES.find((f) => f.name === 'no-stamp.pdf')!;
  const [built] = (await buildScanFixtures([fixture])).files;
  const person = OFFICER_SOMSRI;
  const raw = await new MailComposer({
    from: `สมศรี <${person.email}>`,
    to: 'submissions@example.test',
    subject: `ส่งเอกสาร ${person.nationalId}`,
    text: 'ส่งสำเนาบัตร',
    attachments: [{ filename: 'บัตรประชาชน.pdf', content: await readFile(built.path) }],
    messageId: '<sample-scan@office.example.test>',
    date: new Date('2023-09-19T02:00:00Z'),
  }).compile().build();
  const now = () => opts.now;
  const content = inlineContentReader({
    engine: createPageEngine(opts.config),
    cache: new ContentCache(opts.store),
    now,
    limits: opts.config.content,
    log: silentLogger,
  });
  const outcome = await ingestRaw(raw, {
    config: opts.config,
    store: opts.store,
    roster: buildRoster([...opts.roster, person]),
    log: silentLogger,
    now,
    internalDate: new Date('2023-09-19T02:00:00Z'),
    content,
  });
  if (!outcome.persons.includes(person.nationalId)) throw new Error('the scanned sample mail was not filed for its officer');
  const manifest = (await opts.store.readPerson(opts.config.campaigns[0].id, person.nationalId))!.manifest;
  const card = manifest.documents.find((d) => d.current && d.item === 'id-card');
  if (!card?.reading) throw new Error('the scanned sample card was not read');
  return { person, path: card.path };
}

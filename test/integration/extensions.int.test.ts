// Deadline extensions for one person (dashboard) or one unit (config file): lateness on filing, the reply's words
// and the reports all use the extended deadline; a withdrawn extension stops applying.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CAMPAIGNS } from '../../config/default-campaigns.ts';
import { loadConfig } from '../../config/load.ts';
import { buildRoster } from '../../pipelines/identity/roster.ts';
import { parseUnits, type UnitsDirectory } from '../../pipelines/unit/units.ts';
import type { Person } from '../../pipelines/types.ts';
import { ArchiveStore } from '../../adapters/archive-store.ts';
import { silentLogger } from '../../adapters/logger.ts';
import { recordExtension } from '../../usecases/extensions.ts';
import { composeReplyMail, ingestRaw } from '../../usecases/ingest-message.ts';
import { reportFromArchive, unitReportFromArchive } from '../../usecases/reports.ts';
import { submission } from '../helpers/eml.ts';
import { makePdf } from '../helpers/pdf.ts';
import { ROSTER, SOMCHAI, SOMSRI, WANDEE } from '../helpers/people.ts';

const LATE = new Date('2023-09-25T03:00:00Z'); // Monday after Friday's deadline (22 September 2566)
const UNITS =
  'unit_id,name,kind,emails\n50,สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่,province-office,cm@dcd.example.test\n40,สำนักงานพัฒนาชุมชนจังหวัดขอนแก่น,province-office,kk@dcd.example.test\n';
let root: string;
let store: ArchiveStore;
let units: UnitsDirectory;
let n = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'seis-ext-'));
  store = new ArchiveStore(root);
  units = (await parseUnits(Buffer.from(UNITS), 'units.csv')).directory;
  // Khon Kaen has until 6 October in both the documents and the login-status report (config file).
  const campaigns = DEFAULT_CAMPAIGNS.map((c) => (c.id === 'admin-appointment' ?
    c
    : { ...c, extensions: [{ unit: c.id === 'login-status' ? '40' : 'สำนักงานพัฒนาชุมชนจังหวัดขอนแก่น', until: '2566-10-06', reason: 'น้ำท่วม' }] })
  );
  writeFileSync(join(root, 'config.json'), JSON.stringify({ campaigns }));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const config = () => loadConfig({ configFile: join(root, 'config.json'), env: { ARCHIVE_DIR: root, REPLY_FROM: 'SEIS Intake <seis@dcd.example.test>' } });

async function send(p: Person) {
  n++;
  const raw = submission({
    from: p.email,
    messageId: `ext-${n}@example.test`,
    subject: `ส่งเอกสาร ${p.nationalId} ${p.prefix}${p.firstName} ${p.lastName}`,
    attachments: [{ name: 'บัตรประชาชน.pdf', content: await makePdf(1), contentType: 'application/pdf' }],
  });
  const out = await ingestRaw(raw, { config: config(), store, roster: buildRoster(ROSTER), units, now: () => LATE, log: silentLogger, internalDate: LATE });
  const mail = await simpleParser(await composeReplyMail(out.reply!, config().reply.from));
  return { out, text: mail.text ?? '' };
}

describe('deadline extensions', () => {
  it('files a person\'s mail after the campaign deadline as on time when staff extended their deadline', async () => {
    await recordExtension(store, 'seis-certification', {
      nationalId: SOMCHAI.nationalId,
      until: new Date('2023-09-29T16:59:59.999Z'),
      reason: 'ป่วย',
      source: 'dashboard',
      by: 'staff',
      at: '2023-09-21T02:00:00Z',
    });
    const onTime = await send(SOMCHAI);
    expect(onTime.out.late).toBe(false);
    expect(onTime.text).toContain('29 กันยายน 2566');
    expect(onTime.text).not.toContain('หลังกำหนดส่ง');
    const manifest = (await store.readPerson('seis-certification', SOMCHAI.nationalId))!.manifest;
    expect(manifest.messages[0].late).toBe(false);
    expect(manifest.documents.every((d) => !d.late)).toBe(true);

    const late = await send(SOMSRI);
    expect(late.out.late).toBe(true);
    expect(late.text).toContain('หลังกำหนดส่ง');
  });

  it('gives a unit\'s people the unit\'s extension (config file), and the reports say whose deadline moved', async () => {
    expect((await send(WANDEE)).out.late).toBe(false);
    const report = await reportFromArchive({ config: config(), store, roster: buildRoster(ROSTER), units }, 'seis-certification', LATE);
    const row = (p: Person) => report.persons.find((r) => r.nationalId === p.nationalId)!;
    expect(row(SOMCHAI)).toMatchObject({ late: false, extendedDeadline: '2023-09-29T16:59:59.999Z' });
    expect(row(WANDEE)).toMatchObject({ late: false, extendedDeadline: '2023-10-06T16:59:59.999Z' });
    expect(row(SOMSRI).late).toBe(true);
    expect(row(SOMSRI).extendedDeadline).toBeUndefined();

    const unitReport = await unitReportFromArchive({ config: config(), store, units }, 'login-status', LATE);
    expect(unitReport.units.find((u) => u.unitId === '40')!.extendedDeadline).toBe('2023-10-06T16:59:59.999Z');
    expect(unitReport.units.find((u) => u.unitId === '50')!.extendedDeadline).toBeUndefined();
  });

  it('stops applying an extension staff withdrew', async () => {
    await recordExtension(store, 'seis-certification', {
      nationalId: SOMCHAI.nationalId,
      until: new Date('2023-09-29T16:59:59.999Z'),
      source: 'dashboard',
      by: 'staff',
      at: '2023-09-26T02:00:00Z',
      revoked: { by: 'staff', at: '2023-09-26T02:00:00Z' },
    });
    const report = await reportFromArchive({ config: config(), store, roster: buildRoster(ROSTER), units }, 'seis-certification', LATE);
    expect(report.persons.find((r) => r.nationalId === SOMCHAI.nationalId)).toMatchObject({ late: true });
  });
});

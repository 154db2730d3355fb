// The crash-safety order of filing, watched on the real file system calls (test/helpers/durability.ts): the
// original is durable before anything is filed, every filed file before the manifest or record that lists it,
// and all of it before the message record that the reply and the mailbox move rely on.
import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bodyTemp, publishTemp, writeAtomic } from '../../adapters/atomic-fs.ts';
import { memoryBody } from '../../pipelines/body.ts';
import { messageRecordPath } from '../../pipelines/archive-paths.ts';
import { watchDurability, type DurabilityWatch } from '../helpers/durability.ts';
import { fakePdf, submission } from '../helpers/eml.ts';
import { makeDocx, makePdf } from '../helpers/pdf.ts';
import { fullName, SOMCHAI } from '../helpers/people.ts';
import { testPipeline, type TestPipeline } from '../helpers/pipeline.ts';

const NAMES = ['บัตรประชาชน.pdf', 'ทะเบียนบ้าน.pdf', 'บัตรประชาชนบิดา.pdf', 'บัตรประชาชนมารดา.pdf', 'วุฒิที่ใช้บรรจุ ปริญญาบัตร.pdf'];
let pdfs: Buffer[];
let docx: Buffer;
let watch: DurabilityWatch | undefined;

beforeAll(async () => {
  pdfs = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => makePdf(n)));
  docx = await makeDocx();
});
afterEach(() => {
  watch?.stop();
  watch = undefined;
});

async function watched(): Promise<{ p: TestPipeline; root: string; w: DurabilityWatch }> {
  const p = testPipeline();
  const root = realpathSync(p.root);
  watch = await watchDurability(root);
  return { p, root, w: watch };
}

function expectFiledDurably(w: DurabilityWatch, root: string, out: { messageKey: string; emlPath?: string }) {
  expect(w.violations).toEqual([]);
  expect(w.surelyDurable(path.join(root, messageRecordPath(out.messageKey)))).toBe(true);
  for (const voucher of w.vouchers) expect(w.surelyDurable(voucher)).toBe(true);
}

describe('filing is durable in order', () => {
  it('files a message, then a second one that supersedes a document and brings a problem file, each durable before it is recorded', async () => {
    const { p, root, w } = await watched();
    const from = `${fullName(SOMCHAI)} <${SOMCHAI.email}>`;
    const first = await p.ingest(submission({
      from,
      subject: `ส่งเอกสาร SEIS ${SOMCHAI.nationalId}`,
      messageId: 'durable-1@office.example.test',
      attachments: NAMES.map((name, i) => ({ name, content: pdfs[i] })),
    }));
    expect(first.outcome).toBe('incomplete');
    expect(w.vouchers.filter((v) => v.endsWith('manifest.json'))).toHaveLength(1);
    expectFiledDurably(w, root, first);

    const second = await p.ingest(submission({
      from,
      subject: `ส่งเอกสาร SEIS ${SOMCHAI.nationalId} แก้ไข`,
      messageId: 'durable-2@office.example.test',
      attachments: [{ name: 'บัตรประชาชน.pdf', content: pdfs[5] }, { name: 'สำเนา.docx', content: docx }],
    }));
    const manifest = (await p.store.readPerson(p.config.campaigns[0].id, SOMCHAI.nationalId))!.manifest;
    expect(manifest.documents.filter((d) => d.item === 'id-card').map((d) => [d.current, d.path.startsWith('_superseded/')]))
      .toEqual([[false, true], [true, false]]);
    expect(manifest.problems.map((x) => x.originalName)).toEqual(['สำเนา.docx']);
    expectFiledDurably(w, root, second);
  });

  it('files mail nobody is named in as unmatched, its attachments (one linked from the spool) durable before its record.json', async () => {
    const { p, root, w } = await watched();
    const out = await p.ingest(submission({
      from: 'someone@elsewhere.example.test',
      subject: 'ส่งเอกสาร',
      messageId: 'durable-3@office.example.test',
      // Past the size a part stays in memory: its body is a spool file, filed by a hard link.
      attachments: [...NAMES.slice(0, 3).map((name, i) => ({ name, content: pdfs[i] })), { name: 'scan.pdf',
        content: Buffer.concat([fakePdf(), randomBytes(400_000)]) }],
    }));
    expect(w.vouchers.filter((v) => v.endsWith('record.json'))).toHaveLength(1);
    expectFiledDurably(w, root, out);
  });

  it('notices a manifest renamed before the folder that holds its document was fsynced', async () => {
    const { root, w } = await watched();
    const dir = path.join(root, 'campaign', 'person');
    const doc = path.join(dir, 'id-card.pdf');
    await publishTemp(doc, await bodyTemp(doc, memoryBody(pdfs[0]))); // renamed, its folder not fsynced
    await writeAtomic(path.join(dir, 'manifest.json'), JSON.stringify({ documents: [{ path: 'id-card.pdf' }] }));
    expect(w.violations).toEqual([`campaign/person/manifest.json renamed before campaign/person/id-card.pdf was durable`]);
  });
});

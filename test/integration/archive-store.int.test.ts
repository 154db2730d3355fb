import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planFiling, type FilingDocument, type FilingInput } from '../../pipelines/person/file-plan.ts';
import type { ManifestMessage, MessageRecord, Person, PersonManifest } from '../../pipelines/types.ts';
import { applyPlanFiles, ArchiveStore } from '../../adapters/archive-store.ts';
import { LISTING_MS, listedPersonDir } from '../../adapters/archive/person-listing.ts';
import { memoryBody } from '../../pipelines/body.ts';
import { SOMCHAI } from '../helpers/people.ts';
import { SEIS_CERTIFICATION_CHECKLIST } from '../../config/default-campaigns.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CAMPAIGN = 'seis-certification';
const AT = new Date('2023-09-20T03:00:00Z');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let root: string;
let store: ArchiveStore;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'seis-archive-'));
  store = new ArchiveStore(path.join(root, 'archive'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

function pdfDoc(name: string, item: string, body = name): FilingDocument {
  const content = Buffer.from(`%PDF-1.4\n% ${body}\n%%EOF\n`);
  return {
    originalName: name,
    body: memoryBody(content),
    size: content.length,
    sha256: sha(content),
    ext: 'pdf',
    classification: { items: [item] },
    validation: { ok: true, pages: 1 },
  };
}

async function message(key: string, at = AT): Promise<ManifestMessage> {
  const raw = Buffer.from(`Message-ID: <${key}@example.test>\r\nSubject: test\r\n\r\n${key}\r\n`);
  const { emlPath } = await store.storeOriginal(raw, at);
  return { messageId: `${key}@example.test`, messageKey: key, receivedAt: at.toISOString(), subject: 'test', emlPath, late: false };
}

async function fileFor(person: Person, key: string, docs: FilingDocument[], s = store) {
  const msg = await message(key);
  const input: FilingInput = { campaignId: CAMPAIGN, person, inRoster: true, message: msg, late: false, documents: docs, now: AT,
    checklist: SEIS_CERTIFICATION_CHECKLIST };
  return s.updatePerson(CAMPAIGN, person, (current) => planFiling(current, input));
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else out.push(full);
  }
  return out;
}

describe('ArchiveStore', () => {
  it('stores an original once: same bytes give the same path and no rewrite, whatever the arrival time', async () => {
    const raw = Buffer.from('Message-ID: <a@example.test>\r\n\r\nbody\r\n');
    const first = await store.storeOriginal(raw, AT);
    expect(first.emlPath).toBe(`_messages/2023/09/${sha(raw)}.eml`);
    const stat1 = await fs.stat(store.resolveInside(first.emlPath));
    const second = await store.storeOriginal(raw, new Date('2023-11-02T00:00:00Z'));
    expect(second).toEqual(first);
    const stat2 = await fs.stat(store.resolveInside(first.emlPath));
    expect([stat2.ino, stat2.mtimeMs]).toEqual([stat1.ino, stat1.mtimeMs]);
    expect(await store.readOriginal(first.emlPath)).toEqual(raw);
    expect(stat2.mode & 0o222).toBe(0);
  });

  it('files documents into the person folder, links the original and writes the manifest', async () => {
    const plan = await fileFor(SOMCHAI, 'm1', [pdfDoc('บัตร.pdf', 'id-card'), { ...pdfDoc('x.jpg', 'id-card'),
      validation: { ok: false, code: 'image-not-pdf' } }]);
    const dir = `${CAMPAIGN}/${SOMCHAI.unit}/${SOMCHAI.nationalId} นายสมชาย ใจดีทดสอบ`;
    expect(plan.personDir).toBe(dir);
    const read = await store.readPerson(CAMPAIGN, SOMCHAI.nationalId);
    expect(read?.dir).toBe(dir);
    expect(read?.manifest.documents.map((d) => d.path)).toEqual(['id-card.pdf']);
    expect(await fs.readFile(store.resolveInside(`${dir}/id-card.pdf`), 'utf8')).toContain('บัตร.pdf');
    expect(await fs.readFile(store.resolveInside(`${dir}/_problems/x.jpg`), 'utf8')).toContain('x.jpg');
    const link = await fs.stat(store.resolveInside(`${dir}/_originals/m1.eml`));
    const original = await fs.stat(store.resolveInside(read!.manifest.messages[0].emlPath));
    expect(link.ino).toBe(original.ino);
    const files = await walk(store.root);
    expect(files.filter((f) => path.basename(f).startsWith('.tmp-'))).toEqual([]);
  });

  it('keeps one folder per national ID when the name and unit change later', async () => {
    await fileFor(SOMCHAI, 'm1', [pdfDoc('id.pdf', 'id-card')]);
    const moved = { ...SOMCHAI, lastName: 'เปลี่ยนนามสกุล', unit: 'สำนักงานใหม่' };
    const plan = await fileFor(moved, 'm2', [pdfDoc('house.pdf', 'house-registration')]);
    const persons = await store.listPersons(CAMPAIGN);
    expect(persons).toHaveLength(1);
    expect(plan.personDir).toBe(persons[0].dir);
    expect(persons[0].dir).toContain(SOMCHAI.unit);
    expect(persons[0].manifest.documents.map((d) => d.item)).toEqual(['id-card', 'house-registration']);
    // Without the index (deleted by hand) the folder is still found by scanning.
    await fs.rm(store.resolveInside('_state/persons'), { recursive: true });
    expect((await store.readPerson(CAMPAIGN, SOMCHAI.nationalId))?.dir).toBe(persons[0].dir);
  });

  it('finds the folder when a crash lost the person index (written without fsync) or left it empty or torn, and writes it again with the next filing', async () => {
    const first = await fileFor(SOMCHAI, 'm1', [pdfDoc('id.pdf', 'id-card')]);
    const index = store.resolveInside(`_state/persons/${CAMPAIGN}/${SOMCHAI.nationalId}.json`);
    expect(JSON.parse(await fs.readFile(index, 'utf8'))).toEqual({ dir: first.personDir });
    for (const [i, left] of [undefined, '', '{"dir": "seis-'].entries()) {
      if (left === undefined) await fs.rm(index);
      else await fs.writeFile(index, left);
      // After the crash: a new process, with no listing in memory.
      const after = new ArchiveStore(store.root);
      expect((await after.readPerson(CAMPAIGN, SOMCHAI.nationalId))?.dir).toBe(first.personDir);
      const plan = await fileFor(SOMCHAI, `m${i + 2}`, [pdfDoc(`house-${i}.pdf`, 'house-registration')], after);
      expect(plan.personDir).toBe(first.personDir);
      expect(plan.manifest.messages.map((m) => m.messageKey)).toEqual(['m1', ...[0, 1, 2].slice(0, i + 1).map((n) => `m${n + 2}`)]);
      expect(JSON.parse(await fs.readFile(index, 'utf8'))).toEqual({ dir: first.personDir });
    }
    expect(await store.listPersons(CAMPAIGN)).toHaveLength(1);
  });

  it('finds a folder renamed by hand at once, and one made by hand without an index after the listing expires', async () => {
    const first = await fileFor(SOMCHAI, 'm1', [pdfDoc('id.pdf', 'id-card')]);
    const renamed = `${CAMPAIGN}/อีกหน่วยงาน/${SOMCHAI.nationalId} ย้ายด้วยมือ`;
    await fs.mkdir(path.dirname(store.resolveInside(renamed)), { recursive: true });
    await fs.rename(store.resolveInside(first.personDir!), store.resolveInside(renamed));
    expect((await store.readPerson(CAMPAIGN, SOMCHAI.nationalId))?.dir).toBe(renamed);
    const plan = await fileFor(SOMCHAI, 'm2', [pdfDoc('house.pdf', 'house-registration')]);
    expect(plan.personDir).toBe(renamed);

    const handMade = `${CAMPAIGN}/${SOMCHAI.unit}/3900000000009 ทำด้วยมือ`;
    await fs.mkdir(store.resolveInside(handMade), { recursive: true });
    expect(await listedPersonDir(store, CAMPAIGN, '3900000000009')).toBeUndefined(); // listed before it was made
    expect(await listedPersonDir(store, CAMPAIGN, '3900000000009', { now: Date.now() + LISTING_MS })).toBe(handMade);
  });

  it('moves a superseded version aside on disk and changes nothing when a message is filed again', async () => {
    await fileFor(SOMCHAI, 'm1', [pdfDoc('v1.pdf', 'id-card')]);
    const plan = await fileFor(SOMCHAI, 'm2', [pdfDoc('v2.pdf', 'id-card')]);
    const dir = plan.personDir!;
    const old = plan.manifest.documents.find((d) => !d.current)!;
    expect(await fs.readFile(store.resolveInside(`${dir}/${old.path}`), 'utf8')).toContain('v1.pdf');
    expect(await fs.readFile(store.resolveInside(`${dir}/id-card.pdf`), 'utf8')).toContain('v2.pdf');
    const before = await fs.stat(store.resolveInside(`${dir}/manifest.json`));
    const again = await fileFor(SOMCHAI, 'm2', [pdfDoc('v2.pdf', 'id-card')]);
    expect(again.changed).toBe(false);
    expect((await fs.stat(store.resolveInside(`${dir}/manifest.json`))).mtimeMs).toBe(before.mtimeMs);
  });

  it('recovers from a crash between the files and the manifest without losing the old version', async () => {
    const first = await fileFor(SOMCHAI, 'm1', [pdfDoc('v1.pdf', 'id-card')]);
    const dir = first.personDir!;
    const input: FilingInput = {
      campaignId: CAMPAIGN,
      person: SOMCHAI,
      inRoster: true,
      message: await message('m2'),
      late: false,
      documents: [pdfDoc('v2.pdf', 'id-card')],
      now: AT,
      checklist: SEIS_CERTIFICATION_CHECKLIST,
    };
    // The crashed attempt: files moved and written, manifest never committed.
    await applyPlanFiles(store, dir, planFiling(first.manifest, input));
    const retried = await store.updatePerson(CAMPAIGN, SOMCHAI, (current) => planFiling(current, input));
    for (const doc of retried.manifest.documents) {
      expect(sha(await fs.readFile(store.resolveInside(`${dir}/${doc.path}`)))).toBe(doc.sha256);
    }
    expect(retried.manifest.documents.map((d) => [d.originalName, d.current])).toEqual([['v1.pdf', false], ['v2.pdf', true]]);
  });

  it('waits for a held lock and takes over a stale one left by a dead process', async () => {
    const lock = store.resolveInside(`_state/locks/${CAMPAIGN}/${SOMCHAI.nationalId}.lock`);
    await fs.mkdir(lock, { recursive: true });
    const started = Date.now();
    setTimeout(() => void fs.rm(lock, { recursive: true }), 400);
    await fileFor(SOMCHAI, 'm1', [pdfDoc('id.pdf', 'id-card')]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);

    await fs.mkdir(lock, { recursive: true });
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(lock, old, old);
    const plan = await fileFor(SOMCHAI, 'm2', [pdfDoc('house.pdf', 'house-registration')]);
    expect(plan.manifest.messages).toHaveLength(2);
  });

  it('refuses paths that escape the archive, through ".." or symlinks', async () => {
    await fs.mkdir(store.root, { recursive: true });
    expect(() => store.resolveInside('../outside')).toThrow(/escapes/);
    expect(() => store.resolveInside('a/../../outside')).toThrow(/escapes/);
    expect(() => store.resolveInside('/etc/passwd')).toThrow(/escapes/);
    expect(() => store.resolveInside('a\u0000b')).toThrow();
    await fs.symlink(root, path.join(store.root, 'link'));
    expect(() => store.resolveInside('link/x')).toThrow(/escapes/);
    await fs.symlink(path.join(root, 'missing'), path.join(store.root, 'dangling'));
    expect(() => store.resolveInside('dangling')).toThrow();
    expect(store.resolveInside('..a/b')).toBe(path.join(store.root, '..a/b'));
  });

  it('never overwrites a reply in the outbox', async () => {
    const rel = await store.writeOutbox('m1', Buffer.from('first'));
    expect(rel).toBe('_outbox/m1.eml');
    await store.writeOutbox('m1', Buffer.from('second'));
    expect(await fs.readFile(store.resolveInside(rel), 'utf8')).toBe('first');
    const elsewhere = path.join(root, 'outbox');
    const abs = await store.writeOutbox('m2', Buffer.from('x'), elsewhere);
    expect(abs).toBe(path.join(elsewhere, 'm2.eml'));
  });

  it('files unmatched mail once, with hostile attachment names kept inside its folder', async () => {
    const msg = await message('u1');
    const record = { messageKey: 'u1', messageId: msg.messageId, subject: 's', receivedAt: msg.receivedAt, reason: 'unidentified', emlPath: msg.emlPath,
      files: [] };
    const stored = await store.fileUnmatched(CAMPAIGN, record, [
      { name: '../../../evil.pdf', body: memoryBody(Buffer.from('a')) },
      { name: 'record.json', body: memoryBody(Buffer.from('b')) },
      { name: 'scan.pdf', body: memoryBody(Buffer.from('c')) },
      { name: 'scan.pdf', body: memoryBody(Buffer.from('d')) },
    ]);
    const dir = `${CAMPAIGN}/_unmatched/u1`;
    expect(stored.files.map((f) => f.path)).toEqual([`${dir}/evil.pdf`, `${dir}/record (2).json`, `${dir}/scan.pdf`, `${dir}/scan (2).pdf`]);
    for (const f of stored.files) expect(sha(await fs.readFile(store.resolveInside(f.path)))).toBe(f.sha256);
    const again = await store.fileUnmatched(CAMPAIGN, { ...record, reason: 'other' }, []);
    expect(again).toEqual(stored);
    expect(await store.listUnmatched(CAMPAIGN)).toEqual([stored]);
    expect((await fs.stat(store.resolveInside(`${dir}/original.eml`))).isFile()).toBe(true);
  });

  it('loses no update when one process files many messages for one person at once', async () => {
    const other = new ArchiveStore(store.root);
    await Promise.all(
      Array.from({ length: 12 },
        (_, i) => fileFor(SOMCHAI, `p${i}`, [pdfDoc(`child${i}.pdf`, 'child-id'), pdfDoc(`id${i}.pdf`, 'id-card')], i % 2 ? other : store)),
    );
    const base: MessageRecord = {
      messageKey: 'r',
      dedupeKey: 'd',
      messageId: 'r@x',
      rawKeys: [],
      emlPath: 'e',
      campaign: CAMPAIGN,
      receivedAt: AT.toISOString(),
      processedAt: AT.toISOString(),
      outcome: 'accepted',
      persons: [],
    };
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.updateMessageRecord('r', (r) => ({ ...(r ?? base), rawKeys: [...(r?.rawKeys ?? []), `k${i}`] }))),
    );
    expect((await store.getMessageRecord('r'))?.rawKeys).toHaveLength(10);
    const { manifest } = (await store.readPerson(CAMPAIGN, SOMCHAI.nationalId))!;
    expect(manifest.messages).toHaveLength(12);
    expect(manifest.documents.filter((d) => d.item === 'child-id' && d.current)).toHaveLength(12);
    expect(manifest.documents.filter((d) => d.item === 'id-card' && d.current)).toHaveLength(1);
  });

  it('loses no update when several processes file messages for one person at the same time', async () => {
    const WORKERS = 4;
    const EACH = 8;
    const script = path.join(root, 'hammer.mts');
    await fs.writeFile(script, hammerScript());
    await fs.mkdir(store.root, { recursive: true });
    const manifestPath = () => fs.readdir(store.resolveInside(CAMPAIGN)).then(() => store.readPerson(CAMPAIGN, SOMCHAI.nationalId));
    let reads = 0;
    let running = true;
    // A reader alongside the writers: every manifest it sees must parse (no half-written file).
    const reader = (async () => {
      while (running) {
        const found = await manifestPath().catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return undefined;
          throw err;
        });
        if (found) reads++;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const runs = Array.from({ length: WORKERS }, (_, w) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, store.root, String(w), String(EACH), JSON.stringify(SOMCHAI)], {
          cwd: REPO,
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${w} exited ${code}: ${stderr}`))));
      }));
    try {
      await Promise.all(runs);
    } finally {
      running = false;
      await reader;
    }
    expect(reads).toBeGreaterThan(0);

    const persons = await store.listPersons(CAMPAIGN);
    expect(persons).toHaveLength(1);
    const { dir, manifest } = persons[0] as { dir: string; manifest: PersonManifest };
    expect(manifest.messages).toHaveLength(WORKERS * EACH);
    const children = manifest.documents.filter((d) => d.item === 'child-id');
    expect(children).toHaveLength(WORKERS * EACH);
    expect(new Set(children.map((d) => d.path)).size).toBe(WORKERS * EACH);
    const ids = manifest.documents.filter((d) => d.item === 'id-card');
    expect(ids).toHaveLength(WORKERS * EACH);
    expect(ids.filter((d) => d.current)).toHaveLength(1);
    for (const doc of manifest.documents) {
      expect(sha(await fs.readFile(store.resolveInside(`${dir}/${doc.path}`)))).toBe(doc.sha256);
    }
    expect(await fs.readdir(store.resolveInside(`${dir}/_originals`))).toHaveLength(WORKERS * EACH);
    expect((await store.getMessageRecord('shared'))?.rawKeys).toHaveLength(WORKERS * EACH);
    expect((await walk(store.root)).filter((f) => path.basename(f).startsWith('.tmp-'))).toEqual([]);
  }, 120_000);
});

/** A separate Node process filing EACH messages for one person, each with a new child ID and a new ID card. */
function hammerScript(): string {
  const url = (rel: string) => pathToFileURL(path.join(REPO, rel)).href;
  return `
import { createHash } from 'node:crypto';
import { ArchiveStore } from '${url('adapters/archive-store.ts')}';
import { planFiling } from '${url('pipelines/person/index.ts')}';
import { memoryBody } from '${url('pipelines/body.ts')}';
import { SEIS_CERTIFICATION_CHECKLIST as checklist } from '${url('config/default-campaigns.ts')}';
const [root, worker, each, personJson] = process.argv.slice(2);
const person = JSON.parse(personJson);
const store = new ArchiveStore(root);
const at = new Date('2023-09-20T03:00:00Z');
const doc = (name, item) => {
  const content = Buffer.from('%PDF-1.4 ' + name);
  return { originalName: name, body: memoryBody(content), size: content.length, sha256: createHash('sha256').update(content).digest('hex'),
    ext: 'pdf', classification: { items: [item] }, validation: { ok: true, pages: 1 } };
};
for (let i = 0; i < Number(each); i++) {
  const key = 'w' + worker + '-m' + i;
  const { emlPath } = await store.storeOriginal(Buffer.from('Message-ID: <' + key + '@x>\\r\\n\\r\\n' + key), at);
  const message = { messageId: key + '@x', messageKey: key, receivedAt: at.toISOString(), subject: 's', emlPath, late: false };
  const documents = [doc('child-' + key + '.pdf', 'child-id'), doc('id-' + key + '.pdf', 'id-card')];
  await store.updatePerson('seis-certification', person, (current) =>
    planFiling(current, { campaignId: 'seis-certification', person, inRoster: true, message, late: false, documents, now: at, checklist }));
  await store.updateMessageRecord('shared', (r) => ({ ...(r ?? { messageKey: 'shared', dedupeKey: 'd', messageId: 's', rawKeys: [],
    emlPath: 'e', campaign: 'seis-certification', receivedAt: at.toISOString(), processedAt: at.toISOString(), outcome: 'accepted',
    persons: [] }), rawKeys: [...(r?.rawKeys ?? []), key] }));
}
`;
}

// First-page thumbnails on the dashboard, drawn by the real poppler over an archive built through the real
// pipeline: PNGs cached by sha256 (mode 600), the same lookup and login rules as the file route, combined originals
// reachable, and placeholders (never a 500) when poppler is missing or a file cannot be drawn.
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../dashboard/auth.ts';
import { createDashboard, type Dashboard } from '../../../dashboard/server.ts';
import { thumbnailPath } from '../../../pipelines/archive-paths.ts';
import type { PersonManifest } from '../../../pipelines/types.ts';
import { silentLogger } from '../../../adapters/logger.ts';
import { ThumbnailCache } from '../../../adapters/thumbnail-cache.ts';
import { verifyArchive } from '../../../usecases/verify-archive.ts';
import { buildSampleArchive, SAMPLE_NOW, type SampleArchive } from '../../helpers/dashboard/sample-archive.ts';
import { loginAs } from '../../helpers/dashboard/login.ts';
import { dropPrefix, sessionPrefix } from '../../helpers/dashboard/redis-sessions.ts';

const C = 'seis-certification';
const PASSWORD = 'thumbnail test password';
let root: string;
let sample: SampleArchive;
const dashboards: Dashboard[] = [];
const SESSIONS = sessionPrefix('thumbs');

async function dashboard(thumbnails?: ThumbnailCache): Promise<Dashboard> {
  const dash = await createDashboard({
    sessionPrefix: SESSIONS,
    config: sample.config,
    store: sample.store,
    roster: sample.roster,
    log: silentLogger,
    clock: () => SAMPLE_NOW,
    users: [{ name: 'somying', passwordHash: await hashPassword(PASSWORD), role: 'viewer' }],
    ...(thumbnails ? { thumbnails } : {}),
  });
  await dash.state.index.check(true);
  dashboards.push(dash);
  return dash;
}

async function login(dash: Dashboard): Promise<string> {
  return (await loginAs(dash, 'somying', PASSWORD)).cookie;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString('latin1')).toBe('\x89PNG\r\n\x1a\n');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const person = (i: number) => sample.roster[i].nationalId;
const thumbUrl = (nid: string, rel: string) => `/c/${C}/p/${nid}/thumb?path=${encodeURIComponent(rel)}`;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dash-thumbs-'));
  sample = await buildSampleArchive(root);
}, 120_000);

afterAll(async () => {
  for (const d of dashboards) await d.close();
  await dropPrefix(SESSIONS);
  await rm(root, { recursive: true, force: true });
});

describe('dashboard thumbnails', () => {
  it('draws page 1 of a document with poppler, caches it by sha256 with mode 600, and serves it same-origin', async () => {
    const dash = await dashboard();
    const cookie = await login(dash);
    const found = (await sample.store.readPerson(C, person(0)))!;
    const doc = found.manifest.documents.find((d) => d.path === 'appointment-education.pdf')!;
    const res = await dash.app.inject({ method: 'GET', url: thumbUrl(person(0), doc.path), headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(String(res.headers['content-security-policy'])).toContain('img-src \'self\'');
    const size = pngSize(res.rawPayload);
    // A4 portrait scaled so that its long side is 240 pixels
    expect(size.height).toBe(240);
    expect(size.width).toBeGreaterThan(160);
    expect(size.width).toBeLessThan(180);
    const cached = path.join(root, thumbnailPath(doc.sha256));
    expect(((await stat(cached)).mode & 0o777).toString(8)).toBe('600');
    expect(await readFile(cached)).toEqual(res.rawPayload);
    // `seis-intake verify` knows the area: no "unknown state area" warning for it
    const report = await verifyArchive(root, { config: sample.config });
    expect(report.findings.filter((f) => f.path.startsWith('_state/thumbs'))).toEqual([]);
  });

  it('serves a cached thumbnail without poppler, and a placeholder picture (not an error) for one it cannot draw', async () => {
    const noPoppler = new ThumbnailCache(sample.store, { tools: { pdftoppm: path.join(root, 'no-such-pdftoppm') } });
    const dash = await dashboard(noPoppler);
    const cookie = await login(dash);
    const cachedDoc = thumbUrl(person(0), 'appointment-education.pdf');
    const fromCache = await dash.app.inject({ method: 'GET', url: cachedDoc, headers: { cookie } });
    expect(fromCache.statusCode).toBe(200);
    expect(fromCache.headers['content-type']).toBe('image/png');

    const res = await dash.app.inject({ method: 'GET', url: thumbUrl(person(0), 'house-registration.pdf'), headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers['x-thumbnail']).toBe('placeholder; reason=no-renderer');
    expect(res.body).toContain('ไม่มีภาพตัวอย่าง');
    expect(res.body).not.toMatch(/<script|href=/i);
    // the person page around it still loads, with its thumbnails
    const page = await dash.app.inject({ method: 'GET', url: `/c/${C}/p/${person(0)}`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`src="${thumbUrl(person(0), 'house-registration.pdf').replace(/&/g, '&amp;')}"`);
  });

  it('draws a JPEG problem file and the files of unmatched mail; a file that is not a scan gets a placeholder', async () => {
    const dash = await dashboard();
    const cookie = await login(dash);
    const kittiya = (await sample.store.readPerson(C, person(5)))!;
    const jpeg = kittiya.manifest.problems.find((p) => p.code === 'image-not-pdf')!;
    const res = await dash.app.inject({ method: 'GET', url: thumbUrl(person(5), jpeg.path), headers: { cookie } });
    expect(res.headers['content-type']).toBe('image/png');
    expect(pngSize(res.rawPayload)).toEqual({ width: 240, height: 240 }); // a 1 × 1 pixel photo, scaled up

    const [unmatched] = await sample.store.listUnmatched(C);
    const un = await dash.app.inject({ method: 'GET', url: `/c/${C}/unmatched/${unmatched.messageKey}/thumb?n=1`, headers: { cookie } });
    expect(un.headers['content-type']).toBe('image/png');
    const detail = await dash.app.inject({ method: 'GET', url: `/c/${C}/unmatched/${unmatched.messageKey}`, headers: { cookie } });
    expect(detail.body).toContain(`/c/${C}/unmatched/${unmatched.messageKey}/thumb?n=0`);

    // a web page saved as .pdf: kept as a problem by the pipeline; its thumbnail is a placeholder, remembered
    const fake = path.join(root, kittiya.dir, jpeg.path);
    await copyFile(fake, `${fake}.bak`);
    await writeFile(fake, '<html><body>not a scan</body></html>');
    await unlink(path.join(root, thumbnailPath(jpeg.sha256))).catch(() => undefined);
    const fresh = await dashboard();
    const cookie2 = await login(fresh);
    const bad = await fresh.app.inject({ method: 'GET', url: thumbUrl(person(5), jpeg.path), headers: { cookie: cookie2 } });
    expect(bad.statusCode).toBe(200);
    expect(bad.headers['x-thumbnail']).toBe('placeholder; reason=unreadable');
    await copyFile(`${fake}.bak`, fake);
  });

  it('answers only for files the manifest lists, only to a signed-in user', async () => {
    const dash = await dashboard();
    const cookie = await login(dash);
    const anonymous = await dash.app.inject({ method: 'GET', url: thumbUrl(person(0), 'id-card.pdf') });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.rawPayload.subarray(0, 4).toString('latin1')).not.toBe('\x89PNG');
    for (const url of [
      thumbUrl(person(0), 'manifest.json'),
      thumbUrl(person(0), '../../../../_state/messages'),
      thumbUrl(person(1), 'father-id.pdf'),
      thumbUrl(person(2), 'id-card.pdf'),
      `/c/${C}/p/123/thumb?path=id-card.pdf`,
      `/c/nope/p/${person(0)}/thumb?path=id-card.pdf`,
      `/c/${C}/unmatched/nope/thumb?n=0`,
      `/c/${C}/unmatched/${(await sample.store.listUnmatched(C))[0].messageKey}/thumb?n=9`,
    ]) {
      const res = await dash.app.inject({ method: 'GET', url, headers: { cookie } });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
    }
  });

  it('lists combined originals on the person page, with their thumbnail and a download, and serves them', async () => {
    const found = (await sample.store.readPerson(C, person(1)))!;
    const dir = path.join(root, found.dir);
    await mkdir(path.join(dir, '_combined'), { recursive: true });
    await copyFile(path.join(dir, 'id-card.pdf'), path.join(dir, '_combined', 'รวมเอกสาร.pdf'));
    const card = found.manifest.documents.find((d) => d.path === 'id-card.pdf')!;
    const manifest: PersonManifest = {
      ...found.manifest,
      combined: [{ path: '_combined/รวมเอกสาร.pdf', originalName: 'รวมเอกสาร.pdf', sha256: card.sha256, size: card.size, parts: 2, receivedAt: card.receivedAt,
        messageId: card.messageId, messageKey: card.messageKey }],
      documents: found.manifest.documents.map((d) => (d.path === 'id-card.pdf'
        ? { ...d,
          reading: { source: 'content' as const, confidence: 0.91, flags: ['no-certification'], evidence: ['บัตรประจำตัวประชาชน'],
            splitFrom: { originalName: 'รวมเอกสาร.pdf', sha256: card.sha256, pages: [1, 2] } } }
        : d)
      ),
    };
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
    const dash = await dashboard();
    const cookie = await login(dash);
    const page = await dash.app.inject({ method: 'GET', url: `/c/${C}/p/${person(1)}`, headers: { cookie } });
    expect(page.body).toContain('data-combined-file="_combined/รวมเอกสาร.pdf"');
    expect(page.body).toContain('แยกจากไฟล์ <bdi>รวมเอกสาร.pdf</bdi> หน้า 1–2');
    expect(page.body).toContain('ไม่มีคำรับรองสำเนาถูกต้อง');
    const file = await dash.app.inject({ method: 'GET', url: `/c/${C}/p/${person(1)}/file?path=${encodeURIComponent('_combined/รวมเอกสาร.pdf')}`,
      headers: { cookie } });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const thumb = await dash.app.inject({ method: 'GET', url: thumbUrl(person(1), '_combined/รวมเอกสาร.pdf'), headers: { cookie } });
    expect(thumb.headers['content-type']).toBe('image/png');
  });
});

// Everything that leaves as bytes: documents (PDF inline, anything else as a download), original messages,
// person and unit ZIPs (streamed), and the report exports. Files are found by national ID + a path listed in
// the manifest (documents, problems, combined originals), or message key + index: a request never names a disk
// path, and every access is audited. personFile/unmatchedFile and FILE_ROUTE serve thumbnails.ts too.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unitFolder } from '../../pipelines/archive-paths.ts';
import { buildReport, reportToCsv, reportToXlsx } from '../../pipelines/person/index.ts';
import type { Person } from '../../pipelines/types.ts';
import { loadExtensions, personDeadline } from '../../usecases/extensions.ts';
import type { DashboardState } from '../state.ts';
import { scopedPersonReport } from '../scoped.ts';
import { streamZip } from '../zip.ts';
import { sendUnitExport } from './unit-files.ts';
import { campaignOf, clientIp, contentDisposition, findPersonMessage, MESSAGE_KEY, NATIONAL_ID, notFound, sendStoredFile } from './common.ts';

type Params = { cid: string; nid?: string; key?: string; unit?: string };
const file = { config: { file: true, access: 'read' as const } };
/** Route options of every route that answers with a stored file's bytes or a picture of it: one set of access rules. */
export const FILE_ROUTE = file;

/** A file a person's manifest lists (document, problem file or combined original), by its path in the folder. */
export async function personFile(state: DashboardState, cid: string, nid: string, rel: string) {
  const campaign = campaignOf(state, cid);
  if (campaign?.scope !== 'person' || !NATIONAL_ID.test(nid)) return undefined;
  const found = await state.store.readPerson(campaign.id, nid);
  const listed = found && [...found.manifest.documents, ...found.manifest.problems, ...(found.manifest.combined ?? [])].find((d) => d.path === rel);
  if (!found || !listed) return undefined;
  return { campaign, listed, abs: state.store.resolveInside(`${found.dir}/${listed.path}`) };
}

/** File number `n` of an unmatched message (person- or unit-scope campaign). */
export async function unmatchedFile(state: DashboardState, cid: string, key: string, n: number) {
  const campaign = campaignOf(state, cid);
  if (!campaign || !MESSAGE_KEY.test(key) || !Number.isInteger(n)) return undefined;
  await state.index.refreshUnmatched(campaign.id);
  const record = (state.index.campaign(campaign.id) ?? state.index.unitCampaign(campaign.id))?.unmatched.get(key)?.value;
  const stored = record?.files[n];
  if (!stored) return undefined;
  return { campaign, stored, abs: state.store.resolveInside(stored.path) };
}

export function registerFileRoutes(app: FastifyInstance, state: DashboardState): void {
  const audit = (request: FastifyRequest, action: 'download-file' | 'download-eml' | 'download-zip' | 'export', campaign: string, target: string,
    detail: Record<string, unknown>) => state.audit.write({ user: request.session!.user, ip: clientIp(request), action, campaign, target, detail });

  app.get<{ Params: Params; Querystring: { path?: string } }>('/c/:cid/p/:nid/file', file, async (request, reply) => {
    const nid = request.params.nid ?? '';
    const found = await personFile(state, request.params.cid, nid, String(request.query.path ?? ''));
    if (!found) return notFound(state, request, reply, 'ไม่พบไฟล์นี้ในแฟ้ม');
    const { campaign, listed, abs } = found;
    await audit(request, 'download-file', campaign.id, nid, { path: listed.path, sha256: listed.sha256 });
    if (!(await sendStoredFile(reply, abs, path.basename(listed.path)))) return notFound(state, request, reply, 'ไฟล์ไม่อยู่ในแฟ้มแล้ว');
    return reply;
  });

  app.get<{ Params: Params }>('/c/:cid/p/:nid/messages/:key/eml', file, async (request, reply) => {
    const { nid = '', key = '' } = request.params;
    const lookup = await findPersonMessage(state, campaignOf(state, request.params.cid), nid, key);
    if (!lookup) return notFound(state, request, reply);
    const { campaign, message } = lookup;
    if (!message?.emlPath) return notFound(state, request, reply, 'ไม่พบอีเมลนี้');
    await audit(request, 'download-eml', campaign.id, nid, { messageKey: key });
    return reply.header('content-disposition', contentDisposition('attachment', `${key}.eml`)).type('message/rfc822')
      .send(createReadStream(state.store.resolveInside(message.emlPath)));
  });

  app.get<{ Params: Params }>('/c/:cid/p/:nid/zip', file, async (request, reply) => {
    const campaign = campaignOf(state, request.params.cid);
    const nid = request.params.nid ?? '';
    if (campaign?.scope !== 'person' || !NATIONAL_ID.test(nid)) return notFound(state, request, reply);
    const found = await state.store.readPerson(campaign.id, nid);
    if (!found) return notFound(state, request, reply, 'บุคคลนี้ยังไม่มีแฟ้ม');
    const name = path.posix.basename(found.dir);
    await audit(request, 'download-zip', campaign.id, nid, { dir: found.dir });
    return reply.header('content-disposition', contentDisposition('attachment', `${name}.zip`)).type('application/zip')
      .send(streamZip([{ abs: state.store.resolveInside(found.dir), name }]));
  });

  app.get<{ Params: Params }>('/c/:cid/units/:unit/zip', file, async (request, reply) => {
    const campaign = campaignOf(state, request.params.cid);
    const unit = request.params.unit ?? '';
    const persons = campaign && state.index.campaign(campaign.id)?.unit(unit);
    if (!campaign || !persons) return notFound(state, request, reply, 'ไม่พบหน่วยงานนี้');
    const folders = persons.filter((p) => p.dir).map((p) => ({
      abs: state.store.resolveInside(p.dir!),
      name: `${unitFolder(unit)}/${path.posix.basename(p.dir!)}`,
    }));
    await audit(request, 'download-zip', campaign.id, unit, { unit, folders: folders.length });
    return reply.header('content-disposition', contentDisposition('attachment', `${unit}.zip`)).type('application/zip')
      .send(streamZip(folders));
  });

  const unmatchedRecord = async (cid: string, key: string) => {
    await state.index.refreshUnmatched(cid);
    return (state.index.campaign(cid) ?? state.index.unitCampaign(cid))?.unmatched.get(key)?.value;
  };

  app.get<{ Params: Params; Querystring: { n?: string } }>('/c/:cid/unmatched/:key/file', file, async (request, reply) => {
    const key = request.params.key ?? '';
    const found = await unmatchedFile(state, request.params.cid, key, Number(request.query.n));
    if (!found) return notFound(state, request, reply, 'ไม่พบไฟล์นี้');
    const { campaign, stored, abs } = found;
    await audit(request, 'download-file', campaign.id, key, { path: stored.path, sha256: stored.sha256 });
    if (!(await sendStoredFile(reply, abs, stored.name))) return notFound(state, request, reply);
    return reply;
  });

  app.get<{ Params: Params }>('/c/:cid/unmatched/:key/eml', file, async (request, reply) => {
    const campaign = campaignOf(state, request.params.cid);
    const key = request.params.key ?? '';
    if (!campaign || !MESSAGE_KEY.test(key)) return notFound(state, request, reply);
    const record = await unmatchedRecord(campaign.id, key);
    if (!record?.emlPath) return notFound(state, request, reply, 'ไม่พบอีเมลนี้');
    await audit(request, 'download-eml', campaign.id, key, { messageKey: key });
    return reply.header('content-disposition', contentDisposition('attachment', `${key}.eml`)).type('message/rfc822')
      .send(createReadStream(state.store.resolveInside(record.emlPath)));
  });

  for (const format of ['xlsx', 'csv'] as const) {
    app.get<{ Params: Params }>(`/c/:cid/export.${format}`, file, async (request, reply) => {
      const campaign = campaignOf(state, request.params.cid);
      if (campaign?.scope === 'unit') return sendUnitExport(state, request, reply, campaign.id, format);
      if (!campaign) return notFound(state, request, reply);
      // The same report as `seis-intake report`, read fresh from the archive rather than from the index.
      const [persons, unmatched, extensions] = await Promise.all([
        state.store.listPersons(campaign.id),
        state.store.listUnmatched(campaign.id),
        loadExtensions(state.config, state.store, campaign.id),
      ]);
      const deadlineOf = (p: Person) => personDeadline(campaign, extensions, p, state.units);
      const report = scopedPersonReport(
        buildReport({ campaign, roster: [...state.rosterById.values()], persons, unmatched, now: state.clock(), deadlineOf }),
        request.scope!,
      );
      await audit(request, 'export', campaign.id, format, { persons: report.persons.length });
      reply.header('content-disposition', contentDisposition('attachment', `${campaign.id}-report.${format}`));
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(reportToCsv(report, { checklist: campaign.checklist }));
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(await reportToXlsx(report, { checklist: campaign.checklist }));
    });
  }
}

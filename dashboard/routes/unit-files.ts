// What leaves as bytes in a unit-scope campaign: a file of a unit's folder (the appointment order opens inline
// when it really is a PDF; anything else is a download), a report's original message, and the exports (the
// staff report of `seis-intake report --campaign …` as XLSX or CSV). Files are found by a unit the index knows
// plus a path listed in its manifest, and resolved with ArchiveStore.resolveInside; every access is audited.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { unitReportFromArchive } from '../../usecases/reports.ts';
import { unitReportToCsv, unitReportToXlsx } from '../../pipelines/unit/index.ts';
import { scopedUnitReport } from '../scoped.ts';
import type { DashboardState } from '../state.ts';
import { auditRequest, contentDisposition, MESSAGE_KEY, notFound, sendStoredFile } from './common.ts';
import { readKnownUnit, unitCampaignOf } from './unit-pages.ts';

type Params = { cid: string; unit?: string; key?: string };
const file = { config: { file: true, access: 'read' as const } };

/** The unit report, read fresh from the archive (not the index), exactly as the CLI builds it. */
export async function sendUnitExport(state: DashboardState, request: FastifyRequest, reply: FastifyReply, id: string, format: 'xlsx' | 'csv') {
  const u = unitCampaignOf(state, id);
  if (!u) return notFound(state, request, reply);
  const full = await unitReportFromArchive({ config: state.config, store: state.store, log: state.log, ...(state.units ? { units: state.units } : {}) }, id,
    state.clock());
  const report = scopedUnitReport(full, request.scope!);
  await auditRequest(state, request, {
    action: 'export',
    campaign: id,
    target: format,
    detail: { units: report.units.length, rows: (report.cannotLogin ?? report.administrators ?? []).length },
  });
  reply.header('content-disposition', contentDisposition('attachment', `${id}-report.${format}`));
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(unitReportToCsv(report));
  // No archiveRoot: file:// links into the server's disk would mean nothing on a staff member's machine.
  return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await unitReportToXlsx(report));
}

export function registerUnitFileRoutes(app: FastifyInstance, state: DashboardState): void {
  app.get<{ Params: Params; Querystring: { path?: string } }>('/c/:cid/units/:unit/file', file, async (request, reply) => {
    const u = unitCampaignOf(state, request.params.cid);
    const unit = request.params.unit ?? '';
    const rel = String(request.query.path ?? '');
    const found = u ? await readKnownUnit(state, u.index, unit) : undefined;
    const listed = found?.manifest.submissions.flatMap((s) => s.files).find((f) => f.path === rel);
    if (!u || !found || !listed) return notFound(state, request, reply, 'ไม่พบไฟล์นี้ในแฟ้มของหน่วยงาน');
    const abs = state.store.resolveInside(`${found.dir}/${listed.path}`);
    await auditRequest(state, request, {
      action: 'download-file',
      campaign: u.config.id,
      target: unit,
      detail: { path: listed.path, sha256: listed.sha256 },
    });
    if (!(await sendStoredFile(reply, abs, path.posix.basename(listed.path)))) return notFound(state, request, reply, 'ไฟล์ไม่อยู่ในแฟ้มแล้ว');
    return reply;
  });

  app.get<{ Params: Params }>('/c/:cid/units/:unit/messages/:key/eml', file, async (request, reply) => {
    const u = unitCampaignOf(state, request.params.cid);
    const { unit = '', key = '' } = request.params;
    const found = u && MESSAGE_KEY.test(key) ? await readKnownUnit(state, u.index, unit) : undefined;
    const submission = found?.manifest.submissions.find((s) => s.messageKey === key);
    if (!u || !submission?.emlPath) return notFound(state, request, reply, 'ไม่พบอีเมลนี้');
    await auditRequest(state, request, {
      action: 'download-eml',
      campaign: u.config.id,
      target: unit,
      detail: { messageKey: key },
    });
    return reply.header('content-disposition', contentDisposition('attachment', `${key}.eml`)).type('message/rfc822')
      .send(createReadStream(state.store.resolveInside(submission.emlPath)));
  });
}

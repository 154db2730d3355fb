// First-page thumbnails beside each document: the same lookup and access rules as the file routes (personFile,
// unmatchedFile, FILE_ROUTE), so whoever may not open a file may not see its picture either. A file that cannot be
// drawn (no poppler, a broken PDF) answers a placeholder picture, never an error page inside an <img>.
// Not audited one by one: a person page shows a dozen, and opening the page is audited (view-person).
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Thumbnail } from '../../adapters/thumbnail-cache.ts';
import type { DashboardState } from '../state.ts';
import { placeholderSvg } from '../views/thumbnail.ts';
import { notFound } from './common.ts';
import { FILE_ROUTE, personFile, unmatchedFile } from './files.ts';

type Params = { cid: string; nid?: string; key?: string };

function sendThumbnail(reply: FastifyReply, thumb: Thumbnail) {
  reply.header('cache-control', 'private, no-store').header('content-disposition', 'inline');
  if (thumb.kind === 'image') return reply.type('image/png').header('content-length', thumb.png.length).send(thumb.png);
  return reply.type('image/svg+xml; charset=utf-8').header('x-thumbnail', `placeholder; reason=${thumb.reason}`)
    .send(placeholderSvg(thumb.reason));
}

export function registerThumbnailRoutes(app: FastifyInstance, state: DashboardState): void {
  app.get<{ Params: Params; Querystring: { path?: string } }>('/c/:cid/p/:nid/thumb', FILE_ROUTE, async (request, reply) => {
    const found = await personFile(state, request.params.cid, request.params.nid ?? '', String(request.query.path ?? ''));
    if (!found) return notFound(state, request, reply, 'ไม่พบไฟล์นี้ในแฟ้ม');
    return sendThumbnail(reply, await state.thumbnails.get(found.listed.sha256, found.abs));
  });

  app.get<{ Params: Params; Querystring: { n?: string } }>('/c/:cid/unmatched/:key/thumb', FILE_ROUTE, async (request, reply) => {
    const found = await unmatchedFile(state, request.params.cid, request.params.key ?? '', Number(request.query.n));
    if (!found) return notFound(state, request, reply, 'ไม่พบไฟล์นี้');
    return sendThumbnail(reply, await state.thumbnails.get(found.stored.sha256, found.abs));
  });
}

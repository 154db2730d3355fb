// What a page handler decides, as a value: the page to draw, "not found", or a redirect. The handlers in
// campaign-pages.ts, person-pages.ts and unmatched-pages.ts return one; answer() is the only place that sends it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Campaign } from '../../pipelines/types.ts';
import type { Renderable } from '../html.ts';
import type { DashboardState } from '../state.ts';
import { notFound, pageContext, sendPage } from './common.ts';

export type PageParams = { cid: string; unit?: string; nid?: string; key?: string };
export type PageRequest<Query = unknown> = FastifyRequest<{ Params: PageParams; Querystring: Query }>;

export type PageAnswer =
  | { kind: 'page'; title: string; campaignId: string; body: Renderable }
  | { kind: 'not-found'; message?: string }
  | { kind: 'redirect'; location: string };

/** A page of the campaign's person-scope routes: the state, the request, and the campaign its :cid names (if any). */
export type PageBuilder<Query = unknown> = (
  state: DashboardState,
  request: PageRequest<Query>,
  campaign: Campaign | undefined,
) => PageAnswer | Promise<PageAnswer>;

export const notFoundAnswer = (message?: string): PageAnswer => ({ kind: 'not-found', ...(message ? { message } : {}) });

export function answer(state: DashboardState, request: FastifyRequest, reply: FastifyReply, outcome: PageAnswer) {
  switch (outcome.kind) {
    case 'page':
      return sendPage(reply, outcome.title, pageContext(state, request, outcome.campaignId), outcome.body);
    case 'not-found':
      return notFound(state, request, reply, outcome.message);
    case 'redirect':
      return reply.code(303).header('location', outcome.location).send();
  }
}

// The HTML pages of person-scope campaigns, by URL: login/logout, overview, unit, person, source message, search,
// unmatched queue, exports. Each page is a builder that returns a PageAnswer (campaign-pages.ts, person-pages.ts,
// unmatched-pages.ts); unit-scope campaigns answer at the same URLs from unit-pages.ts and unit-decisions.ts (the
// home page lives there too). Every page route here declares the 'read' access level; guards.ts checks the scope.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { DashboardState } from '../state.ts';
import { exportsPage, overviewPage, searchPage, unitPersonsPage } from './campaign-pages.ts';
import { campaignOf } from './common.ts';
import { registerLoginRoutes } from './login.ts';
import { answer, type PageBuilder, type PageParams, type PageRequest } from './page-answer.ts';
import { personMessagePage, personPage } from './person-pages.ts';
import { unitExportsPage, unitFolderPage, unitOverviewPage } from './unit-pages.ts';
import { unitUnmatchedPage } from './unit-decisions.ts';
import { unmatchedListPage, unmatchedMessagePage } from './unmatched-pages.ts';

/** The unit-scope page that answers at the same URL (it sends its own reply). */
type UnitHandover<Query> = (state: DashboardState, request: PageRequest<Query>, reply: FastifyReply, campaignId: string) => Promise<unknown>;

/** One route's handler: a unit-scope campaign handed over, else the person-scope builder's answer sent. */
function pageHandler<Query>(state: DashboardState, build: PageBuilder<Query>, unitPage?: UnitHandover<Query>) {
  return async (request: PageRequest<Query>, reply: FastifyReply) => {
    const campaign = campaignOf(state, request.params.cid);
    if (unitPage && campaign?.scope === 'unit') return unitPage(state, request, reply, campaign.id);
    return answer(state, request, reply, await build(state, request, campaign));
  };
}

const unitFolder: UnitHandover<{ flags?: string }> = (state, request, reply, id) => unitFolderPage(state, request, reply, id, request.params.unit ?? '');

export function registerPageRoutes(app: FastifyInstance, state: DashboardState): void {
  const read = { config: { access: 'read' as const } };
  type Route<Query = unknown> = { Params: PageParams; Querystring: Query };
  registerLoginRoutes(app, state);
  app.get<Route>('/c/:cid', read, pageHandler(state, overviewPage, unitOverviewPage));
  app.get<Route<{ flags?: string }>>('/c/:cid/units/:unit', read, pageHandler(state, unitPersonsPage, unitFolder));
  app.get<Route>('/c/:cid/p/:nid', read, pageHandler(state, personPage));
  app.get<Route>('/c/:cid/p/:nid/messages/:key', read, pageHandler(state, personMessagePage));
  app.get<Route<{ q?: string; flags?: string }>>('/c/:cid/search', read, pageHandler(state, searchPage));
  app.get<Route>('/c/:cid/unmatched', read, pageHandler(state, unmatchedListPage));
  app.get<Route<{ q?: string; done?: string }>>('/c/:cid/unmatched/:key', read, pageHandler(state, unmatchedMessagePage, unitUnmatchedPage));
  app.get<Route>('/c/:cid/exports', read, pageHandler(state, exportsPage, unitExportsPage));
}

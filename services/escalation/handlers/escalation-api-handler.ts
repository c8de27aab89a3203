import { routesAnswering, serveRoutes } from '../../../shared/http/route';
import {
  actOnEscalation,
  listAllEscalations,
  listDepartmentQueue,
  listOwnEscalations,
  raiseEscalation,
  readEscalation,
} from '../domain/escalations/escalations';
import type { Escalation } from '../domain/escalations/model';
import { escalationView, type Viewer } from '../domain/escalations/visibility';
import type { EscalationDependencies } from '../domain/ports';
import {
  acknowledgeEscalation,
  changeEscalationStatus,
  commentOnEscalation,
  getEscalation,
  listDepartmentEscalations,
  listEscalations,
  listOwnEscalations as listOwnEscalationsRoute,
  raiseEscalation as raiseEscalationRoute,
  reopenEscalation,
  withdrawEscalation,
} from '../routes/escalations';
import { escalationErrors } from './http-errors';

const route = routesAnswering(escalationErrors);

export const createEscalationApiHandler = (deps: EscalationDependencies) => {
  const pageView = (page: { items: Escalation[]; nextCursor?: string }, viewer: Viewer) => ({
    items: page.items.map((item) => escalationView(item, viewer, deps.clock())),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  });

  return serveRoutes(
    route(raiseEscalationRoute).handle(async ({ body, principal, correlationId }) => {
      const escalation = await raiseEscalation(deps, principal, body, { correlationId });
      return { status: 201, body: escalationView(escalation, 'reporter', deps.clock(), []) };
    }),

    route(getEscalation).handle(async ({ params, principal }) => {
      const { escalation, viewer, comments } = await readEscalation(deps, principal, params.escalationId);
      return { status: 200, body: escalationView(escalation, viewer, deps.clock(), comments) };
    }),

    route(listEscalations).handle(async ({ query }) => ({
      status: 200,
      body: pageView(await listAllEscalations(deps, query), 'life-coach'),
    })),

    route(listOwnEscalationsRoute).handle(async ({ query, principal }) => ({
      status: 200,
      body: pageView(await listOwnEscalations(deps, principal, query), 'reporter'),
    })),

    route(listDepartmentEscalations).handle(async ({ params, query, principal }) => {
      const page = await listDepartmentQueue(deps, principal, params.departmentId, query);
      return { status: 200, body: pageView(page, page.viewer) };
    }),

    route(acknowledgeEscalation).handle(async ({ params, principal, correlationId }) => {
      const done = await actOnEscalation(
        deps,
        principal,
        params.escalationId,
        { kind: 'acknowledge' },
        { correlationId },
      );
      return { status: 200, body: escalationView(done.escalation, done.viewer, deps.clock()) };
    }),

    route(changeEscalationStatus).handle(async ({ params, body, principal, correlationId }) => {
      const done = await actOnEscalation(
        deps,
        principal,
        params.escalationId,
        { kind: 'status', status: body.status, comment: body.comment },
        { correlationId },
      );
      return { status: 200, body: escalationView(done.escalation, done.viewer, deps.clock()) };
    }),

    route(commentOnEscalation).handle(async ({ params, body, principal, correlationId }) => {
      const done = await actOnEscalation(
        deps,
        principal,
        params.escalationId,
        { kind: 'comment', body: body.body },
        { correlationId },
      );
      const view = escalationView(done.escalation, done.viewer, deps.clock(), done.comment ? [done.comment] : []);
      const [comment] = view.comments ?? [];
      if (!comment) throw new Error('A comment action always adds a comment');
      const { comments: _comments, ...escalation } = view;
      return { status: 201, body: { comment, escalation } };
    }),

    route(reopenEscalation).handle(async ({ params, body, principal, correlationId }) => {
      const done = await actOnEscalation(
        deps,
        principal,
        params.escalationId,
        { kind: 'reopen', comment: body.comment },
        { correlationId },
      );
      return { status: 200, body: escalationView(done.escalation, done.viewer, deps.clock()) };
    }),

    route(withdrawEscalation).handle(async ({ params, body, principal, correlationId }) => {
      const done = await actOnEscalation(
        deps,
        principal,
        params.escalationId,
        { kind: 'withdraw', comment: body.comment },
        { correlationId },
      );
      return { status: 200, body: escalationView(done.escalation, done.viewer, deps.clock()) };
    }),
  );
};

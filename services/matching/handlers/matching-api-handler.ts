import type { Principal } from '../../../shared/auth/principal';
import { isProgrammeStaff } from '../../../shared/auth/principal';
import { routesAnswering, serveRoutes } from '../../../shared/http/route';
import { setAvailability } from '../domain/pods/availability';
import { getRun, startRun } from '../domain/pods/matching-runs';
import type { MatchingRun, PodWithMembers } from '../domain/pods/model';
import type { PairingDependencies } from '../domain/pods/ports';
import { decideReassignment, requestReassignment } from '../domain/pods/reassignment';
import { peopleIn, podView, relationTo } from '../domain/pods/visibility';
import {
  decideReassignment as decideReassignmentRoute,
  getMatchingRun,
  getPod,
  getReassignmentRequest,
  listPods,
  listReassignmentRequests,
  requestReassignment as requestReassignmentRoute,
  setMentorAvailability,
  startMatchingRun,
} from '../routes/pods';
import { matchingErrors } from './http-errors';

const route = routesAnswering(matchingErrors);

/** The run as the API shows it: everything but the directory versions it read. */
const runView = (run: MatchingRun, appliedSteps: number | null = null) => ({
  runId: run.runId,
  mode: run.mode,
  status: run.status,
  domains: run.domains,
  scope: run.scope,
  runDate: run.runDate,
  createdAt: run.createdAt,
  requestedBy: run.requestedBy,
  ...(run.committedAt ? { committedAt: run.committedAt } : {}),
  ...(run.abortedReason ? { abortedReason: run.abortedReason } : {}),
  ...(run.podsBelowMinimum ? { podsBelowMinimum: run.podsBelowMinimum } : {}),
  basedOnGeneration: run.basedOn.generation,
  counts: run.counts,
  steps: { total: run.steps, ...(appliedSteps === null ? {} : { applied: appliedSteps }) },
  result: run.result,
});

export const createMatchingApiHandler = (deps: PairingDependencies) => {
  const viewsOf = async (pods: readonly PodWithMembers[], principal: Principal) => {
    const people = await deps.pairings.peopleByIds(peopleIn(pods));
    return pods.flatMap((found) => {
      const relation = relationTo(principal, found);
      return relation ? [podView(found, people, relation, principal.personId)] : [];
    });
  };

  return serveRoutes(
    route(startMatchingRun).handle(async ({ body, principal, correlationId }) => {
      const { run, created } = await startRun(deps, body, principal.personId, { correlationId });
      return created ? { status: 201, body: runView(run) } : { status: 200, body: runView(run) };
    }),

    route(getMatchingRun).handle(async ({ params }) => {
      const { run, appliedSteps } = await getRun(deps, params.runId);
      return { status: 200, body: runView(run, appliedSteps) };
    }),

    route(listPods).handle(async ({ query, principal }) => {
      if (isProgrammeStaff(principal)) {
        const page = await deps.pairings.listPods(query);
        return {
          status: 200,
          body: {
            items: await viewsOf(page.items, principal),
            ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
          },
        };
      }
      // Anyone else sees at most two pods: the one they mentor and the one they are a mentee in.
      const [mentoring, mentorship] = await Promise.all([
        deps.pairings.activePodOfMentor(principal.personId),
        deps.pairings.mentorshipOf(principal.personId),
      ]);
      const inPod = mentorship ? await deps.pairings.podWithMembers(mentorship.podId) : undefined;
      const mine = [mentoring, inPod].filter(
        (found): found is PodWithMembers => !!found && (!query.domain || found.pod.domain === query.domain),
      );
      return { status: 200, body: { items: await viewsOf(mine, principal) } };
    }),

    route(getPod).handle(async ({ params, principal, fail }) => {
      const found = await deps.pairings.podWithMembers(params.podId);
      // Not entitled and not there answer alike: the caller learns nothing about the pod.
      const [view] = found ? await viewsOf([found], principal) : [];
      if (!view) return fail(404, `No pod ${params.podId}.`);
      return { status: 200, body: view };
    }),

    route(requestReassignmentRoute).handle(async ({ params, body, principal, correlationId }) => ({
      status: 201,
      body: await requestReassignment(deps, principal, params.podId, body, { correlationId }),
    })),

    route(listReassignmentRequests).handle(async ({ query, principal }) => {
      if (isProgrammeStaff(principal)) {
        return { status: 200, body: await deps.pairings.listRequests({ ...query, status: query.status ?? 'open' }) };
      }
      const page = await deps.pairings.requestsOf(principal.personId, query);
      return {
        status: 200,
        body: { ...page, items: page.items.filter((request) => !query.status || request.status === query.status) },
      };
    }),
    route(getReassignmentRequest).handle(async ({ params, principal, fail }) => {
      const request = await deps.pairings.getRequest(params.requestId);
      const entitled =
        request &&
        (isProgrammeStaff(principal) ||
          request.menteeId === principal.personId ||
          request.requestedBy === principal.personId);
      if (!entitled) return fail(404, `No reassignment request ${params.requestId}.`);
      return { status: 200, body: request };
    }),

    route(decideReassignmentRoute).handle(async ({ params, body, principal, correlationId }) => ({
      status: 200,
      body: await decideReassignment(deps, principal, params.requestId, body, { correlationId }),
    })),

    route(setMentorAvailability).handle(async ({ params, body, principal, correlationId }) => ({
      status: 200,
      body: await setAvailability(deps, principal, params.personId, body, { correlationId }),
    })),
  );
};

import type { Principal } from '../../../shared/auth/principal';
import { isProgrammeStaff } from '../../../shared/auth/principal';
import { etagOf, versionFromPrecondition } from '../../../shared/http/etag';
import { routesAnswering, serveRoutes } from '../../../shared/http/route';
import { positionPage } from '../../../shared/pagination';
import { setAvailability } from '../domain/pods/availability';
import { getRun, requestRun } from '../domain/pods/matching-runs';
import { isComputed, type PodWithMembers, type StoredRun } from '../domain/pods/model';
import type { PairingDependencies } from '../domain/pods/ports';
import { decideReassignment, requestReassignment } from '../domain/pods/reassignment';
import { peopleIn, podView, relationTo } from '../domain/pods/visibility';
import { defaultMatchingSettings, replaceMatchingSettings } from '../domain/settings/programme-settings';
import {
  decideReassignment as decideReassignmentRoute,
  getMatchingRun,
  getMatchingRunLeftOut,
  getMatchingRunPods,
  getMatchingSettings,
  getPod,
  getReassignmentRequest,
  listMatchingRuns,
  listPods,
  listReassignmentRequests,
  putMatchingSettings,
  requestReassignment as requestReassignmentRoute,
  setMentorAvailability,
  startMatchingRun,
} from '../routes/pods';
import { matchingErrors } from './http-errors';

const route = routesAnswering(matchingErrors);

/** The run as the API shows it: everything but the directory versions it read and its full result. */
const runView = (run: StoredRun, appliedSteps: number | null = null) => {
  const self = `/matching/runs/${run.runId}`;
  const common = {
    runId: run.runId,
    mode: run.mode,
    status: run.status,
    domains: run.domains,
    createdAt: run.createdAt,
    requestedBy: run.requestedBy,
    settings: run.settings,
    ...(run.abortedReason ? { abortedReason: run.abortedReason } : {}),
    ...(run.failedReason ? { failedReason: run.failedReason } : {}),
    links: { self, pods: `${self}/pods`, unmatched: `${self}/unmatched` },
  };
  if (!isComputed(run)) return common;
  return {
    ...common,
    scope: run.scope,
    runDate: run.runDate,
    ...(run.commitRequestedBy ? { commitRequestedBy: run.commitRequestedBy } : {}),
    ...(run.committedAt ? { committedAt: run.committedAt } : {}),
    ...(run.podsBelowMinimum ? { podsBelowMinimum: run.podsBelowMinimum } : {}),
    basedOnGeneration: run.basedOn.generation,
    counts: run.counts,
    summary: run.summary,
    steps: { total: run.steps, ...(appliedSteps === null ? {} : { applied: appliedSteps }) },
  };
};

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
      const { run, created } = await requestRun(deps, body, principal.personId, { correlationId });
      const headers = { location: `/matching/runs/${run.runId}` };
      const underWay = created || run.status === 'commit-requested';
      return underWay ? { status: 202, body: runView(run), headers } : { status: 200, body: runView(run), headers };
    }),
    route(listMatchingRuns).handle(async ({ query }) => {
      const page = await deps.runs.list(query);
      return {
        status: 200,
        body: {
          items: page.items.map((run) => runView(run)),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        },
      };
    }),
    route(getMatchingRun).handle(async ({ params }) => {
      const { run, appliedSteps } = await getRun(deps, params.runId);
      return { status: 200, body: runView(run, appliedSteps) };
    }),
    route(getMatchingRunPods).handle(async ({ params, query }) => {
      await getRun(deps, params.runId);
      return { status: 200, body: await positionPage((slice) => deps.runs.podsPage(params.runId, slice), query) };
    }),
    route(getMatchingRunLeftOut).handle(async ({ params, query }) => {
      await getRun(deps, params.runId);
      return { status: 200, body: await positionPage((slice) => deps.runs.leftOutPage(params.runId, slice), query) };
    }),
    route(getMatchingSettings).handle(async () => {
      const settings = (await deps.programme?.matching()) ?? defaultMatchingSettings;
      return { status: 200, body: settings, headers: { etag: etagOf(settings.version) } };
    }),
    route(putMatchingSettings).handle(async ({ body, headers, principal }) => {
      const ifMatch = versionFromPrecondition(headers['if-match'], 'if-match');
      const saved = await replaceMatchingSettings(
        deps,
        body,
        principal.personId,
        ifMatch === '*' ? undefined : ifMatch,
      );
      return { status: 200, body: saved, headers: { etag: etagOf(saved.version) } };
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

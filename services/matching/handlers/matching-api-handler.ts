import { isProgrammeStaff } from '../../../shared/auth/principal';
import {
  badRequest,
  conflict,
  forbidden,
  type HttpProblem,
  notFound,
  serviceUnavailable,
  unprocessable,
} from '../../../shared/http/errors';
import { type ValidatedEvent, validateRequest } from '../../../shared/http/middleware';
import { json } from '../../../shared/http/responses';
import { routeChainFor } from '../../../shared/http/route-chain';
import { dispatchByRouteKey } from '../../../shared/http/router';
import { matchingService } from '../declaration';
import { ConcurrentModificationError, InvalidCursorError, PersonNotFoundError } from '../domain/errors';
import { setAvailability } from '../domain/pods/availability';
import {
  CommitAbortedError,
  CommitInProgressError,
  CommitInterruptedError,
  InputsChangedError,
  InvalidPairingRequestError,
  NotAMentorError,
  NotEntitledError,
  PairingConflictError,
  PodNotFoundError,
  ReassignmentStateError,
  ReassignmentTargetError,
  RequestNotFoundError,
  RunNotCommittableError,
  RunNotFoundError,
} from '../domain/pods/errors';
import { getRun, startRun } from '../domain/pods/matching-runs';
import type { MatchingRun, PodWithMembers } from '../domain/pods/model';
import type { PairingDependencies } from '../domain/pods/ports';
import { decideReassignment, requestReassignment } from '../domain/pods/reassignment';
import { peopleIn, podView, relationTo } from '../domain/pods/visibility';
import {
  AvailabilityBodySchema,
  DecisionBodySchema,
  ListPodsQuerySchema,
  ListRequestsQuerySchema,
  PodPathSchema,
  ReassignmentRequestBodySchema,
  RequestPathSchema,
  RunPathSchema,
  RunRequestSchema,
} from './pod-schemas';
import { PersonPathSchema } from './schemas';

const mapPairingError = (error: unknown): HttpProblem | undefined => {
  if (error instanceof RunNotFoundError) return notFound(`No matching run ${error.runId}.`);
  if (error instanceof PodNotFoundError) return notFound(`No pod ${error.podId}.`);
  if (error instanceof RequestNotFoundError) return notFound(`No reassignment request ${error.requestId}.`);
  if (error instanceof PersonNotFoundError) return notFound(`No person ${error.personId}.`);
  if (error instanceof RunNotCommittableError) {
    return error.kind === 'not-proven' ? unprocessable(error.message) : conflict(error.message);
  }
  if (
    error instanceof InputsChangedError ||
    error instanceof CommitInProgressError ||
    error instanceof CommitAbortedError ||
    error instanceof ReassignmentStateError ||
    error instanceof NotAMentorError ||
    error instanceof ConcurrentModificationError
  ) {
    return conflict(error.message);
  }
  if (error instanceof PairingConflictError) {
    return conflict(`Pairings were changed by someone else at the same time (${error.message}); retry.`);
  }
  if (error instanceof CommitInterruptedError) return serviceUnavailable(error.message);
  if (error instanceof ReassignmentTargetError) {
    return unprocessable(error.message, [{ location: 'body.newMentorId', message: `${error.rule}: ${error.message}` }]);
  }
  if (error instanceof InvalidPairingRequestError) {
    return badRequest('The request has invalid fields.', [{ location: error.location, message: error.message }]);
  }
  if (error instanceof NotEntitledError) return forbidden(error.message);
  if (error instanceof InvalidCursorError) {
    return badRequest(error.message, [{ location: 'query.cursor', message: error.message }]);
  }
  return undefined;
};

const routeChain = routeChainFor(matchingService, mapPairingError);

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
  basedOnGeneration: run.basedOn.generation,
  counts: run.counts,
  steps: { total: run.steps, ...(appliedSteps === null ? {} : { applied: appliedSteps }) },
  result: run.result,
});

export const createMatchingApiHandler = (deps: PairingDependencies) => {
  const viewsOf = async (pods: readonly PodWithMembers[], principal: ValidatedEvent<object>['principal']) => {
    const people = await deps.pairings.peopleByIds(peopleIn(pods));
    return pods.flatMap((found) => {
      const relation = relationTo(principal, found);
      return relation ? [podView(found, people, relation, principal.personId)] : [];
    });
  };

  const runSchemas = { body: RunRequestSchema };
  const postRun = routeChain<ValidatedEvent<typeof runSchemas>>('POST /matching/runs')
    .use(validateRequest(runSchemas))
    .handler(async (event) => {
      const { run, created } = await startRun(deps, event.validated.body, event.principal.personId, {
        correlationId: event.correlationId,
      });
      return json(created ? 201 : 200, runView(run));
    });

  const getRunSchemas = { params: RunPathSchema };
  const readRun = routeChain<ValidatedEvent<typeof getRunSchemas>>('GET /matching/runs/{runId}')
    .use(validateRequest(getRunSchemas))
    .handler(async (event) => {
      const { run, appliedSteps } = await getRun(deps, event.validated.params.runId);
      return json(200, runView(run, appliedSteps));
    });

  const listSchemas = { query: ListPodsQuerySchema };
  const listPods = routeChain<ValidatedEvent<typeof listSchemas>>('GET /pods')
    .use(validateRequest(listSchemas))
    .handler(async (event) => {
      const { principal } = event;
      const { domain } = event.validated.query;
      if (isProgrammeStaff(principal)) {
        const page = await deps.pairings.listPods(event.validated.query);
        return json(200, {
          items: await viewsOf(page.items, principal),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        });
      }
      // Anyone else sees at most two pods: the one they mentor and the one they are a mentee in.
      const [mentoring, mentorship] = await Promise.all([
        deps.pairings.activePodOfMentor(principal.personId),
        deps.pairings.mentorshipOf(principal.personId),
      ]);
      const inPod = mentorship ? await deps.pairings.podWithMembers(mentorship.podId) : undefined;
      const mine = [mentoring, inPod].filter(
        (found): found is PodWithMembers => !!found && (!domain || found.pod.domain === domain),
      );
      return json(200, { items: await viewsOf(mine, principal) });
    });

  const podSchemas = { params: PodPathSchema };
  const readPod = routeChain<ValidatedEvent<typeof podSchemas>>('GET /pods/{podId}')
    .use(validateRequest(podSchemas))
    .handler(async (event) => {
      const { podId } = event.validated.params;
      const found = await deps.pairings.podWithMembers(podId);
      // Not entitled and not there answer alike: the caller learns nothing about the pod.
      const [view] = found ? await viewsOf([found], event.principal) : [];
      if (!view) throw notFound(`No pod ${podId}.`);
      return json(200, view);
    });

  const askSchemas = { params: PodPathSchema, body: ReassignmentRequestBodySchema };
  const askReassignment = routeChain<ValidatedEvent<typeof askSchemas>>('POST /pods/{podId}/reassignment-requests')
    .use(validateRequest(askSchemas))
    .handler(async (event) => {
      const request = await requestReassignment(
        deps,
        event.principal,
        event.validated.params.podId,
        event.validated.body,
        { correlationId: event.correlationId },
      );
      return json(201, request);
    });

  const requestsSchemas = { query: ListRequestsQuerySchema };
  const listRequests = routeChain<ValidatedEvent<typeof requestsSchemas>>('GET /reassignment-requests')
    .use(validateRequest(requestsSchemas))
    .handler(async (event) => json(200, await deps.pairings.listRequests(event.validated.query)));

  const decideSchemas = { params: RequestPathSchema, body: DecisionBodySchema };
  const decide = routeChain<ValidatedEvent<typeof decideSchemas>>('POST /reassignment-requests/{requestId}/decision')
    .use(validateRequest(decideSchemas))
    .handler(async (event) =>
      json(
        200,
        await decideReassignment(deps, event.principal, event.validated.params.requestId, event.validated.body, {
          correlationId: event.correlationId,
        }),
      ),
    );

  const availabilitySchemas = { params: PersonPathSchema, body: AvailabilityBodySchema };
  const putAvailability = routeChain<ValidatedEvent<typeof availabilitySchemas>>('PUT /mentors/{personId}/availability')
    .use(validateRequest(availabilitySchemas))
    .handler(async (event) =>
      json(
        200,
        await setAvailability(deps, event.principal, event.validated.params.personId, event.validated.body, {
          correlationId: event.correlationId,
        }),
      ),
    );

  return dispatchByRouteKey({
    'POST /matching/runs': postRun,
    'GET /matching/runs/{runId}': readRun,
    'GET /pods': listPods,
    'GET /pods/{podId}': readPod,
    'POST /pods/{podId}/reassignment-requests': askReassignment,
    'GET /reassignment-requests': listRequests,
    'POST /reassignment-requests/{requestId}/decision': decide,
    'PUT /mentors/{personId}/availability': putAvailability,
  });
};

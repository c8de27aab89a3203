import type { PendingEvent } from '../../../shared/events/outbox';
import { InvalidCursorError } from '../../../shared/pagination';
import type { Pod } from '../domain/engine/index';
import type { PeopleRepository } from '../domain/people/directory';
import type { Person } from '../domain/people/person';
import {
  CommitInProgressError,
  InputsChangedError,
  PairingConflictError,
  ReassignmentStateError,
  RunNotCommittableError,
} from '../domain/pods/errors';
import type {
  CommitStep,
  DeferredOffboarding,
  LeftOut,
  MatchingRun,
  Mentorship,
  PastPairing,
  PendingRematch,
  PodRecord,
  ReassignmentRequest,
  Separation,
  StoredRun,
  WaitingMentee,
} from '../domain/pods/model';
import type { PairingChange } from '../domain/pods/pairing-change';
import type { PairingRepository, RunRepository } from '../domain/pods/ports';
import type { RecordedEvent } from './in-memory-people-repository';
import { resultPages } from './run-repository';

const clone = <T>(value: T): T => structuredClone(value);

const page = <T>(sorted: T[], keyOf: (item: T) => string, limit: number, cursor?: string) => {
  const start = cursor
    ? sorted.findIndex((item) => keyOf(item) === Buffer.from(cursor, 'base64url').toString()) + 1
    : 0;
  if (cursor && start === 0) throw new InvalidCursorError();
  const items = sorted.slice(start, start + limit);
  const last = items.at(-1);
  return {
    items: clone(items),
    ...(start + limit < sorted.length && last ? { nextCursor: Buffer.from(keyOf(last)).toString('base64url') } : {}),
  };
};

/**
 * The pairing and run ports in memory, with the DynamoDB repositories' contract: every change
 * is all-or-nothing and checks the same conditions (one mentorship per mentee, pod load within
 * capacity, one active pod per mentor, the commit slot, steps and deferred offboardings at most
 * once). For handler tests.
 */
export const createInMemoryPairingStore = (people: PeopleRepository) => {
  const state = { generation: 0, committingRunId: null as string | null, commitStartedAt: null as string | null };
  const pods = new Map<string, PodRecord>();
  const mentorPods = new Map<string, string>();
  const members = new Map<string, Map<string, Mentorship>>();
  const mentorships = new Map<string, Mentorship>();
  const past = new Map<string, PastPairing>();
  const pending = new Map<string, PendingRematch>();
  const deferred = new Map<string, DeferredOffboarding>();
  const separations = new Map<string, Separation>();
  const waiting = new Map<string, WaitingMentee>();
  const requests = new Map<string, ReassignmentRequest>();
  const openRequests = new Map<string, string>();
  const runs = new Map<string, StoredRun>();
  const steps = new Map<string, { step: CommitStep; applied: boolean }[]>();
  const consumed = new Set<string>();
  const published: RecordedEvent[] = [];
  const record = (events: PendingEvent[], correlationId: string) =>
    published.push(...events.map((event) => ({ event, correlationId })));
  const withMembers = (pod: PodRecord) => ({
    pod: clone(pod),
    members: clone([...(members.get(pod.podId)?.values() ?? [])]),
  });
  const conflict = (what: string) => new PairingConflictError(`the stored state changed: ${what}`);

  const check = (change: PairingChange) => {
    const ended = new Set(change.ends.map((end) => end.mentorship.menteeId));
    for (const { mentorship } of change.ends) {
      if (!members.get(mentorship.podId)?.has(mentorship.menteeId)) throw conflict('a pod member');
      if (mentorships.get(mentorship.menteeId)?.mentorshipId !== mentorship.mentorshipId) {
        throw conflict('a mentee’s current mentorship');
      }
    }
    for (const start of change.starts) {
      if (!ended.has(start.menteeId) && mentorships.has(start.menteeId))
        throw conflict('a mentee’s current mentorship');
      if (members.get(start.podId)?.has(start.menteeId)) throw conflict('a pod member');
    }
    for (const { mentorship } of change.renewals) {
      if (mentorships.get(mentorship.menteeId)?.mentorshipId !== mentorship.mentorshipId) {
        throw conflict('a mentee’s current mentorship');
      }
    }
    for (const pod of change.pods) {
      if (pod.kind === 'form') {
        if (pods.has(pod.pod.podId) || mentorPods.has(pod.pod.mentorId)) throw conflict('a mentor’s active pod');
        if (pod.pod.load > Math.min(pod.pod.capacity, 5)) throw conflict('a pod above its capacity');
        continue;
      }
      const stored = pods.get(pod.podId);
      if (stored?.status !== 'active') throw conflict('a pod');
      if (pod.kind === 'adjust') {
        const fits =
          pod.delta > 0 ? stored.load + pod.delta <= Math.min(pod.capacity ?? 0, 5) : stored.load >= -pod.delta;
        if (!fits) throw conflict('a pod (its status, or its load against its capacity)');
      } else if (stored.load !== -pod.delta || mentorPods.get(pod.mentorId) !== pod.podId) {
        throw conflict('a pod (its status, or its load against its capacity)');
      }
    }
    if (change.decidedRequest) {
      const stored = requests.get(change.decidedRequest.requestId);
      if (stored?.status !== 'open') throw conflict('the reassignment request');
    }
    if (change.guard.kind === 'outside-commit' && state.committingRunId) {
      throw new CommitInProgressError(state.committingRunId);
    }
  };

  const apply = (change: PairingChange) => {
    for (const { mentorship, reason, endedAt } of change.ends) {
      members.get(mentorship.podId)?.delete(mentorship.menteeId);
      mentorships.delete(mentorship.menteeId);
      past.set(`${mentorship.menteeId}#${mentorship.mentorId}`, {
        mentorId: mentorship.mentorId,
        menteeId: mentorship.menteeId,
        endedAt,
        reason,
      });
    }
    for (const start of change.starts) {
      mentorships.set(start.menteeId, clone(start));
      const pod = members.get(start.podId) ?? new Map<string, Mentorship>();
      pod.set(start.menteeId, clone(start));
      members.set(start.podId, pod);
    }
    for (const { mentorship, lockedUntil } of change.renewals) {
      const current = mentorships.get(mentorship.menteeId);
      const member = members.get(mentorship.podId)?.get(mentorship.menteeId);
      if (current) current.lockedUntil = lockedUntil;
      if (member) member.lockedUntil = lockedUntil;
    }
    for (const pod of change.pods) {
      if (pod.kind === 'form') {
        pods.set(pod.pod.podId, clone(pod.pod));
        mentorPods.set(pod.pod.mentorId, pod.pod.podId);
        continue;
      }
      const stored = pods.get(pod.podId) as PodRecord;
      stored.load += pod.delta;
      if (pod.kind === 'adjust' && pod.delta > 0 && pod.capacity !== undefined) stored.capacity = pod.capacity;
      if (pod.kind === 'dissolve') {
        Object.assign(stored, { status: 'dissolved', dissolvedAt: pod.at, dissolvedReason: pod.reason });
        mentorPods.delete(pod.mentorId);
      }
    }
    for (const item of change.pendingRematches?.add ?? [])
      pending.set(`${item.triggerId}#${item.menteeId}`, clone(item));
    for (const item of change.pendingRematches?.remove ?? []) pending.delete(`${item.triggerId}#${item.menteeId}`);
    if (change.decidedRequest) {
      requests.set(change.decidedRequest.requestId, clone(change.decidedRequest));
      openRequests.delete(change.decidedRequest.menteeId);
    }
    for (const item of change.separations?.add ?? []) separations.set(`${item.menteeId}#${item.mentorId}`, clone(item));
    for (const item of change.separations?.remove ?? []) separations.delete(`${item.menteeId}#${item.mentorId}`);
    const added = new Set((change.waiting?.add ?? []).map((item) => item.menteeId));
    for (const menteeId of change.waiting?.remove ?? []) if (!added.has(menteeId)) waiting.delete(menteeId);
    for (const item of change.waiting?.add ?? []) waiting.set(item.menteeId, clone(item));
    if (change.deferredOffboarding) deferred.delete(change.deferredOffboarding.personId);
    if (change.guard.kind === 'outside-commit') state.generation += 1;
  };
  const consumedKeyOf = (context: { consumedEvent?: { consumer: string; eventId: string } }) =>
    context.consumedEvent && `${context.consumedEvent.consumer}#${context.consumedEvent.eventId}`;

  const pairings: PairingRepository = {
    matchingState: async () => ({ ...state }),
    snapshot: async () => ({
      generation: state.generation,
      committingRunId: state.committingRunId,
      pods: clone([...pods.values()].filter((pod) => pod.status === 'active')),
      mentorships: clone([...mentorships.values()]),
      pastPairings: clone([...past.values()]),
      separations: clone([...separations.values()]),
    }),
    podWithMembers: async (podId) => {
      const pod = pods.get(podId);
      return pod ? withMembers(pod) : undefined;
    },
    activePodOfMentor: async (mentorId) => {
      const podId = mentorPods.get(mentorId);
      const pod = podId ? pods.get(podId) : undefined;
      return pod ? withMembers(pod) : undefined;
    },
    mentorshipOf: async (menteeId) => clone(mentorships.get(menteeId)),
    currentMentorships: async (menteeIds) =>
      new Map(menteeIds.flatMap((id) => (mentorships.has(id) ? [[id, clone(mentorships.get(id) as Mentorship)]] : []))),
    currentPods: async (podIds) =>
      new Map(podIds.flatMap((id) => (pods.has(id) ? [[id, clone(pods.get(id) as PodRecord)]] : []))),
    currentMentorPods: async (mentorIds) =>
      new Map(mentorIds.flatMap((id) => (mentorPods.has(id) ? [[id, mentorPods.get(id) as string]] : []))),
    activePodsInDomain: async (domain) =>
      clone([...pods.values()].filter((pod) => pod.status === 'active' && pod.domain === domain)),
    pastPairingsOf: async (menteeId) => clone([...past.values()].filter((item) => item.menteeId === menteeId)),
    separationsOf: async (menteeId) => clone([...separations.values()].filter((item) => item.menteeId === menteeId)),
    waitingIn: async (domain) =>
      clone(
        [...waiting.values()].filter((item) => item.domain === domain).sort((a, b) => a.since.localeCompare(b.since)),
      ),
    allWaiting: async () => clone([...waiting.values()].sort((a, b) => a.since.localeCompare(b.since))),
    listPods: async ({ limit, cursor, domain }) => {
      const keyOf = (pod: PodRecord) => `${pod.domain}#${pod.podId}`;
      const sorted = [...pods.values()]
        .filter((pod) => pod.status === 'active' && (!domain || pod.domain === domain))
        .sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
      const found = page(sorted, keyOf, limit, cursor);
      return { ...found, items: found.items.map(withMembers) };
    },
    peopleByIds: async (personIds) => {
      const found = await Promise.all([...new Set(personIds)].map((id) => people.get(id)));
      return new Map(found.filter((person): person is Person => !!person).map((person) => [person.personId, person]));
    },
    pendingRematches: async (triggerId) => clone([...pending.values()].filter((item) => item.triggerId === triggerId)),
    pendingRematchesSince: async (cutoff) =>
      clone(
        [...pending.values()]
          .filter((item) => item.since < cutoff)
          .sort((a, b) =>
            `${a.since}#${a.triggerId}#${a.menteeId}`.localeCompare(`${b.since}#${b.triggerId}#${b.menteeId}`),
          ),
      ),
    deferOffboarding: async (deferral, context) => {
      const consumedKey = consumedKeyOf(context);
      if (consumedKey && consumed.has(consumedKey)) return 'duplicate';
      if (!state.committingRunId) return 'slot-free';
      if (!deferred.has(deferral.personId)) deferred.set(deferral.personId, clone(deferral));
      if (consumedKey) consumed.add(consumedKey);
      return 'deferred';
    },
    deferredOffboardings: async () => clone([...deferred.values()]),
    apply: async (change, context) => {
      const consumedKey = consumedKeyOf(context);
      if (consumedKey && consumed.has(consumedKey)) return 'duplicate';
      const deferral = change.deferredOffboarding;
      if (deferral && deferred.get(deferral.personId)?.eventId !== deferral.eventId) return 'already-applied';
      if (change.guard.kind === 'run-step') {
        const { runId, index } = change.guard;
        const stored = steps.get(runId)?.find((item) => item.step.index === index);
        if (!stored) throw conflict('the run step');
        if (stored.applied) return 'already-applied';
        check(change);
        stored.applied = true;
      } else {
        check(change);
      }
      apply(change);
      if (consumedKey) consumed.add(consumedKey);
      record(change.events, context.correlationId);
      return 'applied';
    },
    createRequest: async (request, events, context) => {
      const open = openRequests.get(request.menteeId);
      if (open)
        throw new ReassignmentStateError(`${request.menteeId} already has an open reassignment request (${open}).`);
      requests.set(request.requestId, clone(request));
      openRequests.set(request.menteeId, request.requestId);
      record(events, context.correlationId);
    },
    getRequest: async (requestId) => clone(requests.get(requestId)),
    listRequests: async ({ status, limit, cursor }) => {
      const keyOf = (request: ReassignmentRequest) => `${request.createdAt}#${request.requestId}`;
      const sorted = [...requests.values()]
        .filter((request) => request.status === status)
        .sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
      return page(sorted, keyOf, limit, cursor);
    },
    requestsOf: async (personId, { limit, cursor }) => {
      const keyOf = (request: ReassignmentRequest) => `${request.createdAt}#${request.requestId}`;
      const sorted = [...requests.values()]
        .filter((request) => request.menteeId === personId || request.requestedBy === personId)
        .sort((a, b) => keyOf(b).localeCompare(keyOf(a)));
      return page(sorted, keyOf, limit, cursor);
    },
  };

  const pagesOf = new Map<string, { pods: Pod[]; leftOut: LeftOut[] }>();
  const slice = <T>(items: readonly T[] | undefined, offset: number, limit: number) => ({
    items: clone((items ?? []).slice(offset, offset + limit)),
    total: items?.length ?? 0,
  });
  const headerOf = (run: StoredRun): StoredRun => {
    const { result: _result, ...header } = run as MatchingRun;
    return clone(header);
  };
  const runRepository: RunRepository = {
    enqueue: async (run, events, context) => {
      if (runs.has(run.runId)) throw conflict('the run');
      runs.set(run.runId, clone(run));
      record(events, context.correlationId);
    },
    save: async (run, runSteps, events, context) => {
      const current = runs.get(run.runId);
      if (current && current.status !== 'queued') return 'not-queued';
      pagesOf.set(run.runId, resultPages(run));
      runs.set(run.runId, headerOf(run));
      steps.set(
        run.runId,
        runSteps.map((step) => ({ step: clone(step), applied: false })),
      );
      record(events, context.correlationId);
      return 'saved';
    },
    get: async (runId) => {
      const run = runs.get(runId);
      return run ? headerOf(run) : undefined;
    },
    list: async ({ limit, cursor }) => {
      const keyOf = (run: StoredRun) => `${run.createdAt}#${run.runId}`;
      const sorted = [...runs.values()].sort((a, b) => keyOf(b).localeCompare(keyOf(a)));
      const found = page(sorted, keyOf, limit, cursor);
      return { ...found, items: found.items.map(headerOf) };
    },
    podsPage: async (runId, { offset, limit }) => slice(pagesOf.get(runId)?.pods, offset, limit),
    leftOutPage: async (runId, { offset, limit }) => slice(pagesOf.get(runId)?.leftOut, offset, limit),
    steps: async (runId) => clone(steps.get(runId) ?? []),
    requestCommit: async (runId, requested, events, context) => {
      const run = runs.get(runId);
      if (run?.status !== 'dry-run') {
        throw new RunNotCommittableError(
          `Run ${runId} is ${run?.status ?? 'missing'}: only a dry run can be committed.`,
          'aborted',
        );
      }
      Object.assign(run, {
        status: 'commit-requested',
        commitRequestedBy: requested.by,
        commitRequestedAt: requested.at,
      });
      record(events, context.correlationId);
    },
    claimCommit: async (runId, basedOnGeneration, at) => {
      if (state.committingRunId) throw new CommitInProgressError(state.committingRunId);
      const run = runs.get(runId);
      if (state.generation !== basedOnGeneration || (run?.status !== 'dry-run' && run?.status !== 'commit-requested')) {
        throw new InputsChangedError(`Pairings changed since dry run ${runId}. Start a new dry run and review it.`);
      }
      state.committingRunId = runId;
      state.commitStartedAt = at;
      state.generation += 1;
      run.status = 'committing';
    },
    finishCommit: async (runId, committedAt, events, context) => {
      const run = runs.get(runId);
      if (run?.status === 'committed') return;
      if (run?.status !== 'committing' || state.committingRunId !== runId) throw conflict('the commit slot');
      Object.assign(run, { status: 'committed', committedAt });
      state.committingRunId = null;
      state.commitStartedAt = null;
      state.generation += 1;
      record(events, context.correlationId);
    },
    abortCommit: async (runId, reason) => {
      const run = runs.get(runId);
      if (run?.status === 'committing') Object.assign(run, { status: 'aborted', abortedReason: reason });
      if (state.committingRunId === runId) {
        state.committingRunId = null;
        state.commitStartedAt = null;
        state.generation += 1;
      }
    },
    refuseCommit: async (runId, reason) => {
      const run = runs.get(runId);
      if (run?.status === 'commit-requested' || run?.status === 'queued' || run?.status === 'dry-run') {
        Object.assign(run, { status: 'aborted', abortedReason: reason });
      }
    },
    markFailed: async (runId, reason) => {
      const run = runs.get(runId);
      if (run?.status === 'queued' || run?.status === 'commit-requested') {
        Object.assign(run, { status: 'failed', failedReason: reason });
      }
    },
  };

  return {
    pairings,
    runs: runRepository,
    published,
    state,
    pods,
    mentorships,
    requests,
    deferred,
    pending,
    separations,
    waiting,
  };
};

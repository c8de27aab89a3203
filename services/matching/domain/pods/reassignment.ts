import type { Principal } from '../../../../shared/auth/principal';
import { defaultHardRules, scorePair } from '../engine/index';
import type { WriteContext } from '../people/directory';
import {
  InvalidPairingRequestError,
  NotEntitledError,
  PodNotFoundError,
  ReassignmentStateError,
  ReassignmentTargetError,
  RequestNotFoundError,
} from './errors';
import type { PodRecord, ReassignmentRequest, Separation } from './model';
import { emptyChange, type PairingChange, podDepartures } from './pairing-change';
import type { PairingDependencies } from './ports';
import {
  fillFreedPlaces,
  hasRoomForOneMore,
  joinChange,
  type NotPlaced,
  type RematchOutcome,
  rematchPending,
  retryOnPairingConflict,
  startedMentorship,
  withReportingChains,
} from './rematch';
import { relationTo } from './visibility';

export const reassignmentTrigger = (requestId: string) => `reassignment.${requestId}`;

/**
 * A mentee (for themselves) or the pod's mentor (naming the mentee) asks the life coach to move
 * a mentee. It is only a request: nothing moves until the life coach approves it, lock or no lock.
 */
export const requestReassignment = async (
  deps: PairingDependencies,
  principal: Principal,
  podId: string,
  body: { reason: string; menteeId?: string | undefined },
  context: WriteContext,
): Promise<ReassignmentRequest> => {
  const found = await deps.pairings.podWithMembers(podId);
  const relation = found ? relationTo(principal, found) : null;
  if (!found || relation === null) throw new PodNotFoundError(podId);
  const isMentor = found.pod.mentorId === principal.personId;
  const isMentee = found.members.some((member) => member.menteeId === principal.personId);
  if (!isMentor && !isMentee) {
    throw new NotEntitledError('Only a mentee of the pod or its mentor can ask; the life coach decides directly.');
  }
  let menteeId: string;
  if (isMentor) {
    if (!body.menteeId) throw new InvalidPairingRequestError('body.menteeId', 'is required when the mentor asks');
    menteeId = body.menteeId;
  } else {
    if (body.menteeId && body.menteeId !== principal.personId) {
      throw new NotEntitledError('A mentee can ask for a reassignment of themselves only.');
    }
    menteeId = principal.personId;
  }
  const mentorship = found.members.find((member) => member.menteeId === menteeId);
  if (!mentorship) throw new InvalidPairingRequestError('body.menteeId', 'is not a mentee of this pod');
  const request: ReassignmentRequest = {
    requestId: deps.newId(),
    podId,
    mentorId: found.pod.mentorId,
    menteeId,
    mentorshipId: mentorship.mentorshipId,
    requestedBy: principal.personId,
    requesterRole: isMentor ? 'mentor' : 'mentee',
    reason: body.reason,
    status: 'open',
    createdAt: deps.clock().toISOString(),
    lockedUntil: mentorship.lockedUntil,
  };
  await deps.pairings.createRequest(request, [], context);
  return request;
};

export interface Decision {
  decision: 'approve' | 'reject';
  note?: string | undefined;
  newMentorId?: string | undefined;
}

/** A pod a decision left with fewer mentees than the minimum, and what happens to it. */
export interface PodBelowMinimum {
  podId: string;
  mentorId: string;
  load: number;
  minimum: number;
  note: string;
}

export interface DecisionOutcome {
  request: ReassignmentRequest;
  placed: RematchOutcome['placed'];
  /** When approved but not placed: why no mentor could take the mentee now, and what happens next. */
  notPlaced?: NotPlaced;
  /** When the pod the mentee left now holds fewer than the minimum. */
  podBelowMinimum?: PodBelowMinimum;
}

const belowMinimum = (pod: PodRecord, leaving: number, minimum: number): PodBelowMinimum | undefined => {
  const load = pod.load - leaving;
  if (load <= 0 || load >= minimum) return undefined;
  return {
    podId: pod.podId,
    mentorId: pod.mentorId,
    load,
    minimum,
    note: `${pod.mentorId}'s pod now holds ${load}, under the minimum of ${minimum}: it takes the next mentee waiting in ${pod.domain} at once, and the next matching run releases its locks so it can fill the pod or move its mentees to pods that hold at least ${minimum}.`,
  };
};

/**
 * The life coach decides. Rejecting closes the request. Approving ends the mentorship
 * (`reassigned`) inside or outside its lock and records the separation: the mentee is never paired
 * with that mentor again (by runs or re-matches) unless the life coach names them in a later
 * decision. The mentee is placed at once with the mentor the life coach named (who must pass every
 * hard rule and have room), or else with the best mentor with room; if none fits, the answer says
 * why for each mentor and the mentee waits for the first place a pod frees. A pod left under the
 * minimum is flagged in the answer (the next run fixes it).
 */
export const decideReassignment = async (
  deps: PairingDependencies,
  principal: Principal,
  requestId: string,
  decision: Decision,
  context: WriteContext,
): Promise<DecisionOutcome> => {
  const request = await deps.pairings.getRequest(requestId);
  if (!request) throw new RequestNotFoundError(requestId);
  if (request.status !== 'open')
    throw new ReassignmentStateError(`Request ${requestId} was already ${request.status}.`);
  const rules = { ...defaultHardRules, ...deps.settings?.rules };
  const now = deps.clock();
  const decided: ReassignmentRequest = {
    ...request,
    decidedBy: principal.personId,
    decidedAt: now.toISOString(),
    ...(decision.note ? { note: decision.note } : {}),
  };
  if (decision.decision === 'reject') {
    const rejected = { ...decided, status: 'rejected' as const };
    await deps.pairings.apply({ ...emptyChange({ kind: 'none' }), decidedRequest: rejected }, context);
    return { request: rejected, placed: null };
  }

  let freedDomain = '';
  const outcome = await retryOnPairingConflict(async (): Promise<DecisionOutcome> => {
    const current = await deps.pairings.mentorshipOf(request.menteeId);
    if (!current || current.mentorshipId !== request.mentorshipId) {
      throw new ReassignmentStateError(
        `The mentorship request ${requestId} is about has already ended; reject the request to close it.`,
      );
    }
    freedDomain = current.domain;
    const oldPod = (await deps.pairings.podWithMembers(current.podId))?.pod;
    const podBelowMinimum = oldPod ? belowMinimum(oldPod, 1, rules.minPodSize) : undefined;
    const departure = podDepartures(
      { podId: current.podId, mentorId: current.mentorId, domain: current.domain },
      [{ mentorship: current, reason: 'reassigned', endedAt: now.toISOString() }],
      null,
    );
    const separation: Separation = {
      menteeId: request.menteeId,
      mentorId: current.mentorId,
      reason: 'left-through-decision',
      requestId,
      decidedBy: principal.personId,
      at: now.toISOString(),
    };
    if (decision.newMentorId) {
      const { choice, lifted } = await namedMentor(deps, request.menteeId, current.mentorId, decision.newMentorId);
      const mentorship = startedMentorship({
        choice,
        menteeId: request.menteeId,
        mentorshipId: deps.newId(),
        now,
        lockMonths: rules.lockMonths,
        cause: 'reassignment',
      });
      const join = joinChange(mentorship, choice, rules);
      const approved: ReassignmentRequest = {
        ...decided,
        status: 'approved',
        outcome: { mentorId: choice.mentor.personId, podId: choice.pod.podId },
      };
      const change: PairingChange = {
        ...join,
        ends: departure.ends,
        pods: [...departure.pods, ...join.pods],
        events: [...departure.events, ...join.events],
        decidedRequest: approved,
        separations: { add: [separation], ...(lifted ? { remove: [lifted] } : {}) },
      };
      await deps.pairings.apply(change, context);
      return {
        request: approved,
        placed: approved.outcome ?? null,
        ...(podBelowMinimum ? { podBelowMinimum } : {}),
      };
    }
    const approved: ReassignmentRequest = { ...decided, status: 'approved' };
    const triggerId = reassignmentTrigger(requestId);
    await deps.pairings.apply(
      {
        ...emptyChange({ kind: 'outside-commit' }),
        ...departure,
        decidedRequest: approved,
        separations: { add: [separation] },
        pendingRematches: {
          add: [
            {
              triggerId,
              menteeId: request.menteeId,
              excludeMentorId: current.mentorId,
              since: now.toISOString(),
              correlationId: context.correlationId,
            },
          ],
        },
      },
      context,
    );
    const [rematched] = await rematchPending(deps, triggerId, context);
    return {
      request: approved,
      placed: rematched?.placed ?? null,
      ...(rematched?.notPlaced ? { notPlaced: rematched.notPlaced } : {}),
      ...(podBelowMinimum ? { podBelowMinimum } : {}),
    };
  });
  // The pod the mentee left has a free place now: someone waiting in its domain may take it.
  if (freedDomain) await fillFreedPlaces(deps, freedDomain, context);
  return outcome;
};

/**
 * The mentor a life coach named, checked against every hard rule and the pod-size rule. Naming a
 * mentor the mentee left through an earlier decision is the life coach saying so: that separation
 * is lifted (`lifted`).
 */
const namedMentor = async (deps: PairingDependencies, menteeId: string, currentMentorId: string, mentorId: string) => {
  const rules = { ...defaultHardRules, ...deps.settings?.rules };
  const reject = (rule: string, message: string) => new ReassignmentTargetError(rule, message);
  if (mentorId === currentMentorId) throw reject('same-mentor', `${mentorId} is the mentor the mentee leaves.`);
  const [people, pod, separations] = await Promise.all([
    deps.pairings.peopleByIds([menteeId, mentorId]),
    deps.pairings.activePodOfMentor(mentorId),
    deps.pairings.separationsOf(menteeId),
  ]);
  const mentee = people.get(menteeId);
  const mentor = people.get(mentorId);
  if (!mentor || !mentee) throw reject('unknown-mentor', `No person ${mentorId} in the directory.`);
  if (!pod) throw reject('no-pod', `${mentorId} has no active pod; a new pod is formed by a matching run.`);
  if (!hasRoomForOneMore(pod.pod, mentor, rules)) {
    throw reject(
      'no-room',
      `${mentorId}'s pod holds ${pod.pod.load} of ${Math.min(mentor.mentorCapacity, rules.maxPodSize)} (pods hold ${rules.minPodSize}-${rules.maxPodSize}).`,
    );
  }
  const score = scorePair(mentor, mentee, {
    people: await withReportingChains(deps, [mentee, mentor]),
    pastPairings: (await deps.pairings.pastPairingsOf(menteeId)).map(({ mentorId: m, menteeId: e }) => ({
      mentorId: m,
      menteeId: e,
    })),
    runDate: deps.clock(),
    rules,
  });
  if (score.blockedBy) throw reject(score.blockedBy, `${mentorId} cannot mentor ${menteeId}: ${score.blockedBy}.`);
  const lifted = separations.find((separation) => separation.mentorId === mentorId);
  return { choice: { mentor, pod: pod.pod, score }, lifted };
};

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
import type { ReassignmentRequest } from './model';
import { emptyChange, type PairingChange, podDepartures } from './pairing-change';
import type { PairingDependencies } from './ports';
import {
  hasRoomForOneMore,
  joinChange,
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

/**
 * The life coach decides. Rejecting closes the request. Approving ends the mentorship
 * (`reassigned`) inside or outside its lock, then places the mentee at once: with the mentor the
 * life coach named (who must pass every hard rule and have room), or else with the best mentor
 * with room other than the one they leave; if none fits, the next run places them.
 */
export const decideReassignment = async (
  deps: PairingDependencies,
  principal: Principal,
  requestId: string,
  decision: Decision,
  context: WriteContext,
): Promise<{ request: ReassignmentRequest; placed: RematchOutcome['placed'] }> => {
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

  return retryOnPairingConflict(async () => {
    const current = await deps.pairings.mentorshipOf(request.menteeId);
    if (!current || current.mentorshipId !== request.mentorshipId) {
      throw new ReassignmentStateError(
        `The mentorship request ${requestId} is about has already ended; reject the request to close it.`,
      );
    }
    const departure = podDepartures(
      { podId: current.podId, mentorId: current.mentorId, domain: current.domain },
      [{ mentorship: current, reason: 'reassigned', endedAt: now.toISOString() }],
      null,
    );
    if (decision.newMentorId) {
      const choice = await namedMentor(deps, request.menteeId, current.mentorId, decision.newMentorId);
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
      };
      await deps.pairings.apply(change, context);
      return { request: approved, placed: approved.outcome ?? null };
    }
    const approved: ReassignmentRequest = { ...decided, status: 'approved' };
    const triggerId = reassignmentTrigger(requestId);
    await deps.pairings.apply(
      {
        ...emptyChange({ kind: 'outside-commit' }),
        ...departure,
        decidedRequest: approved,
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
    const [outcome] = await rematchPending(deps, triggerId, context);
    return { request: approved, placed: outcome?.placed ?? null };
  });
};

/** The mentor a life coach named, checked against every hard rule and the pod-size rule. */
const namedMentor = async (deps: PairingDependencies, menteeId: string, currentMentorId: string, mentorId: string) => {
  const rules = { ...defaultHardRules, ...deps.settings?.rules };
  const reject = (rule: string, message: string) => new ReassignmentTargetError(rule, message);
  if (mentorId === currentMentorId) throw reject('same-mentor', `${mentorId} is the mentor the mentee leaves.`);
  const [people, pod] = await Promise.all([
    deps.pairings.peopleByIds([menteeId, mentorId]),
    deps.pairings.activePodOfMentor(mentorId),
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
  return { mentor, pod: pod.pod, score };
};

import type { MatchResult, PodMember, Pod as ResultPod } from '../engine/index';
import type { Person } from '../people/person';
import { inScope } from './matching-input';
import type { CommitStep, DissolveReason, EndReason, Mentorship, PodRecord, RunCounts } from './model';
import { mentorshipStarted, type PairingChange, podDepartures, podFormed } from './pairing-change';

export interface CommitPlan {
  /** Releases first (each pod's leavers), then placements (each pod's joiners); indexes in that order. */
  steps: CommitStep[];
  counts: RunCounts;
}

const isActive = (person: Person | undefined): person is Person => person?.status === 'active';

/** Why a current pairing ends in a commit: someone left, someone no longer takes part, or the run moved the mentee. */
export const endReasonOf = (mentorship: Mentorship, people: ReadonlyMap<string, Person>): EndReason => {
  const mentor = people.get(mentorship.mentorId);
  const mentee = people.get(mentorship.menteeId);
  if (!isActive(mentor) || !isActive(mentee)) return 'offboarded';
  const menteeTakesPart = mentee.roles.includes('employee') && !mentee.roles.includes('mentor');
  if (!mentor.roles.includes('mentor') || !menteeTakesPart) return 'left-programme';
  return 'rematched';
};

export const dissolveReasonOf = (mentorId: string, people: ReadonlyMap<string, Person>): DissolveReason => {
  const mentor = people.get(mentorId);
  if (!isActive(mentor)) return 'mentor-offboarded';
  return mentor.roles.includes('mentor') ? 'no-mentees' : 'mentor-left-programme';
};

/**
 * Turns an engine result into the writes that make it true, pod by pod. The plan is computed
 * once, at the dry run, from the state the run read; commit applies it step by step (each step
 * one transaction, at most once) after checking that state is unchanged.
 *
 * Releases run first: every current pairing the result does not keep ends (a moved mentee ends
 * with `rematched` and starts again in their new pod), and a mentor the result leaves with no
 * mentee loses their pod. Then placements: each result pod gains its new and moved mentees
 * (formed if the mentor had none), and kept unlocked pairings take the run's new lock date.
 */
export const planCommit = (args: {
  result: MatchResult;
  mentorships: readonly Mentorship[];
  pods: readonly PodRecord[];
  people: ReadonlyMap<string, Person>;
  scope: ReadonlySet<string> | null;
  runId: string;
  newId: () => string;
}): CommitPlan => {
  const { result, people, scope, runId, newId } = args;
  const domainOf = (personId: string, fallback: string) => people.get(personId)?.domain ?? fallback;
  const mentorships = args.mentorships.filter((m) => scope === null || scope.has(domainOf(m.menteeId, m.domain)));
  const currentOf = new Map(mentorships.map((m) => [m.menteeId, m]));
  const membersOf = new Map<string, Mentorship[]>();
  for (const m of mentorships) membersOf.set(m.podId, [...(membersOf.get(m.podId) ?? []), m]);
  const pods = new Map(
    args.pods
      .filter((pod) => pod.status === 'active' && inScope(scope, { domain: domainOf(pod.mentorId, pod.domain) }))
      .map((pod) => [pod.podId, pod]),
  );
  // A pairing whose pod the snapshot missed still names its pod, mentor and domain.
  for (const m of mentorships) {
    if (!pods.has(m.podId)) {
      pods.set(m.podId, {
        podId: m.podId,
        mentorId: m.mentorId,
        domain: m.domain,
        capacity: 5,
        load: 0,
        status: 'active',
        formedAt: m.startedAt,
        formedByRunId: null,
      });
    }
  }
  const podOfMentor = new Map([...pods.values()].map((pod) => [pod.mentorId, pod]));
  const resultOfMentor = new Map(result.pods.map((pod) => [pod.mentorId, pod]));
  const placedWith = new Map<string, string>();
  for (const pod of result.pods) for (const menteeId of pod.menteeIds) placedWith.set(menteeId, pod.mentorId);

  const steps: CommitStep[] = [];
  const counts: RunCounts = {
    pods: result.pods.length,
    matched: result.objective.matched,
    unmatched: result.unmatched.length,
    noMentorPossible: result.noMentorPossible.length,
    newPairings: 0,
    movedPairings: 0,
    keptPairings: 0,
    lockedPairings: 0,
    endedPairings: 0,
    mentorShortfalls: result.mentorShortfalls.length,
  };

  for (const pod of [...pods.values()].sort((a, b) => (a.podId < b.podId ? -1 : 1))) {
    const members = membersOf.get(pod.podId) ?? [];
    const leavers = members
      .filter((m) => placedWith.get(m.menteeId) !== m.mentorId)
      .map((mentorship) => ({ mentorship, reason: endReasonOf(mentorship, people) }));
    const resultPod = resultOfMentor.get(pod.mentorId);
    const dissolve = !resultPod || resultPod.menteeIds.length === 0 ? dissolveReasonOf(pod.mentorId, people) : null;
    if (leavers.length === 0 && !dissolve) continue;
    counts.endedPairings += leavers.length;
    steps.push({
      kind: 'release',
      index: steps.length,
      podId: pod.podId,
      mentorId: pod.mentorId,
      domain: pod.domain,
      expectedLoad: members.length,
      leavers,
      dissolve,
    });
  }

  for (const resultPod of result.pods) {
    const current = podOfMentor.get(resultPod.mentorId);
    const podId = current?.podId ?? newId();
    const joiners: Mentorship[] = [];
    const renewals: { mentorship: Mentorship; lockedUntil: string }[] = [];
    for (const member of resultPod.mentees) {
      const before = currentOf.get(member.menteeId);
      if (before?.mentorId === resultPod.mentorId) {
        if (member.locked) counts.lockedPairings += 1;
        else counts.keptPairings += 1;
        if (!member.locked && member.lockedUntil !== before.lockedUntil) {
          renewals.push({ mentorship: before, lockedUntil: member.lockedUntil });
        }
        continue;
      }
      if (before) counts.movedPairings += 1;
      else counts.newPairings += 1;
      joiners.push(joinerOf(resultPod, member, podId, runId, newId()));
    }
    if (joiners.length === 0 && renewals.length === 0) continue;
    steps.push({
      kind: 'place',
      index: steps.length,
      podId,
      mentorId: resultPod.mentorId,
      domain: resultPod.domain,
      capacity: resultPod.capacity,
      form: !current,
      expectedLoad: current ? (membersOf.get(current.podId) ?? []).length : 0,
      joiners,
      renewals,
      menteeIds: [...resultPod.menteeIds],
    });
  }
  return { steps, counts };
};

const joinerOf = (
  pod: ResultPod,
  member: PodMember,
  podId: string,
  runId: string,
  mentorshipId: string,
): Mentorship => ({
  mentorshipId,
  podId,
  mentorId: pod.mentorId,
  menteeId: member.menteeId,
  domain: pod.domain,
  // Replaced by the moment the step is applied.
  startedAt: '',
  lockedUntil: member.lockedUntil,
  cause: 'matching-run',
  runId,
  explanation: { points: member.points, topFactors: member.topFactors },
});

/** The state a plan expects to find when it is committed: pod loads, mentees' current pairings, mentors without a pod. */
export interface PlanExpectations {
  podLoads: Map<string, number>;
  /** menteeId -> the mentorship they must still be in (null: none). */
  mentees: Map<string, string | null>;
  mentorsWithoutPod: Set<string>;
}

export const expectationsOf = (steps: readonly CommitStep[]): PlanExpectations => {
  const expectations: PlanExpectations = { podLoads: new Map(), mentees: new Map(), mentorsWithoutPod: new Set() };
  for (const step of steps) {
    if (step.kind === 'release') {
      expectations.podLoads.set(step.podId, step.expectedLoad);
      for (const { mentorship } of step.leavers) expectations.mentees.set(mentorship.menteeId, mentorship.mentorshipId);
      continue;
    }
    if (step.form) expectations.mentorsWithoutPod.add(step.mentorId);
    else expectations.podLoads.set(step.podId, step.expectedLoad);
    for (const { mentorship } of step.renewals) expectations.mentees.set(mentorship.menteeId, mentorship.mentorshipId);
    for (const joiner of step.joiners) {
      if (!expectations.mentees.has(joiner.menteeId)) expectations.mentees.set(joiner.menteeId, null);
    }
  }
  return expectations;
};

/** The transaction of one step, stamped with the moment it is applied. */
export const changeOfStep = (step: CommitStep, runId: string, now: string): PairingChange => {
  const guard = { kind: 'run-step' as const, runId, index: step.index };
  if (step.kind === 'release') {
    const departures = podDepartures(
      { podId: step.podId, mentorId: step.mentorId, domain: step.domain },
      step.leavers.map((leaver) => ({ ...leaver, endedAt: now })),
      step.dissolve ? { reason: step.dissolve, at: now } : null,
    );
    return { ...departures, starts: [], renewals: [], guard };
  }
  const starts = step.joiners.map((joiner) => ({ ...joiner, startedAt: now }));
  const change: PairingChange = { ends: [], starts, renewals: step.renewals, pods: [], events: [], guard };
  if (step.form) {
    const pod: PodRecord = {
      podId: step.podId,
      mentorId: step.mentorId,
      domain: step.domain,
      capacity: step.capacity,
      load: starts.length,
      status: 'active',
      formedAt: now,
      formedByRunId: runId,
    };
    change.pods.push({ kind: 'form', pod });
    change.events.push(podFormed(pod, step.menteeIds));
  } else if (starts.length > 0) {
    change.pods.push({
      kind: 'adjust',
      podId: step.podId,
      mentorId: step.mentorId,
      delta: starts.length,
      capacity: step.capacity,
    });
  }
  change.events.push(...starts.map(mentorshipStarted));
  return change;
};

import { retry } from '../../../../shared/retry';
import { defaultHardRules, type HardRules, type PairScore, scorePair } from '../engine/index';
import type { WriteContext } from '../people/directory';
import type { Person } from '../people/person';
import { CommitInProgressError, PairingConflictError } from './errors';
import type { Mentorship, PastPairing, PendingRematch, PodRecord } from './model';
import { emptyChange, mentorshipStarted, type PairingChange } from './pairing-change';
import type { PairingDependencies } from './ports';

export interface RematchChoice {
  mentor: Person;
  pod: PodRecord;
  score: PairScore;
}

/** End of the lock of a pairing that starts at `from`: the same calendar arithmetic as the engine's. */
export const lockEndOf = (from: Date, months: number): string => {
  const month = from.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(from.getUTCFullYear(), month + 1, 0)).getUTCDate();
  const end = new Date(from);
  end.setUTCDate(1);
  end.setUTCMonth(month);
  end.setUTCDate(Math.min(from.getUTCDate(), lastDay));
  return end.toISOString();
};

/** Whether one more mentee keeps the pod within [minimum, capacity] (the evaluator's pod-size rule). */
export const hasRoomForOneMore = (pod: PodRecord, mentor: Person, rules: HardRules): boolean => {
  const capacity = Math.min(mentor.mentorCapacity, rules.maxPodSize);
  return pod.load + 1 >= rules.minPodSize && pod.load + 1 <= capacity;
};

/**
 * The immediate re-match of one mentee: among the active pods of mentors in the mentee's domain
 * who accept mentees and have room, the mentor with the best `scorePair` whose pairing breaks no
 * hard rule (ties: smallest id). null when there is none: the next matching run places the mentee.
 */
export const bestMentorAtOnce = (args: {
  mentee: Person;
  candidates: readonly { mentor: Person; pod: PodRecord }[];
  /** Everyone on the reporting chains of the mentee and the candidates. */
  people: readonly Person[];
  pastPairings: readonly PastPairing[];
  excludeMentorIds?: readonly string[];
  runDate: Date;
  rules?: Partial<HardRules>;
}): RematchChoice | null => {
  const rules = { ...defaultHardRules, ...args.rules };
  let best: RematchChoice | null = null;
  for (const { mentor, pod } of args.candidates) {
    if (pod.status !== 'active' || pod.mentorId !== mentor.personId) continue;
    if (mentor.domain !== args.mentee.domain || args.excludeMentorIds?.includes(mentor.personId)) continue;
    if (!hasRoomForOneMore(pod, mentor, rules)) continue;
    const score = scorePair(mentor, args.mentee, {
      people: args.people,
      pastPairings: args.pastPairings.map(({ mentorId, menteeId }) => ({ mentorId, menteeId })),
      runDate: args.runDate,
      rules,
    });
    if (score.blockedBy !== null) continue;
    const better =
      !best ||
      score.centipoints > best.score.centipoints ||
      (score.centipoints === best.score.centipoints && mentor.personId < best.mentor.personId);
    if (better) best = { mentor, pod, score };
  }
  return best;
};

/** The mentorship an immediate re-match (or a life coach's choice) starts, locked for the usual period. */
export const startedMentorship = (args: {
  choice: RematchChoice;
  menteeId: string;
  mentorshipId: string;
  now: Date;
  lockMonths: number;
  cause: 'reassignment' | 'rematch';
}): Mentorship => ({
  mentorshipId: args.mentorshipId,
  podId: args.choice.pod.podId,
  mentorId: args.choice.mentor.personId,
  menteeId: args.menteeId,
  domain: args.choice.pod.domain,
  startedAt: args.now.toISOString(),
  lockedUntil: lockEndOf(args.now, args.lockMonths),
  cause: args.cause,
  runId: null,
  explanation: { points: args.choice.score.points, topFactors: args.choice.score.factors.slice(0, 3) },
});

/** Joins a mentee to a pod: the start, the pod's load (checked against capacity) and its event. */
export const joinChange = (mentorship: Mentorship, choice: RematchChoice, rules: HardRules): PairingChange => ({
  ...emptyChange({ kind: 'outside-commit' }),
  starts: [mentorship],
  pods: [
    {
      kind: 'adjust',
      podId: choice.pod.podId,
      mentorId: choice.mentor.personId,
      delta: 1,
      capacity: Math.min(choice.mentor.mentorCapacity, rules.maxPodSize),
    },
  ],
  events: [mentorshipStarted(mentorship)],
});

/** Re-reads and retries when the state moved between the read and the write (another re-match took the last place). */
export const retryOnPairingConflict = <T>(attempt: () => Promise<T>, attempts = 4): Promise<T> =>
  retry(attempt, { attempts, retryable: (error) => error instanceof PairingConflictError });

/** Everyone on the reporting chains of the given people, read from the directory as needed. */
export const withReportingChains = async (
  deps: Pick<PairingDependencies, 'pairings'>,
  people: Iterable<Person>,
): Promise<Person[]> => {
  const known = new Map<string, Person>();
  for (const person of people) known.set(person.personId, person);
  let missing = new Set<string>();
  const collect = () => {
    missing = new Set();
    for (const person of known.values()) {
      if (person.managerId && !known.has(person.managerId)) missing.add(person.managerId);
    }
  };
  const unknown = new Set<string>();
  for (collect(); [...missing].some((id) => !unknown.has(id)); collect()) {
    const wanted = [...missing].filter((id) => !unknown.has(id));
    const found = await deps.pairings.peopleByIds(wanted);
    for (const id of wanted) {
      const person = found.get(id);
      if (person) known.set(id, person);
      else unknown.add(id);
    }
  }
  return [...known.values()];
};

export interface RematchOutcome {
  menteeId: string;
  placed: { mentorId: string; podId: string } | null;
}

/**
 * Re-matches one waiting mentee at once if a mentor with room fits, and clears the wait either
 * way (the next run considers every unmatched mentee anyway). If pairings keep moving under it,
 * or a run is being committed (its plan already saw this mentee unmatched), it gives up too.
 */
export const rematchOne = async (
  deps: PairingDependencies,
  pending: PendingRematch,
  context: WriteContext,
): Promise<RematchOutcome> => {
  const giveUp = async (): Promise<RematchOutcome> => {
    const clear = { remove: [pending] };
    await deps.pairings.apply({ ...emptyChange({ kind: 'none' }), pendingRematches: clear }, context);
    return { menteeId: pending.menteeId, placed: null };
  };
  try {
    return await placeAtOnce(deps, pending, context, giveUp);
  } catch (error) {
    if (error instanceof PairingConflictError || error instanceof CommitInProgressError) return giveUp();
    throw error;
  }
};

const placeAtOnce = (
  deps: PairingDependencies,
  pending: PendingRematch,
  context: WriteContext,
  giveUp: () => Promise<RematchOutcome>,
): Promise<RematchOutcome> =>
  retryOnPairingConflict(async () => {
    const rules = { ...defaultHardRules, ...deps.settings?.rules };
    const clear = { remove: [pending] };
    const mentee = await deps.people.get(pending.menteeId);
    if (mentee?.status !== 'active' || (await deps.pairings.mentorshipOf(pending.menteeId))) return giveUp();
    const pods = await deps.pairings.activePodsInDomain(mentee.domain);
    const mentors = await deps.pairings.peopleByIds(pods.map((pod) => pod.mentorId));
    const candidates = pods.flatMap((pod) => {
      const mentor = mentors.get(pod.mentorId);
      return mentor?.acceptingMentees && hasRoomForOneMore(pod, mentor, rules) ? [{ mentor, pod }] : [];
    });
    if (candidates.length === 0) return giveUp();
    const choice = bestMentorAtOnce({
      mentee,
      candidates,
      people: await withReportingChains(deps, [mentee, ...candidates.map((candidate) => candidate.mentor)]),
      pastPairings: await deps.pairings.pastPairingsOf(mentee.personId),
      excludeMentorIds: pending.excludeMentorId ? [pending.excludeMentorId] : [],
      runDate: deps.clock(),
      rules,
    });
    if (!choice) return giveUp();
    const mentorship = startedMentorship({
      choice,
      menteeId: mentee.personId,
      mentorshipId: deps.newId(),
      now: deps.clock(),
      lockMonths: rules.lockMonths,
      cause: 'rematch',
    });
    await deps.pairings.apply({ ...joinChange(mentorship, choice, rules), pendingRematches: clear }, context);
    return { menteeId: mentee.personId, placed: { mentorId: choice.mentor.personId, podId: choice.pod.podId } };
  });

/**
 * Mentees still waiting since before `cutoff`: whoever queued them stopped before re-matching
 * them (a crash, an event that was never redelivered). Each is re-matched as it would have been,
 * with the correlation id of what ended their mentorship.
 */
export const rematchLeftBehind = async (deps: PairingDependencies, cutoff: string): Promise<RematchOutcome[]> => {
  const outcomes: RematchOutcome[] = [];
  for (const item of await deps.pairings.pendingRematchesSince(cutoff)) {
    outcomes.push(await rematchOne(deps, item, { correlationId: item.correlationId }));
  }
  return outcomes;
};

/** Works through every mentee still waiting for an immediate re-match after `triggerId` (safe to repeat). */
export const rematchPending = async (
  deps: PairingDependencies,
  triggerId: string,
  context: WriteContext,
): Promise<RematchOutcome[]> => {
  const pending = await deps.pairings.pendingRematches(triggerId);
  const outcomes: RematchOutcome[] = [];
  for (const item of [...pending].sort((a, b) => (a.menteeId < b.menteeId ? -1 : 1))) {
    outcomes.push(await rematchOne(deps, item, context));
  }
  return outcomes;
};

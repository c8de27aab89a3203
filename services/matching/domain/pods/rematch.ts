import { retry } from '../../../../shared/retry';
import { defaultHardRules, type HardRules, type PairScore, scorePair } from '../engine/index';
import type { WriteContext } from '../people/directory';
import type { Person } from '../people/person';
import { CommitInProgressError, PairingConflictError } from './errors';
import type { Mentorship, PastPairing, PendingRematch, PodRecord, Separation, WaitingMentee } from './model';
import { emptyChange, mentorshipStarted, type PairingChange } from './pairing-change';
import type { PairingDependencies } from './ports';

export interface RematchChoice {
  mentor: Person;
  pod: PodRecord;
  score: PairScore;
}

/** Why one mentor could not take the mentee at once. */
export interface MentorRefusal {
  mentorId: string;
  /** `no-room`, `not-accepting`, `left-through-decision`, or the pair rule the pairing breaks. */
  rule: string;
  detail: string;
}

/** Why nobody could take the mentee at once, mentor by mentor, and what happens next. */
export interface NotPlaced {
  summary: string;
  mentors: MentorRefusal[];
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

/** The excluded pairs the engine and `scorePair` take from separations. */
export const excludedPairsOf = (separations: readonly Separation[]) =>
  separations.map(({ mentorId, menteeId, reason }) => ({ mentorId, menteeId, reason }));

/**
 * The immediate re-match of one mentee, explained: every active pod of the mentee's domain is
 * considered; the mentor with the best `scorePair` who accepts mentees, has room and whose pairing
 * breaks no hard rule (ties: smallest id) is chosen, and every other mentor is listed with the rule
 * that excluded them. `choice` is null when there is none: the mentee waits for a place.
 */
export const assessMentorsAtOnce = (args: {
  mentee: Person;
  candidates: readonly { mentor: Person | undefined; pod: PodRecord }[];
  /** Everyone on the reporting chains of the mentee and the candidates. */
  people: readonly Person[];
  pastPairings: readonly PastPairing[];
  separations?: readonly Separation[];
  /** The mentor the mentee is leaving (never proposed again at once). */
  leavingMentorId?: string | null;
  runDate: Date;
  rules?: Partial<HardRules>;
}): { choice: RematchChoice | null; refusals: MentorRefusal[] } => {
  const rules = { ...defaultHardRules, ...args.rules };
  let choice: RematchChoice | null = null;
  const refusals: MentorRefusal[] = [];
  const separated = new Set((args.separations ?? []).map((item) => item.mentorId));
  for (const { mentor, pod } of [...args.candidates].sort((a, b) => (a.pod.mentorId < b.pod.mentorId ? -1 : 1))) {
    const refuse = (rule: string, detail: string) => refusals.push({ mentorId: pod.mentorId, rule, detail });
    if (mentor?.status !== 'active' || pod.status !== 'active' || mentor.domain !== args.mentee.domain) {
      refuse('mentor-not-eligible', `${pod.mentorId} no longer mentors in ${args.mentee.domain}`);
      continue;
    }
    if (pod.mentorId === args.leavingMentorId) {
      refuse('left-through-decision', `${pod.mentorId} is the mentor ${args.mentee.personId} is leaving`);
      continue;
    }
    if (separated.has(pod.mentorId)) {
      refuse('left-through-decision', `${args.mentee.personId} left ${pod.mentorId} through a life coach's decision`);
      continue;
    }
    if (!mentor.acceptingMentees) {
      refuse('not-accepting', `${pod.mentorId} has paused taking new mentees`);
      continue;
    }
    if (!hasRoomForOneMore(pod, mentor, rules)) {
      const capacity = Math.min(mentor.mentorCapacity, rules.maxPodSize);
      refuse('no-room', `${pod.mentorId}'s pod holds ${pod.load} of ${capacity}`);
      continue;
    }
    const score = scorePair(mentor, args.mentee, {
      people: args.people,
      pastPairings: args.pastPairings.map(({ mentorId, menteeId }) => ({ mentorId, menteeId })),
      excludedPairs: excludedPairsOf(args.separations ?? []),
      runDate: args.runDate,
      rules,
    });
    if (score.blockedBy !== null) {
      refuse(score.blockedBy, `${pod.mentorId} cannot mentor ${args.mentee.personId}: ${score.blockedBy}`);
      continue;
    }
    const better =
      !choice ||
      score.centipoints > choice.score.centipoints ||
      (score.centipoints === choice.score.centipoints && mentor.personId < choice.mentor.personId);
    if (better) choice = { mentor, pod, score };
  }
  return { choice, refusals };
};

/** The best mentor at once, or null (see assessMentorsAtOnce). */
export const bestMentorAtOnce = (args: Parameters<typeof assessMentorsAtOnce>[0]): RematchChoice | null =>
  assessMentorsAtOnce(args).choice;

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
  waiting: { remove: [mentorship.menteeId] },
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
  /** When not placed: why each mentor could not take them, and that they wait for a place. */
  notPlaced?: NotPlaced;
}

/** Why no mentor of the domain could take the mentee now, for the caller (the decision's answer, logs). */
const notPlacedOf = (mentee: Person, refusals: MentorRefusal[]): NotPlaced => ({
  summary:
    refusals.length === 0
      ? `No mentor in ${mentee.domain} has a pod yet. ${mentee.personId} waits for a place; the next matching run places them.`
      : `No mentor in ${mentee.domain} can take ${mentee.personId} now (each mentor and the rule that excludes them are listed). ${mentee.personId} waits: they take the first place a pod frees, or the next matching run places them.`,
  mentors: refusals,
});

/**
 * Places a mentee at once with the best mentor who can take them (see assessMentorsAtOnce), or
 * explains why nobody can and keeps them waiting for a place (`waiting`). `clear` is written with
 * the outcome (the pending re-match it settles).
 */
const placeOrWait = (
  deps: PairingDependencies,
  menteeId: string,
  options: {
    leavingMentorId: string | null;
    clear: Pick<PairingChange, 'pendingRematches'>;
    since: string;
    correlationId: string;
  },
  context: WriteContext,
): Promise<RematchOutcome> =>
  retryOnPairingConflict(async () => {
    const rules = { ...defaultHardRules, ...deps.settings?.rules };
    const mentee = await deps.people.get(menteeId);
    const bookkeeping = async (waiting: PairingChange['waiting']) =>
      deps.pairings.apply({ ...emptyChange({ kind: 'none' }), ...options.clear, waiting }, context);
    if (mentee?.status !== 'active' || (await deps.pairings.mentorshipOf(menteeId))) {
      await bookkeeping({ remove: [menteeId] });
      return { menteeId, placed: null };
    }
    const pods = await deps.pairings.activePodsInDomain(mentee.domain);
    const mentors = await deps.pairings.peopleByIds(pods.map((pod) => pod.mentorId));
    const candidates = pods.map((pod) => ({ mentor: mentors.get(pod.mentorId), pod }));
    const present = candidates.flatMap((candidate) => (candidate.mentor ? [candidate.mentor] : []));
    const { choice, refusals } = assessMentorsAtOnce({
      mentee,
      candidates,
      people: await withReportingChains(deps, [mentee, ...present]),
      pastPairings: await deps.pairings.pastPairingsOf(menteeId),
      separations: await deps.pairings.separationsOf(menteeId),
      leavingMentorId: options.leavingMentorId,
      runDate: deps.clock(),
      rules,
    });
    if (!choice) {
      await bookkeeping({
        add: [{ menteeId, domain: mentee.domain, since: options.since, correlationId: options.correlationId }],
      });
      return { menteeId, placed: null, notPlaced: notPlacedOf(mentee, refusals) };
    }
    const mentorship = startedMentorship({
      choice,
      menteeId,
      mentorshipId: deps.newId(),
      now: deps.clock(),
      lockMonths: rules.lockMonths,
      cause: 'rematch',
    });
    await deps.pairings.apply({ ...joinChange(mentorship, choice, rules), ...options.clear }, context);
    return { menteeId, placed: { mentorId: choice.mentor.personId, podId: choice.pod.podId } };
  });

/**
 * Re-matches one waiting mentee at once if a mentor with room fits, and settles the pending item
 * either way: placed, or kept waiting for a place. If pairings keep moving under it, or a run is
 * being committed (its plan already saw this mentee unmatched), it settles without placing.
 */
export const rematchOne = async (
  deps: PairingDependencies,
  pending: PendingRematch,
  context: WriteContext,
): Promise<RematchOutcome> => {
  const clear = { pendingRematches: { remove: [pending] } };
  try {
    return await placeOrWait(
      deps,
      pending.menteeId,
      { leavingMentorId: pending.excludeMentorId, clear, since: pending.since, correlationId: pending.correlationId },
      context,
    );
  } catch (error) {
    if (!(error instanceof PairingConflictError || error instanceof CommitInProgressError)) throw error;
    await deps.pairings.apply({ ...emptyChange({ kind: 'none' }), ...clear }, context);
    return { menteeId: pending.menteeId, placed: null };
  }
};

/**
 * A pod of `domain` freed a place (a mentee left it, its mentor raised their capacity or resumed):
 * mentees waiting in that domain, oldest first, take the places there are, each with the best
 * mentor who can take them. Safe to call any time; a mentee nobody can take keeps waiting.
 */
export const fillFreedPlaces = async (
  deps: PairingDependencies,
  domain: string,
  context: WriteContext,
): Promise<RematchOutcome[]> => {
  const outcomes: RematchOutcome[] = [];
  for (const waiting of await deps.pairings.waitingIn(domain)) {
    try {
      const outcome = await placeOrWait(
        deps,
        waiting.menteeId,
        { leavingMentorId: null, clear: {}, since: waiting.since, correlationId: waiting.correlationId },
        context,
      );
      outcomes.push(outcome);
      // The places are taken once someone could not be placed with nothing having changed.
      if (!outcome.placed && outcome.notPlaced) break;
    } catch (error) {
      if (error instanceof CommitInProgressError) break;
      if (!(error instanceof PairingConflictError)) throw error;
    }
  }
  return outcomes;
};

/** What waits in a domain, as the sweeper retries it. */
export const waitingDomains = (waiting: readonly WaitingMentee[]): string[] => [
  ...new Set(waiting.map((item) => item.domain)),
];

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

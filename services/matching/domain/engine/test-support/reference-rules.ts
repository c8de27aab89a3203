import type { AssignmentPod, ExcludedPair, ExistingPairing, MatchingInput, MatchingPerson, PairRule } from '../types';

/**
 * An independent, deliberately naive implementation of the participants, the lock policy and the
 * pair rules, for tests. It shares no code with the engine: the working-hours overlap in particular
 * is computed the other way round, by walking UTC time in 15-minute steps and asking Intl for each
 * person's local date and time (every IANA offset and every working hour used in tests is a multiple
 * of 15 minutes, so the sampling is exact).
 */

export const referenceIsMentor = (person: MatchingPerson): boolean =>
  person.status === 'active' && person.roles.includes('mentor');

export const referenceIsMentee = (person: MatchingPerson): boolean =>
  person.status === 'active' && person.roles.includes('employee') && !person.roles.includes('mentor');

const stepMinutes = 15;
const localParts = new Map<string, Intl.DateTimeFormat>();

const localDateTime = (timeZone: string, utcMillis: number): { date: string; minute: number } => {
  let format = localParts.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    localParts.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(utcMillis)).map((part) => [part.type, part.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minute: Number(parts.hour) * 60 + Number(parts.minute) };
};

/** Mon..Fri of the ISO week holding the run date's UTC calendar date, as YYYY-MM-DD. */
const weekDates = (runDate: Date): string[] => {
  const day = (runDate.getUTCDay() + 6) % 7;
  return [0, 1, 2, 3, 4].map((offset) => {
    const date = new Date(
      Date.UTC(runDate.getUTCFullYear(), runDate.getUTCMonth(), runDate.getUTCDate() - day + offset),
    );
    return date.toISOString().slice(0, 10);
  });
};

const toMinutes = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

const workingStepsCache = new Map<string, Uint8Array>();

/** Which 15-minute UTC steps (from the Saturday before the reference week) the person works. */
const workingSteps = (person: MatchingPerson, runDate: Date): Uint8Array => {
  const key = `${person.timezone}|${person.workingHours.start}|${person.workingHours.end}|${runDate.toISOString()}`;
  const cached = workingStepsCache.get(key);
  if (cached) return cached;
  const dates = new Set(weekDates(runDate));
  const [monday] = weekDates(runDate);
  const from = Date.parse(`${monday}T00:00:00Z`) - 2 * 24 * 60 * 60_000;
  const steps = new Uint8Array((9 * 24 * 60) / stepMinutes);
  const start = toMinutes(person.workingHours.start);
  const end = toMinutes(person.workingHours.end);
  for (let step = 0; step < steps.length; step++) {
    const local = localDateTime(person.timezone, from + step * stepMinutes * 60_000);
    steps[step] = dates.has(local.date) && local.minute >= start && local.minute < end ? 1 : 0;
  }
  workingStepsCache.set(key, steps);
  return steps;
};

export const referenceOverlapMinutes = (a: MatchingPerson, b: MatchingPerson, runDate: Date): number => {
  const stepsA = workingSteps(a, runDate);
  const stepsB = workingSteps(b, runDate);
  let best = 0;
  let run = 0;
  for (let step = 0; step < stepsA.length; step++) {
    run = stepsA[step] && stepsB[step] ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best * stepMinutes;
};

const managers = (people: ReadonlyMap<string, MatchingPerson>, personId: string): Set<string> => {
  const found = new Set<string>();
  let current = people.get(personId)?.managerId ?? null;
  while (current !== null && current !== personId && !found.has(current)) {
    found.add(current);
    current = people.get(current)?.managerId ?? null;
  }
  return found;
};

/** Either person manages the other, directly or up the chain. */
export const referenceInReportingLine = (people: ReadonlyMap<string, MatchingPerson>, a: string, b: string): boolean =>
  managers(people, a).has(b) || managers(people, b).has(a);

export interface ReferenceRules {
  minLevelGap: number;
  minOverlapMinutes: number;
  /** Pairs never to form, each blocked by its reason. */
  excludedPairs?: readonly ExcludedPair[] | undefined;
}

/** The first pair rule broken, in the documented order, or null. */
export const referencePairRule = (
  mentor: MatchingPerson,
  mentee: MatchingPerson,
  people: ReadonlyMap<string, MatchingPerson>,
  runDate: Date,
  rules: ReferenceRules,
): PairRule | null => {
  if (!referenceIsMentor(mentor)) return 'mentor-not-eligible';
  if (!referenceIsMentee(mentee)) return 'mentee-not-eligible';
  if (mentor.domain !== mentee.domain) return 'different-domain';
  if (mentor.level - mentee.level < rules.minLevelGap) return 'not-senior-enough';
  const menteeProjects = new Set(mentee.projectIds);
  if (mentor.projectIds.some((project) => menteeProjects.has(project))) return 'same-project';
  if (
    managers(people, mentee.personId).has(mentor.personId) ||
    managers(people, mentor.personId).has(mentee.personId)
  ) {
    return 'reporting-chain';
  }
  const excluded = (rules.excludedPairs ?? []).find(
    (pair) => pair.mentorId === mentor.personId && pair.menteeId === mentee.personId,
  );
  if (excluded) return excluded.reason;
  if (referenceOverlapMinutes(mentor, mentee, runDate) < rules.minOverlapMinutes) return 'working-hours-overlap';
  if (!mentor.acceptingMentees) return 'mentor-not-accepting';
  return null;
};

/** The documented lock policy: which existing pairings are kept as locks (mentee id -> mentor id). */
export const referenceLocks = (
  people: ReadonlyMap<string, MatchingPerson>,
  existing: readonly ExistingPairing[],
  runDate: Date,
): Map<string, string> => {
  const best = new Map<string, ExistingPairing>();
  for (const pairing of existing) {
    if (Date.parse(pairing.lockedUntil) <= runDate.getTime()) continue;
    const mentor = people.get(pairing.mentorId);
    const mentee = people.get(pairing.menteeId);
    if (!mentor || !mentee || !referenceIsMentor(mentor) || !referenceIsMentee(mentee)) continue;
    const holder = best.get(pairing.menteeId);
    const later = holder ? Date.parse(pairing.lockedUntil) - Date.parse(holder.lockedUntil) : 1;
    if (!holder || later > 0 || (later === 0 && pairing.mentorId < holder.mentorId))
      best.set(pairing.menteeId, pairing);
  }
  return new Map([...best].map(([menteeId, pairing]) => [menteeId, pairing.mentorId]));
};

/**
 * The documented objective, written again from the README's formula for tests (it shares no code
 * with the engine): default weights, the pair terms, the load cost, and which pairing is a
 * mentee's current one.
 */
export const referenceDefaults = {
  rules: { minLevelGap: 1, minOverlapMinutes: 120, minPodSize: 3, maxPodSize: 5, lockMonths: 3 },
  weights: { overlap: 20, language: 15, skills: 30, seniority: 15, balancedLoad: 3, repeatPast: 25, move: 20 },
  scoring: { fullOverlapMinutes: 360, preferredLevelGap: 2, levelGapTolerance: 3 },
} as const;

type ObjectiveInput = Pick<
  MatchingInput,
  'people' | 'existingPairings' | 'pastPairings' | 'excludedPairs' | 'runDate' | 'rules' | 'weights' | 'scoring'
>;

const settings = (input: ObjectiveInput) => ({
  rules: { ...referenceDefaults.rules, ...input.rules, excludedPairs: input.excludedPairs },
  weights: { ...referenceDefaults.weights, ...input.weights },
  scoring: { ...referenceDefaults.scoring, ...input.scoring },
});

/** People by id and kept locks, computed once per input object (the reference is called per pair). */
const derived = new WeakMap<
  ObjectiveInput,
  { people: Map<string, MatchingPerson>; locks: Map<string, string>; current: Map<string, string | null> }
>();
const derive = (input: ObjectiveInput) => {
  let found = derived.get(input);
  if (!found) {
    const people = new Map(input.people.map((person) => [person.personId, person]));
    found = { people, locks: referenceLocks(people, input.existingPairings ?? [], input.runDate), current: new Map() };
    derived.set(input, found);
  }
  return found;
};

const normalised = (tags: readonly string[]): Set<string> => new Set(tags.map((tag) => tag.trim().toLowerCase()));

/**
 * The mentee's current unlocked pairing: among their existing pairings whose lock has run out, the
 * one that ran longest (ties: smallest mentor id), unless a kept lock holds them.
 */
const referenceCurrentMentor = (input: ObjectiveInput, menteeId: string): string | null => {
  const { locks, current } = derive(input);
  const known = current.get(menteeId);
  if (known !== undefined) return known;
  let best: ExistingPairing | null = null;
  for (const pairing of input.existingPairings ?? []) {
    if (pairing.menteeId !== menteeId || Date.parse(pairing.lockedUntil) > input.runDate.getTime()) continue;
    const later = best ? Date.parse(pairing.lockedUntil) - Date.parse(best.lockedUntil) : 1;
    if (!best || later > 0 || (later === 0 && pairing.mentorId < best.mentorId)) best = pairing;
  }
  const found = locks.has(menteeId) ? null : (best?.mentorId ?? null);
  current.set(menteeId, found);
  return found;
};

/** A pair's score in centipoints by the documented formula (whether or not the pair is allowed). */
export const referencePairScore = (mentor: MatchingPerson, mentee: MatchingPerson, input: ObjectiveInput): number => {
  const { rules, weights, scoring } = settings(input);
  const { people, locks } = derive(input);
  const cp = (weight: number) => Math.round(weight * 100);
  const overlap = referenceOverlapMinutes(mentor, mentee, input.runDate);
  const languages = normalised(mentor.languages);
  const shared = [...normalised(mentee.languages)].some((language) => languages.has(language));
  const goals = normalised(mentee.growthGoals);
  const skills = normalised(mentor.skills);
  const covered = [...goals].filter((goal) => skills.has(goal)).length;
  const gap = mentor.level - mentee.level;
  const lockedMentor = locks.get(mentee.personId);
  const currentId = referenceCurrentMentor(input, mentee.personId);
  const isCurrent = lockedMentor === mentor.personId || currentId === mentor.personId;
  const repeats =
    !isCurrent &&
    (input.pastPairings ?? []).some((past) => past.mentorId === mentor.personId && past.menteeId === mentee.personId);
  const current = currentId === null ? undefined : people.get(currentId);
  const canStay = current !== undefined && referencePairRule(current, mentee, people, input.runDate, rules) === null;
  const moves = canStay && currentId !== mentor.personId;
  return (
    Math.round((cp(weights.overlap) * Math.min(overlap, scoring.fullOverlapMinutes)) / scoring.fullOverlapMinutes) +
    (shared ? cp(weights.language) : 0) +
    (goals.size > 0 ? Math.round((cp(weights.skills) * covered) / goals.size) : 0) +
    Math.round(
      (cp(weights.seniority) * Math.max(0, scoring.levelGapTolerance - Math.abs(gap - scoring.preferredLevelGap))) /
        scoring.levelGapTolerance,
    ) -
    (repeats ? cp(weights.repeatPast) : 0) -
    (moves ? cp(weights.move) : 0)
  );
};

/** The load cost of a pod of n: balancedLoad * n(n-1)/2, in centipoints. */
export const referenceLoadCost = (input: ObjectiveInput, size: number): number =>
  (Math.round(settings(input).weights.balancedLoad * 100) * size * (size - 1)) / 2;

/** (matched, pair scores - load costs) of an assignment, the objective's two levels (coverage first). */
export const referenceObjective = (
  input: ObjectiveInput,
  pods: readonly AssignmentPod[],
): { matched: number; score: number } => {
  const people = new Map(input.people.map((person) => [person.personId, person]));
  let matched = 0;
  let score = 0;
  for (const pod of pods) {
    const mentor = people.get(pod.mentorId);
    if (!mentor) continue;
    for (const menteeId of pod.menteeIds) {
      const mentee = people.get(menteeId);
      if (!mentee) continue;
      matched += 1;
      score += referencePairScore(mentor, mentee, input);
    }
    score -= referenceLoadCost(input, pod.menteeIds.length);
  }
  return { matched, score };
};

/**
 * Every hard rule an assignment breaks, as readable strings (empty when it breaks none), checked
 * from scratch: participants, one mentor per mentee, every kept lock present, every new pair allowed,
 * and every pod that takes a new mentee between the minimum and the mentor's capacity (at most
 * `maxPodSize`). Pods holding only locked mentees are the lock policy's business, not a breach.
 */
export const referenceViolations = (input: ObjectiveInput, pods: readonly AssignmentPod[]): string[] => {
  const { rules } = settings(input);
  const people = new Map(input.people.map((person) => [person.personId, person]));
  const locks = referenceLocks(people, input.existingPairings ?? [], input.runDate);
  const violations: string[] = [];
  const mentorOf = new Map<string, string>();
  const seenMentors = new Set<string>();
  for (const pod of pods) {
    const mentor = people.get(pod.mentorId);
    if (!mentor || !referenceIsMentor(mentor)) violations.push(`${pod.mentorId} is not a mentor`);
    if (seenMentors.has(pod.mentorId)) violations.push(`${pod.mentorId} has two pods`);
    seenMentors.add(pod.mentorId);
    let added = 0;
    for (const menteeId of pod.menteeIds) {
      const mentee = people.get(menteeId);
      if (!mentee || !referenceIsMentee(mentee)) violations.push(`${menteeId} is not a mentee`);
      const earlier = mentorOf.get(menteeId);
      if (earlier !== undefined) violations.push(`${menteeId} has two mentors: ${earlier} and ${pod.mentorId}`);
      mentorOf.set(menteeId, pod.mentorId);
      if (locks.get(menteeId) === pod.mentorId) continue;
      added += 1;
      if (mentor && mentee) {
        const rule = referencePairRule(mentor, mentee, people, input.runDate, rules);
        if (rule !== null) violations.push(`${pod.mentorId}/${menteeId} breaks ${rule}`);
      }
    }
    const capacity = Math.min(mentor?.mentorCapacity ?? 0, rules.maxPodSize);
    const size = pod.menteeIds.length;
    if (added > 0 && size < rules.minPodSize) violations.push(`${pod.mentorId} holds ${size} < ${rules.minPodSize}`);
    if (added > 0 && size > capacity) violations.push(`${pod.mentorId} holds ${size} > capacity ${capacity}`);
  }
  for (const [menteeId, mentorId] of locks) {
    if (mentorOf.get(menteeId) !== mentorId) violations.push(`lock ${mentorId}/${menteeId} dropped`);
  }
  return violations;
};

import type { ExistingPairing, MatchingPerson, PairRule } from '../types';

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

export interface ReferenceRules {
  minLevelGap: number;
  minOverlapMinutes: number;
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

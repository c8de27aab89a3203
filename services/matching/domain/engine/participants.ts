import type { ExistingPairing, MatchingPerson, ReleasedLock } from './types';

/**
 * Who takes part. A mentor is an active person with the `mentor` role. A mentee is an active person
 * with the `employee` role who is not a mentor: a mentor is never also a mentee in the same run, so
 * senior people who mentor are not matched upwards at the same time.
 */
export const isMentor = (person: MatchingPerson): boolean =>
  person.status === 'active' && person.roles.includes('mentor');

export const isMentee = (person: MatchingPerson): boolean =>
  person.status === 'active' && person.roles.includes('employee') && !isMentor(person);

/** How many mentees a mentor may hold: their own capacity, never above the rule's maximum. */
export const mentorCapacity = (mentor: MatchingPerson, maxPodSize: number): number =>
  Math.min(mentor.mentorCapacity, maxPodSize);

/**
 * Reporting chains over every person given (any domain, any status): a person's managers, their
 * managers, and so on up the `managerId` links. A cycle in the data ends the walk where it repeats.
 */
export class ReportingChains {
  private readonly managerOf = new Map<string, string>();
  private readonly chains = new Map<string, readonly string[]>();

  constructor(people: readonly MatchingPerson[]) {
    for (const person of people) {
      if (person.managerId) this.managerOf.set(person.personId, person.managerId);
    }
  }

  /** The person's managers, nearest first, without the person and without repeats. */
  managersOf(personId: string): readonly string[] {
    const cached = this.chains.get(personId);
    if (cached) return cached;
    const chain: string[] = [];
    const seen = new Set<string>([personId]);
    let current = this.managerOf.get(personId);
    while (current !== undefined && !seen.has(current)) {
      chain.push(current);
      seen.add(current);
      current = this.managerOf.get(current);
    }
    this.chains.set(personId, chain);
    return chain;
  }

  /** Either person manages the other, directly or through the chain. */
  inSameLine(a: string, b: string): boolean {
    return this.managersOf(a).includes(b) || this.managersOf(b).includes(a);
  }
}

export interface LockedPairing {
  mentorId: string;
  menteeId: string;
  lockedUntil: string;
}

export interface PairingState {
  /** Locked pairings the run keeps, at most one per mentee. */
  locked: LockedPairing[];
  lockedMentorOf: Map<string, LockedPairing>;
  /** Locked mentees per mentor. */
  lockedCount: Map<string, number>;
  /** For mentees without a lock: the mentor of their current, unlocked pairing. */
  currentMentorOf: Map<string, string>;
  released: ReleasedLock[];
}

const parseInstant = (value: string, what: string): number => {
  const millis = Date.parse(value);
  if (Number.isNaN(millis)) throw new RangeError(`${what} is not an ISO date: ${value}`);
  return millis;
};

/**
 * Splits existing pairings into the locks the run must keep and the unlocked ones (which only matter
 * for the move penalty). A lock is kept while `lockedUntil` is after the run date and both people are
 * still in the programme in their role; the lock wins over every pair rule (a breach is reported as a
 * warning, not undone). A mentee with several locks keeps the one that runs longest.
 */
export const resolvePairings = (
  byId: ReadonlyMap<string, MatchingPerson>,
  existing: readonly ExistingPairing[],
  runDate: Date,
): PairingState => {
  const now = runDate.getTime();
  const released: ReleasedLock[] = [];
  const candidates: Array<LockedPairing & { until: number }> = [];
  const unlocked: Array<ExistingPairing & { until: number }> = [];

  for (const pairing of existing) {
    const until = parseInstant(pairing.lockedUntil, `lockedUntil of ${pairing.mentorId}/${pairing.menteeId}`);
    if (until <= now) {
      unlocked.push({ ...pairing, until });
      continue;
    }
    const mentor = byId.get(pairing.mentorId);
    const mentee = byId.get(pairing.menteeId);
    const reason =
      !mentor || !mentee
        ? 'unknown-person'
        : !isMentor(mentor)
          ? 'mentor-not-in-programme'
          : !isMentee(mentee)
            ? 'mentee-not-in-programme'
            : null;
    if (reason) released.push({ ...pairing, reason });
    else candidates.push({ ...pairing, until });
  }

  candidates.sort((a, b) => b.until - a.until || compareIds(a.mentorId, b.mentorId));
  const lockedMentorOf = new Map<string, LockedPairing>();
  const lockedCount = new Map<string, number>();
  const locked: LockedPairing[] = [];
  for (const candidate of candidates) {
    const pairing = { mentorId: candidate.mentorId, menteeId: candidate.menteeId, lockedUntil: candidate.lockedUntil };
    const holder = lockedMentorOf.get(candidate.menteeId);
    if (holder) {
      released.push({
        ...pairing,
        reason: holder.mentorId === pairing.mentorId ? 'duplicate' : 'mentee-has-another-locked-mentor',
      });
      continue;
    }
    lockedMentorOf.set(pairing.menteeId, pairing);
    lockedCount.set(pairing.mentorId, (lockedCount.get(pairing.mentorId) ?? 0) + 1);
    locked.push(pairing);
  }

  // The most recent unlocked pairing is the mentee's current pod.
  unlocked.sort((a, b) => b.until - a.until || compareIds(a.mentorId, b.mentorId));
  const currentMentorOf = new Map<string, string>();
  for (const pairing of unlocked) {
    if (lockedMentorOf.has(pairing.menteeId) || currentMentorOf.has(pairing.menteeId)) continue;
    currentMentorOf.set(pairing.menteeId, pairing.mentorId);
  }
  locked.sort((a, b) => compareIds(a.mentorId, b.mentorId) || compareIds(a.menteeId, b.menteeId));
  return { locked, lockedMentorOf, lockedCount, currentMentorOf, released };
};

/** Locale-free, deterministic id order. */
export const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

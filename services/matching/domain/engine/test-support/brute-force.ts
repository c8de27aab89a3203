import { scorePair } from '../score-pair';
import type { MatchingInput, MatchingPerson } from '../types';
import {
  referenceDefaults,
  referenceIsMentee,
  referenceIsMentor,
  referenceLoadCost,
  referenceLocks,
  referencePairRule,
  referencePairScore,
} from './reference-rules';

export interface ExhaustiveResult {
  /** Best (matched, pairScore - loadCost), lexicographically: coverage first. */
  matched: number;
  score: number;
  /** Every feasible assignment's (matched, score), to check properties of the whole space. */
  outcomes: Array<{ matched: number; score: number }>;
}

/**
 * Enumerates every assignment of the unlocked mentees (each: one allowed mentor or none), keeps those
 * obeying the pod rule (per mentor: no new mentee, or locked + new in [minPodSize, capacity]) and
 * returns the best by (matched, score). Rules, locks and pair scores all come from the independent
 * reference; the engine's `scorePair` must agree with it (rule and score) on every pair on the way.
 */
export const exhaustiveOptimum = (input: MatchingInput): ExhaustiveResult => {
  const rules = { ...referenceDefaults.rules, ...input.rules, excludedPairs: input.excludedPairs };
  const loadCost = (size: number): number => referenceLoadCost(input, size);
  const people = new Map(input.people.map((person) => [person.personId, person]));
  const mentors = input.people.filter(referenceIsMentor);
  const mentees = input.people.filter(referenceIsMentee);
  const locks = referenceLocks(people, input.existingPairings ?? [], input.runDate);
  const score = (mentor: MatchingPerson, mentee: MatchingPerson) => {
    const centipoints = referencePairScore(mentor, mentee, input);
    const engine = scorePair(mentor, mentee, { ...input, people: input.people });
    if (engine.centipoints !== centipoints) {
      throw new Error(
        `scorePair gives ${engine.centipoints}, the reference ${centipoints} for ${mentor.personId}/${mentee.personId}`,
      );
    }
    return engine;
  };

  const locked = new Map<string, number>();
  let lockedScore = 0;
  for (const [menteeId, mentorId] of locks) {
    locked.set(mentorId, (locked.get(mentorId) ?? 0) + 1);
    const mentor = people.get(mentorId);
    const mentee = people.get(menteeId);
    if (mentor && mentee) lockedScore += score(mentor, mentee).centipoints;
  }

  const free = mentees.filter((mentee) => !locks.has(mentee.personId));
  const options = free.map((mentee) =>
    mentors.flatMap((mentor, j) => {
      const rule = referencePairRule(mentor, mentee, people, input.runDate, rules);
      const scored = score(mentor, mentee);
      if (scored.blockedBy !== rule) {
        throw new Error(
          `scorePair says ${scored.blockedBy}, reference says ${rule} for ${mentor.personId}/${mentee.personId}`,
        );
      }
      return rule === null ? [{ j, points: scored.centipoints }] : [];
    }),
  );
  const capacity = mentors.map((mentor) => Math.min(mentor.mentorCapacity, rules.maxPodSize));
  const lockedOf = mentors.map((mentor) => locked.get(mentor.personId) ?? 0);
  const added = new Array<number>(mentors.length).fill(0);
  const outcomes: Array<{ matched: number; score: number }> = [];
  let best = { matched: -1, score: Number.NEGATIVE_INFINITY };

  const visit = (index: number, matched: number, points: number): void => {
    if (index === free.length) {
      let total = points + lockedScore;
      for (let j = 0; j < mentors.length; j++) {
        const size = (lockedOf[j] ?? 0) + (added[j] ?? 0);
        if ((added[j] ?? 0) > 0 && (size < rules.minPodSize || size > (capacity[j] ?? 0))) return;
        total -= loadCost(size);
      }
      const outcome = { matched: matched + locks.size, score: total };
      outcomes.push(outcome);
      if (outcome.matched > best.matched || (outcome.matched === best.matched && outcome.score > best.score))
        best = outcome;
      return;
    }
    visit(index + 1, matched, points);
    for (const option of options[index] ?? []) {
      if ((lockedOf[option.j] ?? 0) + (added[option.j] ?? 0) >= (capacity[option.j] ?? 0)) continue;
      added[option.j] = (added[option.j] ?? 0) + 1;
      visit(index + 1, matched + 1, points + option.points);
      added[option.j] = (added[option.j] ?? 0) - 1;
    }
  };
  visit(0, 0, 0);
  return { ...best, outcomes };
};

import fc from 'fast-check';
import type { PodProblem } from '../pod-lagrangian';

/** A pod problem small enough to enumerate, with its pairs spelled out for the enumeration. */
export interface TinyPod {
  problem: PodProblem;
  /** Every allowed pair as [mentee, mentor, score]. */
  pairs: Array<[number, number, number]>;
}

interface Shape {
  mentees: { min: number; max: number };
  mentors: { min: number; max: number };
  /** Out of 10: how many pairs in 10 are allowed, on average. */
  allowedInTen: number;
}

/**
 * Random pod problems of the given shape: mentors with 0-3 locked mentees and 0-5 free slots (minimum
 * pod of 3 counting the locked ones), pair scores from -50 to 100, a load step from none to one that
 * outweighs every score.
 */
export const podProblems = ({ mentees, mentors, allowedInTen }: Shape): fc.Arbitrary<TinyPod> =>
  fc
    .record({
      menteeCount: fc.integer(mentees),
      mentors: fc.array(fc.record({ locked: fc.integer({ min: 0, max: 3 }), slots: fc.integer({ min: 0, max: 5 }) }), {
        minLength: mentors.min,
        maxLength: mentors.max,
      }),
      loadStep: fc.constantFrom(0, 10, 1_000, 5_000),
      seedPairs: fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: -50, max: 100 })), {
        minLength: mentees.max * mentors.max,
        maxLength: mentees.max * mentors.max,
      }),
    })
    .map(({ menteeCount, mentors, loadStep, seedPairs }) => {
      const pairs: Array<[number, number, number]> = [];
      const pairStart = [0];
      const pairMentee: number[] = [];
      const pairScore: number[] = [];
      mentors.forEach((_, j) => {
        for (let f = 0; f < menteeCount; f++) {
          const [draw, score] = seedPairs[j * menteeCount + f] ?? [9, 0];
          if (draw >= allowedInTen) continue;
          pairs.push([f, j, score]);
          pairMentee.push(f);
          pairScore.push(score);
        }
        pairStart.push(pairMentee.length);
      });
      const problem: PodProblem = {
        menteeCount,
        mentorCount: mentors.length,
        // Larger than any score and load difference: coverage first, as the engine's bonus.
        bonus: 1_000_000,
        loadStep,
        locked: Int32Array.from(mentors, (mentor) => mentor.locked),
        slots: Int32Array.from(mentors, (mentor) => mentor.slots),
        required: Int32Array.from(mentors, (mentor) => Math.max(0, 3 - mentor.locked)),
        pairStart: Int32Array.from(pairStart),
        pairMentee: Int32Array.from(pairMentee),
        pairScore: Float64Array.from(pairScore),
      };
      return { problem, pairs };
    });

/**
 * A pod problem in which every mentor may take every mentee and nobody is locked yet, written as a test
 * reads it: each mentor's free slots and minimum, and `score(mentor, mentee)` for every pair.
 */
export const everyPairProblem = ({
  menteeCount,
  slots,
  required,
  bonus,
  loadStep,
  score,
}: {
  menteeCount: number;
  slots: number[];
  required: number[];
  bonus: number;
  loadStep: number;
  score: (mentor: number, mentee: number) => number;
}): PodProblem => {
  const mentorCount = slots.length;
  const pairs = mentorCount * menteeCount;
  return {
    menteeCount,
    mentorCount,
    bonus,
    loadStep,
    locked: new Int32Array(mentorCount),
    slots: Int32Array.from(slots),
    required: Int32Array.from(required),
    pairStart: Int32Array.from({ length: mentorCount + 1 }, (_, j) => j * menteeCount),
    pairMentee: Int32Array.from({ length: pairs }, (_, q) => q % menteeCount),
    pairScore: Float64Array.from({ length: pairs }, (_, q) => score(Math.floor(q / menteeCount), q % menteeCount)),
  };
};

/** The best assignment matching between `minTotal` and `maxTotal` mentees, by enumeration (null: none). */
export const bestByEnumeration = ({ problem, pairs }: TinyPod, minTotal: number, maxTotal: number): number | null => {
  const choices: Array<Array<[number, number]>> = Array.from({ length: problem.menteeCount }, () => []);
  for (const [f, j, score] of pairs) choices[f]?.push([j, score]);
  let best: number | null = null;
  const size = new Array<number>(problem.mentorCount).fill(0);
  const visit = (f: number, matched: number, worth: number): void => {
    if (f === problem.menteeCount) {
      if (matched < minTotal || matched > maxTotal) return;
      let value = worth;
      for (let j = 0; j < problem.mentorCount; j++) {
        const n = size[j] as number;
        const required = problem.required[j] as number;
        if (n > (problem.slots[j] as number) || (n > 0 && n < required)) return;
        for (let k = 1; k <= n; k++) value -= problem.loadStep * ((problem.locked[j] as number) + k - 1);
      }
      if (best === null || value > best) best = value;
      return;
    }
    visit(f + 1, matched, worth);
    for (const [j, score] of choices[f] ?? []) {
      size[j] = (size[j] as number) + 1;
      visit(f + 1, matched + 1, worth + problem.bonus + score);
      size[j] = (size[j] as number) - 1;
    }
  };
  visit(0, 0, 0);
  return best;
};

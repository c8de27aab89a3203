import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PodLagrangian, type PodProblem } from './pod-lagrangian';

interface TinyPod {
  problem: PodProblem;
  /** Every allowed pair as [mentee, mentor, score]. */
  pairs: Array<[number, number, number]>;
}

const tinyPodProblem: fc.Arbitrary<TinyPod> = fc
  .record({
    menteeCount: fc.integer({ min: 2, max: 6 }),
    mentors: fc.array(fc.record({ locked: fc.integer({ min: 0, max: 3 }), slots: fc.integer({ min: 0, max: 5 }) }), {
      minLength: 1,
      maxLength: 3,
    }),
    loadStep: fc.constantFrom(0, 10, 1_000, 5_000),
    seedPairs: fc.array(fc.tuple(fc.boolean(), fc.integer({ min: -50, max: 100 })), { minLength: 18, maxLength: 18 }),
  })
  .map(({ menteeCount, mentors, loadStep, seedPairs }) => {
    const pairs: Array<[number, number, number]> = [];
    const pairStart = [0];
    const pairMentee: number[] = [];
    const pairScore: number[] = [];
    mentors.forEach((_, j) => {
      for (let f = 0; f < menteeCount; f++) {
        const [allowed, score] = seedPairs[(j * menteeCount + f) % seedPairs.length] ?? [false, 0];
        if (!allowed) continue;
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

/** The best assignment matching between `minTotal` and `maxTotal` mentees, by enumeration (null: none). */
const bestByEnumeration = ({ problem, pairs }: TinyPod, minTotal: number, maxTotal: number): number | null => {
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

describe('PodLagrangian', () => {
  it('bounds from above every assignment whose number matched lies in the range, at any prices', () => {
    fc.assert(
      fc.property(
        tinyPodProblem,
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 2_000_000 }), { minLength: 6, maxLength: 6 }),
        (tiny, minTotal, prices) => {
          const maxTotal = tiny.problem.menteeCount;
          const optimum = bestByEnumeration(tiny, Math.min(minTotal, maxTotal), maxTotal);
          const lagrangian = new PodLagrangian(tiny.problem);
          lagrangian.minTotal = Math.min(minTotal, maxTotal);
          lagrangian.maxTotal = maxTotal;
          lagrangian.setPrices(prices.map((price) => price / 7));
          const relaxed = lagrangian.evaluate();
          const exact = lagrangian.evaluateExact();
          if (optimum !== null) {
            expect(relaxed).toBeGreaterThanOrEqual(optimum);
            expect(exact).toBeGreaterThanOrEqual(optimum);
          }
          // The dynamic programme keeps the total exactly: never looser than the priced total.
          expect(exact).toBeLessThanOrEqual(relaxed);
        },
      ),
      { numRuns: 400, seed: 7 },
    );
  });

  it('reports a range of totals the mentors cannot reach as infeasible (-Infinity) instead of searching for a price forever', () => {
    // Two fresh mentors with pods of 3: at most 6 of the 7 mentees can be matched.
    const problem: PodProblem = {
      menteeCount: 7,
      mentorCount: 2,
      bonus: 1_000_000,
      loadStep: 100_000,
      locked: Int32Array.from([0, 0]),
      slots: Int32Array.from([3, 3]),
      required: Int32Array.from([3, 3]),
      pairStart: Int32Array.from([0, 7, 14]),
      pairMentee: Int32Array.from([0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6]),
      pairScore: Float64Array.from({ length: 14 }, (_, q) => q * 10),
    };
    const lagrangian = new PodLagrangian(problem);
    lagrangian.minTotal = 7;
    lagrangian.maxTotal = 7;
    expect(lagrangian.evaluate()).toBe(Number.NEGATIVE_INFINITY);
    expect(lagrangian.evaluateExact()).toBe(Number.NEGATIVE_INFINITY);
    // Six is reachable: a finite bound, at least the best assignment of six.
    lagrangian.minTotal = 6;
    expect(lagrangian.evaluate()).toBeGreaterThanOrEqual(6 * 1_000_000 - 6 * 100_000);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PodLagrangian, type PodProblem } from './pod-lagrangian';
import { bestByEnumeration, podProblems } from './test-support/tiny-pod-problems';

/** Up to 6 mentees and 3 mentors, half the pairs allowed: enumerable. */
const tinyPodProblem = podProblems({ mentees: { min: 2, max: 6 }, mentors: { min: 1, max: 3 }, allowedInTen: 5 });

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

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PodLagrangian } from './pod-lagrangian';
import { bestByEnumeration, everyPairProblem, podProblems } from './test-support/tiny-pod-problems';

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

  it('breaks ties between pod sizes toward the total the total price aims at, so that a subgradient step can move the bound', () => {
    // Every pair worth the same, no load cost: every pod size of every mentor ties at the fitting prices.
    const problem = everyPairProblem({
      menteeCount: 9,
      slots: [5, 5, 5],
      required: [3, 3, 3],
      bonus: 1,
      loadStep: 0,
      score: () => 0,
    });
    const lagrangian = new PodLagrangian(problem);
    lagrangian.minTotal = 9;
    lagrangian.maxTotal = 9;
    lagrangian.setPrices(new Array(9).fill(1));
    expect(lagrangian.evaluate()).toBe(9);
    // The smallest tied sizes (no pod at all) would say every mentee is in no pod: every price falls
    // alike, and the bound does not move. The pods chosen reach the 9 the total asks for.
    expect(lagrangian.chosenTotal).toBe(9);
    expect(Array.from(lagrangian.chosen).reduce((sum, times) => sum + times, 0)).toBe(9);
  });

  it('reports a range of totals the mentors cannot reach as infeasible (-Infinity) instead of searching for a price forever', () => {
    // Two fresh mentors with pods of 3: at most 6 of the 7 mentees can be matched.
    const problem = everyPairProblem({
      menteeCount: 7,
      slots: [3, 3],
      required: [3, 3],
      bonus: 1_000_000,
      loadStep: 100_000,
      score: (mentor, mentee) => (mentor * 7 + mentee) * 10,
    });
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

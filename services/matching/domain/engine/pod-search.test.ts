import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchPods } from './pod-search';
import { bestByEnumeration, podProblems } from './test-support/tiny-pod-problems';

describe('searchPods', () => {
  it("proves the enumerated optimum, also when the root's flows hold only each mentee's best pair while the pairs are many", () => {
    let restrictedRuns = 0;
    fc.assert(
      fc.property(
        // Nine pairs in ten allowed: more than two pairs per mentee, so one pair per mentee is "restricted".
        podProblems({ mentees: { min: 4, max: 7 }, mentors: { min: 2, max: 5 }, allowedInTen: 9 }),
        (tiny) => {
          const menteeCount = tiny.problem.menteeCount;
          const optimum = bestByEnumeration(tiny, 0, menteeCount);
          const options = { prices: new Float64Array(menteeCount), minTotal: 0, maxTotal: menteeCount };
          const everyPair = searchPods(tiny.problem, options);
          const bestPairOnly = searchPods(tiny.problem, { ...options, flowPairsPerMentee: 1 });
          for (const result of [everyPair, bestPairOnly]) {
            expect(result.proven).toBe(true);
            expect(result.value).toBe(optimum);
          }
          if (bestPairOnly.restrictedRounds > 0) restrictedRuns += 1;
        },
      ),
      { numRuns: 3_000, seed: 11 },
    );
    // The sample must take the restricted rounds, not only settle at the first flow.
    expect(restrictedRuns).toBeGreaterThanOrEqual(25);
  });
});

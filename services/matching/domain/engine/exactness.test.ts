import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticOrg } from '../../bench/synthetic-org';
import { matchPods } from './match-pods';
import { evaluateObjective } from './objective';
import { crowdedInput, testHours, testZones, tinyInput, weightsArbitrary } from './testing/arbitraries';
import { exhaustiveOptimum } from './testing/brute-force';
import { mipOptimum } from './testing/highs-model';
import type { MatchingInput, MatchResult } from './types';

const summary = (result: MatchResult) => ({
  matched: result.objective.matched,
  score: result.objective.pairScore - result.objective.loadCost,
});

/** Every result must pass the evaluator, which must agree with the engine's objective. */
const expectFeasible = (input: MatchingInput, result: MatchResult): void => {
  const evaluation = evaluateObjective(input, result.pods);
  expect(evaluation.violations).toEqual([]);
  expect(evaluation.feasible).toBe(true);
  expect(evaluation.objective).toEqual(result.objective);
};

describe('matchPods against exhaustive search', () => {
  it('finds the optimum of a few hundred tiny programmes (all rules, locks, past pairings, weights)', () => {
    fc.assert(
      fc.property(tinyInput({ maxMentors: 3, maxMentees: 7 }), fc.constantFrom(1, 2, 20), (input, candidates) => {
        const withSolver = { ...input, solver: { candidatesPerMentee: candidates } };
        const result = matchPods(withSolver);
        expectFeasible(withSolver, result);
        const exact = exhaustiveOptimum(withSolver);
        expect(summary(result)).toEqual({ matched: exact.matched, score: exact.score });
        expect(result.optimality.proven).toBe(true);
      }),
      { numRuns: 400, seed: 20261124 },
    );
  });

  it('finds the optimum where the minimum pod decides (scarce mentees, everyone compatible)', () => {
    fc.assert(
      fc.property(crowdedInput, (input) => {
        const result = matchPods(input);
        expectFeasible(input, result);
        const exact = exhaustiveOptimum(input);
        expect(summary(result)).toEqual({ matched: exact.matched, score: exact.score });
      }),
      { numRuns: 250, seed: 99 },
    );
  });

  it('stopped early by the node limit, stays feasible and bounds its own gap', () => {
    fc.assert(
      fc.property(crowdedInput, (input) => {
        const limited = { ...input, solver: { ...input.solver, maxBranchNodes: 1 } };
        const result = matchPods(limited);
        expectFeasible(limited, result);
        const exact = exhaustiveOptimum(limited);
        const optimum = result.objective.coverageBonus * exact.matched + exact.score;
        expect(result.objective.value).toBeLessThanOrEqual(optimum);
        expect(optimum).toBeLessThanOrEqual(result.objective.value + result.optimality.gap);
        if (result.optimality.proven) expect(result.objective.value).toBe(optimum);
      }),
      { numRuns: 100, seed: 123 },
    );
  });

  it('covers the zones and working hours the generators draw from', () => {
    expect(testZones.length).toBeGreaterThan(5);
    expect(testHours.length).toBeGreaterThan(3);
  });
});

describe('matchPods against the HiGHS MIP solver', () => {
  let highs: Awaited<ReturnType<typeof import('highs')['default']>>;
  beforeAll(async () => {
    highs = await (await import('highs')).default();
  });

  it('reaches the MIP optimum on synthetic organisations of 200-400 people', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          people: fc.integer({ min: 200, max: 400 }),
          domainCount: fc.integer({ min: 1, max: 4 }),
          mentorShare: fc.constantFrom(0.15, 0.2, 0.25, 0.3),
          weights: weightsArbitrary,
          candidates: fc.constantFrom(3, 20),
        }),
        ({ seed, people, domainCount, mentorShare, weights, candidates }) => {
          const org = syntheticOrg({ seed, people, domainCount, mentorShare });
          const input: MatchingInput = { ...org, weights, solver: { candidatesPerMentee: candidates } };
          const result = matchPods(input);
          expectFeasible(input, result);
          expect(result.optimality.proven).toBe(true);
          const mip = mipOptimum(highs, input);
          expect(summary(result)).toEqual({ matched: mip.matched, score: mip.score });
        },
      ),
      { numRuns: 10, seed: 4242 },
    );
  });
});

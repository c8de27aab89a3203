import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticOrg } from '../../bench/synthetic-org';
import { matchPods } from './match-pods';
import { evaluateObjective } from './objective';
import { crowdedInput, testHours, testZones, tinyInput, weightsArbitrary } from './test-support/arbitraries';
import { exhaustiveOptimum } from './test-support/brute-force';
import { mipOptimum } from './test-support/highs-model';
import { referenceObjective, referenceViolations } from './test-support/reference-rules';
import type { MatchingInput, MatchResult } from './types';

const summary = (result: MatchResult) => ({
  matched: result.objective.matched,
  score: result.objective.pairScore - result.objective.loadCost,
});

/**
 * Every result must break no hard rule by the independent reference checker, be worth what the
 * reference objective says, and pass the engine's own evaluator with the same objective.
 */
const expectFeasible = (input: MatchingInput, result: MatchResult): void => {
  expect(referenceViolations(input, result.pods)).toEqual([]);
  expect(referenceObjective(input, result.pods)).toEqual(summary(result));
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

  it('stopped by its time budget at any point, stays feasible and bounds its own gap', () => {
    fc.assert(
      fc.property(crowdedInput, fc.nat(400), (input, ticks) => {
        // A clock that moves one unit per reading: the budget runs out after `ticks` checks.
        let now = 0;
        const limited = { ...input, solver: { ...input.solver, timeBudgetMs: ticks, clock: () => now++ } };
        const result = matchPods(limited);
        expectFeasible(limited, result);
        const exact = exhaustiveOptimum(limited);
        const optimum = result.objective.coverageBonus * exact.matched + exact.score;
        expect(result.objective.value).toBeLessThanOrEqual(optimum);
        expect(optimum).toBeLessThanOrEqual(result.objective.value + result.optimality.gap);
        if (result.optimality.proven) expect(result.objective.value).toBe(optimum);
        else expect(result.optimality.domains.some((domain) => domain.stoppedBy === 'time-budget')).toBe(true);
      }),
      { numRuns: 150, seed: 321 },
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

  it('reaches the MIP optimum on synthetic organisations of 80-220 people, mentees scarce or plentiful', () => {
    let minimumPodBinding = 0;
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          people: fc.integer({ min: 80, max: 220 }),
          domainCount: fc.integer({ min: 1, max: 3 }),
          // 0.3 and more: about two mentees per mentor, so the minimum pod decides who opens.
          mentorShare: fc.constantFrom(0.15, 0.2, 0.25, 0.3, 0.35),
          weights: weightsArbitrary,
          candidates: fc.constantFrom(3, 20),
        }),
        ({ seed, people, domainCount, mentorShare, weights, candidates }) => {
          const org = syntheticOrg({ seed, people, domainCount, mentorShare });
          const input: MatchingInput = { ...org, weights, solver: { candidatesPerMentee: candidates } };
          const result = matchPods(input);
          expectFeasible(input, result);
          expect(result.optimality.proven).toBe(true);
          if (result.optimality.domains.some((domain) => domain.rootViolations > 0)) minimumPodBinding += 1;
          const mip = mipOptimum(highs, input);
          expect(summary(result)).toEqual({ matched: mip.matched, score: mip.score });
        },
      ),
      { numRuns: 12, seed: 4242 },
    );
    // The sample must exercise branch and bound, not only the flow.
    expect(minimumPodBinding).toBeGreaterThanOrEqual(5);
  }, 120_000);

  it('proves domains whose load cost outweighs the pair scores (balancedLoad up to 1,000) within 2,000 nodes, at the MIP optimum', () => {
    let searched = 0;
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          people: fc.integer({ min: 120, max: 200 }),
          // Up to 30% mentors; above that the engine alone may need more nodes (HiGHS closes those).
          mentorShare: fc.constantFrom(0.25, 0.3),
          balancedLoad: fc.constantFrom(100, 300, 1_000),
        }),
        ({ seed, people, mentorShare, balancedLoad }) => {
          const org = syntheticOrg({ seed, people, domainCount: 1, mentorShare });
          const input: MatchingInput = { ...org, weights: { balancedLoad }, solver: { maxBranchNodes: 2_000 } };
          const result = matchPods(input);
          expectFeasible(input, result);
          expect(result.optimality.proven).toBe(true);
          if (result.optimality.domains.some((domain) => domain.rootViolations > 0)) searched += 1;
          const mip = mipOptimum(highs, input);
          expect(summary(result)).toEqual({ matched: mip.matched, score: mip.score });
        },
      ),
      { numRuns: 8, seed: 31 },
    );
    // The sample must need a search (mentors under the minimum at the root), not only the flow.
    expect(searched).toBeGreaterThanOrEqual(4);
  }, 240_000);

  it('reaches the MIP optimum where the old 2,000-node limit stopped short (400 people, 30% mentors: the pod search)', () => {
    const input: MatchingInput = syntheticOrg({ seed: 2, people: 400, domainCount: 2, mentorShare: 0.3 });
    const result = matchPods(input);
    expectFeasible(input, result);
    expect(result.optimality.proven).toBe(true);
    // Many mentors under the minimum at the root: the domain goes to the pod search, which must branch.
    expect(result.optimality.domains.some((domain) => domain.rootViolations >= 4)).toBe(true);
    expect(result.optimality.domains.reduce((nodes, domain) => nodes + domain.branchNodes, 0)).toBeGreaterThan(1);
    const mip = mipOptimum(highs, input);
    expect(summary(result)).toEqual({ matched: mip.matched, score: mip.score });
  }, 120_000);
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticDomain, syntheticOrg } from '../bench/synthetic-org';
import { matchPods } from '../domain/engine/match-pods';
import { searchPods } from '../domain/engine/pod-search';
import { mipOptimum } from '../domain/engine/test-support/highs-model';
import { denseKnapsack, knapsack } from '../domain/engine/test-support/mip-models';
import { referenceViolations } from '../domain/engine/test-support/reference-rules';
import {
  bestByEnumeration as bestPodsByEnumeration,
  podProblems,
} from '../domain/engine/test-support/tiny-pod-problems';
import type { MatchingInput, MipLimits, MipModel, MipOutcome, MipSolver } from '../domain/engine/types';
import { createHighsWorkerMipSolver, highsMipSolver, loadHighsMipSolver } from './highs-mip-solver';

type Highs = Awaited<ReturnType<typeof import('highs')['default']>>;

/** The best knapsack value by enumeration (an independent check of the solver's answer). */
const bestByEnumeration = (values: number[], weights: number[], capacity: number): number => {
  let best = 0;
  for (let mask = 0; mask < 1 << values.length; mask++) {
    let value = 0;
    let weight = 0;
    values.forEach((v, i) => {
      if (mask & (1 << i)) {
        value += v;
        weight += weights[i] ?? 0;
      }
    });
    if (weight <= capacity) best = Math.max(best, value);
  }
  return best;
};

/** The objective of `values` (a solution, a start) in `model`. */
const objectiveOf = (model: MipModel, values: ArrayLike<number> | null | undefined): number =>
  Array.from(values ?? []).reduce((total, value, column) => total + value * (model.cost[column] ?? 0), 0);

/** Wall seconds of `solve`, and its outcome. */
const timedWith = (solver: MipSolver, model: MipModel, limits: MipLimits): [number, MipOutcome] => {
  const started = performance.now();
  const outcome = solver.solve(model, limits);
  return [(performance.now() - started) / 1000, outcome];
};
const timed = (solver: MipSolver, model: MipModel, timeLimitSeconds: number) =>
  timedWith(solver, model, { timeLimitSeconds });

/** What the hard stop may add to a limit, with other test files running on the same cores. */
const deadlineTolerance = 0.5;

describe.each([
  ['in its worker thread (production)', () => loadHighsMipSolver()],
  ['in this thread (tests)', async () => highsMipSolver(await (await import('highs')).default())],
])('HiGHS behind the engine MIP port, %s', (_, load: () => Promise<MipSolver>) => {
  let solver: MipSolver;
  beforeAll(async () => {
    solver = await load();
  });

  it('proves the optimum of small knapsacks, with its solution and its bound', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ value: fc.integer({ min: 1, max: 50 }), weight: fc.integer({ min: 1, max: 20 }) }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.integer({ min: 0, max: 60 }),
        (items, capacity) => {
          const values = items.map((item) => item.value);
          const weights = items.map((item) => item.weight);
          const outcome = solver.solve(knapsack(values, weights, capacity), { timeLimitSeconds: 10 });
          const best = bestByEnumeration(values, weights, capacity);
          expect(outcome.status).toBe('optimal');
          const chosen = Array.from(outcome.values ?? []).map(Math.round);
          expect(chosen.reduce((total, x, i) => total + x * (weights[i] ?? 0), 0)).toBeLessThanOrEqual(capacity);
          expect(chosen.reduce((total, x, i) => total + x * (values[i] ?? 0), 0)).toBe(best);
          expect(Math.floor(outcome.bound + 1e-6)).toBe(best);
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });

  it('answers infeasible for a model without a solution', () => {
    const model = { ...knapsack([1, 1], [1, 1], 5), rowLower: Float64Array.from([3]) };
    expect(solver.solve(model, { timeLimitSeconds: 10 }).status).toBe('infeasible');
  });

  it('stopped by its time limit, gives a bound no better solution can pass', () => {
    const values = Array.from({ length: 60 }, (_, i) => 1_000 + ((i * 7919) % 997));
    const weights = Array.from({ length: 60 }, (_, i) => 500 + ((i * 104_729) % 499));
    const outcome = solver.solve(knapsack(values, weights, 12_345), { timeLimitSeconds: 0.001 });
    expect(['limit', 'optimal']).toContain(outcome.status);
    const found = Array.from(outcome.values ?? []).reduce((total, x, i) => total + Math.round(x) * (values[i] ?? 0), 0);
    expect(outcome.bound).toBeGreaterThanOrEqual(found);
  });

  it('asked to stop at a better solution than its start, stops at a feasible one, with a bound that holds', () => {
    // HiGHS needs seconds to prove this one; its first solutions come within about a second.
    const model = { ...denseKnapsack(), start: new Float64Array(1_000) };
    const [seconds, outcome] = timedWith(solver, model, { timeLimitSeconds: 30, stopWhenGapClosed: 0 });
    expect(outcome.status).toBe('improved');
    const chosen = Array.from(outcome.values ?? []).map(Math.round);
    const value = objectiveOf(model, chosen);
    expect(value).toBeGreaterThan(0);
    for (let row = 0; row < model.rows; row++) {
      let used = 0;
      for (let k = model.rowStart[row] ?? 0; k < (model.rowStart[row + 1] ?? 0); k++) {
        used += (model.rowValue[k] ?? 0) * (chosen[model.rowIndex[k] ?? 0] ?? 0);
      }
      expect(used).toBeLessThanOrEqual(model.rowUpper[row] ?? 0);
    }
    expect(outcome.bound).toBeGreaterThanOrEqual(value);
    expect(seconds).toBeLessThan(15);
  });

  it('asked to stop at a better solution than an optimal start, solves to the optimum', () => {
    const model = knapsack([5, 4, 3], [2, 2, 1], 3, [1, 0, 1]);
    const outcome = solver.solve(model, { timeLimitSeconds: 10, stopWhenGapClosed: 0 });
    expect(outcome).toMatchObject({ status: 'optimal', values: Float64Array.from([1, 0, 1]) });
  });
});

describe('HiGHS in its worker thread: a hard deadline', () => {
  /** Its HiGHS has no time limit of its own: only the hard stop ends a solve before HiGHS does. */
  let unlimited: Awaited<ReturnType<typeof createHighsWorkerMipSolver>>;
  beforeAll(async () => {
    unlimited = await createHighsWorkerMipSolver({ highsTimeLimit: () => Number.POSITIVE_INFINITY });
  });
  afterAll(() => unlimited.close());

  it('loads once per process, on first use', async () => {
    const first = loadHighsMipSolver();
    expect(loadHighsMipSolver()).toBe(first);
    const loaded = await first;
    const outcome = loaded.solve(knapsack([3, 4], [1, 1], 1), { timeLimitSeconds: 10 });
    expect(outcome.status).toBe('optimal');
    expect(Array.from(outcome.values ?? [])).toEqual([0, 1]);
  });

  it('returns within its time limit where HiGHS overruns its own (1 s given, about 2 s taken in this thread)', async () => {
    const solver = await loadHighsMipSolver();
    const [seconds, outcome] = timed(solver, denseKnapsack(), 1);
    expect(seconds).toBeLessThan(1 + deadlineTolerance);
    // Stopped hard (nothing found, nothing proven: the engine keeps its own), or by HiGHS itself in time.
    expect(outcome.status).toBe('limit');
  });

  it('stops HiGHS at the time limit even when HiGHS has no limit of its own', () => {
    const before = unlimited.statistics.hardStops;
    const [seconds, outcome] = timed(unlimited, denseKnapsack(), 0.5);
    expect(seconds).toBeGreaterThanOrEqual(0.5);
    expect(seconds).toBeLessThan(0.5 + deadlineTolerance);
    expect(outcome).toEqual({ status: 'limit', values: null, bound: Number.POSITIVE_INFINITY });
    expect(unlimited.statistics.hardStops).toBe(before + 1);
  });

  it('solves again after a solve it stopped: a fresh worker takes over', () => {
    const workers = unlimited.statistics.workers;
    const [, stopped] = timed(unlimited, denseKnapsack(), 0.2);
    expect(stopped.status).toBe('limit');
    // At once, while the new worker may still be loading HiGHS: the request waits for it.
    const [, first] = timed(unlimited, knapsack([3, 4], [1, 1], 1), 30);
    expect(first).toMatchObject({ status: 'optimal', values: Float64Array.from([0, 1]) });
    const [, second] = timed(unlimited, knapsack([5, 4, 3], [2, 2, 1], 3), 30);
    expect(second).toMatchObject({ status: 'optimal', values: Float64Array.from([1, 0, 1]) });
    expect(unlimited.statistics.workers).toBe(workers + 1);
  });
});

describe('the engine with HiGHS for its hard domains', () => {
  let highs: Highs;
  let mipSolver: MipSolver;
  beforeAll(async () => {
    highs = await (await import('highs')).default();
    mipSolver = await loadHighsMipSolver();
  });

  /**
   * A load-dominated domain of 300 people with 40% mentors (balancedLoad 1,000): the pod search hands
   * HiGHS the reduced problem after about 0.6 s, and HiGHS closes it in about 0.7 s (10 s before the
   * MIP had one binary per pod size).
   */
  const loadDominated = (): MatchingInput => {
    const mentors = 120;
    return { ...syntheticDomain({ seed: 41, mentors, mentees: 300 - mentors }), weights: { balancedLoad: 1_000 } };
  };

  /**
   * 1,000 people, 35% mentors, skills the only pair weight (seed 41): scores tie in large groups, the
   * pod search hands HiGHS the reduced problem after about 1.4 s, and the search needs about 22 s in all
   * to prove it. The domain for runs that must stop at their budget inside the MIP solves.
   */
  const skillsOnly = (): MatchingInput => {
    const mentors = 350;
    return {
      ...syntheticDomain({ seed: 41, mentors, mentees: 1_000 - mentors }),
      weights: { overlap: 0, language: 0, skills: 1_000, seniority: 0, repeatPast: 0, move: 0 },
    };
  };

  it('reaches the independent MIP optimum where many mentors are under the minimum at the root, with and without the hand-off', () => {
    let podSearched = 0;
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          people: fc.integer({ min: 120, max: 240 }),
          // Two mentees per mentor or fewer: the minimum pod decides who opens.
          mentorShare: fc.constantFrom(0.3, 0.35, 0.4),
        }),
        ({ seed, people, mentorShare }) => {
          const input: MatchingInput = syntheticOrg({ seed, people, domainCount: 1, mentorShare });
          const alone = matchPods(input);
          const handedOff = matchPods({ ...input, solver: { mipSolver } });
          const mip = mipOptimum(highs, input);
          for (const result of [alone, handedOff]) {
            expect(referenceViolations(input, result.pods)).toEqual([]);
            expect(result.optimality.proven).toBe(true);
            expect({
              matched: result.objective.matched,
              score: result.objective.pairScore - result.objective.loadCost,
            }).toEqual({ matched: mip.matched, score: mip.score });
          }
          if (alone.optimality.domains.some((domain) => domain.rootViolations >= 4)) podSearched += 1;
        },
      ),
      { numRuns: 8, seed: 2026 },
    );
    // The sample must exercise the pod search, not only the flow's branch and bound.
    expect(podSearched).toBeGreaterThanOrEqual(5);
  }, 240_000);

  it('proves the enumerated optimum of small pod problems handed to HiGHS at the root, also when the reduced problem holds nothing better than the incumbent', () => {
    const inThread = highsMipSolver(highs);
    const outcomes = { searches: 0, infeasible: 0 };
    fc.assert(
      fc.property(
        podProblems({ mentees: { min: 4, max: 7 }, mentors: { min: 2, max: 5 }, allowedInTen: 8 }),
        (tiny) => {
          const menteeCount = tiny.problem.menteeCount;
          let handedOver = false;
          const counting: MipSolver = {
            solve: (model, limits) => {
              handedOver = true;
              const outcome = inThread.solve(model, limits);
              if (outcome.status === 'infeasible') outcomes.infeasible += 1;
              return outcome;
            },
          };
          const result = searchPods(tiny.problem, {
            prices: new Float64Array(menteeCount),
            minTotal: 0,
            maxTotal: menteeCount,
            mipSolver: counting,
            nodesBeforeMip: 0,
          });
          if (handedOver) outcomes.searches += 1;
          expect(result.proven).toBe(true);
          expect(result.value).toBe(bestPodsByEnumeration(tiny, 0, menteeCount));
        },
      ),
      { numRuns: 3_000, seed: 5 },
    );
    // The reduced problem keeps only what could beat the incumbent: when the incumbent is already
    // optimal it holds nothing, and HiGHS's "infeasible" proves the incumbent (it was left unproven).
    expect(outcomes.searches).toBeGreaterThanOrEqual(15);
    expect(outcomes.infeasible).toBeGreaterThanOrEqual(1);
  });

  /** Runs `input` (one domain) and checks it went to the pod search and came back proven and feasible. */
  const expectProvenPodSearched = (input: MatchingInput) => {
    const result = matchPods(input);
    expect(referenceViolations(input, result.pods)).toEqual([]);
    expect(result.optimality.domains[0]?.rootViolations).toBeGreaterThanOrEqual(4);
    expect(result.optimality.proven).toBe(true);
    expect(result.optimality.gap).toBe(0);
  };

  // Weights the settings API accepts whose pair scores tie everywhere or in large groups. The Lagrangian's
  // subgradient chose the smallest of tied pod sizes (none at all when every pod ties at nothing), its
  // bound could not move, and the root neither found full coverage nor reduced the pairs: each of these
  // stopped unproven at 60 s (zero weights matched 406 of 650, gap 2.4 points; balancedLoad 0 was 251
  // points short; skills alone 40 mentees short). Each now takes 0.5-9 s on a quiet machine.
  const off = { overlap: 0, language: 0, skills: 0, seniority: 0, balancedLoad: 0, repeatPast: 0, move: 0 };
  it.each([
    { label: 'every weight 0 (coverage alone), engine alone', weights: off, mentorShare: 0.35, withHighs: false },
    {
      label: 'balancedLoad 0, 40% mentors, with HiGHS',
      weights: { balancedLoad: 0 },
      mentorShare: 0.4,
      withHighs: true,
    },
    {
      label: 'skills the only pair weight, 40% mentors, with HiGHS',
      weights: { overlap: 0, language: 0, skills: 1_000, seniority: 0, repeatPast: 0, move: 0 },
      mentorShare: 0.4,
      withHighs: true,
    },
  ])(
    'proves a 1,000-person domain with $label within a 60 s search budget',
    ({ weights, mentorShare, withHighs }) => {
      const mentors = Math.round(1_000 * mentorShare);
      const input: MatchingInput = {
        ...syntheticDomain({ seed: 41, mentors, mentees: 1_000 - mentors }),
        weights,
        solver: { timeBudgetMs: 60_000, ...(withHighs ? { mipSolver } : {}) },
      };
      expectProvenPodSearched(input);
    },
    120_000,
  );

  it('proves a load-dominated domain with 40% mentors within a 60 s search budget (300 people, balancedLoad 1,000)', () => {
    // Many mentors can take the same few mentees at the same load. The pod search's root must reach the
    // best load profile (49 pods of 3 and one of a mentor with 2 locked); from a profile one load step
    // worse, its reduced-cost fixing keeps nearly every pair and HiGHS does not close in a minute. With
    // that profile, HiGHS gets 17% of the pairs and closes in about 10 s on a quiet machine.
    expectProvenPodSearched({ ...loadDominated(), solver: { timeBudgetMs: 60_000, mipSolver } });
  }, 120_000);
  it('proves a 1,000-person domain with 40% mentors and balancedLoad 1,000 (seed 42) within a 60 s search budget, restarting HiGHS on a smaller problem after it closes half the gap', () => {
    // With one binary per mentor and a continuous variable per slot, HiGHS left this domain 6.7 points
    // short at the 60 s budget; with one binary per pod size it closes in about 5-7 s on a quiet machine.
    // Its first score solve stops at a solution that closes half the gap (after about 2 s); fixing
    // against it leaves about 13% fewer columns, on which HiGHS proves the optimum.
    const solves: { model: MipModel; limits: MipLimits; outcome: MipOutcome }[] = [];
    const recording: MipSolver = {
      solve: (model, limits) => {
        const outcome = mipSolver.solve(model, limits);
        solves.push({ model, limits, outcome });
        return outcome;
      },
    };
    const mentors = 400;
    expectProvenPodSearched({
      ...syntheticDomain({ seed: 42, mentors, mentees: 1_000 - mentors }),
      weights: { balancedLoad: 1_000 },
      solver: { timeBudgetMs: 60_000, mipSolver: recording },
    });
    const stopped = solves.findIndex((solve) => solve.outcome.status === 'improved');
    expect(stopped).toBeGreaterThanOrEqual(0);
    const { model, limits, outcome } = solves[stopped] as (typeof solves)[number];
    const restarted = solves[stopped + 1];
    // Asked to stop at half the gap, with a start, and stopped at a better solution than that start.
    expect(limits.stopWhenGapClosed).toBe(0.5);
    const found = objectiveOf(model, outcome.values);
    expect(found).toBeGreaterThanOrEqual(objectiveOf(model, model.start) + 1);
    // The restart: fewer columns, started from that solution (same objective: same pairs and pod sizes).
    expect(restarted?.model.columns).toBeLessThan(model.columns);
    expect(objectiveOf(restarted?.model as MipModel, restarted?.model.start)).toBeCloseTo(found, 6);
    expect(restarted?.outcome.status).toBe('optimal');
  }, 120_000);

  it('proves a 1,000-person domain with seniority the only weight (4 distinct pair scores) within a 30 s search budget', () => {
    // The root's bound is the optimum here, but with so many ties its flows miss it by 6,667 points: the
    // fixing kept every pair and HiGHS took 46 s on them. The MIP over each mentee's 5 best pairs finds
    // the optimum in about 2 s, which the bound proves at once (about 6 s in all on a quiet machine).
    const mentors = 400;
    expectProvenPodSearched({
      ...syntheticDomain({ seed: 42, mentors, mentees: 1_000 - mentors }),
      weights: { overlap: 0, language: 0, skills: 0, seniority: 1_000, balancedLoad: 0, repeatPast: 0, move: 0 },
      solver: { timeBudgetMs: 30_000, mipSolver },
    });
  }, 120_000);

  /** Runs `input` and checks a result stopped by its budget: within it, feasible, not proven, with a gap. */
  const stoppedByBudget = (input: MatchingInput, budgetMs: number) => {
    const started = performance.now();
    const result = matchPods(input);
    const seconds = (performance.now() - started) / 1000;
    // Scanning the pairs and assembling the result come on top of the search's budget: tens of ms here.
    expect(seconds).toBeLessThan(budgetMs / 1000 + deadlineTolerance);
    expect(referenceViolations(input, result.pods)).toEqual([]);
    expect(result.optimality.proven).toBe(false);
    expect(result.optimality.domains[0]?.stoppedBy).toBe('time-budget');
    expect(result.optimality.gap).toBeGreaterThan(0);
    expect(Number.isFinite(result.optimality.gap)).toBe(true);
    return result;
  };

  it('ends a run HiGHS cannot close in time within its time budget, not proven, with its gap (1,000 people, 4 s)', () => {
    const budgetMs = 4_000;
    stoppedByBudget({ ...skillsOnly(), solver: { timeBudgetMs: budgetMs, mipSolver } }, budgetMs);
  }, 30_000);

  it('keeps its own incumbent and bound when the MIP solve is stopped hard at the budget (HiGHS without a limit of its own)', async () => {
    const unlimited = await createHighsWorkerMipSolver({ highsTimeLimit: () => Number.POSITIVE_INFINITY });
    try {
      // Six seconds: the root (about 1.4 s) must end well before the budget for both solves to start.
      const budgetMs = 6_000;
      const result = stoppedByBudget(
        { ...skillsOnly(), solver: { timeBudgetMs: budgetMs, mipSolver: unlimited } },
        budgetMs,
      );
      // Two solves, each stopped at its limit: the MIP over each mentee's best pairs (a fifth of the time
      // left; it needs about 3.5 s) and the full one, at the budget.
      expect(unlimited.statistics.hardStops).toBe(2);
      // The engine's own incumbent: all 650 mentees are placed (the gap is in the pair scores).
      expect(result.objective.matched).toBe(650);
    } finally {
      await unlimited.close();
    }
  }, 30_000);
});

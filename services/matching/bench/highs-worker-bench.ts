/**
 * What running HiGHS in a worker thread costs, and how strictly it keeps the deadline:
 * `npx tsx services/matching/bench/highs-worker-bench.ts` (npm run bench:highs-worker).
 *
 * - Start-up: wall time from starting a worker to HiGHS loaded in it (the first in this process, then
 *   more, started one after another).
 * - Overhead per solve: the reduced problems the engine hands HiGHS in two hard domains (captured from
 *   an engine run), each solved in the worker several times: the wall time of `solve` minus HiGHS's
 *   own time in the worker (copying the model there, the answer back, waking the engine's thread);
 *   and, for comparison, `structuredClone` of the model alone.
 * - Hard stop: the dense model of the tests, given no time limit of its own, stopped at a limit of
 *   0.25, 0.5 and 1 s: how late `solve` returns after its limit (and after a stop, how long the next
 *   small solve waits for the fresh worker).
 *
 *   --repeats <n>   solves per captured model and stops per limit (default 5)
 */
import { createHighsWorkerMipSolver, highsMipSolver } from '../adapters/highs-mip-solver';
import { matchPods } from '../domain/engine/match-pods';
import { denseKnapsack, knapsack } from '../domain/engine/test-support/mip-models';
import type { MipModel, MipSolver } from '../domain/engine/types';
import { syntheticDomain } from './synthetic-org';

const args = process.argv.slice(2);
const repeatsIndex = args.indexOf('--repeats');
const repeats = repeatsIndex >= 0 ? Number(args[repeatsIndex + 1]) : 5;

const ms = (value: number) => `${value.toFixed(1)} ms`;
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return `median ${ms(median)}, min ${ms(sorted[0] ?? 0)}, max ${ms(sorted.at(-1) ?? 0)} (${values.length})`;
};

const startup = async () => {
  const times: number[] = [];
  for (let i = 0; i < repeats + 1; i++) {
    const solver = await createHighsWorkerMipSolver();
    times.push(solver.statistics.startupMs);
    await solver.close();
  }
  console.log(`start-up, first worker of the process: ${ms(times[0] ?? 0)}`);
  console.log(`start-up, later workers: ${summary(times.slice(1))}`);
};

/** The models the engine hands HiGHS on a domain (solved in this thread while capturing). */
const capturedModels = async (seed: number, mentors: number, mentees: number, balancedLoad?: number) => {
  const highs = highsMipSolver(await (await import('highs')).default());
  const models: MipModel[] = [];
  const recorder: MipSolver = {
    solve: (model, limits) => {
      models.push(structuredClone(model));
      return highs.solve(model, limits);
    },
  };
  matchPods({
    ...syntheticDomain({ seed, mentors, mentees }),
    ...(balancedLoad ? { weights: { balancedLoad } } : {}),
    solver: { timeBudgetMs: 60_000, mipSolver: recorder },
  });
  return models;
};

const overhead = async () => {
  const solver = await createHighsWorkerMipSolver();
  const domains = [
    {
      name: '300 people, 40% mentors, balancedLoad 1,000 (seed 41)',
      models: await capturedModels(41, 120, 180, 1_000),
    },
    { name: '1,000 people, 35% mentors (seed 5)', models: await capturedModels(5, 350, 650) },
  ];
  for (const { name, models } of domains) {
    for (const model of models) {
      const overheads: number[] = [];
      const clones: number[] = [];
      for (let i = 0; i < repeats; i++) {
        const before = solver.statistics.overheadMs;
        solver.solve(model, { timeLimitSeconds: 60 });
        overheads.push(solver.statistics.overheadMs - before);
        const cloneStart = performance.now();
        structuredClone(model);
        clones.push(performance.now() - cloneStart);
      }
      const shape = `${model.columns.toLocaleString('en')} columns, ${model.rowIndex.length.toLocaleString('en')} nonzeros`;
      console.log(
        `overhead per solve, ${name}, ${shape}: ${summary(overheads)}; structuredClone alone ${summary(clones)}`,
      );
    }
  }
  await solver.close();
};

const hardStop = async () => {
  const solver = await createHighsWorkerMipSolver({ highsTimeLimit: () => Number.POSITIVE_INFINITY });
  const model = denseKnapsack();
  for (const limit of [0.25, 0.5, 1]) {
    const late: number[] = [];
    const next: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const started = performance.now();
      const outcome = solver.solve(model, { timeLimitSeconds: limit });
      late.push(performance.now() - started - limit * 1000);
      if (outcome.status !== 'limit' || outcome.values !== null) throw new Error('HiGHS was expected to be stopped');
      const nextStart = performance.now();
      solver.solve(knapsack([3, 4], [1, 1], 1), { timeLimitSeconds: 10 });
      next.push(performance.now() - nextStart);
    }
    console.log(`hard stop at ${limit} s, returned after the limit by: ${summary(late)}`);
    console.log(`  the next (small) solve, at once, on the fresh worker: ${summary(next)}`);
  }
  await solver.close();
};

console.log(`Node ${process.version}, ${repeats} repeats`);
await startup();
await overhead();
await hardStop();

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { highsMipSolver } from '../../adapters/highs-mip-solver';
import { OPEN, PodLagrangian, type PodProblem } from './pod-lagrangian';
import { assignmentOfMip, buildPodMip } from './pod-mip';
import { bestByEnumeration, everyPairProblem, podProblems } from './test-support/tiny-pod-problems';
import type { MipModel, MipSolver } from './types';

/** A solver's values are exact within its tolerances (HiGHS: 1e-6 by default). */
const tolerance = 1e-6;

/** Where `values` breaks a column's bounds or integrality, or a row: empty for a feasible solution. */
const violations = (model: MipModel, values: Float64Array): string[] => {
  const found: string[] = [];
  const within = (value: number, low: number, high: number) => value >= low - tolerance && value <= high + tolerance;
  for (let column = 0; column < model.columns; column++) {
    const value = values[column] as number;
    if (!within(value, model.lower[column] as number, model.upper[column] as number)) found.push(`column ${column}`);
    if (model.integer[column] && Math.abs(value - Math.round(value)) > tolerance)
      found.push(`column ${column}: not integer`);
  }
  for (let row = 0; row < model.rows; row++) {
    let activity = 0;
    for (let entry = model.rowStart[row] as number; entry < (model.rowStart[row + 1] as number); entry++) {
      activity += (model.rowValue[entry] as number) * (values[model.rowIndex[entry] as number] as number);
    }
    if (!within(activity, model.rowLower[row] as number, model.rowUpper[row] as number)) found.push(`row ${row}`);
  }
  return found;
};

/** An assignment's objective, independently of the MIP: bonus and score per pair, load cost per pod. */
const objectiveOf = (problem: PodProblem, assignment: Int32Array): number => {
  let value = 0;
  const size = new Int32Array(problem.mentorCount);
  for (let j = 0; j < problem.mentorCount; j++) {
    for (let q = problem.pairStart[j] as number; q < (problem.pairStart[j + 1] as number); q++) {
      if (assignment[problem.pairMentee[q] as number] !== j) continue;
      value += problem.bonus + (problem.pairScore[q] as number);
      size[j] = (size[j] as number) + 1;
    }
  }
  for (let j = 0; j < problem.mentorCount; j++) {
    for (let k = 1; k <= (size[j] as number); k++) value -= problem.loadStep * ((problem.locked[j] as number) + k - 1);
  }
  return value;
};

describe('the pod MIP (the reduced problem the pod search hands a MIP solver)', () => {
  let solver: MipSolver;
  beforeAll(async () => {
    solver = highsMipSolver(await (await import('highs')).default());
  });
  const limits = { timeLimitSeconds: 10 };

  it('has the enumerated optimum: coverage first, then the score with that coverage', () => {
    fc.assert(
      fc.property(
        podProblems({ mentees: { min: 1, max: 7 }, mentors: { min: 1, max: 5 }, allowedInTen: 7 }),
        (tiny) => {
          const { problem } = tiny;
          // The search hands over only a problem with pairs left (without any, its root has closed it).
          fc.pre(tiny.pairs.length > 0);
          const lagrangian = new PodLagrangian(problem);
          const coverage = solver.solve(buildPodMip(lagrangian, 'coverage', 0, problem.menteeCount, null), limits);
          expect(coverage.status).toBe('optimal');
          const total = Math.round(coverage.bound) || 0; // not -0
          const model = buildPodMip(lagrangian, 'score', total, total, null);
          const score = solver.solve(model, limits);
          expect(score.status).toBe('optimal');
          expect(violations(model, score.values ?? new Float64Array(0))).toEqual([]);
          const assignment = assignmentOfMip(lagrangian, score) ?? new Int32Array(0);
          const optimum = bestByEnumeration(tiny, 0, problem.menteeCount);
          expect(objectiveOf(problem, assignment)).toBe(optimum);
          expect(problem.bonus * total + (Math.round(score.bound) || 0)).toBe(optimum);
          // The best assignment, given back as a start, is a feasible solution of the model.
          const restarted = buildPodMip(lagrangian, 'score', total, total, assignment);
          expect(restarted.start).toBeDefined();
          expect(violations(restarted, restarted.start ?? new Float64Array(0))).toEqual([]);
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });

  it('leaves out a start the reduced problem does not hold (a mentor decided open that it leaves idle)', () => {
    // Two mentors that each need 3 new mentees, four mentees allowed with both: one pod of 3 at most.
    const problem = everyPairProblem({
      menteeCount: 4,
      slots: [5, 5],
      required: [3, 3],
      bonus: 1_000,
      loadStep: 0,
      // Mentor 0: 10 with everyone; mentor 1: 20 with mentees 0-2, 0 with mentee 3.
      score: (mentor, mentee) => (mentor === 0 ? 10 : mentee < 3 ? 20 : 0),
    });
    const firstMentor = Int32Array.from([0, 0, 0, 0]);
    const lagrangian = new PodLagrangian(problem);
    expect(buildPodMip(lagrangian, 'score', 4, 4, firstMentor).start).toBeDefined();
    lagrangian.state[1] = OPEN;
    expect(buildPodMip(lagrangian, 'score', 3, 4, firstMentor).start).toBeUndefined();
    const outcome = solver.solve(buildPodMip(lagrangian, 'score', 3, 4, firstMentor), limits);
    expect(outcome.status).toBe('optimal');
    expect(Array.from(assignmentOfMip(lagrangian, outcome) ?? [])).toEqual([1, 1, 1, -1]);
  });
});

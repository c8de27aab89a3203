import type { HardRules, MatchingInput, ObjectiveWeights, ScoringShape, SolverOptions } from './types';

export const defaultHardRules: HardRules = {
  minLevelGap: 1,
  minOverlapMinutes: 120,
  minPodSize: 3,
  maxPodSize: 5,
  lockMonths: 3,
};

export const defaultWeights: ObjectiveWeights = {
  overlap: 20,
  language: 15,
  skills: 30,
  seniority: 15,
  balancedLoad: 3,
  repeatPast: 25,
  move: 20,
};

export const defaultScoringShape: ScoringShape = {
  fullOverlapMinutes: 360,
  preferredLevelGap: 2,
  levelGapTolerance: 3,
};

export const defaultSolverOptions: SolverOptions = {
  candidatesPerMentee: 20,
  // Unlimited: every result is proven optimal unless a caller asks for a limit (see SolverOptions).
  maxBranchNodes: Number.POSITIVE_INFINITY,
  timeBudgetMs: Number.POSITIVE_INFINITY,
  clock: () => performance.now(),
  mipSolver: null,
};

/** Weights as integer centipoints, the unit every cost in the engine is computed in. */
export interface Centipoints {
  overlap: number;
  language: number;
  skills: number;
  seniority: number;
  balancedLoad: number;
  repeatPast: number;
  move: number;
}

export interface Parameters {
  rules: HardRules;
  weights: ObjectiveWeights;
  scoring: ScoringShape;
  solver: SolverOptions;
  centipoints: Centipoints;
}

/** Large enough for any sensible weighting, small enough that every total stays an exact double. */
const maxWeight = 1_000;

const requireInteger = (name: string, value: number, min: number, max: number): void => {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
};

export const resolveParameters = (
  input: Pick<MatchingInput, 'rules' | 'weights' | 'scoring' | 'solver'>,
): Parameters => {
  const rules = { ...defaultHardRules, ...input.rules };
  const weights = { ...defaultWeights, ...input.weights };
  const scoring = { ...defaultScoringShape, ...input.scoring };
  const solver = { ...defaultSolverOptions, ...input.solver };

  requireInteger('rules.minLevelGap', rules.minLevelGap, 0, 9);
  requireInteger('rules.minOverlapMinutes', rules.minOverlapMinutes, 0, 24 * 60);
  requireInteger('rules.minPodSize', rules.minPodSize, 1, 5);
  requireInteger('rules.maxPodSize', rules.maxPodSize, 1, 5);
  requireInteger('rules.lockMonths', rules.lockMonths, 0, 120);
  requireInteger('scoring.fullOverlapMinutes', scoring.fullOverlapMinutes, 1, 24 * 60);
  requireInteger('scoring.preferredLevelGap', scoring.preferredLevelGap, 0, 9);
  requireInteger('scoring.levelGapTolerance', scoring.levelGapTolerance, 1, 10);
  requireInteger('solver.candidatesPerMentee', solver.candidatesPerMentee, 1, 10_000);
  if (solver.maxBranchNodes !== Number.POSITIVE_INFINITY) {
    requireInteger('solver.maxBranchNodes', solver.maxBranchNodes, 1, Number.MAX_SAFE_INTEGER);
  }
  if (
    solver.timeBudgetMs !== Number.POSITIVE_INFINITY &&
    !(Number.isFinite(solver.timeBudgetMs) && solver.timeBudgetMs >= 0)
  ) {
    throw new RangeError(`solver.timeBudgetMs must be a number >= 0 or Infinity, got ${solver.timeBudgetMs}`);
  }
  if (typeof solver.clock !== 'function') throw new RangeError('solver.clock must be a function');
  if (rules.minPodSize > rules.maxPodSize) {
    throw new RangeError(
      `rules.minPodSize (${rules.minPodSize}) must not exceed rules.maxPodSize (${rules.maxPodSize})`,
    );
  }
  for (const [name, value] of Object.entries(weights)) {
    // Negative weights would make the load cost concave (not flow-optimisable) or turn penalties into rewards.
    if (!Number.isFinite(value) || value < 0 || value > maxWeight) {
      throw new RangeError(`weights.${name} must be a number in [0, ${maxWeight}], got ${value}`);
    }
  }

  const centipoints: Centipoints = {
    overlap: Math.round(weights.overlap * 100),
    language: Math.round(weights.language * 100),
    skills: Math.round(weights.skills * 100),
    seniority: Math.round(weights.seniority * 100),
    balancedLoad: Math.round(weights.balancedLoad * 100),
    repeatPast: Math.round(weights.repeatPast * 100),
    move: Math.round(weights.move * 100),
  };
  return { rules, weights, scoring, solver, centipoints };
};

/** Largest and smallest score a single pair can get. */
export const pairScoreRange = (centipoints: Centipoints): { max: number; min: number } => ({
  max: centipoints.overlap + centipoints.language + centipoints.skills + centipoints.seniority,
  min: -(centipoints.repeatPast + centipoints.move),
});

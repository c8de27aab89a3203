export { matchPods } from './match-pods';
export { evaluateObjective } from './objective';
export { defaultHardRules, defaultScoringShape, defaultSolverOptions, defaultWeights } from './parameters';
export { type ScorePairOptions, scorePair } from './score-pair';
export type * from './types';

import { CLOSED, OPEN, type PodLagrangian } from './pod-lagrangian';
import type { MipModel, MipOutcome } from './types';

/**
 * The reduced problem that `pod-search.ts` leaves after its root (the pairs and mentor decisions that
 * can still beat the incumbent) as a mixed-integer programme for an external MIP solver, in the pod
 * formulation whose LP relaxation is tight, with one binary per pod size:
 *
 *   x_q  in {0,1}  for every active pair q = (mentee f, mentor j)
 *   s_jk in {0,1}  mentor j takes k new mentees, for every size k it may take (smallestPod(j) .. u_j),
 *                  worth minus its load cost: step * (locked_j + 0) + ... + step * (locked_j + k - 1)
 *   sum_q∋f x_q <= 1                                   each mentee at most once
 *   sum_k s_jk <= 1   (= 1 for an open mentor)         one pod size per mentor
 *   sum_q∈j x_q = sum_k k s_jk                         the pod holds that many mentees
 *   x_q <= sum_k s_jk                                  only a mentor with a pod takes anyone
 *   total_low <= sum_q x_q <= total_high               coverage
 *
 * Per mentor, the LP relaxation of these rows is the convex hull of its pods (the same bound as a
 * binary "has a pod" with its size between r_j and u_j). The size binaries give the solver's branching
 * a decision a pod is made of: on the 2,000-person domains with 40% mentors HiGHS proved in 26 s what
 * it had not proved in 150 s with one binary per mentor and a continuous variable per slot.
 *
 * The coverage bonus is not in the objective (it would dwarf the scores and the solver's tolerances):
 * `coverage` maximises the number matched, `score` maximises pair scores minus load cost with the
 * number matched fixed, which is the same lexicographic order the bonus encodes.
 */

export const buildPodMip = (
  lagrangian: PodLagrangian,
  objective: 'coverage' | 'score',
  totalLow: number,
  totalHigh: number,
  start: Int32Array | null,
): MipModel => {
  const { problem, state } = lagrangian;
  const mentorCount = problem.mentorCount;
  const pairCount = lagrangian.start[mentorCount] as number;
  const pairsOf = (j: number) => (lagrangian.start[j + 1] as number) - (lagrangian.start[j] as number);
  /** How many pod sizes mentor j may take: none when closed or when its slots cannot reach the minimum. */
  const sizeCount = (j: number) =>
    state[j] === CLOSED ? 0 : Math.max(0, (problem.slots[j] as number) - lagrangian.smallestPod(j) + 1);
  // Columns: x (pairs), then each mentor's size columns s_jk, k = smallestPod(j) .. slots.
  const sizeColumn = new Int32Array(mentorCount).fill(-1);
  let columns = pairCount;
  for (let j = 0; j < mentorCount; j++) {
    if (pairsOf(j) === 0 || sizeCount(j) === 0) continue;
    sizeColumn[j] = columns;
    columns += sizeCount(j);
  }
  /** The column of "mentor j takes k new mentees". */
  const sizeOf = (j: number, k: number) => (sizeColumn[j] as number) + k - lagrangian.smallestPod(j);
  const cost = new Float64Array(columns);
  const lower = new Float64Array(columns);
  const upper = new Float64Array(columns).fill(1);
  const integer = new Uint8Array(columns).fill(1);
  for (let q = 0; q < pairCount; q++) {
    cost[q] = objective === 'coverage' ? 1 : (lagrangian.worth[q] as number) - problem.bonus;
  }
  // A mentor without a pod size takes nobody (the search drops a closed mentor's pairs; this holds
  // for any state it is given).
  for (let j = 0; j < mentorCount; j++) {
    if (sizeCount(j) > 0) continue;
    for (let q = lagrangian.start[j] as number; q < (lagrangian.start[j + 1] as number); q++) upper[q] = 0;
  }
  for (let j = 0; j < mentorCount; j++) {
    if ((sizeColumn[j] as number) < 0 || objective === 'coverage') continue;
    let loadCost = 0;
    for (let k = 1; k <= (problem.slots[j] as number); k++) {
      loadCost += lagrangian.marginal(j, k);
      if (k >= lagrangian.smallestPod(j)) cost[sizeOf(j, k)] = -loadCost;
    }
  }

  const rowStart: number[] = [0];
  const rowIndex: number[] = [];
  const rowValue: number[] = [];
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  const addRow = (entries: ReadonlyArray<readonly [number, number]>, low: number, high: number): void => {
    for (const [column, value] of entries) {
      rowIndex.push(column);
      rowValue.push(value);
    }
    rowStart.push(rowIndex.length);
    rowLower.push(low);
    rowUpper.push(high);
  };
  const byMentee: Array<Array<readonly [number, number]>> = Array.from({ length: problem.menteeCount }, () => []);
  for (let q = 0; q < pairCount; q++) byMentee[lagrangian.mentee[q] as number]?.push([q, 1]);
  for (const entries of byMentee) if (entries.length > 0) addRow(entries, 0, 1);
  for (let j = 0; j < mentorCount; j++) {
    if ((sizeColumn[j] as number) < 0) continue;
    const first = lagrangian.start[j] as number;
    const last = lagrangian.start[j + 1] as number;
    const sizes: Array<readonly [number, number]> = [];
    for (let k = lagrangian.smallestPod(j); k <= (problem.slots[j] as number); k++) sizes.push([sizeOf(j, k), k]);
    const anySize = sizes.map(([column]) => [column, -1] as const);
    const mustHavePod = state[j] === OPEN && (problem.required[j] as number) > 0;
    addRow(
      sizes.map(([column]) => [column, 1] as const),
      mustHavePod ? 1 : 0,
      1,
    );
    const load: Array<readonly [number, number]> = [];
    for (let q = first; q < last; q++) load.push([q, 1]);
    addRow([...load, ...sizes.map(([column, k]) => [column, -k] as const)], 0, 0);
    for (let q = first; q < last; q++) addRow([[q, 1], ...anySize], Number.NEGATIVE_INFINITY, 0);
  }
  addRow(
    Array.from({ length: pairCount }, (_, q) => [q, 1] as const),
    totalLow,
    totalHigh,
  );

  const model: MipModel = {
    columns,
    cost,
    lower,
    upper,
    integer,
    rows: rowLower.length,
    rowStart: Int32Array.from(rowStart),
    rowIndex: Int32Array.from(rowIndex),
    rowValue: Float64Array.from(rowValue),
    rowLower: Float64Array.from(rowLower),
    rowUpper: Float64Array.from(rowUpper),
  };
  if (!start) return model;
  const startValues = new Float64Array(columns);
  const taken = new Int32Array(mentorCount);
  for (let q = 0; q < pairCount; q++) {
    const j = findMentor(lagrangian, q);
    if (start[lagrangian.mentee[q] as number] !== j) continue;
    startValues[q] = 1;
    taken[j] = (taken[j] as number) + 1;
  }
  for (let j = 0; j < mentorCount; j++) {
    const n = taken[j] as number;
    if (n >= lagrangian.smallestPod(j) && (sizeColumn[j] as number) >= 0) startValues[sizeOf(j, n)] = 1;
  }
  // The reduced problem holds what can beat the incumbent, which need not hold the incumbent itself
  // (the fixing may have dropped one of its pairs, or opened a mentor it leaves idle): such a start
  // is left out rather than handed to the solver as if it were feasible.
  return isFeasibleFor(model, startValues) ? { ...model, start: startValues } : model;
};

/** Whether `values` (whole numbers, built above) lies within every column's bounds and every row's range. */
const isFeasibleFor = (model: MipModel, values: Float64Array): boolean => {
  for (let column = 0; column < model.columns; column++) {
    const value = values[column] as number;
    if (value < (model.lower[column] as number) || value > (model.upper[column] as number)) return false;
  }
  for (let row = 0; row < model.rows; row++) {
    let activity = 0;
    for (let entry = model.rowStart[row] as number; entry < (model.rowStart[row + 1] as number); entry++) {
      activity += (model.rowValue[entry] as number) * (values[model.rowIndex[entry] as number] as number);
    }
    if (activity < (model.rowLower[row] as number) || activity > (model.rowUpper[row] as number)) return false;
  }
  return true;
};

/** The mentor of active pair q (pairs are grouped by mentor). */
const findMentor = (lagrangian: PodLagrangian, q: number): number => {
  let low = 0;
  let high = lagrangian.problem.mentorCount - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((lagrangian.start[middle] as number) <= q) low = middle;
    else high = middle - 1;
  }
  return low;
};

/** The assignment (mentee -> mentor, or -1) a MIP solution describes. */
export const assignmentOfMip = (lagrangian: PodLagrangian, outcome: MipOutcome): Int32Array | null => {
  const values = outcome.values;
  if (!values) return null;
  const assignment = new Int32Array(lagrangian.problem.menteeCount).fill(-1);
  const pairCount = lagrangian.start[lagrangian.problem.mentorCount] as number;
  for (let q = 0; q < pairCount; q++) {
    if ((values[q] as number) > 0.5) assignment[lagrangian.mentee[q] as number] = findMentor(lagrangian, q);
  }
  return assignment;
};

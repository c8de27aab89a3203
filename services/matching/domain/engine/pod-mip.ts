import { CLOSED, OPEN, type PodLagrangian, UNDECIDED } from './pod-lagrangian';
import type { MipModel, MipOutcome } from './types';

/**
 * The reduced problem that `pod-search.ts` leaves after its root (the pairs and mentor decisions that
 * can still beat the incumbent) as a mixed-integer programme for an external MIP solver, in the pod
 * formulation whose LP relaxation is tight:
 *
 *   x_q in {0,1}  for every active pair q = (mentee f, mentor j)
 *   y_j in {0,1}  for every undecided mentor (open mentors are 1, closed ones have no pairs)
 *   z_jk in [0,1] k-th new slot of mentor j, costing step * (locked_j + k - 1)
 *   sum_q∋f x_q <= 1                                   each mentee at most once
 *   sum_q∈j x_q = sum_k z_jk                           load (costs increase, so slots fill in order)
 *   r_j y_j <= sum_q∈j x_q <= u_j y_j,  x_q <= y_j,  z_jk <= y_j     undecided mentors
 *   sum_q∈j x_q >= r_j                                 open mentors
 *   total_low <= sum_q x_q <= total_high               coverage
 *
 * The coverage bonus is not in the objective (it would dwarf the scores and the solver's tolerances):
 * `coverage` maximises the number matched, `score` maximises pair scores minus load cost with the
 * number matched fixed, which is the same lexicographic order the bonus encodes.
 */
export interface PodMip {
  model: MipModel;
  /** Active pair index of each x column (columns 0 .. pairs-1). */
  pairs: number;
}

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
  // Columns: x (pairs), then y (undecided mentors with pairs), then z (slots of mentors with pairs).
  const yColumn = new Int32Array(mentorCount).fill(-1);
  const zStart = new Int32Array(mentorCount).fill(-1);
  let columns = pairCount;
  for (let j = 0; j < mentorCount; j++) {
    const hasPairs = (lagrangian.start[j + 1] as number) > (lagrangian.start[j] as number);
    if (hasPairs && state[j] === UNDECIDED) yColumn[j] = columns++;
  }
  for (let j = 0; j < mentorCount; j++) {
    const hasPairs = (lagrangian.start[j + 1] as number) > (lagrangian.start[j] as number);
    if (!hasPairs || state[j] === CLOSED) continue;
    zStart[j] = columns;
    columns += problem.slots[j] as number;
  }
  const cost = new Float64Array(columns);
  const lower = new Float64Array(columns);
  const upper = new Float64Array(columns).fill(1);
  const integer = new Uint8Array(columns);
  for (let q = 0; q < pairCount; q++) {
    integer[q] = 1;
    cost[q] = objective === 'coverage' ? 1 : (lagrangian.worth[q] as number) - problem.bonus;
  }
  for (let j = 0; j < mentorCount; j++) {
    if ((yColumn[j] as number) >= 0) integer[yColumn[j] as number] = 1;
    const z = zStart[j] as number;
    if (z < 0 || objective === 'coverage') continue;
    for (let k = 0; k < (problem.slots[j] as number); k++) cost[z + k] = -lagrangian.marginal(j, k + 1);
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
    const z = zStart[j] as number;
    if (z < 0) continue;
    const first = lagrangian.start[j] as number;
    const last = lagrangian.start[j + 1] as number;
    const slots = problem.slots[j] as number;
    const required = problem.required[j] as number;
    const load: Array<readonly [number, number]> = [];
    for (let q = first; q < last; q++) load.push([q, 1]);
    const y = yColumn[j] as number;
    addRow([...load, ...Array.from({ length: slots }, (_, k) => [z + k, -1] as const)], 0, 0);
    if (y >= 0) {
      addRow([...load, [y, -slots]], Number.NEGATIVE_INFINITY, 0);
      addRow([...load, [y, -required]], 0, Number.POSITIVE_INFINITY);
      for (let q = first; q < last; q++)
        addRow(
          [
            [q, 1],
            [y, -1],
          ],
          Number.NEGATIVE_INFINITY,
          0,
        );
      for (let k = 0; k < slots; k++)
        addRow(
          [
            [z + k, 1],
            [y, -1],
          ],
          Number.NEGATIVE_INFINITY,
          0,
        );
    } else if (state[j] === OPEN) {
      addRow(load, required, Number.POSITIVE_INFINITY);
    }
  }
  addRow(
    Array.from({ length: pairCount }, (_, q) => [q, 1] as const),
    totalLow,
    totalHigh,
  );

  let startValues: Float64Array | undefined;
  if (start) {
    startValues = new Float64Array(columns);
    const taken = new Int32Array(mentorCount);
    for (let q = 0; q < pairCount; q++) {
      const j = findMentor(lagrangian, q);
      if (start[lagrangian.mentee[q] as number] !== j) continue;
      startValues[q] = 1;
      taken[j] = (taken[j] as number) + 1;
    }
    for (let j = 0; j < mentorCount; j++) {
      const n = taken[j] as number;
      if ((yColumn[j] as number) >= 0 && n > 0) startValues[yColumn[j] as number] = 1;
      const z = zStart[j] as number;
      for (let k = 0; z >= 0 && k < n; k++) startValues[z + k] = 1;
    }
  }
  return {
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
    ...(startValues ? { start: startValues } : {}),
  };
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

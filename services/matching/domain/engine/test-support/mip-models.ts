import type { MipModel } from '../types';

/** MIP models for the tests of the `MipSolver` port and of the HiGHS adapter (and its fixture function). */

/**
 * max sum v_i x_i  s.t.  sum w_i x_i <= capacity, x binary: a knapsack as a `MipModel` (one row).
 */
export const knapsack = (values: number[], weights: number[], capacity: number, start?: number[]): MipModel => ({
  columns: values.length,
  cost: Float64Array.from(values),
  lower: new Float64Array(values.length),
  upper: new Float64Array(values.length).fill(1),
  integer: new Uint8Array(values.length).fill(1),
  rows: 1,
  rowStart: Int32Array.from([0, values.length]),
  rowIndex: Int32Array.from(values.keys()),
  rowValue: Float64Array.from(weights),
  rowLower: Float64Array.from([Number.NEGATIVE_INFINITY]),
  rowUpper: Float64Array.from([capacity]),
  ...(start ? { start: Float64Array.from(start) } : {}),
});

/**
 * A dense multi-dimensional knapsack (300 rows of 1,000 binaries, 300,000 nonzeros, seeded): HiGHS's
 * presolve takes most of a second on it, then a heuristic runs for about another second without looking
 * at the clock, so given 1 s of its own, HiGHS returns after about 2 s (1.8-2.0 s measured).
 */
export const denseKnapsack = (columns = 1_000, rows = 300): MipModel => {
  let state = 12_345;
  const random = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
  const rowStart = Int32Array.from({ length: rows + 1 }, (_, i) => i * columns);
  const rowIndex = Int32Array.from({ length: rows * columns }, (_, k) => k % columns);
  const rowValue = Float64Array.from({ length: rows * columns }, () => Math.floor(random() * 100));
  const rowUpper = Float64Array.from({ length: rows }, (_, i) => {
    let sum = 0;
    for (let j = 0; j < columns; j++) sum += rowValue[i * columns + j] ?? 0;
    return Math.floor(sum / 2);
  });
  return {
    columns,
    cost: Float64Array.from({ length: columns }, () => 1 + Math.floor(random() * 100)),
    lower: new Float64Array(columns),
    upper: new Float64Array(columns).fill(1),
    integer: new Uint8Array(columns).fill(1),
    rows,
    rowStart,
    rowIndex,
    rowValue,
    rowLower: new Float64Array(rows).fill(Number.NEGATIVE_INFINITY),
    rowUpper,
  };
};

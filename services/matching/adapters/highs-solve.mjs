// @ts-check
/**
 * HiGHS on the engine's `MipModel`, in the calling thread: the HiGHS adapter's worker thread
 * (`highs-mip-worker.mjs`) and the tests' in-thread solver (`highsMipSolver`) both solve with it.
 *
 * Plain JavaScript (its types checked by tsc from the JSDoc), like the worker's module that imports it:
 * both ship beside the bundle, unbundled (`PACKAGES_BESIDE_BUNDLE` in infra/bundling.ts). It imports
 * nothing at run time.
 */

/** @typedef {import('highs').Highs} Highs */
/** @typedef {import('../domain/engine/types').MipModel} MipModel */
/** @typedef {import('../domain/engine/types').MipOutcome} MipOutcome */
/** @typedef {import('../domain/engine/types').MipLimits} MipLimits */

/** Optimal means within 0.5 of the best bound: the data are integers, so nothing better by 1 exists. */
const absoluteGap = 0.5;

/**
 * Solves `model` (a maximisation) with HiGHS in this thread.
 * @param {Highs} highs
 * @param {MipModel} model
 * @param {number} timeLimitSeconds HiGHS's own time limit (Infinity: none). HiGHS checks it between
 *   steps only, and some steps take long (a heuristic on a large model: seconds), so it can overrun it.
 * @param {number} [stopWhenGapClosed] Stop (`improved`) at a solution that closes this share of the gap
 *   between the start's objective and HiGHS's bound at that moment (see `MipLimits`).
 * @returns {MipOutcome}
 */
export const solveWithHighs = (highs, model, timeLimitSeconds, stopWhenGapClosed) => {
  const infinity = highs.infinity;
  /** @param {Float64Array} values */
  const finite = (values) =>
    Float64Array.from(values, (value) =>
      value === Number.POSITIVE_INFINITY ? infinity : value === Number.NEGATIVE_INFINITY ? -infinity : value,
    );
  const solver = highs.createModel({
    numCols: model.columns,
    numRows: model.rows,
    sense: highs.constants.objectiveSense.maximize,
    colCost: model.cost,
    colLower: model.lower,
    colUpper: model.upper,
    rowLower: finite(model.rowLower),
    rowUpper: finite(model.rowUpper),
    matrix: {
      format: 'csr',
      numRows: model.rows,
      numCols: model.columns,
      starts: model.rowStart,
      indices: model.rowIndex,
      values: model.rowValue,
    },
    integrality: Int32Array.from(model.integer),
  });
  try {
    solver.options.set({
      output_flag: false,
      mip_rel_gap: 0,
      mip_abs_gap: absoluteGap,
      ...(Number.isFinite(timeLimitSeconds) ? { time_limit: Math.max(0.001, timeLimitSeconds) } : {}),
    });
    const start = model.start;
    if (start) solver.setSolution({ colValue: start });
    let improved = false;
    /** @type {import('highs').HighsCallbackMap} */
    let callbacks = {};
    if (start && stopWhenGapClosed !== undefined) {
      const startObjective = model.cost.reduce((total, cost, column) => total + cost * (start[column] ?? 0), 0);
      callbacks = {
        // HiGHS's MIP checkpoints, where it may be asked to stop: its best solution so far is kept.
        [highs.constants.callbackType.mipInterrupt](event) {
          const gain = (event.data.mip_primal_bound ?? Number.NEGATIVE_INFINITY) - startObjective;
          const gap = (event.data.mip_dual_bound ?? Number.POSITIVE_INFINITY) - startObjective;
          // The data are integers: a better solution is better by 1 or more.
          if (gain >= 1 - 1e-6 && gain >= stopWhenGapClosed * gap) {
            improved = true;
            event.interrupt();
          }
        },
      };
    }
    solver.run(callbacks);
    const status = solver.getModelStatus();
    const codes = highs.constants.modelStatus;
    const solved = status === codes.optimal;
    const limited = status === codes.timeLimit || status === codes.interrupted;
    const hasSolution = Number(solver.info.get('primal_solution_status')) === highs.constants.solutionStatus.feasible;
    const values = hasSolution ? Float64Array.from(solver.getSolution().colValue) : null;
    const bound = Number(solver.info.get('mip_dual_bound'));
    return {
      status: solved
        ? 'optimal'
        : improved && values && status === codes.interrupted
          ? 'improved'
          : limited
            ? 'limit'
            : status === codes.infeasible
              ? 'infeasible'
              : 'failed',
      values,
      bound: Number.isFinite(bound) ? bound : Number.POSITIVE_INFINITY,
    };
  } finally {
    solver.dispose();
  }
};

import type { MipModel, MipOutcome, MipSolver } from '../domain/engine/types';

/**
 * The engine's MIP port (`MipSolver`) on HiGHS, the open-source MIP solver, compiled to WebAssembly
 * (the `highs` package). The engine hands it only the reduced problem of a domain its own search
 * finds hard (mentees scarce): a few thousand columns once the root's bounds have fixed the rest.
 *
 * The package is ~3.5 MB of WebAssembly, so it is loaded on first use, never at module init: the
 * runner's bundle leaves it out and ships the package beside the bundle (`infra/bundling.ts`).
 */
let loading: Promise<MipSolver> | null = null;

/** HiGHS, loaded once per process. */
export const loadHighsMipSolver = (): Promise<MipSolver> => {
  loading ??= import('highs').then(async ({ default: load }) => highsMipSolver(await load()));
  return loading;
};

type Highs = Awaited<ReturnType<typeof import('highs')['default']>>;

/** Optimal means within 0.5 of the best bound: the data are integers, so nothing better by 1 exists. */
const absoluteGap = 0.5;

export const highsMipSolver = (highs: Highs): MipSolver => ({
  solve(model: MipModel, limits: { timeLimitSeconds: number }): MipOutcome {
    const infinity = highs.infinity;
    const finite = (values: Float64Array) =>
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
        ...(Number.isFinite(limits.timeLimitSeconds) ? { time_limit: Math.max(0.001, limits.timeLimitSeconds) } : {}),
      });
      if (model.start) solver.setSolution({ colValue: model.start });
      solver.run();
      const status = solver.getModelStatus();
      const codes = highs.constants.modelStatus;
      const solved = status === codes.optimal;
      const limited = status === codes.timeLimit || status === codes.interrupted;
      const hasSolution = Number(solver.info.get('primal_solution_status')) === highs.constants.solutionStatus.feasible;
      const values = hasSolution ? Float64Array.from(solver.getSolution().colValue) : null;
      const bound = Number(solver.info.get('mip_dual_bound'));
      return {
        status: solved ? 'optimal' : limited ? 'limit' : status === codes.infeasible ? 'infeasible' : 'failed',
        values,
        bound: Number.isFinite(bound) ? bound : Number.POSITIVE_INFINITY,
      };
    } finally {
      solver.dispose();
    }
  },
});

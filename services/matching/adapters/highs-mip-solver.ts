import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MipLimits, MipModel, MipOutcome, MipSolver } from '../domain/engine/types';
import type { HighsSolveReply, HighsSolveRequest, HighsWorkerData, HighsWorkerStarted } from './highs-mip-worker.mjs';
import { solveWithHighs } from './highs-solve.mjs';

/**
 * The engine's MIP port (`MipSolver`) on HiGHS, the open-source MIP solver, compiled to WebAssembly
 * (the `highs` package). The engine hands it only the reduced problem of a domain its own search
 * finds hard (mentees scarce): a few thousand columns once the root's bounds have fixed the rest.
 *
 * **A hard deadline.** HiGHS checks its `time_limit` only between steps, and a step can take seconds
 * (a heuristic on a large model: given 1 s, HiGHS returns after 1.8-2.2 s on the tests' dense knapsack;
 * runs given 60 s by the engine ended after 62.4 s and 64.1 s). The port must return within the time
 * limit it is given (the engine gives what is left of its search budget), so HiGHS runs in a worker
 * thread (`highs-mip-worker.mjs`) and the engine's thread, which stays synchronous, waits for its answer
 * with `Atomics.wait` until the limit and no longer:
 *
 * 1. The model is posted to the worker (its typed arrays copied), with HiGHS's own time limit a little
 *    shorter (`highsTimeLimitSeconds`): HiGHS normally stops by itself and returns its best solution
 *    and its bound.
 * 2. The worker posts its answer on a `MessagePort`, then stores the request's id in a shared
 *    `Int32Array` and notifies; the waiting thread wakes and reads the answer with
 *    `receiveMessageOnPort` (synchronously).
 * 3. If the limit passes first, the worker is terminated (that interrupts the WebAssembly at once) and
 *    the answer is `limit` with no solution and no bound: the engine keeps its own incumbent and bound,
 *    and its result is not proven, with its gap. A new worker is started at once, in the background,
 *    for the next solve.
 *
 * The package is ~3.5 MB of WebAssembly, so it is loaded on first use, never at module init: the
 * runner's bundle leaves it out and ships the package beside the bundle, with the worker's modules
 * (`highs-mip-worker.mjs` and the `highs-solve.mjs` it imports: `PACKAGES_BESIDE_BUNDLE` in
 * infra/bundling.ts). Starting a worker and loading HiGHS in it took 67-91 ms of wall time; each solve
 * adds the copy of its model and the wake-up, 0.3-0.6 ms (median) on the engine's reduced problems; a
 * hard stop returns within a few milliseconds of the limit (services/matching/README.md has the figures
 * and their conditions: `npm run bench:highs-worker`).
 */

/**
 * HiGHS's own time limit for a solve the port must end within `seconds`: 5% less, at most 1 s less.
 * HiGHS then normally stops by itself, with its incumbent and bound (which a hard stop loses); the
 * margin absorbs its usual overruns of tenths of a second, the hard stop the rest. It is kept small
 * because a domain that is not proven cannot be committed anyway, while every second HiGHS loses can
 * be the one that proves it: with 10% (at most 5 s), a 2,000-person domain with 40% mentors (seed 43)
 * that HiGHS had proven at 54.7 s of its 60 s stopped unproven at 55 s.
 */
export const highsTimeLimitSeconds = (seconds: number): number => seconds - Math.min(0.05 * seconds, 1);

/** What a hard stop answers: nothing found, nothing proven. */
const stoppedOutcome = (): MipOutcome => ({ status: 'limit', values: null, bound: Number.POSITIVE_INFINITY });

/** Milliseconds on a clock every thread of the process shares (`HighsSolveRequest.highsDeadline`). */
const sharedNow = () => performance.timeOrigin + performance.now();

export interface HighsWorkerMipSolverOptions {
  /** HiGHS's own time limit for a port limit (seconds to seconds). Default: `highsTimeLimitSeconds`. */
  highsTimeLimit?: (seconds: number) => number;
}

export interface HighsWorkerStatistics {
  /** Wall milliseconds from starting the first worker to HiGHS loaded in it. */
  startupMs: number;
  /** Solves answered by HiGHS. */
  answered: number;
  /** Solves stopped at their time limit by terminating the worker. */
  hardStops: number;
  /** Workers started (the first, and one after each hard stop or failure). */
  workers: number;
  /** Over answered solves: wall time of `solve` minus HiGHS's own time (the copies and the wake-up). */
  overheadMs: number;
}

export interface HighsWorkerMipSolver extends MipSolver {
  readonly statistics: Readonly<HighsWorkerStatistics>;
  /** Ends the worker (a later solve starts another). */
  close(): Promise<void>;
}

interface SolverThread {
  worker: Worker;
  port: MessagePort;
  /** The id of the last request answered (0: none yet). */
  signal: Int32Array;
  /** Resolves with the milliseconds it took to load HiGHS; rejects if it could not. */
  started: Promise<number>;
}

/**
 * Starts a worker and loads HiGHS in it. It does not keep the process alive, except while `awaited`
 * (the first one, which `createHighsWorkerMipSolver` waits for).
 */
const startThread = (awaited: boolean): SolverThread => {
  const { port1, port2 } = new MessageChannel();
  port1.unref();
  const signal = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const data: HighsWorkerData = { signal, port: port2 };
  const spawned = performance.now();
  // The worker's module: beside this file in the sources, beside the bundle in a bundle (named here, not
  // in a module constant, so that bundles which never start it leave it out).
  const workerModule = new URL('./highs-mip-worker.mjs', import.meta.url);
  // None of this process's Node options: the module is plain JavaScript and needs no loader (tsx, the
  // test runner's), and some options refuse a worker (`--input-type`, for a script given with `-e`).
  const worker = new Worker(workerModule, { workerData: data, transferList: [port2], execArgv: [] });
  if (!awaited) worker.unref();
  // A worker that fails later (it should not: HiGHS's errors are answered as `failed`) has ended; its
  // solve, if one is waiting, stops at its time limit. An 'error' event nobody listens to would throw.
  worker.on('error', () => {});
  const started = new Promise<number>((resolve, reject) => {
    worker.once('message', (message: HighsWorkerStarted) => {
      if (message.ready) resolve(performance.now() - spawned);
      else reject(new Error(`HiGHS could not be loaded in its worker thread: ${message.error}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`The HiGHS worker thread exited (code ${code}) before loading`)));
  });
  // Only the first worker's start is awaited; a later one that fails makes its solves stop at their limit.
  started.then(
    () => worker.unref(),
    () => {},
  );
  return { worker, port: port1, signal, started };
};

/**
 * HiGHS in a worker thread, behind the engine's synchronous port, with a hard deadline (see above).
 * Resolves once HiGHS is loaded in the worker.
 */
export const createHighsWorkerMipSolver = async (
  options: HighsWorkerMipSolverOptions = {},
): Promise<HighsWorkerMipSolver> => {
  const highsTimeLimit = options.highsTimeLimit ?? highsTimeLimitSeconds;
  const statistics: HighsWorkerStatistics = { startupMs: 0, answered: 0, hardStops: 0, workers: 1, overheadMs: 0 };
  let thread: SolverThread | null = startThread(true);
  try {
    statistics.startupMs = await thread.started;
  } catch (error) {
    await thread.worker.terminate();
    throw error;
  }
  let lastId = 0;

  /** A new worker, which loads HiGHS while the engine works on. */
  const fresh = (): SolverThread => {
    statistics.workers += 1;
    thread = startThread(false);
    return thread;
  };
  /** Ends `ended` without waiting for it, and starts its replacement. */
  const replace = (ended: SolverThread): void => {
    ended.worker.terminate().catch(() => {});
    ended.port.close();
    fresh();
  };

  const solve = (model: MipModel, limits: MipLimits): MipOutcome => {
    const started = performance.now();
    const seconds = Number.isNaN(limits.timeLimitSeconds) ? 0 : Math.max(0, limits.timeLimitSeconds);
    const deadline = started + seconds * 1000;
    const current = thread ?? fresh();
    const id = ++lastId;
    const ownSeconds = highsTimeLimit(seconds);
    const request: HighsSolveRequest = {
      id,
      model,
      highsDeadline: Number.isFinite(ownSeconds) ? sharedNow() + ownSeconds * 1000 : Number.POSITIVE_INFINITY,
      ...(limits.stopWhenGapClosed === undefined ? {} : { stopWhenGapClosed: limits.stopWhenGapClosed }),
    };
    current.port.postMessage(request);
    for (;;) {
      const answered = Atomics.load(current.signal, 0);
      if (answered === id) break;
      const left = deadline - performance.now();
      if (left <= 0) {
        statistics.hardStops += 1;
        replace(current);
        return stoppedOutcome();
      }
      // Returns at once if the worker answered since the load ('not-equal'), else when it does or at the limit.
      Atomics.wait(current.signal, 0, answered, left);
    }
    const reply = receiveMessageOnPort(current.port)?.message as HighsSolveReply | undefined;
    if (!reply || reply.id !== id || reply.error) {
      // HiGHS threw (a WebAssembly abort leaves it unusable): a fresh worker for the next solve.
      replace(current);
      return { status: 'failed', values: null, bound: Number.POSITIVE_INFINITY };
    }
    statistics.answered += 1;
    statistics.overheadMs += performance.now() - started - reply.highsMs;
    return reply.outcome;
  };

  return {
    statistics,
    solve,
    close: async () => {
      const ended = thread;
      thread = null;
      if (!ended) return;
      ended.port.close();
      await ended.worker.terminate();
    },
  };
};

let loading: Promise<HighsWorkerMipSolver> | null = null;

/** HiGHS in its worker thread, started once per process (on first use), with a hard deadline per solve. */
export const loadHighsMipSolver = (): Promise<HighsWorkerMipSolver> => {
  loading ??= createHighsWorkerMipSolver().catch((error: unknown) => {
    // A later call tries again.
    loading = null;
    throw error;
  });
  return loading;
};

type Highs = Awaited<ReturnType<typeof import('highs')['default']>>;

/**
 * HiGHS in this thread, with only its own time limit, which it can overrun: for tests that hand the
 * engine a HiGHS they loaded themselves. Production code uses `loadHighsMipSolver`.
 */
export const highsMipSolver = (highs: Highs): MipSolver => ({
  solve: (model, limits) => solveWithHighs(highs, model, limits.timeLimitSeconds, limits.stopWhenGapClosed),
});

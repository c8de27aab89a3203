// @ts-check
/**
 * The worker thread in which the HiGHS adapter (`highs-mip-solver.ts`) runs HiGHS, so that it can end
 * it at a deadline (`worker.terminate()`): HiGHS checks its own time limit only coarsely.
 *
 * Started with `HighsWorkerData`, it loads HiGHS, says so on `parentPort` (`HighsWorkerStarted`), then
 * answers solve requests on the `MessagePort` it was given, one at a time: the answer is posted on the
 * port, then its request id is stored in the shared `signal` and the waiting thread is notified
 * (`Atomics.notify`), which reads the answer with `receiveMessageOnPort`.
 *
 * Plain JavaScript (its types checked by tsc from the JSDoc): a worker thread runs its module as it is,
 * and neither Node 20 (tests, benchmarks) nor the Lambda runtime runs a TypeScript file. In a Lambda it
 * ships beside the bundle, unbundled, with `highs-solve.mjs` and the `highs` package
 * (`PACKAGES_BESIDE_BUNDLE` in infra/bundling.ts), and the bundle starts it with
 * `new URL('./highs-mip-worker.mjs', import.meta.url)`. It must therefore import nothing but Node's
 * modules, `highs` and `./highs-solve.mjs`. The adapter imports only its types.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { solveWithHighs } from './highs-solve.mjs';

/** @typedef {import('highs').Highs} Highs */
/** @typedef {import('../domain/engine/types').MipModel} MipModel */
/** @typedef {import('../domain/engine/types').MipOutcome} MipOutcome */

/**
 * What the worker is started with.
 * @typedef {object} HighsWorkerData
 * @property {Int32Array} signal On a SharedArrayBuffer: the id of the last request answered.
 * @property {import('node:worker_threads').MessagePort} port Where requests come and answers go.
 */

/**
 * A solve request.
 * @typedef {object} HighsSolveRequest
 * @property {number} id Positive, increasing.
 * @property {MipModel} model
 * @property {number} highsDeadline HiGHS's own deadline (`performance.timeOrigin + performance.now()`
 *   milliseconds, comparable between threads), Infinity for none.
 * @property {number} [stopWhenGapClosed] Stop at a solution that closes this share of the gap (`MipLimits`).
 */

/**
 * The answer to a request.
 * @typedef {object} HighsSolveReply
 * @property {number} id
 * @property {MipOutcome} outcome
 * @property {number} highsMs Time in HiGHS (building the model, solving, reading the solution).
 * @property {string} [error] HiGHS threw (the outcome is then `failed`): this worker should be replaced.
 */

/**
 * What the worker posts on `parentPort` once, when HiGHS is loaded (or could not be).
 * @typedef {{ ready: true } | { ready: false, error: string }} HighsWorkerStarted
 */

/** Milliseconds on a clock every thread of the process shares. */
const now = () => performance.timeOrigin + performance.now();

/**
 * Loads HiGHS, says so on `parentPort`, then answers every request on `data.port`.
 * @param {HighsWorkerData} data
 */
const serve = async (data) => {
  const { signal, port } = data;
  /** @type {Highs} */
  let highs;
  try {
    highs = await (await import('highs')).default();
  } catch (error) {
    parentPort?.postMessage(/** @type {HighsWorkerStarted} */ ({ ready: false, error: String(error) }));
    return;
  }
  port.on('message', (/** @type {HighsSolveRequest} */ request) => {
    const started = now();
    /** @type {HighsSolveReply} */
    let reply;
    try {
      const outcome = solveWithHighs(
        highs,
        request.model,
        (request.highsDeadline - started) / 1000,
        request.stopWhenGapClosed,
      );
      reply = { id: request.id, outcome, highsMs: now() - started };
    } catch (error) {
      const outcome = /** @type {MipOutcome} */ ({ status: 'failed', values: null, bound: Number.POSITIVE_INFINITY });
      reply = { id: request.id, outcome, highsMs: now() - started, error: String(error) };
    }
    // The solution's buffer is moved, not copied (`solveWithHighs` made it: an ArrayBuffer of its own).
    const values = reply.outcome.values;
    port.postMessage(reply, values ? [/** @type {ArrayBuffer} */ (values.buffer)] : []);
    // The answer first, then the signal: once woken, the waiting thread finds it on its port.
    Atomics.store(signal, 0, request.id);
    Atomics.notify(signal, 0);
  });
  parentPort?.postMessage(/** @type {HighsWorkerStarted} */ ({ ready: true }));
};

if (!parentPort) throw new Error('highs-mip-worker.mjs runs only as a worker thread (see highs-mip-solver.ts)');
void serve(/** @type {HighsWorkerData} */ (workerData));

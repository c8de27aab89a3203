/**
 * Runs each declared function in its own worker thread, like one Lambda execution
 * environment: its own module state and environment, configuration read once at cold start,
 * the declared timeout and memory enforced. Several invocations may be in flight in one
 * worker at a time (Lambda would use one environment per concurrent invocation; locally the
 * module state is shared between concurrent invocations of the same function).
 *
 * A worker imports the function's deployed bundle (./bundles.ts), not its TypeScript sources:
 * the same code as in AWS, and an init of a few hundred milliseconds at most.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { forEachLimited } from '../shared/concurrency';
import { BundleError, createLocalBundler, type LocalBundler } from './bundles';
import { functionArnOf, type LocalFunction } from './environment';
import type { InvocationError, WorkerData, WorkerReply, WorkerRequest } from './function-protocol';

export type { InvocationError } from './function-protocol';

export interface InvocationRecord {
  functionKey: string;
  requestId: string;
  coldStart: boolean;
  durationMs: number;
  startedAt: string;
}

export type InvocationOutcome =
  | (InvocationRecord & { ok: true; result: unknown })
  | (InvocationRecord & { ok: false; error: InvocationError });

export type FunctionLogSink = 'prefixed' | 'silent' | ((functionKey: string, line: string) => void);

export interface LocalFunctionsOptions {
  functions: readonly LocalFunction[];
  /** The complete environment of one function (declared variables, region, endpoints...). */
  environmentOf: (fn: LocalFunction) => Record<string, string>;
  /** Entries are declared relative to the repository root. */
  repoRoot: string;
  /** Where bundles come from (default: built with infra/bundling.ts, cached under node_modules/.cache). */
  bundler?: LocalBundler;
  /** Worker stdout/stderr: prefixed with the function key on this process's output (default), or dropped. */
  logs?: FunctionLogSink;
  /**
   * Lambda gives the init phase 10 s. A bundle initialises in well under a second, but a busy
   * machine (tests on every core) must delay a cold start, never fail it: 60 s by default.
   */
  initTimeoutMs?: number;
  /** Lambda's memory setting caps the worker's heap (V8 old generation) unless this is false. */
  enforceMemory?: boolean;
}

export interface LocalFunctions {
  keys(): string[];
  has(functionKey: string): boolean;
  invoke(functionKey: string, event: unknown): Promise<InvocationOutcome>;
  /**
   * Starts the workers (cold starts) ahead of the first invocation, like provisioned
   * concurrency: resolves when every one has finished its init, with the inits that failed
   * (those are tried again, and reported, at the function's next invocation).
   */
  warm(functionKeys?: readonly string[]): Promise<{ functionKey: string; error: InvocationError }[]>;
  /** `warm`: an initialised environment is waiting; `initializing`; `cold`: none (yet, or any more). */
  stateOf(functionKey: string): 'cold' | 'initializing' | 'warm';
  recentInvocations(): readonly (InvocationRecord & { ok: boolean; errorType?: string })[];
  stop(): Promise<void>;
}

/** Lambda's limit on a synchronous invocation's request and response payloads. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
const RECENT_LIMIT = 200;

interface Pending {
  resolve: (reply: { ok: true; payload: string } | { ok: false; error: InvocationError }) => void;
  timer: NodeJS.Timeout;
}

/** One execution environment. Retired environments finish what they run, then stop. */
interface Environment {
  /** Created once the bundle is there. */
  worker?: Worker;
  ready: Promise<void>;
  /** Init done: an invocation now is not a cold start. */
  initialized: boolean;
  pending: Map<number, Pending>;
  retired: boolean;
}

const DEFAULT_INIT_TIMEOUT_MS = 60_000;

const workerEntry = new URL('./function-worker.ts', import.meta.url);
/**
 * The worker's own script is TypeScript: Node 24 (the `node` dev dependency every npm script
 * uses) strips its types natively; an older Node needs tsx for it.
 */
const workerExecArgv = (process.features as { typescript?: unknown }).typescript
  ? []
  : ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];

/** How Lambda reports a function whose code cannot be loaded. */
const bundleInitError = (entry: string, error: unknown): InvocationError =>
  error instanceof BundleError
    ? {
        errorType: error.unresolved ? 'Runtime.ImportModuleError' : 'Runtime.UserCodeSyntaxError',
        errorMessage: error.unresolved ? `Cannot find module '${entry}': ${error.message}` : error.message,
      }
    : { errorType: 'Runtime.ImportModuleError', errorMessage: (error as Error).message };

const lineSplitter = (emit: (line: string) => void) => {
  let partial = '';
  return {
    push: (chunk: Buffer | string) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) emit(line);
    },
    flush: () => {
      if (partial) emit(partial);
      partial = '';
    },
  };
};

const logStreamName = () => {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
};

export const startLocalFunctions = (options: LocalFunctionsOptions): LocalFunctions => {
  const byKey = new Map(options.functions.map((fn) => [fn.key, fn]));
  const current = new Map<string, Environment>();
  const all = new Set<Environment>();
  const recent: (InvocationRecord & { ok: boolean; errorType?: string })[] = [];
  let nextId = 0;
  let stopped = false;

  const sinkOf = (key: string): ((line: string) => void) | undefined => {
    const logs = options.logs ?? 'prefixed';
    if (logs === 'silent') return undefined;
    if (logs === 'prefixed') return (line) => process.stdout.write(`[${key}] ${line}\n`);
    return (line) => logs(key, line);
  };

  const terminate = (environment: Environment) => {
    all.delete(environment);
    void environment.worker?.terminate();
  };

  const retire = (key: string, environment: Environment) => {
    environment.retired = true;
    if (current.get(key) === environment) current.delete(key);
    if (environment.pending.size === 0) terminate(environment);
  };

  const failAll = (environment: Environment, error: InvocationError) => {
    for (const [id, pending] of environment.pending) {
      clearTimeout(pending.timer);
      environment.pending.delete(id);
      pending.resolve({ ok: false, error });
    }
  };

  const bundler = options.bundler ?? createLocalBundler({ repoRoot: options.repoRoot });
  const initTimeoutMs = options.initTimeoutMs ?? DEFAULT_INIT_TIMEOUT_MS;

  /** Starts the worker on the bundle; resolves when its init is done, rejects with Lambda's init error. */
  const startWorker = (fn: LocalFunction, environment: Environment, modulePath: string) =>
    new Promise<void>((resolveReady, rejectReady) => {
      const data: WorkerData = {
        entry: fn.declaration.entry,
        modulePath,
        functionName: fn.key,
        functionArn: functionArnOf(fn.key),
        memoryMb: fn.declaration.memoryMb,
        logStreamName: logStreamName(),
      };
      const sink = sinkOf(fn.key);
      const worker = new Worker(workerEntry, {
        workerData: data,
        env: options.environmentOf(fn),
        // Stack traces name the TypeScript files and lines (the bundle's source map).
        execArgv: [...workerExecArgv, '--enable-source-maps'],
        stdout: true,
        stderr: true,
        ...(options.enforceMemory === false
          ? {}
          : { resourceLimits: { maxOldGenerationSizeMb: fn.declaration.memoryMb } }),
      });
      environment.worker = worker;
      for (const stream of [worker.stdout, worker.stderr]) {
        const splitter = lineSplitter((line) => sink?.(line));
        stream.on('data', splitter.push);
        stream.on('end', splitter.flush);
      }

      const initTimer = setTimeout(
        () =>
          settleInit({ errorType: 'Runtime.InitTimeout', errorMessage: `Init did not finish in ${initTimeoutMs} ms` }),
        initTimeoutMs,
      );
      const settleInit = (error?: InvocationError) => {
        clearTimeout(initTimer);
        if (error) rejectReady(error);
        else resolveReady();
      };

      worker.on('message', (message: WorkerReply) => {
        if (message.type === 'ready') {
          settleInit();
        } else if (message.type === 'init-error') {
          settleInit(message.error);
        } else {
          const pending = environment.pending.get(message.id);
          if (!pending) return;
          clearTimeout(pending.timer);
          environment.pending.delete(message.id);
          pending.resolve(message.ok ? { ok: true, payload: message.payload } : { ok: false, error: message.error });
          if (environment.retired && environment.pending.size === 0) terminate(environment);
        }
      });
      worker.on('error', (error: Error & { code?: string }) => {
        // An uncaught exception or the memory cap ends the environment, like a runtime crash.
        const reported: InvocationError =
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? { errorType: 'Runtime.OutOfMemory', errorMessage: `Runtime exited: over ${fn.declaration.memoryMb} MB` }
            : { errorType: error.name, errorMessage: error.message };
        settleInit(reported);
        failAll(environment, reported);
        retire(fn.key, environment);
      });
      worker.on('exit', (code) => {
        const reported = { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with code ${code}` };
        settleInit(reported);
        failAll(environment, reported);
        all.delete(environment);
        if (current.get(fn.key) === environment) current.delete(fn.key);
      });
    });

  const spawn = (fn: LocalFunction): Environment => {
    const environment: Environment = {
      ready: Promise.resolve(),
      initialized: false,
      pending: new Map(),
      retired: false,
    };
    environment.ready = (async () => {
      let modulePath: string;
      try {
        modulePath = (await bundler.bundleOf(fn.declaration.entry, fn.declaration.packagesBesideBundle)).file;
      } catch (error) {
        throw bundleInitError(fn.declaration.entry, error);
      }
      if (environment.retired || stopped) {
        throw {
          errorType: 'Runtime.Shutdown',
          errorMessage: 'The local platform is stopping',
        } satisfies InvocationError;
      }
      await startWorker(fn, environment, modulePath);
      environment.initialized = true;
    })();
    // A failed init is not kept (the next invocation starts a fresh environment, as in Lambda); it is
    // reported to the invocations awaiting it, or to the next one when nobody was (a warm-up).
    environment.ready.catch(() => retire(fn.key, environment));
    all.add(environment);
    return environment;
  };

  const environmentFor = (fn: LocalFunction): Environment => {
    let environment = current.get(fn.key);
    if (!environment) {
      environment = spawn(fn);
      current.set(fn.key, environment);
    }
    return environment;
  };

  const record = (entry: InvocationRecord & { ok: boolean; errorType?: string }) => {
    recent.push(entry);
    if (recent.length > RECENT_LIMIT) recent.shift();
  };

  const invoke = async (functionKey: string, event: unknown): Promise<InvocationOutcome> => {
    const requestId = randomUUID();
    const startedAt = new Date();
    const started = performance.now();
    const finish = (
      coldStart: boolean,
      reply: { ok: true; result: unknown } | { ok: false; error: InvocationError },
    ): InvocationOutcome => {
      const base = {
        functionKey,
        requestId,
        coldStart,
        durationMs: Math.round(performance.now() - started),
        startedAt: startedAt.toISOString(),
      };
      record({ ...base, ok: reply.ok, ...(reply.ok ? {} : { errorType: reply.error.errorType }) });
      return { ...base, ...reply };
    };

    const fn = byKey.get(functionKey);
    if (!fn || stopped) {
      return finish(false, {
        ok: false,
        error: { errorType: 'ResourceNotFoundException', errorMessage: `Function not found: ${functionKey}` },
      });
    }
    const eventText = JSON.stringify(event ?? null);
    if (Buffer.byteLength(eventText) > MAX_PAYLOAD_BYTES) {
      return finish(false, {
        ok: false,
        error: {
          errorType: 'RequestEntityTooLargeException',
          errorMessage: `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
        },
      });
    }

    const environment = environmentFor(fn);
    // A warmed environment (warm(), like provisioned concurrency) serves its first invocation warm.
    const coldStart = !environment.initialized;
    try {
      await environment.ready;
    } catch (error) {
      // A failed init is not kept: the next invocation starts a fresh environment, as Lambda does.
      retire(fn.key, environment);
      return finish(coldStart, { ok: false, error: error as InvocationError });
    }

    const timeoutMs = fn.declaration.timeoutSeconds * 1000;
    const id = ++nextId;
    const reply = await new Promise<{ ok: true; payload: string } | { ok: false; error: InvocationError }>(
      (resolveReply) => {
        const timer = setTimeout(() => {
          environment.pending.delete(id);
          resolveReply({
            ok: false,
            error: {
              errorType: 'Sandbox.Timedout',
              errorMessage: `${new Date().toISOString()} ${requestId} Task timed out after ${fn.declaration.timeoutSeconds.toFixed(2)} seconds`,
            },
          });
          // Lambda discards an environment whose invocation timed out; the next one is a cold start.
          retire(fn.key, environment);
        }, timeoutMs);
        environment.pending.set(id, { resolve: resolveReply, timer });
        const request: WorkerRequest = { id, requestId, event: eventText, deadline: Date.now() + timeoutMs };
        environment.worker?.postMessage(request);
      },
    );
    if (!reply.ok) return finish(coldStart, reply);
    if (Buffer.byteLength(reply.payload) > MAX_PAYLOAD_BYTES) {
      return finish(coldStart, {
        ok: false,
        error: {
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_PAYLOAD_BYTES} bytes).`,
        },
      });
    }
    return finish(coldStart, { ok: true, result: JSON.parse(reply.payload) });
  };

  return {
    keys: () => [...byKey.keys()],
    has: (key) => byKey.has(key),
    invoke,
    warm: async (keys = [...byKey.keys()]) => {
      // A few at a time: every worker initialising at once on a small machine would run past the
      // init timeout (each init's clock starts when its worker is spawned).
      const failures: { functionKey: string; error: InvocationError }[] = [];
      await forEachLimited(keys, Math.max(2, availableParallelism()), async (key) => {
        const fn = byKey.get(key);
        if (!fn) return;
        try {
          await environmentFor(fn).ready;
        } catch (error) {
          failures.push({ functionKey: key, error: error as InvocationError });
        }
      });
      return failures;
    },
    stateOf: (key) => {
      const environment = current.get(key);
      if (!environment) return 'cold';
      return environment.initialized ? 'warm' : 'initializing';
    },
    recentInvocations: () => [...recent],
    stop: async () => {
      stopped = true;
      const environments = [...all];
      current.clear();
      for (const environment of environments) {
        environment.retired = true;
        failAll(environment, { errorType: 'Runtime.Shutdown', errorMessage: 'The local platform is stopping' });
      }
      await Promise.all(environments.map((environment) => environment.worker?.terminate()));
      all.clear();
    },
  };
};

/**
 * Runs each declared function in its own worker thread, like one Lambda execution
 * environment: its own module state and environment, configuration read once at cold start,
 * the declared timeout and memory enforced. Several invocations may be in flight in one
 * worker at a time (Lambda would use one environment per concurrent invocation; locally the
 * module state is shared between concurrent invocations of the same function).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { forEachLimited } from '../shared/concurrency';
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
  /** Worker stdout/stderr: prefixed with the function key on this process's output (default), or dropped. */
  logs?: FunctionLogSink;
  /** Lambda gives the init phase 10 s; tsx compiling on a busy laptop needs more headroom. */
  initTimeoutMs?: number;
  /** Lambda's memory setting caps the worker's heap (V8 old generation) unless this is false. */
  enforceMemory?: boolean;
}

export interface LocalFunctions {
  keys(): string[];
  has(functionKey: string): boolean;
  invoke(functionKey: string, event: unknown): Promise<InvocationOutcome>;
  /** Starts the workers (cold starts) ahead of the first invocation. */
  warm(functionKeys?: readonly string[]): Promise<void>;
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
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, Pending>;
  retired: boolean;
  invocations: number;
}

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const workerEntry = new URL('./function-worker.ts', import.meta.url);

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
    void environment.worker.terminate();
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

  const spawn = (fn: LocalFunction): Environment => {
    const data: WorkerData = {
      entry: fn.declaration.entry,
      entryPath: resolve(options.repoRoot, fn.declaration.entry),
      functionName: fn.key,
      functionArn: functionArnOf(fn.key),
      memoryMb: fn.declaration.memoryMb,
      logStreamName: logStreamName(),
    };
    const sink = sinkOf(fn.key);
    const worker = new Worker(workerEntry, {
      workerData: data,
      env: options.environmentOf(fn),
      execArgv: ['--import', tsxLoader],
      stdout: true,
      stderr: true,
      ...(options.enforceMemory === false
        ? {}
        : { resourceLimits: { maxOldGenerationSizeMb: fn.declaration.memoryMb } }),
    });
    for (const stream of [worker.stdout, worker.stderr]) {
      const splitter = lineSplitter((line) => sink?.(line));
      stream.on('data', splitter.push);
      stream.on('end', splitter.flush);
    }

    let settleInit: (error?: InvocationError) => void = () => undefined;
    const environment: Environment = {
      worker,
      ready: new Promise<void>((resolveReady, rejectReady) => {
        settleInit = (error) => (error ? rejectReady(error) : resolveReady());
      }),
      pending: new Map(),
      retired: false,
      invocations: 0,
    };
    // Nobody may be awaiting `ready` when it fails (a warm-up); the failure is reported on invoke.
    environment.ready.catch(() => undefined);
    const initTimeoutMs = options.initTimeoutMs ?? 30_000;
    const initTimer = setTimeout(
      () =>
        settleInit({ errorType: 'Runtime.InitTimeout', errorMessage: `Init did not finish in ${initTimeoutMs} ms` }),
      initTimeoutMs,
    );

    worker.on('message', (message: WorkerReply) => {
      if (message.type === 'ready') {
        clearTimeout(initTimer);
        settleInit();
      } else if (message.type === 'init-error') {
        clearTimeout(initTimer);
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
      clearTimeout(initTimer);
      settleInit(reported);
      failAll(environment, reported);
      retire(fn.key, environment);
    });
    worker.on('exit', (code) => {
      clearTimeout(initTimer);
      const reported = { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with code ${code}` };
      settleInit(reported);
      failAll(environment, reported);
      all.delete(environment);
      if (current.get(fn.key) === environment) current.delete(fn.key);
    });
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
    const coldStart = environment.invocations === 0;
    environment.invocations++;
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
        environment.worker.postMessage(request);
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
      // A few at a time: every worker compiling at once on a small machine would run past the
      // init timeout (each init's clock starts when its worker is spawned).
      await forEachLimited(keys, Math.max(2, availableParallelism()), async (key) => {
        const fn = byKey.get(key);
        if (!fn) return;
        await environmentFor(fn).ready.catch(() => undefined);
      });
    },
    recentInvocations: () => [...recent],
    stop: async () => {
      stopped = true;
      const environments = [...all];
      current.clear();
      for (const environment of environments) {
        failAll(environment, { errorType: 'Runtime.Shutdown', errorMessage: 'The local platform is stopping' });
      }
      await Promise.all(environments.map((environment) => environment.worker.terminate()));
      all.clear();
    },
  };
};

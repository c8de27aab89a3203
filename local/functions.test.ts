import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionDeclaration, ServiceDeclaration } from '../shared/declaration';
import { fixtureServices, solverService } from '../test/support/fixtures/declarations';
import { createLocalBundler } from './bundles';
import { localFunctionsOf, runtimeEnvironmentOf } from './environment';
import { type LocalFunctions, startLocalFunctions } from './functions';

const endpoints = { dynamodb: 'http://127.0.0.1:9', eventbridge: 'http://127.0.0.1:9', ses: 'http://127.0.0.1:9' };

describe('local functions (one worker thread per function)', () => {
  let functions: LocalFunctions;

  beforeAll(() => {
    functions = startLocalFunctions({
      functions: localFunctionsOf(fixtureServices),
      repoRoot: process.cwd(),
      environmentOf: (fn) => runtimeEnvironmentOf(fn, endpoints, 'fixture'),
      logs: 'silent',
    });
  });
  afterAll(() => functions.stop());

  it('gives each function its own environment and module state, even from the same file', async () => {
    const first = await functions.invoke('alpha-probe', { setEnv: { PROBE: 'set-by-alpha' } });
    const second = await functions.invoke('alpha-probe', {});
    const other = await functions.invoke('beta-probe', {});

    expect(first).toMatchObject({ ok: true, coldStart: true });
    expect(second).toMatchObject({ ok: true, coldStart: false });
    expect(first.ok && second.ok && other.ok).toBe(true);
    if (!first.ok || !second.ok || !other.ok) return;
    expect(second.result).toMatchObject({
      invocations: 2,
      serviceName: 'alpha',
      tableName: 'fixture-alpha',
      probe: 'set-by-alpha',
    });
    // Loaded once: the second invocation reuses the cold start's module instance.
    expect((second.result as { loadedAt: number }).loadedAt).toBe((first.result as { loadedAt: number }).loadedAt);
    // beta-probe runs the same file in another worker: nothing of alpha's leaks into it.
    expect(other.result).toMatchObject({ invocations: 1, serviceName: 'beta', tableName: null, probe: null });
  });

  it('passes a Lambda-like context and the SDK endpoint variables', async () => {
    const outcome = await functions.invoke('alpha-echo', { rawPath: '/x' });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const body = JSON.parse((outcome.result as { body: string }).body);
    expect(body.context).toMatchObject({
      functionName: 'alpha-echo',
      awsRequestId: outcome.requestId,
      memoryLimitInMB: '256',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:alpha-echo',
    });
    expect(body.context.remainingTimeInMillis).toBeGreaterThan(4_000);
    expect(body.context.remainingTimeInMillis).toBeLessThanOrEqual(5_000);
    expect(body.env).toMatchObject({
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventbridge,
      AWS_ENDPOINT_URL_SES: endpoints.ses,
      LEAKED: null,
    });
  });

  it('runs several invocations of one function at once', async () => {
    await functions.invoke('beta-probe', {});
    const outcomes = await Promise.all([1, 2, 3].map(() => functions.invoke('beta-probe', { sleepMs: 400 })));
    expect(outcomes.every((outcome) => outcome.ok && !outcome.coldStart)).toBe(true);
    // All three were under way at the same moment (one worker, like one Lambda environment per call).
    const peaks = outcomes.map((outcome) =>
      outcome.ok ? (outcome.result as { peakInFlight: number }).peakInFlight : 0,
    );
    expect(Math.max(...peaks)).toBe(3);
  });

  it('enforces the declared timeout, even on a handler stuck in synchronous work, then starts cold', async () => {
    const before = await functions.invoke('alpha-probe', {});
    const slow = await functions.invoke('alpha-probe', { sleepMs: 2_000 });
    expect(slow).toMatchObject({ ok: false, error: { errorType: 'Sandbox.Timedout' } });
    if (!slow.ok) expect(slow.error.errorMessage).toMatch(/Task timed out after 1\.00 seconds/);
    // Ended by the 1 s timeout, not by the 2 s of work finishing.
    expect(slow.durationMs).toBeLessThan(2_000);

    const after = await functions.invoke('alpha-probe', {});
    expect(after).toMatchObject({ ok: true, coldStart: true, result: { invocations: 1, probe: null } });
    expect(before.ok && after.ok && (after.result as { loadedAt: number }).loadedAt).not.toBe(
      before.ok && (before.result as { loadedAt: number }).loadedAt,
    );

    const stuck = await functions.invoke('alpha-probe', { busyMs: 2_000 });
    expect(stuck).toMatchObject({ ok: false, error: { errorType: 'Sandbox.Timedout' } });
    expect(await functions.invoke('alpha-probe', {})).toMatchObject({ ok: true, coldStart: true });
  });

  it('reports errors the way Lambda does: errorType and errorMessage', async () => {
    const crash = await functions.invoke('alpha-echo', { queryStringParameters: { mode: 'crash' } });
    expect(crash).toMatchObject({
      ok: false,
      error: { errorType: 'TypeError', errorMessage: 'the fixture was asked to crash' },
    });
    // The worker runs the minified bundle; its source map names the TypeScript file and line.
    expect(!crash.ok && crash.error.stackTrace?.[0]).toMatch(
      /test\/support\/fixtures\/handlers\/echo-http\.ts:\d+:\d+/,
    );

    // Configuration is read at cold start and fails fast; every invocation retries the init.
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(await functions.invoke('beta-needs-table', {})).toMatchObject({
        ok: false,
        coldStart: true,
        error: { errorType: 'ConfigurationError', errorMessage: expect.stringContaining('TABLE_NAME') },
      });
    }

    expect(await functions.invoke('nope-nothing', {})).toMatchObject({
      ok: false,
      error: { errorType: 'ResourceNotFoundException' },
    });
  });

  it('keeps a log of recent invocations for the developer view', () => {
    const recent = functions.recentInvocations();
    expect(recent.length).toBeGreaterThan(5);
    expect(recent.some((entry) => entry.errorType === 'Sandbox.Timedout')).toBe(true);
  });
});

const slowService: ServiceDeclaration = {
  name: 'slow',
  description: 'Fixture: an init that takes a while.',
  functions: [
    {
      name: 'init',
      entry: 'test/support/fixtures/handlers/slow-init.ts',
      description: 'Sleeps INIT_DELAY_MS at init.',
      memoryMb: 128,
      timeoutSeconds: 1,
      access: {},
    },
  ],
  routes: [],
  subscriptions: [],
  schedules: [],
  settings: [],
  secrets: [],
};

describe('local functions: cold starts on a slow machine', () => {
  const start = (initDelayMs: number, initTimeoutMs?: number) =>
    startLocalFunctions({
      functions: localFunctionsOf([slowService]),
      repoRoot: process.cwd(),
      environmentOf: (fn) => ({ ...runtimeEnvironmentOf(fn, endpoints), INIT_DELAY_MS: String(initDelayMs) }),
      logs: 'silent',
      ...(initTimeoutMs === undefined ? {} : { initTimeoutMs }),
    });

  it('lets an invocation wait for a slow init (longer than the function timeout) instead of failing it', async () => {
    const functions = start(1_500);
    try {
      expect(functions.stateOf('slow-init')).toBe('cold');
      const outcome = await functions.invoke('slow-init', {});
      expect(outcome).toMatchObject({ ok: true, coldStart: true });
    } finally {
      await functions.stop();
    }
  });

  it('warms every function before warm() resolves: the first invocation is not a cold start', async () => {
    const functions = start(500);
    try {
      const warming = functions.warm();
      expect(functions.stateOf('slow-init')).toBe('initializing');
      expect(await warming).toEqual([]);
      expect(functions.stateOf('slow-init')).toBe('warm');
      const outcome = await functions.invoke('slow-init', {});
      expect(outcome).toMatchObject({ ok: true, coldStart: false });
      expect(functions.recentInvocations()).toEqual([expect.objectContaining({ coldStart: false, ok: true })]);
    } finally {
      await functions.stop();
    }
  });

  it('still ends an init that exceeds the init timeout, as Lambda does', async () => {
    const functions = start(5_000, 300);
    try {
      expect(await functions.warm()).toEqual([
        { functionKey: 'slow-init', error: expect.objectContaining({ errorType: 'Runtime.InitTimeout' }) },
      ]);
      expect(functions.stateOf('slow-init')).toBe('cold');
    } finally {
      await functions.stop();
    }
  });
});

describe('local functions: code that does not bundle', () => {
  const repoRoot = mkdtempSync(join(tmpdir(), 'functions-bundle-errors-'));
  afterAll(() => rmSync(repoRoot, { recursive: true, force: true }));

  it('reports it at the invocation, as Lambda reports code it cannot load, and picks up a fix', async () => {
    writeFileSync(join(repoRoot, 'broken.ts'), 'export const handler = async () => {;\n');
    const fn = (name: string, entry: string) => ({ ...slowService.functions[0], name, entry }) as FunctionDeclaration;
    const service: ServiceDeclaration = {
      ...slowService,
      functions: [fn('broken', 'broken.ts'), fn('gone', 'gone.ts')],
    };
    const functions = startLocalFunctions({
      functions: localFunctionsOf([service]),
      repoRoot,
      bundler: createLocalBundler({ repoRoot, cacheDir: join(repoRoot, 'cache') }),
      environmentOf: (local) => runtimeEnvironmentOf(local, endpoints),
      logs: 'silent',
    });
    try {
      expect(await functions.invoke('slow-broken', {})).toMatchObject({
        ok: false,
        coldStart: true,
        error: {
          errorType: 'Runtime.UserCodeSyntaxError',
          errorMessage: expect.stringContaining('broken.ts:2: Unexpected end of file'),
        },
      });
      expect(await functions.invoke('slow-gone', {})).toMatchObject({
        ok: false,
        error: {
          errorType: 'Runtime.ImportModuleError',
          errorMessage: expect.stringContaining("Cannot find module 'gone.ts'"),
        },
      });

      // A failed init is not kept: the next invocation bundles the current code.
      writeFileSync(join(repoRoot, 'broken.ts'), 'export const handler = async () => ({ fixed: true });\n');
      expect(await functions.invoke('slow-broken', {})).toMatchObject({ ok: true, result: { fixed: true } });
    } finally {
      await functions.stop();
    }
  });
});

describe('local functions: a package shipped beside the bundle, run in a worker thread', () => {
  it("runs HiGHS in its worker from the bundle's folder, and stops it at its deadline", async () => {
    const functions = startLocalFunctions({
      functions: localFunctionsOf([solverService]),
      repoRoot: process.cwd(),
      environmentOf: (fn) => runtimeEnvironmentOf(fn, endpoints),
      logs: 'silent',
    });
    try {
      const outcome = await functions.invoke('solver-highs', { limitSeconds: 0.5 });
      expect(outcome).toMatchObject({
        ok: true,
        result: { small: { status: 'optimal', values: [0, 1] }, hard: { status: 'limit' }, hardStops: 1 },
      });
      if (!outcome.ok) return;
      const { hard } = outcome.result as { hard: { seconds: number } };
      expect(hard.seconds).toBeGreaterThanOrEqual(0.5);
      expect(hard.seconds).toBeLessThan(1);
    } finally {
      await functions.stop();
    }
    // The function's folder is what `cdk synth` stages: the bundle, the worker module, the package's files.
    const [fn] = solverService.functions;
    const bundle = await createLocalBundler().bundleOf(fn?.entry ?? '', fn?.packagesBesideBundle);
    expect(bundle.fromCache).toBe(true);
    const folder = dirname(bundle.file);
    expect(readFileSync(join(folder, 'highs-mip-worker.mjs'), 'utf8')).toBe(
      readFileSync('services/matching/adapters/highs-mip-worker.mjs', 'utf8'),
    );
    expect(existsSync(join(folder, 'node_modules/highs/build/highs.wasm'))).toBe(true);
  }, 60_000);
});

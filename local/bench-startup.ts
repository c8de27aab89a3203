/**
 * `npm run bench:startup [-- --runs 5] [-- --port 3100] [-- --seed] [-- --cold-bundles]`: starts the
 * platform the way a developer does (`npm start`, fixed ports 4010/8005/8000, so nothing else may
 * be running) several times and prints, per run: the time from the command to the banner, the
 * start-up time the banner reports, and how long the first requests after the banner take (one
 * public route, one authenticated route: two different functions). The first run starts on an
 * empty data folder (tables are created); the others restart on it, as a developer usually does.
 *
 * A benchmark prints figures; it asserts nothing. The machine's load is printed with them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LOCAL_BUNDLE_CACHE_DIR } from './bundles';
import { REPO_ROOT } from './paths';
import { assertPortFree } from './ports';
import { mintToken } from './token';

interface RunFigures {
  run: number;
  dataFolder: 'empty' | 'reused';
  bannerMs: number;
  reportedMs: number;
  /** From the banner (new versions): when DynamoDB Local answered and the functions were warm. */
  dynamodbMs: number;
  functionsMs: number;
  firstPublicMs: number;
  firstAuthenticatedMs: number;
  secondAuthenticatedMs: number;
  seedMs?: number;
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    port: { type: 'string', default: '3100' },
    seed: { type: 'boolean', default: false },
    'cold-bundles': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const port = Number(values.port);

/** Resolves with the first stdout line matching `pattern` (and the time it was seen). */
const waitForLine = (child: ChildProcess, pattern: RegExp, timeoutMs: number) =>
  new Promise<{ line: string; at: number }>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      const line = lines.find((candidate) => pattern.test(candidate));
      if (line) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve({ line, at: performance.now() });
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start exited (code ${code}) before printing ${pattern}`)));
  });

const timed = async (request: () => Promise<Response>) => {
  const started = performance.now();
  const response = await request();
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}`);
  return Math.round(performance.now() - started);
};

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    // The whole process group this script started (npm, tsx, node, DynamoDB Local's java).
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  });

/** The previous run's servers may take a moment to let go of their ports after the process group exits. */
const waitForFreePorts = async () => {
  for (const [busy, what] of [
    [port, 'the HTTP API'],
    [4010, 'the local EventBridge'],
    [8005, 'the SES emulator'],
    [8000, 'DynamoDB Local'],
  ] as const) {
    for (let attempt = 1; ; attempt++) {
      try {
        await assertPortFree(busy, `The benchmark (${what})`);
        break;
      } catch (error) {
        if (attempt === 50) throw error;
        await new Promise((done) => setTimeout(done, 200));
      }
    }
  }
};

const startOnce = async (run: number, dataDir: string): Promise<RunFigures> => {
  await waitForFreePorts();
  if (values['cold-bundles']) rmSync(LOCAL_BUNDLE_CACHE_DIR, { recursive: true, force: true });
  const args = [
    'start',
    '--',
    '--port',
    String(port),
    '--data-dir',
    dataDir,
    ...(values.seed ? ['--seed', 'demo'] : []),
  ];
  const started = performance.now();
  const child = spawn('npm', args, { cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const banner = await waitForLine(child, /Mentoring platform (ready|running locally)/, 300_000);
    const seeded = values.seed ? waitForLine(child, /^Seeded the demo organisation/, 120_000) : undefined;
    const secondsIn = (pattern: RegExp) => Number(pattern.exec(banner.line)?.[1] ?? Number.NaN) * 1000;
    const reported = secondsIn(/in ([\d.]+) s/);
    const api = `http://localhost:${port}`;
    const token = await mintToken({ dataDir, port, sub: 'p-002', groups: ['admin', 'employee'] });
    const firstPublicMs = await timed(() => fetch(`${api}/health`));
    const people = () => fetch(`${api}/people?limit=5`, { headers: { authorization: `Bearer ${token}` } });
    const firstAuthenticatedMs = await timed(people);
    const secondAuthenticatedMs = await timed(people);
    const seedMs = seeded ? Math.round((await seeded).at - banner.at) : undefined;
    return {
      run,
      dataFolder: run === 1 ? 'empty' : 'reused',
      bannerMs: Math.round(banner.at - started),
      reportedMs: reported,
      dynamodbMs: secondsIn(/DynamoDB Local after ([\d.]+) s/),
      functionsMs: secondsIn(/functions after ([\d.]+) s/),
      firstPublicMs,
      firstAuthenticatedMs,
      secondAuthenticatedMs,
      ...(seedMs === undefined ? {} : { seedMs }),
    };
  } finally {
    await stop(child);
  }
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const main = async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  const figures: RunFigures[] = [];
  const loadBefore = loadavg()[0] ?? 0;
  try {
    for (let run = 1; run <= runs; run++) {
      const result = await startOnce(run, dataDir);
      figures.push(result);
      process.stdout.write(
        `run ${run} (${result.dataFolder} data folder): banner after ${seconds(result.bannerMs)} ` +
          `(reports ${seconds(result.reportedMs)}: DynamoDB Local ${seconds(result.dynamodbMs)}, functions ` +
          `${seconds(result.functionsMs)}), first GET /health ${result.firstPublicMs} ms, ` +
          `first GET /people ${result.firstAuthenticatedMs} ms (then ${result.secondAuthenticatedMs} ms)` +
          `${result.seedMs === undefined ? '' : `, seeded ${seconds(result.seedMs)} after the banner`}\n`,
      );
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const summary = (name: string, pick: (figure: RunFigures) => number, format: (ms: number) => string) => {
    const all = figures.map(pick);
    process.stdout.write(`  ${name.padEnd(30)} min ${format(Math.min(...all))}, median ${format(median(all))}\n`);
  };
  process.stdout.write(
    `\n${runs} starts of \`npm start\` on ${availableParallelism()} cores, Node ${process.version}, ` +
      `load average ${loadBefore.toFixed(2)} before and ${(loadavg()[0] ?? 0).toFixed(2)} after` +
      `${values['cold-bundles'] ? ', bundle cache cleared before each start' : ''}:\n`,
  );
  summary('command to banner', (figure) => figure.bannerMs, seconds);
  summary('banner "ready in"', (figure) => figure.reportedMs, seconds);
  summary('  DynamoDB Local answered', (figure) => figure.dynamodbMs, seconds);
  summary('  API functions warm', (figure) => figure.functionsMs, seconds);
  const milliseconds = (ms: number) => `${ms} ms`;
  summary('first GET /health', (figure) => figure.firstPublicMs, milliseconds);
  summary('first GET /people', (figure) => figure.firstAuthenticatedMs, milliseconds);
  summary('second GET /people', (figure) => figure.secondAuthenticatedMs, milliseconds);
};

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});

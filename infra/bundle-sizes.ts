/**
 * `npm run bundle-sizes [-- --runs 11] [-- --sdk-external] [-- --node-options <flags>]`: bundles
 * every declared function exactly as `cdk synth` does (./bundling, no synth needed) and prints,
 * per function, its size (minified, gzip) and its module init time as a ratio to an SDK-only
 * baseline: a bundle, built the same way, that only imports and constructs the SDK clients the
 * function's declared access implies (table: DynamoDB and its document client; publishEvents:
 * EventBridge; sendEmail: SES; oneTimeSchedules: Scheduler; secrets: Secrets Manager).
 *
 * A function that reads a declared secret at init (the scheduling link key) reads it from a
 * stand-in Secrets Manager on 127.0.0.1 that this script serves, as a Lambda's init includes the
 * call to the service. That first SDK call (signing, the HTTP handler, parsing: ~45 ms of CPU) is
 * work such a function cannot avoid, so its baseline makes the same call: the ratio measures the
 * function's own code, as it does for every other function.
 *
 * Init is measured in a fresh `node` process (this Node, the Lambda runtime's major) importing
 * the bundle, with a Lambda-like environment and the deployed NODE_OPTIONS: the CPU time the
 * import takes (all of the process's threads: parse, compile, GC) and its wall-clock time. The
 * ratio uses the CPU time: on a machine shared with other work (2 cores, other engineers' test
 * runs) the wall clock mostly measures the wait for a core, and swings by 50% from run to run;
 * the CPU time is the work the import is, which is what a Lambda's share of a vCPU (a fraction
 * of one below 1,769 MB) then has to do. Functions and baselines are measured in the same rounds,
 * in rotating order, after one discarded warm-up round, so a busier moment weighs on both.
 *
 * It exits non-zero when a function exceeds 400 KB minified or 1.5x its baseline, or imports a
 * module left out of the bundle at module load (see SDK_MODULES_LOADED_ON_DEMAND). A
 * function without SDK access has no baseline (an empty module loads in ~2 ms): its init time
 * is printed, and only its size is checked.
 *
 * `--sdk-external` measures the alternative of leaving the AWS SDK to the Lambda runtime (here:
 * node_modules), `--node-options ''` the functions without `--enable-source-maps`.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { allServices } from '../services/index';
import { type FunctionAccess, functionEnvironment, functionKey } from '../shared/declaration';
import { type BuiltBundle, buildFunctionBundle, LAMBDA_NODE_OPTIONS } from './bundling';

const REPOSITORY_ROOT = join(import.meta.dirname, '..');
const MAX_BUNDLE_BYTES = 400 * 1024;
const MAX_INIT_RATIO = 1.5;

type SdkClient = 'dynamodb' | 'eventbridge' | 'ses' | 'scheduler' | 'secretsmanager';

/** The SDK clients a function's declared access implies (as `service-construct.ts` grants them). */
const sdkClientsOf = (access: FunctionAccess): SdkClient[] => [
  ...(access.table ? (['dynamodb'] as const) : []),
  ...(access.publishEvents ? (['eventbridge'] as const) : []),
  ...(access.sendEmail ? (['ses'] as const) : []),
  ...(access.oneTimeSchedules ? (['scheduler'] as const) : []),
  ...((access.secrets?.length ?? 0) > 0 ? (['secretsmanager'] as const) : []),
];

/** The source of an SDK-only baseline: the clients constructed at module scope, as handlers do. */
const baselineSource = (clients: readonly SdkClient[]): string =>
  [
    ...(clients.includes('dynamodb')
      ? [
          "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
          "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
          'export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
        ]
      : []),
    ...(clients.includes('eventbridge')
      ? [
          "import { EventBridgeClient } from '@aws-sdk/client-eventbridge';",
          'export const eventBridge = new EventBridgeClient({});',
        ]
      : []),
    ...(clients.includes('ses')
      ? ["import { SESClient } from '@aws-sdk/client-ses';", 'export const ses = new SESClient({});']
      : []),
    ...(clients.includes('scheduler')
      ? [
          "import { SchedulerClient } from '@aws-sdk/client-scheduler';",
          'export const scheduler = new SchedulerClient({});',
        ]
      : []),
    ...(clients.includes('secretsmanager')
      ? [
          "import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';",
          'export const secretsManager = new SecretsManagerClient({});',
          // A declared secret is read at init (the function cannot serve without it): its first SDK
          // call is work the function must do, so the baseline makes the same call.
          "await secretsManager.send(new GetSecretValueCommand({ SecretId: 'baseline' }));",
        ]
      : []),
    'export const handler = async () => null;',
    '',
  ].join('\n');

interface Target {
  name: string;
  bundle: BuiltBundle;
  environment: Record<string, string>;
  /** CPU time of each import, ms. */
  cpuMs: number[];
  /** Wall-clock time of each import, ms. */
  wallMs: number[];
}

interface FunctionRow {
  key: string;
  bundleBytes: number;
  gzipBytes: number;
  sdkBytes: number;
  zodBytes: number;
  ownBytes: number;
  target: Target;
  baseline: Target | undefined;
  staticallyImported: string[];
}

const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};

/** Bytes of the bundle that came from inputs matching `test` (esbuild's own attribution). */
const bytesFrom = (metafile: Metafile | undefined, test: (input: string) => boolean) =>
  Object.values(metafile?.outputs ?? {})
    .flatMap((output) => Object.entries(output.inputs))
    .filter(([input]) => test(input))
    .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);

/** Modules the bundle imports as soon as it loads (static imports), other than Node's own. */
const staticImportsOf = (metafile: Metafile | undefined) =>
  Object.values(metafile?.outputs ?? {})
    .flatMap((output) => output.imports)
    .filter((entry) => entry.external && entry.kind === 'import-statement' && !entry.path.startsWith('node:'))
    .map((entry) => entry.path);

/** What Lambda puts in every function's environment, plus the function's declared variables. */
const lambdaEnvironment = (
  name: string,
  memoryMb: number,
  declared: Record<string, string>,
  nodeOptions: string,
  taskRoot: string,
  secretsManagerEndpoint: string,
) => ({
  ...declared,
  AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManagerEndpoint,
  AWS_REGION: 'eu-west-1',
  AWS_DEFAULT_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'example',
  AWS_SESSION_TOKEN: 'example',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_LAMBDA_FUNCTION_NAME: name,
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
  LAMBDA_TASK_ROOT: taskRoot,
  NODE_OPTIONS: nodeOptions,
});

const INIT_MARKER = '__module_init=';
const MEASURE_SCRIPT = `const cpu = process.cpuUsage();
const started = performance.now();
await import(process.argv[2]);
const wallMs = performance.now() - started;
const { user, system } = process.cpuUsage(cpu);
process.stdout.write('\\n${INIT_MARKER}' + JSON.stringify({ cpuMs: (user + system) / 1000, wallMs }) + '\\n');
process.exit(0);
`;

const run = promisify(execFile);

/** Answers every GetSecretValue with one 64-character value (the length the stacks generate). */
const startSecretsManagerStandIn = async () => {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ Name: 'bundle-sizes', SecretString: 'x'.repeat(64), VersionId: 'bundle-sizes' }));
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
};

/** One cold module init in a fresh process: the import of the bundle, timed inside that process. */
const measureOnce = async (measureScript: string, target: Target): Promise<{ cpuMs: number; wallMs: number }> => {
  const { stdout } = await run(process.execPath, [measureScript, pathToFileURL(target.bundle.file).href], {
    env: target.environment,
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = stdout.split('\n').find((candidate) => candidate.startsWith(INIT_MARKER));
  if (!line) throw new Error(`${target.name}: no init time in its output:\n${stdout}`);
  return JSON.parse(line.slice(INIT_MARKER.length)) as { cpuMs: number; wallMs: number };
};

const main = async () => {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '11' },
      'sdk-external': { type: 'boolean', default: false },
      'node-options': { type: 'string', default: LAMBDA_NODE_OPTIONS },
    },
  });
  const runs = Number(values.runs);
  const nodeOptions = values['node-options'];
  const externalModules = values['sdk-external'] ? ['@aws-sdk/*', '@smithy/*'] : undefined;
  // Inside the repository, so whatever a bundle leaves out resolves from node_modules, as locally.
  const cacheRoot = join(REPOSITORY_ROOT, 'node_modules', '.cache');
  mkdirSync(cacheRoot, { recursive: true });
  const outdir = mkdtempSync(join(cacheRoot, 'bundle-sizes-'));
  const loadBefore = loadavg()[0] ?? 0;
  const secretsManager = await startSecretsManagerStandIn();

  try {
    const build = (entryPath: string, name: string) =>
      buildFunctionBundle({
        repositoryRoot: REPOSITORY_ROOT,
        entryPath,
        outdir: join(outdir, name),
        metafile: true,
        ...(externalModules ? { externalModules } : {}),
      });

    const baselines = new Map<string, Promise<BuiltBundle>>();
    const baselineOf = (clients: SdkClient[]) => {
      const name = `baseline-${clients.join('-')}`;
      let built = baselines.get(name);
      if (!built) {
        mkdirSync(join(outdir, name), { recursive: true });
        const entryPath = join(outdir, name, 'baseline.ts');
        writeFileSync(entryPath, baselineSource(clients));
        built = build(entryPath, name);
        baselines.set(name, built);
      }
      return { name, built };
    };

    const rows: FunctionRow[] = await Promise.all(
      allServices.flatMap((service) =>
        service.functions.map(async (fn): Promise<FunctionRow> => {
          const key = functionKey(service, fn);
          const declared = functionEnvironment(service, fn, {
            eventBusName: 'mentoring-platform',
            ...(service.table ? { tableName: `mentoring-${service.name}` } : {}),
            senderEmail: 'mentoring@example.com',
            sesConfigurationSet: 'mentoring',
            publicApiUrl: 'https://api.example.com',
            secretIds: Object.fromEntries(
              service.secrets.map((secret) => [secret.name, `${service.name}/${secret.name}`]),
            ),
            oneTimeSchedules: {
              groupName: `mentoring-${service.name}`,
              roleArn: 'arn:aws:iam::123456789012:role/scheduler',
              functionArn: (name) => `arn:aws:lambda:eu-west-1:123456789012:function:${service.name}-${name}`,
            },
            apiDestinations: { roleArn: 'arn:aws:iam::123456789012:role/webhooks' },
          });
          const clients = sdkClientsOf(fn.access);
          const bundle = await build(join(REPOSITORY_ROOT, fn.entry), key);
          const code = readFileSync(bundle.file);
          const environmentIn = (directory: string) =>
            lambdaEnvironment(key, fn.memoryMb, declared, nodeOptions, directory, secretsManager.endpoint);
          const baseline = clients.length > 0 ? baselineOf(clients) : undefined;
          return {
            key,
            bundleBytes: code.length,
            gzipBytes: gzipSync(code).length,
            sdkBytes: bytesFrom(bundle.metafile, (input) =>
              /node_modules\/(@aws-sdk|@smithy|@aws-crypto)\//.test(input),
            ),
            zodBytes: bytesFrom(bundle.metafile, (input) => input.includes('node_modules/zod/')),
            ownBytes: bytesFrom(bundle.metafile, (input) => !input.includes('node_modules/')),
            target: { name: key, bundle, environment: environmentIn(join(outdir, key)), cpuMs: [], wallMs: [] },
            baseline: baseline
              ? {
                  name: baseline.name,
                  bundle: await baseline.built,
                  environment: environmentIn(join(outdir, baseline.name)),
                  cpuMs: [],
                  wallMs: [],
                }
              : undefined,
            staticallyImported: externalModules ? [] : staticImportsOf(bundle.metafile),
          };
        }),
      ),
    );

    // Each baseline once per round (measured with the environment of the first function that uses it).
    const baselineTargets = new Map<string, Target>();
    for (const row of rows) {
      if (row.baseline && !baselineTargets.has(row.baseline.name)) baselineTargets.set(row.baseline.name, row.baseline);
      if (row.baseline) row.baseline = baselineTargets.get(row.baseline.name);
    }
    const targets = [...rows.map((row) => row.target), ...baselineTargets.values()];
    const measureScript = join(outdir, 'measure-init.mjs');
    writeFileSync(measureScript, MEASURE_SCRIPT);
    process.stderr.write(`Measuring module init: ${runs} rounds of ${targets.length} fresh processes...\n`);
    for (let round = -1; round < runs; round++) {
      const start = ((round % targets.length) + targets.length) % targets.length;
      const order = [...targets.slice(start), ...targets.slice(0, start)];
      for (const target of order) {
        const { cpuMs, wallMs } = await measureOnce(measureScript, target);
        // Round -1 warms the file cache and is not counted.
        if (round < 0) continue;
        target.cpuMs.push(cpuMs);
        target.wallMs.push(wallMs);
      }
    }

    printTable(rows);
    const loadAfter = loadavg()[0] ?? 0;
    process.stdout.write(
      `\nNode ${process.version}, ${availableParallelism()} cores, load average ${loadBefore.toFixed(2)} before and ` +
        `${loadAfter.toFixed(2)} after; median of ${runs} interleaved runs per bundle; NODE_OPTIONS=${nodeOptions || '(none)'}; ` +
        `AWS SDK ${externalModules ? 'left to the runtime (resolved from node_modules)' : 'bundled'}.\n`,
    );

    const failures = rows.flatMap((row) => {
      const problems: string[] = [];
      if (row.bundleBytes > MAX_BUNDLE_BYTES) problems.push(`${row.key}: ${kilobytes(row.bundleBytes)} > 400 KB`);
      const ratio = row.baseline ? median(row.target.cpuMs) / median(row.baseline.cpuMs) : undefined;
      if (ratio !== undefined && ratio > MAX_INIT_RATIO) {
        problems.push(`${row.key}: module init ${ratio.toFixed(2)}x its SDK-only baseline > ${MAX_INIT_RATIO}x`);
      }
      for (const path of row.staticallyImported) {
        problems.push(`${row.key}: imports ${path} at module load, but the bundle leaves it out`);
      }
      return problems;
    });
    if (failures.length > 0) {
      process.stdout.write(`\nOver budget:\n${failures.map((failure) => `  ${failure}`).join('\n')}\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write(
        `Every function is within ${kilobytes(MAX_BUNDLE_BYTES)} and ${MAX_INIT_RATIO}x its baseline.\n`,
      );
    }
  } finally {
    await secretsManager.close();
    rmSync(outdir, { recursive: true, force: true });
  }
};

const printTable = (rows: FunctionRow[]) => {
  const header = [
    'function',
    'minified',
    'gzip',
    'AWS SDK',
    'zod',
    'own code',
    'init CPU',
    'init wall',
    'SDK-only baseline (CPU, wall)',
    'ratio',
  ];
  const milliseconds = (values: readonly number[]) => `${median(values).toFixed(1)} ms`;
  const lines = [...rows]
    .sort((a, b) => b.bundleBytes - a.bundleBytes)
    .map((row) => [
      row.key,
      kilobytes(row.bundleBytes),
      kilobytes(row.gzipBytes),
      kilobytes(row.sdkBytes),
      kilobytes(row.zodBytes),
      kilobytes(row.ownBytes),
      milliseconds(row.target.cpuMs),
      milliseconds(row.target.wallMs),
      row.baseline
        ? `${row.baseline.name.replace('baseline-', '')} ${milliseconds(row.baseline.cpuMs)}, ${milliseconds(row.baseline.wallMs)}`
        : 'none (no SDK client)',
      row.baseline ? `${(median(row.target.cpuMs) / median(row.baseline.cpuMs)).toFixed(2)}x` : '-',
    ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]?.length ?? 0)),
  );
  const format = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 || column === 8 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  process.stdout.write(`${format(header)}\n${format(widths.map((width) => '-'.repeat(width)))}\n`);
  for (const line of lines) process.stdout.write(`${format(line)}\n`);
  process.stdout.write(
    `\n"own code" is this repository's code. init: median CPU and wall-clock time of the bundle's import in a ` +
      `fresh process; ratio: its CPU time over the baseline's, measured in the same rounds.\n`,
  );
};

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});

/**
 * `npm start [-- --reset] [-- --seed demo] [-- --port 3000] [-- --data-dir .data]`: the whole
 * platform on this machine. Prints every URL it serves once every function is warm (the first
 * request is answered at once), with how long that took; stops cleanly (DynamoDB Local's java
 * process included) on Ctrl-C or SIGTERM.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { type LocalPlatform, startLocalPlatform } from './platform';
import { seedDemo } from './seed/demo';
import { seedDemoDepartments } from './seed/demo-departments';

const usage = `Usage: npm start -- [--reset] [--seed demo] [--port <http port>] [--data-dir <folder>]

  --reset        wipe the data folder first (tables, bus, issuer key, relay checkpoints)
  --seed demo    load the demo organisation (66 people) through POST /people/imports
  --port         HTTP API port (default 3000); EventBridge 4010, Scheduler 4020, SES 8005, DynamoDB 8000
  --data-dir     data folder (default .data/ in the repository)`;

const main = async () => {
  const { values } = parseArgs({
    options: {
      reset: { type: 'boolean', default: false },
      seed: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (values.seed !== undefined && values.seed !== 'demo') {
    throw new Error(`Unknown seed "${values.seed}"; the only one is "demo".\n${usage}`);
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) {
    throw new Error(`--port must be a port number\n${usage}`);
  }

  process.stdout.write('Starting the mentoring platform locally...\n');
  const platform: LocalPlatform = await startLocalPlatform({
    reset: values.reset,
    warm: true,
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(port !== undefined ? { ports: { http: port } } : {}),
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      // A second Ctrl-C: stop waiting (the exit handler still kills DynamoDB Local).
      process.exit(130);
    }
    stopping = true;
    process.stdout.write(`\n${signal}: stopping...\n`);
    await platform.stop();
    process.stdout.write('Stopped.\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const { urls } = platform;
  const dataFolder = relative(process.cwd(), platform.dataDir) || '.';
  const portFlag = port !== undefined && port !== 3000 ? ` --port ${port}` : '';
  // The functions behind HTTP routes are warm; the others (consumers, relays, schedule targets)
  // warm in the background. A function whose init failed was named above; it is tried again at
  // its first invocation.
  const apiKeys = platform.warmedBeforeReady;
  const apiWarm = apiKeys.filter((key) => platform.functions.stateOf(key) === 'warm').length;
  const others = platform.functions.keys().length - apiKeys.length;
  const warmFunctions = `${apiWarm === apiKeys.length ? apiWarm : `${apiWarm} of ${apiKeys.length}`} API functions warm, ${others} more warming in the background`;
  // Where the time went, for a developer wondering why a start was slow (DynamoDB Local's JVM, usually).
  const seconds = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(1)} s`;
  const phases = `DynamoDB Local after ${seconds(platform.startupPhases.dynamodbMs)}, API functions after ${seconds(platform.startupPhases.functionsWarmMs)}`;
  const lines = [
    `Mentoring platform ready in ${seconds(platform.startupMs)} (${warmFunctions}; ${phases})`,
    '',
    `  HTTP API        ${urls.api}`,
    `  Health          ${urls.health}`,
    `  OpenAPI         ${urls.openApi}`,
    `  JWT issuer      ${urls.issuer}`,
    `  OIDC discovery  ${urls.openIdConfiguration}`,
    `  JWKS            ${urls.jwks}`,
    `  Get a token     TOKEN=$(npm run -s token -- --sub p-002 --groups admin,employee${portFlag})`,
    `                  curl -H "Authorization: Bearer $TOKEN" ${urls.api}/people`,
    `  Department      TOKEN=$(npm run -s token -- --client it${portFlag})   (a department's machine client)`,
    `  Developer view  ${urls.devView}`,
    `  SES inbox       ${urls.sesInbox}   (emails as JSON: ${urls.sesStore})`,
    `  EventBridge     ${urls.eventBridge}   (PutEvents, TestEventPattern, webhook rules and API destinations)`,
    `  Scheduler       ${urls.scheduler}   (one-time schedules functions create)`,
    `  DynamoDB        ${urls.dynamodb}`,
    `  Data folder     ${dataFolder}   (npm start -- --reset to wipe it)`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  if (values.seed === 'demo') {
    try {
      const token = await platform.mintToken({ sub: 'p-002', groups: ['admin', 'employee'] });
      const report = await seedDemo(urls.api, token, {
        onRetry: (message) => process.stderr.write(`Seeding: ${message}\n`),
      });
      process.stdout.write(
        report.resubmitted
          ? `The demo organisation was imported before (import ${report.importId}): nothing changed.\n`
          : `Seeded the demo organisation: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected} rejected.\n`,
      );
      for (const row of report.rows.filter((candidate) => candidate.outcome === 'rejected')) {
        process.stdout.write(`  line ${row.line}: ${(row.errors ?? []).join('; ')}\n`);
      }
      const departments = await seedDemoDepartments(urls.api, token);
      process.stdout.write(
        `Seeded the escalation departments (${departments.departmentsCreated.join(', ') || 'all there already'}), routing rules version ${departments.routingRulesVersion}.\n`,
      );
    } catch (error) {
      // The platform stays up: the developer can look at why (dev view, logs) and seed again.
      process.stderr.write(`${(error as Error).message}\n`);
    }
  }
  process.stdout.write('Press Ctrl-C to stop.\n');
};

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});

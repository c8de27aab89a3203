/**
 * Roster import benchmark: `npm run bench:import` (`-- --rows 5000,50000` to choose sizes).
 *
 * Starts the whole local platform (DynamoDB Local in a temporary folder, the functions in their
 * workers, the outbox relays and the bus), sets up the domains, then for each size submits a
 * synthetic roster (`syntheticOrg`, about 200 bytes a row) gzip-compressed to POST /people/imports
 * and follows the import until it is completed. Prints rows/s from the submission to the last
 * batch (the outbox relay publishes every Person.Registered meanwhile, on the same machine), and
 * rows/s until every consumer has caught up (the relays, the bus and the functions it invokes idle):
 * with every service running, the other services project each Person.Registered behind the import.
 *
 * `-- --services matching` runs only the services named (see ./services-option).
 *
 * Beside the wall-clock pace it prints the CPU time each import cost, per 1,000 rows: DynamoDB
 * Local's (its java process, read from /proc on Linux) and this process's (the gateway, the bus,
 * the relays and every function's worker thread). On a machine shared with other work these move
 * far less than the pace does, so they are the figures to compare runs by.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { startLocalPlatform } from '../../../local/platform';
import { domainsOf, rosterCsvOf } from './roster-of';
import { servicesNamed } from './services-option';
import { syntheticOrg } from './synthetic-org';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '5000,50000' }, services: { type: 'string' } },
});
const services = servicesNamed(values.services);
const sizes = (values.rows ?? '')
  .split(',')
  .map(Number)
  .filter((size) => size > 0);

/** CPU seconds (user + system) of the DynamoDB Local java process holding `dataDir`, where /proc exists. */
const dynamoDbCpuSeconds = (dataDir: string): number | undefined => {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let commandLine: string;
      try {
        commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (!commandLine.includes('DynamoDBLocal.jar') || !commandLine.includes(dataDir)) continue;
      // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 a second).
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return (Number(fields[11]) + Number(fields[12])) / 100;
    }
  } catch {
    // No /proc: not Linux.
  }
  return undefined;
};

const processCpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

const main = async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'import-bench-'));
  const platform = await startLocalPlatform({
    dataDir,
    services,
    logs: 'silent',
    ports: { http: 0, eventbridge: 0, ses: 0, dynamodb: 0, scheduler: 0 },
    schedules: { timers: false },
    environmentOverrides: { POWERTOOLS_LOG_LEVEL: 'WARN' },
  });
  const token = await platform.mintToken({ sub: 'bench-admin', groups: ['admin', 'employee'] });
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${platform.urls.api}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
    });
  const reports = [];
  try {
    const orgs = sizes.map((size) => ({ size, org: syntheticOrg({ seed: size, people: Math.round(size / 0.98) }) }));
    const domains = domainsOf(orgs.flatMap(({ org }) => org.people));
    const set = await api('/domains', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ domains }),
    });
    if (!set.ok) throw new Error(`PUT /domains answered ${set.status}: ${await set.text()}`);
    for (const { size, org } of orgs) {
      const csv = rosterCsvOf(org.people, `i${size}-`);
      const rows = csv.trim().split('\n').length - 1;
      const gzip = gzipSync(Buffer.from(csv));
      const cpuBefore = { dynamodb: dynamoDbCpuSeconds(dataDir), node: processCpuSeconds() };
      const loadBefore = loadavg()[0] ?? 0;
      const started = performance.now();
      const submitted = await api('/people/imports', {
        method: 'POST',
        headers: { 'content-type': 'application/gzip' },
        body: gzip,
      });
      if (submitted.status !== 202)
        throw new Error(`POST /people/imports answered ${submitted.status}: ${await submitted.text()}`);
      const acceptedMs = performance.now() - started;
      const location = submitted.headers.get('location') ?? '';
      let job: { status: string; progress: { applied: number }; counts: Record<string, number> } = {
        status: 'queued',
        progress: { applied: 0 },
        counts: {},
      };
      let lastShown = 0;
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        job = (await (await api(location)).json()) as typeof job;
        const seconds = (performance.now() - started) / 1000;
        if (seconds - lastShown >= 30) {
          lastShown = seconds;
          process.stderr.write(`  ${rows} rows: ${job.progress.applied} applied after ${seconds.toFixed(0)} s\n`);
        }
        if (job.status === 'completed') break;
      }
      const seconds = (performance.now() - started) / 1000;
      // The other services project every Person.Registered behind the import: a user sees the
      // whole platform up to date only once the relays, the bus and every consumer are idle.
      await platform.whenIdle();
      const settledSeconds = (performance.now() - started) / 1000;
      const dynamodbCpu = dynamoDbCpuSeconds(dataDir);
      const perThousand = (cpu: number) => +((cpu * 1000) / rows).toFixed(1);
      reports.push({
        rows,
        csvMiB: +(csv.length / 2 ** 20).toFixed(2),
        gzipMiB: +(gzip.length / 2 ** 20).toFixed(2),
        acceptedMs: Math.round(acceptedMs),
        seconds: +seconds.toFixed(1),
        rowsPerSecond: Math.round(rows / seconds),
        settledSeconds: +settledSeconds.toFixed(1),
        settledRowsPerSecond: Math.round(rows / settledSeconds),
        cpuSecondsPer1000Rows: {
          dynamodbLocal:
            dynamodbCpu !== undefined && cpuBefore.dynamodb !== undefined
              ? perThousand(dynamodbCpu - cpuBefore.dynamodb)
              : null,
          node: perThousand(processCpuSeconds() - cpuBefore.node),
        },
        loadAverage: [+loadBefore.toFixed(2), +(loadavg()[0] ?? 0).toFixed(2)],
        counts: job.counts,
      });
    }
  } finally {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.stdout.write(
    `${JSON.stringify({ bench: 'import', services: services.map((service) => service.name), reports })}\n`,
  );
  for (const report of reports) {
    process.stdout.write(
      `${report.rows} rows (${report.csvMiB} MiB CSV, ${report.gzipMiB} MiB gzip): accepted in ${report.acceptedMs} ms, applied in ${report.seconds} s = ${report.rowsPerSecond} rows/s; every consumer caught up after ${report.settledSeconds} s = ${report.settledRowsPerSecond} rows/s; CPU s per 1,000 rows: DynamoDB Local ${report.cpuSecondsPer1000Rows.dynamodbLocal ?? '?'}, Node ${report.cpuSecondsPer1000Rows.node}; load average ${report.loadAverage.join(' -> ')}; ${JSON.stringify(report.counts)}\n`,
    );
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

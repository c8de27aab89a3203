/**
 * A matching run of a whole organisation end to end on the local runtime:
 * `npm run bench:matching -- --http` (`--people 50000` by default).
 *
 * Starts the local platform (DynamoDB Local in a temporary folder, the functions in their workers
 * with their declared memory, the relays and the bus), writes a synthetic organisation
 * (`syntheticOrg`) straight into the directory (a bench shortcut: `npm run bench:import` measures
 * imports), then asks for a run committed at once through the HTTP API, as the life coach would:
 * POST /matching/runs (202), the runner computes and commits it, GET /matching/runs/{id} follows
 * it. Prints the time to the computed result, to the committed pairings, the result's size in
 * pages, the time to read one page, and the runner's peak heap. `--services matching` runs only
 * the services named (see ./services-option).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalPlatform } from '../../../local/platform';
import { batchPut } from '../../../shared/dynamo/batch';
import { directoryIndexKey, personKey } from '../adapters/keys';
import { domainsOf } from './roster-of';
import { servicesNamed } from './services-option';
import { syntheticOrg } from './synthetic-org';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--http'),
  options: {
    people: { type: 'string', default: '50000' },
    seed: { type: 'string', default: '3' },
    services: { type: 'string' },
  },
});

interface RunView {
  status: string;
  counts?: Record<string, number>;
  summary?: { proven: boolean; objective: { matched: number } };
  steps?: { total: number; applied?: number };
  abortedReason?: string;
  failedReason?: string;
  links: { pods: string; unmatched: string };
}

const run = async () => {
  const people = Number(values.people);
  const dataDir = mkdtempSync(join(tmpdir(), 'http-run-bench-'));
  const started = performance.now();
  const platform = await startLocalPlatform({
    dataDir,
    services: servicesNamed(values.services),
    logs: 'silent',
    ports: { http: 0, eventbridge: 0, ses: 0, dynamodb: 0, scheduler: 0 },
    schedules: { timers: false },
    environmentOverrides: { POWERTOOLS_LOG_LEVEL: 'WARN' },
  });
  const seconds = (from: number) => +((performance.now() - from) / 1000).toFixed(1);
  try {
    const token = await platform.mintToken({ sub: 'bench-coach', groups: ['life-coach', 'admin', 'employee'] });
    const api = async (path: string, init: RequestInit = {}) =>
      fetch(`${platform.urls.api}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers as object) },
      });
    const org = syntheticOrg({ seed: Number(values.seed), people });
    const domains = await api('/domains', { method: 'PUT', body: JSON.stringify({ domains: domainsOf(org.people) }) });
    if (!domains.ok) throw new Error(`PUT /domains answered ${domains.status}`);
    const seeding = performance.now();
    const db = DynamoDBDocumentClient.from(platform.dynamodb, { marshallOptions: { removeUndefinedValues: true } });
    await batchPut(
      db,
      platform.tables.matching as string,
      org.people.map((person) => ({
        ...personKey(person.personId),
        ...directoryIndexKey(person.status, person.domain, person.personId),
        ...person,
      })),
    );
    const seededIn = seconds(seeding);
    process.stderr.write(`${org.people.length} people written in ${seededIn} s; asking for a run...\n`);

    const asked = performance.now();
    const response = await api('/matching/runs', { method: 'POST', body: JSON.stringify({ mode: 'commit' }) });
    if (response.status !== 202)
      throw new Error(`POST /matching/runs answered ${response.status}: ${await response.text()}`);
    const acceptedMs = Math.round(performance.now() - asked);
    const location = response.headers.get('location') ?? '';
    let view: RunView = (await response.json()) as RunView;
    let computedIn: number | undefined;
    let shown = 0;
    while (!['committed', 'aborted', 'failed'].includes(view.status)) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      view = (await (await api(location)).json()) as RunView;
      if (computedIn === undefined && view.counts) computedIn = seconds(asked);
      const elapsed = seconds(asked);
      if (elapsed - shown >= 30) {
        shown = elapsed;
        process.stderr.write(
          `  ${view.status} after ${elapsed} s${view.steps ? ` (${view.steps.applied ?? 0}/${view.steps.total} steps)` : ''}\n`,
        );
      }
      if (elapsed > 3600) throw new Error(`The run is still ${view.status} after an hour`);
    }
    const committedIn = seconds(asked);
    if (view.status !== 'committed')
      throw new Error(`The run ended ${view.status}: ${view.abortedReason ?? view.failedReason}`);
    const reading = performance.now();
    const page = (await (await api(`${view.links.pods}?limit=100`)).json()) as { items: unknown[]; total: number };
    const pageMs = Math.round(performance.now() - reading);
    const runner = platform.functions
      .recentInvocations()
      .filter((invocation) => invocation.functionKey === 'matching-matching-runner');
    const report = {
      people: org.people.length,
      seededInSeconds: seededIn,
      acceptedMs,
      computedInSeconds: computedIn,
      committedInSeconds: committedIn,
      runnerInvocations: runner.length,
      runnerErrors: runner.filter((invocation) => !invocation.ok).map((invocation) => invocation.errorType),
      counts: view.counts,
      proven: view.summary?.proven,
      pods: page.total,
      commitSteps: view.steps?.total,
      podsPageMs: pageMs,
      podsPageKiB: Math.round(JSON.stringify(page).length / 1024),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      totalSeconds: seconds(started),
    };
    process.stdout.write(`${JSON.stringify({ bench: 'matching-http', report })}\n`);
    process.stdout.write(
      `${report.people} people: run accepted in ${acceptedMs} ms, computed (dry run stored) after ${computedIn} s, committed after ${committedIn} s (${report.commitSteps} steps, ${report.pods} pods, ${report.counts?.matched} matched, proven: ${report.proven}); a page of 100 pods read in ${pageMs} ms (${report.podsPageKiB} KiB); peak RSS of the whole local platform process ${report.peakRssMb} MB.\n`,
    );
  } finally {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

await run();

/**
 * Roster imports on DynamoDB Local: batches applied at their checkpoint, all of each or nothing;
 * a worker that dies half-way is resumed exactly where it stopped; two workers at once apply
 * every row once; an address someone else has refuses that row only.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEntriesOf } from '../../../shared/events/outbox';
import { fixedClock, sequentialIds } from '../../../shared/ports';
import { testDomains } from '../../../test/builders/people';
import { createTestTable, type TestTable } from '../../../test/support/dynamodb';
import { putPerson } from '../domain/people/directory';
import { processImport, restartStalledImports, submitImport } from '../domain/people/roster-import';
import { createDynamoImportRepository } from './import-repository';
import { createDynamoPeopleRepository } from './people-repository';
import { createInMemoryProgrammeSettings } from './programme-settings-repository';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => {
  await table?.drop();
});

const context = { correlationId: 'corr-import' };

const setup = (db = table.documentClient) => {
  const clock = fixedClock('2026-11-24T10:00:00Z');
  const options = {
    db,
    tableName: table.tableName,
    service: 'matching',
    clock,
    newId: sequentialIds(`evt-${Math.random()}`),
  };
  return {
    clock,
    deps: {
      people: createDynamoPeopleRepository(options),
      programme: createInMemoryProgrammeSettings({ domains: testDomains }),
      imports: createDynamoImportRepository(options),
      clock,
    },
  };
};

const roster = (prefix: string, count: number) =>
  [
    'personId,name,email,timezone,domain,level',
    ...Array.from(
      { length: count },
      (_, n) => `${prefix}-${n},Person ${n},${prefix}-${n}@example.com,Europe/Oslo,backend,3`,
    ),
  ].join('\n');

/** Every outbox item of the table (a test-only Scan). */
const outboxItems = async () => {
  const items = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.documentClient.send(
      new ScanCommand({
        TableName: table.tableName,
        FilterExpression: 'begins_with(pk, :outbox)',
        ExpressionAttributeValues: { ':outbox': 'OUTBOX#' },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

/** The events of these people, from the outbox. */
const eventsOf = async (prefix: string) =>
  (await outboxItems())
    .flatMap((item) => outboxEntriesOf(item))
    .map((entry) => JSON.parse(entry.detail) as { data: { person?: { personId: string } } })
    .filter((detail) => detail.data.person?.personId.startsWith(`${prefix}-`));

describe('roster imports on DynamoDB', () => {
  it('resumes a worker that died half-way exactly where it stopped: every row once, every event once', async () => {
    const { deps } = setup();
    // New people take 3 items each (their events share the batch's outbox item): 32 rows a batch.
    const rows = 32 * 3 + 2;
    const { job } = await submitImport(deps, roster('crash', rows), 'admin-1', context);
    // The worker dies while sending its third batch (the transaction never reaches the table).
    let batches = 0;
    const dying = {
      send: async (command: { input?: { TransactItems?: { Put?: { Item?: { sk?: string } } }[] } }) => {
        const isBatch = command.input?.TransactItems?.some((item) => String(item.Put?.Item?.sk).startsWith('ROWS#'));
        if (isBatch && ++batches === 3) throw new Error('Runtime exited with error: signal: killed');
        return table.documentClient.send(command as never);
      },
    } as unknown as typeof table.documentClient;
    await expect(processImport(setup(dying).deps, job.importId, context)).rejects.toThrow(/killed/);
    expect(await deps.imports.get(job.importId)).toMatchObject({ status: 'running', nextRow: 32 * 2 });

    // Nobody moves it on: the sweeper sets it going again, and the next worker finishes it.
    expect(
      await restartStalledImports(
        { imports: deps.imports, clock: () => new Date('2026-11-24T11:00:00Z') },
        600_000,
        context,
      ),
    ).toEqual([job.importId]);
    const done = await processImport(deps, job.importId, context);
    expect(done).toMatchObject({ status: 'completed', nextRow: rows, counts: { created: rows, rejected: 0 } });
    expect(await eventsOf('crash')).toHaveLength(rows);
    const report = await deps.imports.rows(job.importId, { offset: 0, limit: 1000 });
    expect(report.total).toBe(rows);
    expect(report.items.map((row) => row.line)).toEqual(Array.from({ length: rows }, (_, n) => n + 2));
  });

  it('applies every row once when two workers run the same import at once', async () => {
    const { deps } = setup();
    const rows = 32 * 2 + 5;
    const { job } = await submitImport(deps, roster('twice', rows), 'admin-1', context);
    const [first, second] = await Promise.all([
      processImport(deps, job.importId, context),
      processImport(setup().deps, job.importId, context),
    ]);
    expect([first?.status, second?.status]).toEqual(['completed', 'completed']);
    expect((await deps.imports.get(job.importId))?.counts).toMatchObject({ created: rows, unchanged: 0 });
    expect(await eventsOf('twice')).toHaveLength(rows);
  });

  it('splits a batch whose events pass one outbox item into several, within the transaction limit', async () => {
    const { deps } = setup();
    // Every tag a row may carry (50 skills, goals and languages, 64 characters each): about 10 KB an event,
    // so a batch's events need two outbox items and the batch holds a row less to make room.
    const tags = (kind: string) => Array.from({ length: 50 }, (_, k) => `${kind}${k}-${'x'.repeat(58)}`).join(';');
    const rows = 70;
    const csv = [
      'personId,name,email,timezone,domain,level,skills,growthGoals,languages',
      ...Array.from(
        { length: rows },
        (_, n) =>
          `big-${n},Person ${n},big-${n}@example.com,Europe/Oslo,backend,3,${tags('s')},${tags('g')},${tags('l')}`,
      ),
    ].join('\n');
    const { job } = await submitImport(deps, csv, 'admin-1', context);
    const done = await processImport(deps, job.importId, context);
    expect(done).toMatchObject({ status: 'completed', counts: { created: rows, rejected: 0 } });
    const events = await eventsOf('big');
    expect(events).toHaveLength(rows);
    expect(new Set(events.map((event) => event.data.person?.personId)).size).toBe(rows);
    expect((await deps.people.get('big-69'))?.skills).toHaveLength(50);
    // More outbox items than batches: the batches' events did not fit in one each.
    const report = await deps.imports.rows(job.importId, { offset: 0, limit: rows });
    expect(report.items).toHaveLength(rows);
    const holding = (await outboxItems()).filter((item) =>
      outboxEntriesOf(item).some((entry) => entry.detail.includes('"personId":"big-')),
    );
    expect(holding.length).toBeGreaterThan(Math.ceil(rows / 32));
  });

  it('refuses only the row whose address someone outside the file already has', async () => {
    const { deps } = setup();
    await putPerson(
      deps,
      'owner',
      { name: 'Owen', email: 'clash-3@example.com', timezone: 'Europe/Oslo', domain: 'backend', level: 4 },
      {},
      context,
    );
    const { job } = await submitImport(deps, roster('clash', 6), 'admin-1', context);
    const done = await processImport(deps, job.importId, context);
    expect(done?.counts).toMatchObject({ created: 5, rejected: 1 });
    expect(done?.rejectedSample).toEqual([
      {
        line: 5,
        personId: 'clash-3',
        outcome: 'rejected',
        errors: ['email: clash-3@example.com is already the email address of owner.'],
      },
    ]);
    expect(await deps.people.get('clash-3')).toBeUndefined();
    expect(await deps.people.get('clash-4')).toMatchObject({ status: 'active' });
  });
});

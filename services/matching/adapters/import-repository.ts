import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchPut } from '../../../shared/dynamo/batch';
import { outboxContextOf, outboxPut, outboxPuts } from '../../../shared/dynamo/outbox';
import { queryAll } from '../../../shared/dynamo/pages';
import { type RepositoryOptions, recordOf } from '../../../shared/dynamo/table';
import {
  MAX_TRANSACTION_ITEMS,
  retryTransactionConflicts,
  type TransactItem,
  TransactionCancelledError,
  transactWrite,
} from '../../../shared/dynamo/transactions';
import type { ImportRowResult } from '../domain/people/directory';
import { ConcurrentModificationError, DuplicateEmailError } from '../domain/people/errors';
import { type ImportJob, type ImportJobRepository, ROWS_PER_BATCH } from '../domain/people/roster-import';
import {
  emailKey,
  IMPORTS_OPEN_PARTITION,
  importFileKey,
  importFilePrefix,
  importJobKey,
  importRowsKey,
  importsOpenIndexKey,
} from './keys';
import { personWriteItems } from './people-repository';

/** Import jobs and their files and reports are kept this long, for audit. */
const IMPORT_RETENTION_SECONDS = 400 * 24 * 3600;
/** Below DynamoDB's 400 KB item limit. */
const CHUNK_BYTES = 350 * 1024;

type StoredRow = ImportRowResult & { index: number };

/**
 * Import jobs: the job item (its checkpoint `nextRow`, counts, status), the file (gzip, in chunks),
 * and one report item per applied batch. A batch's person writes, their events, its report and the
 * checkpoint are one transaction, conditioned on the checkpoint still being where the batch starts.
 */
export const createDynamoImportRepository = (options: RepositoryOptions): ImportJobRepository => {
  const { db, tableName } = options;
  const expiresAt = () => Math.floor(options.clock().getTime() / 1000) + IMPORT_RETENTION_SECONDS;
  const jobItem = (job: ImportJob) => ({
    ...importJobKey(job.importId),
    ...(job.status === 'completed' ? {} : importsOpenIndexKey(job.updatedAt, job.importId)),
    ...job,
    expiresAt: expiresAt(),
  });
  const get = async (importId: string): Promise<ImportJob | undefined> => {
    const found = await db.send(
      new GetCommand({ TableName: tableName, Key: importJobKey(importId), ConsistentRead: true }),
    );
    if (!found.Item) return undefined;
    const { gsi1pk: _pk, gsi1sk: _sk, ...job } = recordOf<ImportJob & { gsi1pk?: string; gsi1sk?: string }>(found.Item);
    return job;
  };
  const ownerOf = async (email: string) =>
    String(
      (await db.send(new GetCommand({ TableName: tableName, Key: emailKey(email), ConsistentRead: true }))).Item
        ?.personId ?? 'someone else',
    );

  return {
    async submit(job, text, events, context) {
      const blob = gzipSync(Buffer.from(text, 'utf8'));
      const chunks = [];
      for (let offset = 0, index = 0; offset < blob.length || index === 0; offset += CHUNK_BYTES, index++) {
        chunks.push({
          ...importFileKey(job.importId, index),
          data: blob.subarray(offset, offset + CHUNK_BYTES),
          expiresAt: expiresAt(),
        });
      }
      // The file is written first (the same bytes again for the same file): the job points at it.
      await batchPut(db, tableName, chunks);
      try {
        await transactWrite(db, [
          { Put: { TableName: tableName, Item: jobItem(job), ConditionExpression: 'attribute_not_exists(pk)' } },
          ...events.map((event) => outboxPut(event, outboxContextOf(options, context.correlationId))),
        ]);
        return 'created';
      } catch (error) {
        if (error instanceof TransactionCancelledError && error.conditionFailedAt(0)) return 'exists';
        throw error;
      }
    },

    get,

    async file(importId) {
      const chunks = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': importJobKey(importId).pk, ':prefix': importFilePrefix },
        ConsistentRead: true,
      });
      return gunzipSync(Buffer.concat(chunks.map((item) => Buffer.from(item.data as Uint8Array)))).toString('utf8');
    },

    async applyBatch(batch, context) {
      const { job, from, writes, report, events } = batch;
      const items: TransactItem[] = [];
      /** Which write each item belongs to, and what it guards (to explain a cancellation). */
      const owners: { write: number; role: string }[] = [];
      for (const [index, write] of writes.entries()) {
        const built = personWriteItems(tableName, write);
        items.push(...built.items);
        owners.push(...built.roles.map((role) => ({ write: index, role })));
      }
      const outbox = outboxContextOf(options, context.correlationId);
      // The batch's events in as few outbox items as fit (usually one), published in their order.
      items.push(...outboxPuts(events, outbox));
      const rows: StoredRow[] = report.map((row, offset) => ({ ...row, index: from + offset }));
      items.push({
        Put: {
          TableName: tableName,
          Item: { ...importRowsKey(job.importId, from), from, rows: JSON.stringify(rows), expiresAt: expiresAt() },
        },
      });
      const checkpoint = items.length;
      items.push({
        Put: {
          TableName: tableName,
          Item: jobItem(job),
          ConditionExpression: 'nextRow = :from',
          ExpressionAttributeValues: { ':from': from },
        },
      });
      if (items.length > MAX_TRANSACTION_ITEMS) throw new Error(`An import batch holds ${items.length} items`);
      try {
        await retryTransactionConflicts(() => transactWrite(db, items));
        return 'applied';
      } catch (error) {
        if (!(error instanceof TransactionCancelledError)) throw error;
        if (error.conditionFailedAt(checkpoint)) return 'moved-on';
        const failed = owners.findIndex((_, index) => error.conditionFailedAt(index));
        const owner = owners[failed];
        const write = owner ? writes[owner.write] : undefined;
        if (!owner || !write) throw error;
        if (owner.role === 'email-claim') {
          throw new DuplicateEmailError(write.person.email, await ownerOf(write.person.email));
        }
        throw new ConcurrentModificationError(write.person.personId);
      }
    },

    async rows(importId, { offset, limit }) {
      const job = await get(importId);
      const total = job ? (job.status === 'completed' ? job.rows : job.nextRow) : 0;
      if (!job || offset >= total) return { items: [], total };
      const result = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': importJobKey(importId).pk,
            ':from': importRowsKey(importId, Math.max(0, offset - ROWS_PER_BATCH + 1)).sk,
            ':to': importRowsKey(importId, offset + limit).sk,
          },
          ConsistentRead: true,
        }),
      );
      const items = (result.Items ?? [])
        .flatMap((item) => JSON.parse(String(item.rows)) as StoredRow[])
        .filter((row) => row.index >= offset && row.index < offset + limit)
        .sort((a, b) => a.index - b.index)
        .map(({ index: _index, ...row }) => row);
      return { items, total };
    },

    async stalled(before) {
      const items = await queryAll(db, {
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :partition AND gsi1sk < :before',
        ExpressionAttributeValues: { ':partition': IMPORTS_OPEN_PARTITION, ':before': before },
      });
      return items.map((item) => recordOf<ImportJob>(item));
    },

    async restart(job, events, context) {
      const now = options.clock().toISOString();
      try {
        await transactWrite(db, [
          {
            Update: {
              TableName: tableName,
              Key: importJobKey(job.importId),
              UpdateExpression: 'SET updatedAt = :now, gsi1sk = :sk',
              // Only if nothing moved meanwhile (a worker that is alive after all).
              ConditionExpression: 'nextRow = :at AND #status <> :completed',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':now': now,
                ':sk': importsOpenIndexKey(now, job.importId).gsi1sk,
                ':at': job.nextRow,
                ':completed': 'completed',
              },
            },
          },
          ...events.map((event) => outboxPut(event, outboxContextOf(options, context.correlationId))),
        ]);
      } catch (error) {
        if (!(error instanceof TransactionCancelledError && error.conditionFailedAt(0))) throw error;
      }
    },
  };
};

import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchPut } from '../../../shared/dynamo/batch';
import { outboxContextOf, outboxPut } from '../../../shared/dynamo/outbox';
import { queryAll } from '../../../shared/dynamo/pages';
import { type RepositoryOptions, recordOf } from '../../../shared/dynamo/table';
import {
  retryTransactionConflicts,
  type TransactItem,
  TransactionCancelledError,
  transactWrite,
} from '../../../shared/dynamo/transactions';
import { CommitInProgressError, InputsChangedError } from '../domain/pods/errors';
import type { CommitStep, MatchingRun } from '../domain/pods/model';
import type { RunRepository } from '../domain/pods/ports';
import { matchingStateKey, runChunkKey, runChunkPrefix, runKey, runStepKey, runStepPrefix } from './keys';
import { readMatchingState } from './pairing-repository';

/** Runs (dry or committed) are kept this long, for review and audit. */
const RUN_RETENTION_SECONDS = 400 * 24 * 3600;
/** Below DynamoDB's 400 KB item limit, with room for the keys. */
const CHUNK_BYTES = 350 * 1024;

type RunHeader = Omit<MatchingRun, 'result' | 'inputVersions'>;
const headerOf = ({ result: _result, inputVersions: _versions, ...header }: MatchingRun): RunHeader => header;
const names = { '#status': 'status' };

/**
 * A run is stored as a header, its result (gzip JSON, in chunks: a large organisation's result
 * exceeds one item) and one item per commit step (marked when applied). Chunks and steps are
 * written first; the header, written last with the run's events in one transaction, is what
 * makes the run exist.
 */
export const createDynamoRunRepository = (options: RepositoryOptions): RunRepository => {
  const { db, tableName } = options;
  const outboxContext = (correlationId: string) => outboxContextOf(options, correlationId);
  /** Frees the commit slot this run holds; pairings moved, so the generation moves on. */
  const freeSlot = (runId: string): TransactItem => ({
    Update: {
      TableName: tableName,
      Key: matchingStateKey(),
      UpdateExpression: 'REMOVE committingRunId, commitStartedAt ADD generation :one',
      ConditionExpression: 'committingRunId = :run',
      ExpressionAttributeValues: { ':run': runId, ':one': 1 },
    },
  });
  const header = async (runId: string) =>
    (await db.send(new GetCommand({ TableName: tableName, Key: runKey(runId), ConsistentRead: true }))).Item;

  return {
    async save(run, steps, events, context) {
      const expiresAt = Math.floor(options.clock().getTime() / 1000) + RUN_RETENTION_SECONDS;
      const blob = gzipSync(JSON.stringify({ result: run.result, inputVersions: run.inputVersions }));
      const chunks = [];
      for (let offset = 0, index = 0; offset < blob.length || index === 0; offset += CHUNK_BYTES, index++) {
        chunks.push({ ...runChunkKey(run.runId, index), data: blob.subarray(offset, offset + CHUNK_BYTES), expiresAt });
      }
      await batchPut(db, tableName, [
        ...chunks,
        ...steps.map((step) => ({ ...runStepKey(run.runId, step.index), step: JSON.stringify(step), expiresAt })),
      ]);
      await transactWrite(db, [
        {
          Put: {
            TableName: tableName,
            Item: { ...runKey(run.runId), ...headerOf(run), chunks: chunks.length, expiresAt },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...events.map((event) => outboxPut(event, outboxContext(context.correlationId))),
      ]);
    },

    async get(runId) {
      const items = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': runKey(runId).pk, ':from': runChunkPrefix, ':to': 'RUN' },
        ConsistentRead: true,
      });
      const head = items.find((item) => item.sk === 'RUN');
      if (!head) return undefined;
      const blob = Buffer.concat(
        items
          .filter((item) => String(item.sk).startsWith(runChunkPrefix))
          .map((item) => Buffer.from(item.data as Uint8Array)),
      );
      const { chunks: _chunks, ...fields } = recordOf<RunHeader & { chunks: number }>(head);
      const { result, inputVersions } = JSON.parse(gunzipSync(blob).toString('utf8')) as Pick<
        MatchingRun,
        'result' | 'inputVersions'
      >;
      return { ...fields, result, inputVersions };
    },

    async steps(runId) {
      const items = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': runKey(runId).pk, ':prefix': runStepPrefix },
        ConsistentRead: true,
      });
      return items.map((item) => ({
        step: JSON.parse(String(item.step)) as CommitStep,
        applied: item.appliedAt !== undefined,
      }));
    },

    async claimCommit(runId, basedOnGeneration, at) {
      try {
        await retryTransactionConflicts(() =>
          transactWrite(db, [
            {
              Update: {
                TableName: tableName,
                Key: matchingStateKey(),
                UpdateExpression: 'SET committingRunId = :run, commitStartedAt = :at ADD generation :one',
                ConditionExpression: `${
                  basedOnGeneration === 0 ? 'attribute_not_exists(generation)' : 'generation = :generation'
                } AND attribute_not_exists(committingRunId)`,
                ExpressionAttributeValues: {
                  ':run': runId,
                  ':at': at,
                  ':one': 1,
                  ...(basedOnGeneration === 0 ? {} : { ':generation': basedOnGeneration }),
                },
              },
            },
            {
              Update: {
                TableName: tableName,
                Key: runKey(runId),
                UpdateExpression: 'SET #status = :committing, commitStartedAt = :at',
                ConditionExpression: '#status = :dryRun',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: { ':committing': 'committing', ':dryRun': 'dry-run', ':at': at },
              },
            },
          ]),
        );
      } catch (error) {
        if (!(error instanceof TransactionCancelledError && error.onlyConditionsFailed)) throw error;
        const state = await readMatchingState(db, tableName);
        if (state.committingRunId) throw new CommitInProgressError(state.committingRunId);
        throw new InputsChangedError(`Pairings changed since dry run ${runId}. Start a new dry run and review it.`);
      }
    },

    async finishCommit(runId, committedAt, events, context) {
      try {
        await retryTransactionConflicts(() =>
          transactWrite(db, [
            {
              Update: {
                TableName: tableName,
                Key: runKey(runId),
                UpdateExpression: 'SET #status = :committed, committedAt = :at',
                ConditionExpression: '#status = :committing',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: {
                  ':committed': 'committed',
                  ':committing': 'committing',
                  ':at': committedAt,
                },
              },
            },
            freeSlot(runId),
            ...events.map((event) => outboxPut(event, outboxContext(context.correlationId))),
          ]),
        );
      } catch (error) {
        // Two callers finishing the same commit at once: the other one did it (and recorded the events).
        const committed = (await header(runId))?.status === 'committed';
        if (!(committed && error instanceof TransactionCancelledError)) throw error;
      }
    },

    async abortCommit(runId, reason, at) {
      await retryTransactionConflicts(() =>
        transactWrite(db, [
          {
            Update: {
              TableName: tableName,
              Key: runKey(runId),
              UpdateExpression: 'SET #status = :aborted, abortedReason = :reason, abortedAt = :at',
              ConditionExpression: '#status = :committing',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: {
                ':aborted': 'aborted',
                ':committing': 'committing',
                ':reason': reason,
                ':at': at,
              },
            },
          },
          freeSlot(runId),
        ]),
      );
    },
  };
};

import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet, batchPut } from '../../../shared/dynamo/batch';
import { outboxContextOf, outboxPut } from '../../../shared/dynamo/outbox';
import { indexPage, queryAll } from '../../../shared/dynamo/pages';
import { type RepositoryOptions, recordOf } from '../../../shared/dynamo/table';
import {
  retryTransactionConflicts,
  type TransactItem,
  TransactionCancelledError,
  transactWrite,
} from '../../../shared/dynamo/transactions';
import type { Pod } from '../domain/engine/index';
import { CommitInProgressError, InputsChangedError, RunNotCommittableError } from '../domain/pods/errors';
import type { CommitStep, LeftOut, MatchingRun, RunRequestRecord, StoredRun } from '../domain/pods/model';
import type { RunRepository } from '../domain/pods/ports';
import {
  matchingStateKey,
  RUNS_PARTITION,
  runChunkKey,
  runChunkPrefix,
  runKey,
  runPageKey,
  runStepKey,
  runStepPrefix,
  runsIndexKey,
} from './keys';
import { readMatchingState } from './pairing-repository';

/** Runs (dry or committed) are kept this long, for review and audit. */
const RUN_RETENTION_SECONDS = 400 * 24 * 3600;
/** Below DynamoDB's 400 KB item limit, with room for the keys. */
const CHUNK_BYTES = 350 * 1024;
/** Result pods per stored page, and left-out people per page (both well under an item's 400 KB, gzip'd). */
export const PODS_PER_PAGE = 100;
export const LEFT_OUT_PER_PAGE = 500;

const names = { '#status': 'status' };

/** The engine's result as the pages the API reads: pods by domain then mentor; who was left out, by domain then id. */
export const resultPages = (run: MatchingRun): { pods: Pod[]; leftOut: LeftOut[] } => {
  const result = run.result;
  if (!result) throw new Error(`Run ${run.runId} has no result to store`);
  const pods = [...result.pods].sort(
    (a, b) => a.domain.localeCompare(b.domain) || a.mentorId.localeCompare(b.mentorId),
  );
  const leftOut: LeftOut[] = [
    ...result.unmatched.map((item) => ({ kind: 'unmatched' as const, ...item })),
    ...result.noMentorPossible.map((item) => ({ kind: 'no-mentor-possible' as const, ...item })),
    ...result.mentorShortfalls.map((item) => ({ kind: 'mentor-shortfall' as const, ...item })),
  ].sort((a, b) => {
    const idOf = (item: LeftOut) => ('menteeId' in item ? item.menteeId : item.mentorId);
    return a.domain.localeCompare(b.domain) || idOf(a).localeCompare(idOf(b));
  });
  return { pods, leftOut };
};

type Header = Omit<MatchingRun, 'result' | 'inputVersions'> & { podCount: number; leftOutCount: number };

/**
 * A run is stored as a header (from the moment it is requested), its result as pages of pods and
 * of people left out (gzip JSON; a large organisation's result is megabytes), the directory
 * versions it read (gzip, in chunks) and one item per commit step (marked when applied). Pages,
 * chunks and steps are written first; the header's move from `queued` to `dry-run`, with the
 * run's events in one transaction, is what makes the result exist.
 */
export const createDynamoRunRepository = (options: RepositoryOptions): RunRepository => {
  const { db, tableName } = options;
  const outboxContext = (correlationId: string) => outboxContextOf(options, correlationId);
  const expiresAt = () => Math.floor(options.clock().getTime() / 1000) + RUN_RETENTION_SECONDS;
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
  const stored = (item: Record<string, unknown>): StoredRun => {
    const {
      chunks: _chunks,
      podCount: _pods,
      leftOutCount: _leftOut,
      ...fields
    } = recordOf<Header & { chunks?: number }>(item);
    return fields as StoredRun;
  };
  const pageOf = async <T>(runId: string, kind: 'PODS' | 'LEFTOUT', perPage: number, offset: number, limit: number) => {
    const head = await header(runId);
    const total = Number(head?.[kind === 'PODS' ? 'podCount' : 'leftOutCount'] ?? 0);
    const first = Math.floor(offset / perPage);
    const last = Math.floor((Math.min(offset + limit, total) - 1) / perPage);
    if (!head || offset >= total || last < first) return { items: [] as T[], total };
    const keys = [];
    for (let index = first; index <= last; index++) keys.push(runPageKey(runId, kind, index));
    const found = await batchGet(db, tableName, keys, true);
    const pages = new Map(found.map((item) => [String(item.sk), item]));
    const items: T[] = [];
    for (const key of keys) {
      const page = pages.get(key.sk);
      if (!page) throw new Error(`Run ${runId}: page ${key.sk} is missing`);
      items.push(...(JSON.parse(gunzipSync(Buffer.from(page.data as Uint8Array)).toString('utf8')) as T[]));
    }
    const skip = offset - first * perPage;
    return { items: items.slice(skip, skip + limit), total };
  };

  return {
    async enqueue(run: RunRequestRecord, events, context) {
      await transactWrite(db, [
        {
          Put: {
            TableName: tableName,
            Item: { ...runKey(run.runId), ...runsIndexKey(run.createdAt, run.runId), ...run, expiresAt: expiresAt() },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...events.map((event) => outboxPut(event, outboxContext(context.correlationId))),
      ]);
    },

    async save(run, steps, events, context) {
      const ttl = expiresAt();
      const { pods, leftOut } = resultPages(run);
      const pages = [];
      for (let index = 0; index * PODS_PER_PAGE < pods.length; index++) {
        const slice = pods.slice(index * PODS_PER_PAGE, (index + 1) * PODS_PER_PAGE);
        pages.push({ ...runPageKey(run.runId, 'PODS', index), data: gzipSync(JSON.stringify(slice)), expiresAt: ttl });
      }
      for (let index = 0; index * LEFT_OUT_PER_PAGE < leftOut.length; index++) {
        const slice = leftOut.slice(index * LEFT_OUT_PER_PAGE, (index + 1) * LEFT_OUT_PER_PAGE);
        pages.push({
          ...runPageKey(run.runId, 'LEFTOUT', index),
          data: gzipSync(JSON.stringify(slice)),
          expiresAt: ttl,
        });
      }
      const blob = gzipSync(JSON.stringify({ inputVersions: run.inputVersions }));
      const chunks = [];
      for (let offset = 0, index = 0; offset < blob.length || index === 0; offset += CHUNK_BYTES, index++) {
        chunks.push({
          ...runChunkKey(run.runId, index),
          data: blob.subarray(offset, offset + CHUNK_BYTES),
          expiresAt: ttl,
        });
      }
      await batchPut(db, tableName, [
        ...pages,
        ...chunks,
        ...steps.map((step) => ({ ...runStepKey(run.runId, step.index), step: JSON.stringify(step), expiresAt: ttl })),
      ]);
      const { result: _result, inputVersions: _versions, ...fields } = run;
      const head: Header & { chunks: number } = {
        ...fields,
        podCount: pods.length,
        leftOutCount: leftOut.length,
        chunks: chunks.length,
      };
      try {
        await transactWrite(db, [
          {
            Put: {
              TableName: tableName,
              Item: { ...runKey(run.runId), ...runsIndexKey(run.createdAt, run.runId), ...head, expiresAt: ttl },
              // Over its queued record (or new): a second delivery computing the same run adds nothing.
              ConditionExpression: 'attribute_not_exists(pk) OR #status = :queued',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: { ':queued': 'queued' },
            },
          },
          ...events.map((event) => outboxPut(event, outboxContext(context.correlationId))),
        ]);
        return 'saved';
      } catch (error) {
        if (error instanceof TransactionCancelledError && error.conditionFailedAt(0)) return 'not-queued';
        throw error;
      }
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
      const run = stored(head);
      const chunks = items.filter((item) => String(item.sk).startsWith(runChunkPrefix));
      if (chunks.length === 0) return run;
      const blob = Buffer.concat(chunks.map((item) => Buffer.from(item.data as Uint8Array)));
      const { inputVersions } = JSON.parse(gunzipSync(blob).toString('utf8')) as Pick<MatchingRun, 'inputVersions'>;
      return { ...run, inputVersions } as MatchingRun;
    },

    async list({ limit, cursor }) {
      const page = await indexPage(db, { tableName, partition: RUNS_PARTITION, limit, cursor, descending: true });
      return { items: page.items.map(stored), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    },

    podsPage: (runId, { offset, limit }) => pageOf<Pod>(runId, 'PODS', PODS_PER_PAGE, offset, limit),
    leftOutPage: (runId, { offset, limit }) => pageOf<LeftOut>(runId, 'LEFTOUT', LEFT_OUT_PER_PAGE, offset, limit),

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

    async requestCommit(runId, requested, events, context) {
      try {
        await transactWrite(db, [
          {
            Update: {
              TableName: tableName,
              Key: runKey(runId),
              UpdateExpression: 'SET #status = :requested, commitRequestedBy = :by, commitRequestedAt = :at',
              ConditionExpression: '#status = :dryRun',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: {
                ':requested': 'commit-requested',
                ':dryRun': 'dry-run',
                ':by': requested.by,
                ':at': requested.at,
              },
            },
          },
          ...events.map((event) => outboxPut(event, outboxContext(context.correlationId))),
        ]);
      } catch (error) {
        if (!(error instanceof TransactionCancelledError && error.conditionFailedAt(0))) throw error;
        const status = String((await header(runId))?.status ?? 'missing');
        throw new RunNotCommittableError(`Run ${runId} is ${status}: only a dry run can be committed.`, 'aborted');
      }
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
                ConditionExpression: '#status IN (:dryRun, :requested)',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: {
                  ':committing': 'committing',
                  ':dryRun': 'dry-run',
                  ':requested': 'commit-requested',
                  ':at': at,
                },
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

    async refuseCommit(runId, reason, at) {
      try {
        await transactWrite(db, [
          {
            Update: {
              TableName: tableName,
              Key: runKey(runId),
              UpdateExpression: 'SET #status = :aborted, abortedReason = :reason, abortedAt = :at',
              ConditionExpression: '#status IN (:requested, :queued, :dryRun)',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: {
                ':aborted': 'aborted',
                ':requested': 'commit-requested',
                ':queued': 'queued',
                ':dryRun': 'dry-run',
                ':reason': reason,
                ':at': at,
              },
            },
          },
        ]);
      } catch (error) {
        // Already past the request (committed, aborted by its commit, failed): nothing to refuse.
        if (!(error instanceof TransactionCancelledError && error.conditionFailedAt(0))) throw error;
      }
    },

    async markFailed(runId, reason, at) {
      try {
        await transactWrite(db, [
          {
            Update: {
              TableName: tableName,
              Key: runKey(runId),
              UpdateExpression: 'SET #status = :failed, failedReason = :reason, failedAt = :at',
              ConditionExpression: '#status IN (:queued, :requested)',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: {
                ':failed': 'failed',
                ':queued': 'queued',
                ':requested': 'commit-requested',
                ':reason': reason,
                ':at': at,
              },
            },
          },
        ]);
      } catch (error) {
        if (!(error instanceof TransactionCancelledError && error.conditionFailedAt(0))) throw error;
      }
    },
  };
};

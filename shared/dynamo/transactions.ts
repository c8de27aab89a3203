import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type RetryOptions, retry } from '../retry';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limit on items in one TransactWriteItems call. */
export const MAX_TRANSACTION_ITEMS = 100;

/** A transaction was cancelled; `reasons[i]` is the cancellation code of item i (`None` if it was fine). */
export class TransactionCancelledError extends Error {
  override readonly name = 'TransactionCancelledError';
  constructor(
    readonly reasons: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`Transaction cancelled: ${reasons.join(', ')}`, options);
  }

  /** True when item `index` failed its condition (e.g. a version check or an idempotency marker). */
  conditionFailedAt(index: number): boolean {
    return this.reasons[index] === 'ConditionalCheckFailed';
  }

  get onlyConditionsFailed(): boolean {
    return this.reasons.every((reason) => reason === 'None' || reason === 'ConditionalCheckFailed');
  }
}

/**
 * Writes all items or none. Cancellations surface as TransactionCancelledError with one
 * reason per item, so callers can tell a lost race from a throttle.
 */
export const transactWrite = async (db: DynamoDBDocumentClient, items: readonly TransactItem[]): Promise<void> => {
  if (items.length === 0) return;
  if (items.length > MAX_TRANSACTION_ITEMS) {
    throw new Error(`A transaction holds at most ${MAX_TRANSACTION_ITEMS} items, got ${items.length}`);
  }
  try {
    await db.send(new TransactWriteCommand({ TransactItems: [...items] }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
      throw new TransactionCancelledError(reasons, { cause: error });
    }
    throw error;
  }
};

/** A transaction lost to another one touching the same item at the same moment (not a condition failure). */
export const isTransactionConflict = (error: unknown): boolean =>
  error instanceof TransactionCancelledError && error.reasons.some((reason) => reason === 'TransactionConflict');

/** Retries a write whose transaction was cancelled by a concurrent one, with jittered backoff. */
export const retryTransactionConflicts = <T>(
  write: () => Promise<T>,
  options: Pick<RetryOptions, 'sleep'> & { attempts?: number } = {},
): Promise<T> =>
  retry(write, {
    attempts: options.attempts ?? 8,
    retryable: isTransactionConflict,
    backoff: { baseMs: 20, maxMs: 640, jitter: true },
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });

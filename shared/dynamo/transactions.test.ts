/** How a cancelled transaction surfaces, and which cancellations are retried. */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { retryTransactionConflicts, TransactionCancelledError, transactWrite } from './transactions';

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const failingClient = (errors: Error[]) => {
  let calls = 0;
  const client = {
    send: async () => {
      calls += 1;
      const error = errors.shift();
      if (error) throw error;
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, calls: () => calls };
};

const put = { Put: { TableName: 't', Item: { pk: 'A', sk: 'B' } } };
const noWait = { sleep: async () => undefined };

describe('transactWrite and retryTransactionConflicts', () => {
  it('reports one cancellation reason per item', async () => {
    const { client } = failingClient([cancelled('None', 'ConditionalCheckFailed')]);
    const error = await transactWrite(client, [put, put]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransactionCancelledError);
    expect((error as TransactionCancelledError).conditionFailedAt(1)).toBe(true);
    expect((error as TransactionCancelledError).onlyConditionsFailed).toBe(true);
  });

  it('retries a transaction lost to a concurrent one until it goes through', async () => {
    const { client, calls } = failingClient([
      cancelled('TransactionConflict'),
      cancelled('None', 'TransactionConflict'),
    ]);
    await retryTransactionConflicts(() => transactWrite(client, [put, put]), noWait);
    expect(calls()).toBe(3);
  });

  it('does not retry a failed condition (a lost race the caller decides about), and stops after its attempts', async () => {
    const condition = failingClient([cancelled('ConditionalCheckFailed')]);
    await expect(
      retryTransactionConflicts(() => transactWrite(condition.client, [put]), noWait),
    ).rejects.toBeInstanceOf(TransactionCancelledError);
    expect(condition.calls()).toBe(1);
    const conflicts = failingClient(Array.from({ length: 5 }, () => cancelled('TransactionConflict')));
    await expect(
      retryTransactionConflicts(() => transactWrite(conflicts.client, [put]), { ...noWait, attempts: 3 }),
    ).rejects.toBeInstanceOf(TransactionCancelledError);
    expect(conflicts.calls()).toBe(3);
  });
});

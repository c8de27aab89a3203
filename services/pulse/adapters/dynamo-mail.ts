/** The email queue in DynamoDB: one item per email, indexed by when it is due; a lease while it is sent. */
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type RepositoryOptions, recordOf } from '../../../shared/dynamo/table';
import { TransactionCancelledError, transactWrite } from '../../../shared/dynamo/transactions';
import type { MailRepository, QueuedMail } from '../domain/ports';
import { mailItem } from './dynamo-surveys';
import { MAIL_DUE_PARTITION, mailKey, reminderMarkerKey } from './keys';

/** A mentor's reminder marker outlives any month it could be asked about again. */
const MARKER_RETENTION_SECONDS = 400 * 24 * 3600;

const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

export const createDynamoMailRepository = (options: RepositoryOptions): MailRepository => {
  const { db, tableName } = options;
  return {
    due: async (now, limit) => {
      const found = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :partition AND gsi1sk <= :now',
          ExpressionAttributeValues: { ':partition': MAIL_DUE_PARTITION, ':now': `${now}#~` },
          Limit: limit,
        }),
      );
      return (found.Items ?? []).map((item) => {
        const { leaseUntil: _lease, ...mail } = recordOf<QueuedMail & { leaseUntil?: string }>(item);
        return mail;
      });
    },

    claim: async (mail, now, until) => {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: mailKey(mail.mailId),
            UpdateExpression: 'SET leaseUntil = :until',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)',
            ExpressionAttributeValues: { ':until': until, ':now': now },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    sent: async (mail) => {
      await db.send(new DeleteCommand({ TableName: tableName, Key: mailKey(mail.mailId) }));
    },

    retryLater: async (mail, at) => {
      await db.send(new PutCommand({ TableName: tableName, Item: mailItem({ ...mail, dueAt: at }) }));
    },

    queueCheckInReminder: async (mail, mentorId) => {
      try {
        await transactWrite(db, [
          {
            Put: {
              TableName: tableName,
              Item: {
                ...reminderMarkerKey(mentorId, mail.month ?? ''),
                expiresAt: Math.floor(options.clock().getTime() / 1000) + MARKER_RETENTION_SECONDS,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName: tableName, Item: mailItem(mail) } },
        ]);
        return true;
      } catch (error) {
        if (error instanceof TransactionCancelledError && error.conditionFailedAt(0)) return false;
        throw error;
      }
    },
  };
};

/**
 * Themes in DynamoDB: one item per escalation counted toward a theme, in the theme's partition,
 * sorted by when it was raised (so a window is one Query of a key range), and one claim item per
 * kind of emission, whose conditional write makes it once per theme and window.
 */
import { batchPut } from '../../../shared/dynamo/batch';
import { outboxContextOf, outboxPut } from '../../../shared/dynamo/outbox';
import { queryAll } from '../../../shared/dynamo/pages';
import { type RepositoryOptions, recordOf } from '../../../shared/dynamo/table';
import { TransactionCancelledError, transactWrite } from '../../../shared/dynamo/transactions';
import type { ThemeContribution, ThemeRepository } from '../domain/ports';
import { THEME_CONTRIBUTION_END, themeClaimKey, themeContributionKey, themeContributionSortKey } from './keys';

/** Longer than any window (at most 365 days): a contribution is deleted by TTL once no window can hold it. */
const CONTRIBUTION_RETENTION_SECONDS = 400 * 24 * 3600;

export const createDynamoThemeRepository = (options: RepositoryOptions): ThemeRepository => {
  const { db, tableName } = options;
  return {
    async record(contributions) {
      await batchPut(
        db,
        tableName,
        contributions.map((item) => ({
          ...themeContributionKey(item.theme, item.raisedAt, item.escalationId),
          ...item,
          expiresAt: Math.floor(Date.parse(item.raisedAt) / 1000) + CONTRIBUTION_RETENTION_SECONDS,
        })),
      );
    },

    async contributions(theme, since) {
      const items = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': themeContributionKey(theme, since, '').pk,
          ':from': themeContributionSortKey(since),
          ':to': THEME_CONTRIBUTION_END,
        },
        ConsistentRead: true,
      });
      return items.map((item) => recordOf<ThemeContribution>(item));
    },

    async claim(theme, kind, at, notBefore, event, context) {
      try {
        await transactWrite(db, [
          {
            Put: {
              TableName: tableName,
              Item: { ...themeClaimKey(theme, kind), theme, kind, lastAt: at },
              ConditionExpression: 'attribute_not_exists(pk) OR lastAt <= :notBefore',
              ExpressionAttributeValues: { ':notBefore': notBefore },
            },
          },
          outboxPut(event, outboxContextOf(options, context.correlationId)),
        ]);
        return true;
      } catch (error) {
        if (error instanceof TransactionCancelledError && error.conditionFailedAt(0)) return false;
        throw error;
      }
    },
  };
};

/** Departments and the versioned routing settings in DynamoDB (every version is kept). */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet } from '../../../shared/dynamo/batch';
import { indexPage } from '../../../shared/dynamo/pages';
import { type RepositoryOptions, recordOf } from '../../../shared/dynamo/table';
import { TransactionCancelledError, transactWrite } from '../../../shared/dynamo/transactions';
import type { Department } from '../domain/departments';
import { StaleVersionError } from '../domain/escalations/errors';
import type { ConfigurationRepository } from '../domain/ports';
import { defaultRoutingSettings, type RoutingSettings } from '../domain/routing';
import {
  DEPARTMENTS_PARTITION,
  departmentKey,
  departmentsIndexKey,
  routingCurrentKey,
  routingVersionKey,
} from './keys';

export const createDynamoConfigurationRepository = (options: RepositoryOptions): ConfigurationRepository => {
  const { db, tableName } = options;

  const staleOnCondition = async (write: () => Promise<void>, message: string) => {
    try {
      await write();
    } catch (error) {
      if (error instanceof TransactionCancelledError && error.onlyConditionsFailed)
        throw new StaleVersionError(message);
      throw error;
    }
  };

  return {
    async department(departmentId) {
      const found = await db.send(
        new GetCommand({ TableName: tableName, Key: departmentKey(departmentId), ConsistentRead: true }),
      );
      return found.Item ? recordOf<Department>(found.Item) : undefined;
    },

    async existingDepartments(departmentIds) {
      if (departmentIds.length === 0) return new Set();
      const items = await batchGet(db, tableName, departmentIds.map(departmentKey), true);
      return new Set(items.map((item) => String(item.departmentId)));
    },

    async listDepartments({ limit, cursor }) {
      const page = await indexPage(db, { tableName, partition: DEPARTMENTS_PARTITION, limit, cursor });
      return {
        items: page.items.map((item) => recordOf<Department>(item)),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    },

    async putDepartment(department, expectedVersion) {
      await staleOnCondition(
        () =>
          transactWrite(db, [
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...departmentKey(department.departmentId),
                  ...departmentsIndexKey(department.departmentId),
                  ...department,
                },
                ...(expectedVersion === null
                  ? { ConditionExpression: 'attribute_not_exists(pk)' }
                  : {
                      ConditionExpression: 'version = :expected',
                      ExpressionAttributeValues: { ':expected': expectedVersion },
                    }),
              },
            },
          ]),
        `Department ${department.departmentId} was changed by someone else at the same time`,
      );
    },

    async routingSettings() {
      const found = await db.send(
        new GetCommand({ TableName: tableName, Key: routingCurrentKey(), ConsistentRead: true }),
      );
      return found.Item ? recordOf<RoutingSettings>(found.Item) : structuredClone(defaultRoutingSettings);
    },

    async putRoutingSettings(settings) {
      const previous = settings.version - 1;
      await staleOnCondition(
        () =>
          transactWrite(db, [
            {
              Put: {
                TableName: tableName,
                Item: { ...routingCurrentKey(), ...settings },
                ...(previous === 0
                  ? { ConditionExpression: 'attribute_not_exists(pk)' }
                  : {
                      ConditionExpression: 'version = :previous',
                      ExpressionAttributeValues: { ':previous': previous },
                    }),
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: { ...routingVersionKey(settings.version), ...settings },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ]),
        `The routing settings moved past version ${previous} meanwhile`,
      );
    },
  };
};

/** Tables on the test run's shared DynamoDB Local, one fresh uniquely named table per caller. */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createLocalDynamoDbClient, ensureTable } from '../../local/dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/environment';
import { standardTable, type TableDeclaration } from '../../shared/declaration';

/** The endpoint global-setup started (or DYNAMODB_ENDPOINT). */
export const testDynamoDbEndpoint = (): string => inject('dynamodbEndpoint');

/** A unique prefix for table names, so test files running in parallel never meet. */
export const uniqueName = (prefix = 'test'): string => `${prefix}-${randomUUID().slice(0, 8)}`;

export interface TestTable {
  tableName: string;
  streamArn: string;
  endpoint: string;
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  streamsClient: DynamoDBStreamsClient;
  /** Deletes the table and closes the clients. */
  drop(): Promise<void>;
}

/** Creates `declaration`'s table (the same way the local platform does) under a unique name. */
export const createTestTable = async (
  declaration: TableDeclaration = standardTable,
  tableName = uniqueName('table'),
): Promise<TestTable> => {
  const endpoint = testDynamoDbEndpoint();
  const client = createLocalDynamoDbClient(endpoint);
  const table = await ensureTable(client, { tableName, declaration });
  const streamsClient = new DynamoDBStreamsClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  return {
    tableName,
    streamArn: table.LatestStreamArn ?? '',
    endpoint,
    client,
    documentClient: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    streamsClient,
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      client.destroy();
      streamsClient.destroy();
    },
  };
};

/**
 * One DynamoDB Local (in memory, on a free port) for the whole test run: it takes seconds to
 * start, so tests share it and isolate themselves by table name instead (test/support).
 * Set DYNAMODB_ENDPOINT to reuse one that is already running.
 */
import type { TestProject } from 'vitest/node';
import { type DynamoDbLocal, startDynamoDbLocal } from '../local/dynamodb';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>` of the run's DynamoDB Local. */
    dynamodbEndpoint: string;
  }
}

let dynamodb: DynamoDbLocal | undefined;

export const setup = async (project: TestProject) => {
  const reused = process.env.DYNAMODB_ENDPOINT;
  if (reused) {
    project.provide('dynamodbEndpoint', reused);
    return;
  }
  dynamodb = await startDynamoDbLocal({ port: 0 });
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
};

export const teardown = async () => {
  await dynamodb?.stop();
  dynamodb = undefined;
};

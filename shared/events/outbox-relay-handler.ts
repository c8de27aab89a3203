import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import { readConfig } from '../config';
import { logger, observability } from '../observability';
import { relayOutbox } from './outbox-relay';
import { publishEntries } from './publisher';

const config = readConfig(z.object({ EVENT_BUS_NAME: z.string().min(1) }));
const eventBridge = new EventBridgeClient({});

/** One relay per service table: its stream's new outbox records go to the platform bus. */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(observability)
  .handler(async (event) => {
    const result = await relayOutbox(event, (entries) => publishEntries(eventBridge, config.EVENT_BUS_NAME, entries));
    if (result.batchItemFailures.length > 0) {
      logger.warn('Outbox entries not published; Lambda will retry them', { failures: result.batchItemFailures });
    }
    return result;
  });

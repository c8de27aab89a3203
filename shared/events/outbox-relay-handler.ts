import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { readConfig } from '../config';
import { logger, metrics, observabilityWithMetrics } from '../observability';
import * as z from '../zod';
import { relayOutbox } from './outbox-relay';
import { publishEntries } from './publisher';

const config = readConfig(z.object({ EVENT_BUS_NAME: z.string().check(z.minLength(1)) }));
const eventBridge = new EventBridgeClient({});

/** One relay per service table: its stream's new outbox records go to the platform bus. */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(observabilityWithMetrics)
  .handler(async (event) => {
    let attempted = 0;
    const result = await relayOutbox(event, (entries) => {
      attempted = entries.length;
      return publishEntries(eventBridge, config.EVENT_BUS_NAME, entries);
    });
    metrics.addMetric('EventsRelayed', MetricUnit.Count, attempted - result.batchItemFailures.length);
    metrics.addMetric('EventsNotPublished', MetricUnit.Count, result.batchItemFailures.length);
    if (result.batchItemFailures.length > 0) {
      logger.warn('Outbox entries not published; Lambda will retry them', { failures: result.batchItemFailures });
    }
    return result;
  });

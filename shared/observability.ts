import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';

/**
 * One logger, metrics and tracer per function instance. Service name and namespace come
 * from the Powertools environment variables set from the service declaration.
 */
export const logger = new Logger();
export const metrics = new Metrics();
export const tracer = new Tracer();

/** The function-level middlewares every Lambda entry uses: traces and structured logs. */
export const observability = [captureLambdaHandler(tracer), injectLambdaContext(logger, { resetKeys: true })];

/**
 * For functions that emit their own metrics: `observability` plus publishing them (EMF) after
 * each invocation. Kept apart because Powertools warns on every invocation that publishes no
 * metric, and HTTP functions have API Gateway's metrics already.
 */
export const observabilityWithMetrics = [...observability, logMetrics(metrics)];

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * One logger, metrics and tracer per function instance. Service name and namespace come
 * from the Powertools environment variables set from the service declaration.
 */
export const logger = new Logger();
export const metrics = new Metrics();
export const tracer = new Tracer();

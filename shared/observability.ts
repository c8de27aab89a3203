import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';

/**
 * One logger and metrics per function instance. Service name and namespace come from the
 * Powertools environment variables set from the service declaration.
 *
 * Traces come from Lambda's active tracing (a segment per invocation, with its init and its
 * overhead, on the service map), and every log line carries the invocation's X-Ray trace id
 * (`xray_trace_id`), which is how a log is found from a trace and back. Powertools Tracer is not
 * used: it would add a handler subsegment with a ColdStart annotation (Lambda's own segment
 * already shows the init) at the price of the X-Ray SDK in every bundle (~110 KB minified, and
 * the largest share of module init after the AWS SDK).
 */
export const logger = new Logger();

/**
 * Pure (no side effect at import), so esbuild drops Metrics from the bundles of the functions
 * that publish none: only the functions using `metrics` or `observabilityWithMetrics` pay for it.
 */
export const metrics = /* @__PURE__ */ new Metrics();

/** The function-level middleware every Lambda entry uses: structured logs with the Lambda context. */
export const observability = [injectLambdaContext(logger, { resetKeys: true })];

/**
 * For functions that emit their own metrics: `observability` plus publishing them (EMF) after
 * each invocation. Kept apart because Powertools warns on every invocation that publishes no
 * metric, and HTTP functions have API Gateway's metrics already.
 */
export const observabilityWithMetrics = [
  /* @__PURE__ */ injectLambdaContext(logger, { resetKeys: true }),
  /* @__PURE__ */ logMetrics(metrics),
];

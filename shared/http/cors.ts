/**
 * The HTTP API's CORS policy, in one place: the CDK stack's `corsPreflight`, the local gateway
 * and the handlers' CORS middleware all read it. Allowed origins are a deploy-time parameter
 * (`mentoring:corsAllowOrigins` in cdk.json); any origin by default.
 */
export const apiCorsPolicy = {
  allowOrigins: ['*'],
  allowMethods: ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS'],
  allowHeaders: ['authorization', 'content-type', 'x-correlation-id'],
  exposeHeaders: ['x-correlation-id'],
  maxAgeSeconds: 3600,
} as const;

import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import type { Role } from '../../shared/auth/roles';

export interface CallerClaims {
  personId: string;
  groups: Role[];
  departmentId?: string;
}

export interface HttpEventInput {
  routeKey: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  body?: string | object;
  contentType?: string;
  /** The body is base64 (a binary body, as API Gateway passes one). */
  base64?: boolean;
  headers?: Record<string, string>;
  caller?: CallerClaims;
}

/** An API Gateway HTTP API (payload 2.0) event as the JWT authorizer passes it on. */
export const httpEvent = (input: HttpEventInput): APIGatewayProxyEventV2WithJWTAuthorizer => {
  const [method = 'GET', pathTemplate = '/'] = input.routeKey.split(' ');
  const rawPath = pathTemplate.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(input.pathParameters?.[name] ?? ''),
  );
  const body =
    input.body === undefined ? undefined : typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  const headers: Record<string, string> = {
    ...(body !== undefined ? { 'content-type': input.contentType ?? 'application/json' } : {}),
    ...input.headers,
  };
  return {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(input.query ?? {}).toString(),
    headers,
    ...(input.query ? { queryStringParameters: input.query } : {}),
    ...(input.pathParameters ? { pathParameters: input.pathParameters } : {}),
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: input.base64 === true,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: input.routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: {
          claims: input.caller
            ? {
                sub: input.caller.personId,
                'custom:personId': input.caller.personId,
                // API Gateway flattens array claims into this string form.
                'cognito:groups': `[${input.caller.groups.join(' ')}]`,
                ...(input.caller.departmentId ? { 'custom:departmentId': input.caller.departmentId } : {}),
              }
            : {},
          scopes: [],
        },
      },
    },
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
};

export const lambdaContext = (functionName = 'test'): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:eu-west-1:000000000000:function:${functionName}`,
  memoryLimitInMB: '256',
  awsRequestId: `aws-${Math.random().toString(36).slice(2)}`,
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

export const admin: CallerClaims = { personId: 'admin-1', groups: ['admin', 'employee'] };
export const lifeCoach: CallerClaims = { personId: 'coach-1', groups: ['life-coach', 'employee'] };
export const employee = (personId: string): CallerClaims => ({ personId, groups: ['employee'] });

/**
 * The local API Gateway HTTP API: the declared routes, payload format 2.0 events, the JWT
 * authorizer's checks, and API Gateway's own answers (404, 401, 413, 500) in its own words.
 */

import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ServiceDeclaration } from '../shared/declaration';
import { functionKey } from '../shared/declaration';
import type { HttpMethod } from '../shared/http/contract';
import { apiCorsPolicy } from '../shared/http/cors';
import { LOCAL_ACCOUNT_ID } from './environment';
import type { InvocationOutcome } from './functions';
import type { AuthorizerDecision, JwtAuthorizerContext } from './jwt-authorizer';

/** API Gateway's payload limit for HTTP APIs. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
export const LOCAL_API_ID = 'local';

type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

export interface GatewayRoute {
  method: HttpMethod;
  path: string;
  routeKey: string;
  functionKey: string;
  /** `jwt`: the route has the JWT authorizer (any declared roles); `public`: no authorizer. */
  auth: 'jwt' | 'public';
  segments: Segment[];
}

const compilePath = (path: string): Segment[] =>
  path
    .split('/')
    .slice(1)
    .map((part): Segment => {
      const param = /^\{([A-Za-z0-9_.-]+)(\+)?\}$/.exec(part);
      if (!param) return { kind: 'literal', value: part };
      return param[2] ? { kind: 'greedy', name: param[1] as string } : { kind: 'param', name: param[1] as string };
    });

/** Every declared route, each bound to its function. */
export const routesOf = (services: readonly ServiceDeclaration[]): GatewayRoute[] =>
  services.flatMap((service) =>
    service.routes.map((route) => {
      const fn = service.functions.find((candidate) => candidate.name === route.function);
      if (!fn)
        throw new Error(`${service.name}: route ${route.method} ${route.path} names no function ${route.function}`);
      return {
        method: route.method,
        path: route.path,
        routeKey: `${route.method} ${route.path}`,
        functionKey: functionKey(service, fn),
        auth: route.auth === 'public' ? ('public' as const) : ('jwt' as const),
        segments: compilePath(route.path),
      };
    }),
  );

const decode = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

const matchSegments = (segments: Segment[], parts: string[]): Record<string, string> | undefined => {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    if (segment.kind === 'greedy') {
      const rest = parts.slice(index);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      parameters[segment.name] = decode(rest.join('/'));
      return parameters;
    }
    const part = parts[index];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (part !== segment.value) return undefined;
    } else {
      if (part === '') return undefined;
      parameters[segment.name] = decode(part);
    }
  }
  return parts.length === segments.length ? parameters : undefined;
};

const rankOf = (segment: Segment | undefined) =>
  segment === undefined ? 3 : segment.kind === 'literal' ? 0 : segment.kind === 'param' ? 1 : 2;

/** API Gateway's precedence: compared segment by segment, a literal beats `{param}` beats `{greedy+}`. */
const moreSpecific = (a: GatewayRoute, b: GatewayRoute): number => {
  for (let index = 0; index < Math.max(a.segments.length, b.segments.length); index++) {
    const difference = rankOf(a.segments[index]) - rankOf(b.segments[index]);
    if (difference !== 0) return difference;
  }
  return 0;
};

export const matchRoute = (routes: readonly GatewayRoute[], method: string, rawPath: string) => {
  const parts = rawPath.split('/').slice(1);
  const candidates = routes
    .filter((route) => route.method === method)
    .map((route) => ({ route, pathParameters: matchSegments(route.segments, parts) }))
    .filter((candidate): candidate is { route: GatewayRoute; pathParameters: Record<string, string> } =>
      Boolean(candidate.pathParameters),
    )
    .sort((a, b) => moreSpecific(a.route, b.route));
  return candidates[0];
};

/** The CORS configuration of the HTTP API (API Gateway answers preflights itself). */
export interface CorsConfig {
  allowOrigins: readonly string[];
  allowMethods: readonly string[];
  allowHeaders: readonly string[];
  exposeHeaders: readonly string[];
  maxAgeSeconds: number;
}

/** A request to a non-API path on the gateway's server (the issuer, the developer view). */
export interface LocalHttpRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface LocalHttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export type LocalHttpHandler = (request: LocalHttpRequest) => Promise<LocalHttpResponse | undefined>;

export interface HttpGatewayOptions {
  routes: readonly GatewayRoute[];
  invoke: (functionKey: string, event: unknown) => Promise<InvocationOutcome>;
  authorize: (authorization: string | undefined) => Promise<AuthorizerDecision>;
  /** Tried before the API routes; answering `undefined` passes the request on. */
  localHandlers?: readonly LocalHttpHandler[];
  cors?: CorsConfig;
  port?: number;
  host?: string;
}

export interface HttpGateway {
  url: string;
  port: number;
  server: Server;
  stop(): Promise<void>;
}

/** `text/*`, JSON, XML and JavaScript arrive as text; everything else base64, like API Gateway. */
const isTextual = (contentType: string | undefined): boolean => {
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!media) return false;
  return (
    media.startsWith('text/') ||
    media === 'application/json' ||
    media.endsWith('+json') ||
    media === 'application/xml' ||
    media.endsWith('+xml') ||
    media === 'application/javascript'
  );
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time`. */
const requestTime = (date: Date): string => {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
};

/** API Gateway request ids look like `JKJaXmPLvHcESHA=`. */
const newRequestId = () => randomBytes(11).toString('base64');

const traceId = () => `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;

/** Payload 2.0: duplicate query parameters are joined with commas; values are decoded. */
const queryParametersOf = (rawQueryString: string): Record<string, string> | undefined => {
  if (!rawQueryString) return undefined;
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    parameters[name] = name in parameters ? `${parameters[name]},${value}` : value;
  }
  return Object.keys(parameters).length > 0 ? parameters : undefined;
};

export interface EventInput {
  request: IncomingMessage;
  body: Buffer;
  route: GatewayRoute;
  pathParameters: Record<string, string>;
  requestId: string;
  now: Date;
  jwt?: JwtAuthorizerContext;
}

/** The payload format 2.0 event API Gateway sends for this request. */
export const buildEvent = (input: EventInput): APIGatewayProxyEventV2 => {
  const { request, body, route, pathParameters, requestId, now } = input;
  const target = request.url ?? '/';
  const queryStart = target.indexOf('?');
  const rawPath = queryStart === -1 ? target : target.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : target.slice(queryStart + 1);

  // Duplicate headers are joined with commas; cookies move out of the headers into `cookies`.
  const headers: Record<string, string> = {};
  let cookies: string[] = [];
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (!values) continue;
    if (name === 'cookie') {
      cookies = values.flatMap((value) => value.split(';').map((cookie) => cookie.trim())).filter(Boolean);
      continue;
    }
    headers[name] = values.join(',');
  }
  const sourceIp = (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const host = headers.host ?? 'localhost';
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${sourceIp}` : sourceIp;
  headers['x-forwarded-port'] = String(request.socket.localPort ?? '');
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] ??= traceId();

  const queryStringParameters = queryParametersOf(rawQueryString);
  const hasBody = body.length > 0;
  const textual = isTextual(headers['content-type']);
  const method = request.method ?? 'GET';

  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: LOCAL_API_ID,
      ...(input.jwt ? { authorizer: { jwt: input.jwt } } : {}),
      domainName: host,
      domainPrefix: host.split('.')[0]?.split(':')[0] ?? host,
      http: {
        method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: route.routeKey,
      stage: '$default',
      time: requestTime(now),
      timeEpoch: now.getTime(),
    },
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    ...(hasBody ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: hasBody && !textual,
  } as APIGatewayProxyEventV2;
};

interface HttpReply {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

const jsonReply = (status: number, body: unknown, headers: Record<string, string> = {}): HttpReply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: Buffer.from(JSON.stringify(body)),
});

export const internalError = () => jsonReply(500, { message: 'Internal Server Error' });

/** A request over Lambda's 6 MB payload never reaches the function: API Gateway answers 413 itself. */
const invocationFailure = (outcome: Extract<InvocationOutcome, { ok: false }>) =>
  outcome.error.errorType === 'RequestEntityTooLargeException'
    ? jsonReply(413, { message: 'Request Too Long' })
    : internalError();

/**
 * How API Gateway reads a payload 2.0 result: with a `statusCode` it is a response
 * (`headers`, `cookies`, `body`, `isBase64Encoded`; `multiValueHeaders` belongs to payload
 * 1.0 and is ignored); without one, the result itself is a 200 JSON body.
 */
export const interpretResult = (result: unknown): HttpReply => {
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    const body = typeof result === 'string' ? result : JSON.stringify(result);
    return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
  }
  const response = result as {
    statusCode: unknown;
    headers?: Record<string, unknown>;
    cookies?: unknown;
    body?: unknown;
    isBase64Encoded?: unknown;
  };
  const status = Number(response.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) return internalError();
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
  }
  if (Array.isArray(response.cookies) && response.cookies.length > 0) {
    headers['set-cookie'] = response.cookies.map(String);
  }
  const rawBody = response.body === undefined || response.body === null ? '' : String(response.body);
  const body = response.isBase64Encoded === true ? Buffer.from(rawBody, 'base64') : Buffer.from(rawBody);
  return { status, headers, body };
};

const readBody = (request: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining (so the client gets to read our 413) but stop buffering.
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });

const writeReply = (response: ServerResponse, reply: HttpReply, method: string) => {
  response.statusCode = reply.status;
  for (const [name, value] of Object.entries(reply.headers)) response.setHeader(name, value);
  response.end(method === 'HEAD' ? undefined : reply.body);
};

const corsHeadersFor = (cors: CorsConfig, origin: string | undefined): Record<string, string> => {
  if (!origin) return {};
  const allowed = cors.allowOrigins.includes('*') ? '*' : cors.allowOrigins.includes(origin) ? origin : undefined;
  if (!allowed) return {};
  return {
    'access-control-allow-origin': allowed,
    ...(cors.exposeHeaders.length > 0 ? { 'access-control-expose-headers': cors.exposeHeaders.join(',') } : {}),
  };
};

export const startHttpGateway = async (options: HttpGatewayOptions): Promise<HttpGateway> => {
  // The HTTP API's `corsPreflight`, as infra/core-stack.ts configures it from the same policy.
  const cors = options.cors ?? apiCorsPolicy;

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const method = request.method ?? 'GET';
    const requestId = newRequestId();
    const now = new Date();
    const origin = request.headers.origin;
    const body = await readBody(request, MAX_REQUEST_BYTES);
    const withCors = (reply: HttpReply): HttpReply => ({
      ...reply,
      headers: { ...reply.headers, ...corsHeadersFor(cors, origin), 'apigw-requestid': requestId },
    });
    if (body === 'too-large') {
      writeReply(response, withCors(jsonReply(413, { message: 'Request Entity Too Large' })), method);
      return;
    }

    const url = new URL(request.url ?? '/', 'http://localhost');
    for (const localHandler of options.localHandlers ?? []) {
      const answer = await localHandler({ method, url, headers: request.headers, body });
      if (answer) {
        const answerBody = answer.body === undefined ? Buffer.alloc(0) : Buffer.from(answer.body);
        writeReply(response, { status: answer.status, headers: answer.headers ?? {}, body: answerBody }, method);
        return;
      }
    }

    // A CORS preflight is answered by API Gateway itself, without an OPTIONS route.
    if (method === 'OPTIONS' && origin && request.headers['access-control-request-method']) {
      const preflight = corsHeadersFor(cors, origin);
      writeReply(
        response,
        {
          status: 204,
          headers: {
            ...preflight,
            ...(preflight['access-control-allow-origin']
              ? {
                  'access-control-allow-methods': cors.allowMethods.join(','),
                  'access-control-allow-headers': cors.allowHeaders.join(','),
                  'access-control-max-age': String(cors.maxAgeSeconds),
                }
              : {}),
            'apigw-requestid': requestId,
          },
          body: Buffer.alloc(0),
        },
        method,
      );
      return;
    }

    const rawPath = (request.url ?? '/').split('?')[0] ?? '/';
    const match = matchRoute(options.routes, method, rawPath);
    if (!match) {
      writeReply(response, withCors(jsonReply(404, { message: 'Not Found' })), method);
      return;
    }

    let jwt: JwtAuthorizerContext | undefined;
    if (match.route.auth === 'jwt') {
      const decision = await options.authorize(request.headers.authorization);
      if (!decision.ok) {
        writeReply(
          response,
          withCors(jsonReply(401, { message: 'Unauthorized' }, { 'www-authenticate': decision.wwwAuthenticate })),
          method,
        );
        return;
      }
      jwt = decision.jwt;
    }

    const event = buildEvent({
      request,
      body,
      route: match.route,
      pathParameters: match.pathParameters,
      requestId,
      now,
      ...(jwt ? { jwt } : {}),
    });
    const outcome = await options.invoke(match.route.functionKey, event);
    writeReply(response, withCors(outcome.ok ? interpretResult(outcome.result) : invocationFailure(outcome)), method);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) writeReply(response, internalError(), request.method ?? 'GET');
      else response.destroy();
    });
  });
  // Keep-alive sockets would otherwise hold stop() open for the client's idle timeout.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}`,
    port,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

/**
 * The middy middlewares of every route, shared as values and put together by `httpRoute`
 * (shared/http/route.ts) in this order:
 *
 *   middy()
 *     .use(httpCors).use(httpSecurityHeaders)      // headers on every response, errors included
 *     .use(problemResponses(contract, errors))     // any error -> application/problem+json
 *     .use(authorizeRoute(contract))               // principal from JWT claims + the route's roles
 *     .use(validateRequest(contract))              // JSON/CSV body, zod on path, query and body
 *     .handler(...)
 *
 * middy runs `onError` in reverse order, so problemResponses turns the error into a
 * response before the header middlewares decorate it.
 */
import { gunzipSync } from 'node:zlib';
import type { MiddlewareObj } from '@middy/core';
import cors from '@middy/http-cors';
import securityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { hasAnyRole, type Principal, principalFromClaims } from '../auth/principal';
import { logger } from '../observability';
import { documentedStatusesOf, type RouteContract, routeKeyOf } from './contract';
import { apiCorsPolicy } from './cors';
import {
  badRequest,
  type ErrorTable,
  forbidden,
  HttpProblem,
  payloadTooLarge,
  problemOf,
  unauthorized,
  unsupportedMediaType,
} from './errors';
import { fieldErrorsOf, humaneParse } from './validation';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number };

/** What the chain adds to the event before the handler runs. */
export type ValidatedEvent = HttpEvent & {
  principal?: Principal;
  correlationId: string;
  validated: { params: unknown; query: unknown; body: unknown };
};

export const httpCors = cors({
  origin: '*',
  headers: apiCorsPolicy.allowHeaders.join(','),
  exposeHeaders: apiCorsPolicy.exposeHeaders.join(','),
});
export const httpSecurityHeaders = securityHeaders();

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's correlation id if it is well-formed, else this request's id. */
export const correlationIdOf = (event: HttpEvent): string => {
  const given = event.headers?.['x-correlation-id'];
  return given && CORRELATION_ID.test(given) ? given : event.requestContext.requestId;
};

export const problemResult = (problem: HttpProblem, event: HttpEvent, correlationId: string): HttpResult => ({
  statusCode: problem.status,
  headers: { 'content-type': 'application/problem+json', 'x-correlation-id': correlationId, ...problem.headers },
  body: JSON.stringify(problem.toProblem(event.rawPath)),
});

const internalError = () => new HttpProblem(500, 'Internal Server Error', 'Something went wrong on our side.');

/**
 * Turns every error into `application/problem+json`: HTTP problems as they are, domain errors
 * through the service's table, anything unexpected into a bare 500 logged with its stack. A
 * status the route's contract does not list is a bug (the documentation would lie), so it is
 * logged and answered as a 500, which tests and the 5xx alarm both catch.
 */
export const problemResponses = (contract: RouteContract, errors: ErrorTable): MiddlewareObj<HttpEvent, HttpResult> => {
  // Worked out on the first error, not at cold start: it reads the contract's request schemas.
  let documented: ReadonlySet<number> | undefined;
  return {
    onError: (request) => {
      documented ??= documentedStatusesOf(contract);
      const error = request.error;
      const correlationId = correlationIdOf(request.event);
      let problem = problemOf(error, errors);
      if (!problem) {
        logger.error('Unhandled error', { error: error as Error, correlationId });
      } else if (!documented.has(problem.status)) {
        logger.error('A route answered a status its contract does not list', {
          route: routeKeyOf(contract),
          status: problem.status,
          error: error as Error,
          correlationId,
        });
        problem = undefined;
      }
      request.response = problemResult(problem ?? internalError(), request.event, correlationId);
    },
  };
};

/** Establishes the principal from the authorizer's claims and enforces the route's roles. */
export const authorizeRoute = (contract: RouteContract): MiddlewareObj<HttpEvent, HttpResult> => ({
  before: (request) => {
    const event = request.event as ValidatedEvent;
    event.correlationId = correlationIdOf(request.event);
    logger.appendKeys({ correlationId: event.correlationId });
    if (contract.auth === 'public') return;
    const principal = principalFromClaims(request.event.requestContext.authorizer?.jwt?.claims);
    if (!principal) throw unauthorized();
    if (!hasAnyRole(principal, contract.auth.roles)) {
      throw forbidden(`This needs one of the roles: ${contract.auth.roles.join(', ')}.`);
    }
    event.principal = principal;
  },
  after: (request) => {
    const event = request.event as ValidatedEvent;
    if (request.response) {
      request.response.headers = { ...request.response.headers, 'x-correlation-id': event.correlationId };
    }
  },
});

const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

const notUtf8 = (text: string, index: number) => {
  const line = text.slice(0, Math.max(index, 0)).split('\n').length;
  const message = `is not valid UTF-8 text (line ${line}): save it as UTF-8 (in a spreadsheet, "CSV UTF-8") and send it again`;
  return badRequest(`The body ${message}.`, [{ location: 'body', message }]);
};

const GZIP = 'application/gzip';

/** The text a gzip body holds, refusing more than `maxTextBytes` (a gzip bomb is a 413, not an outage). */
const gunzipText = (compressed: Buffer, maxTextBytes: number): Buffer => {
  try {
    return gunzipSync(compressed, { maxOutputLength: maxTextBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw payloadTooLarge(maxTextBytes);
    throw badRequest('The body is not valid gzip.', [{ location: 'body', message: 'is not valid gzip' }]);
  }
};

/**
 * The body as text. Bytes that are not UTF-8 (a Latin-1 file, a truncated character) are refused
 * rather than silently turned into U+FFFD: API Gateway hands text bodies over already decoded
 * (with U+FFFD where the bytes were not UTF-8), binary ones as base64.
 */
const rawBodyOf = (
  event: HttpEvent,
  maxBytes: number,
  gzip?: { maxBytes: number; maxTextBytes: number },
): string | undefined => {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  const compressed = gzip !== undefined && mediaTypeOf(event) === GZIP;
  if (raw.byteLength > (compressed ? gzip.maxBytes : maxBytes))
    throw payloadTooLarge(compressed ? gzip.maxBytes : maxBytes);
  const bytes = compressed ? gunzipText(raw, gzip.maxTextBytes) : raw;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lossy = bytes.toString('utf8');
    throw notUtf8(lossy, lossy.indexOf('\uFFFD'));
  }
  const replaced = text.indexOf('\uFFFD');
  if (replaced >= 0) throw notUtf8(text, replaced);
  return text;
};

const mediaTypeOf = (event: HttpEvent): string =>
  (event.headers?.['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`The body is not valid JSON: ${(error as Error).message}`, [
      { location: 'body', message: 'is not valid JSON' },
    ]);
  }
};

/**
 * Parses and validates path parameters, query and body with the route's zod schemas,
 * reporting every wrong field at once.
 */
export const validateRequest = (contract: RouteContract): MiddlewareObj<HttpEvent, HttpResult> => ({
  before: (request) => {
    const event = request.event as ValidatedEvent;
    const errors = [];
    const validated: ValidatedEvent['validated'] = { params: undefined, query: undefined, body: undefined };

    for (const [part, input, prefix] of [
      ['params', request.event.pathParameters ?? {}, 'path'],
      ['query', request.event.queryStringParameters ?? {}, 'query'],
    ] as const) {
      const schema = contract[part];
      if (!schema) continue;
      const parsed = schema.safeParse(input, humaneParse);
      if (parsed.success) validated[part] = parsed.data;
      else errors.push(...fieldErrorsOf(parsed.error, prefix));
    }

    if (contract.body) {
      const expected = contract.body.mediaType ?? 'application/json';
      const given = mediaTypeOf(request.event);
      const accepted = given === expected || (contract.body.gzip !== undefined && given === GZIP);
      // The media type is checked before the body is read (a gzip body is only opened when allowed).
      if (request.event.body && !accepted) {
        throw unsupportedMediaType(contract.body.gzip ? `${expected} (or ${GZIP} of it)` : expected);
      }
      const text = rawBodyOf(request.event, contract.body.maxBytes ?? DEFAULT_MAX_BODY_BYTES, contract.body.gzip);
      if (text === undefined) {
        errors.push({ location: 'body', message: 'is required' });
      } else {
        const input = expected === 'application/json' ? parseJson(text) : text;
        const parsed = contract.body.schema.safeParse(input, humaneParse);
        if (parsed.success) validated.body = parsed.data;
        else errors.push(...fieldErrorsOf(parsed.error, 'body'));
      }
    }

    if (errors.length > 0) throw badRequest('The request has invalid fields.', errors);
    event.validated = validated;
  },
});

/**
 * The middy middlewares every HTTP handler uses, shared as values. Each handler writes its
 * chain inline (see services/matching/handlers/people-api-handler.ts), in this order:
 *
 *   middy<Event>()
 *     .use(httpCors).use(httpSecurityHeaders)   // headers on every response, errors included
 *     .use(problemResponses(mapDomainError))    // any error -> application/problem+json
 *     .use(authorizeRoute(route))               // principal from JWT claims + the route's roles
 *     .use(validateRequest(schemas))            // JSON/CSV body, zod on path, query and body
 *     .handler(...)
 *
 * middy runs `onError` in reverse order, so problemResponses turns the error into a
 * response before the header middlewares decorate it.
 */
import type { MiddlewareObj } from '@middy/core';
import cors from '@middy/http-cors';
import securityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type * as z from 'zod';
import { hasAnyRole, type Principal, principalFromClaims } from '../auth/principal';
import type { RouteDeclaration } from '../declaration';
import { logger } from '../observability';
import { apiCorsPolicy } from './cors';
import { badRequest, forbidden, HttpProblem, payloadTooLarge, unauthorized, unsupportedMediaType } from './errors';
import type { HttpResult } from './responses';
import { fieldErrorsOf } from './validation';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

export interface RequestSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** `application/json` (default) or a text type such as `text/csv`, passed through as a string. */
  bodyMediaType?: string;
  /** Largest accepted body; larger ones get 413. */
  maxBodyBytes?: number;
}

type Inferred<T> = T extends z.ZodType ? z.infer<T> : undefined;

/** The event a handler sees after the chain: typed from the route's own zod schemas. */
export type ValidatedEvent<TSchemas extends RequestSchemas> = HttpEvent & {
  principal: Principal;
  correlationId: string;
  validated: {
    params: Inferred<TSchemas['params']>;
    query: Inferred<TSchemas['query']>;
    body: Inferred<TSchemas['body']>;
  };
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

/**
 * Turns every error into `application/problem+json`. Domain errors are mapped by the
 * service; anything unexpected is logged with its stack and answered with a bare 500.
 */
export const problemResponses = (
  mapDomainError: (error: unknown) => HttpProblem | undefined = () => undefined,
): MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: (request) => {
    const error = request.error;
    const problem = error instanceof HttpProblem ? error : mapDomainError(error);
    const correlationId = correlationIdOf(request.event);
    if (!problem) {
      logger.error('Unhandled error', { error: error as Error, correlationId });
    }
    const answer = problem ?? new HttpProblem(500, 'Internal Server Error', 'Something went wrong on our side.');
    request.response = {
      statusCode: answer.status,
      headers: {
        'content-type': 'application/problem+json',
        'x-correlation-id': correlationId,
        ...answer.headers,
      },
      body: JSON.stringify(answer.toProblem(request.event.rawPath)),
    };
  },
});

/** Establishes the principal from the authorizer's claims and enforces the route's roles. */
export const authorizeRoute = (route: RouteDeclaration): MiddlewareObj<HttpEvent, HttpResult> => ({
  before: (request) => {
    const event = request.event as ValidatedEvent<RequestSchemas>;
    event.correlationId = correlationIdOf(request.event);
    logger.appendKeys({ correlationId: event.correlationId });
    if (route.auth === 'public') return;
    const principal = principalFromClaims(request.event.requestContext.authorizer?.jwt?.claims);
    if (!principal) throw unauthorized();
    if (!hasAnyRole(principal, route.auth.roles)) {
      throw forbidden(`This needs one of the roles: ${route.auth.roles.join(', ')}.`);
    }
    event.principal = principal;
  },
  after: (request) => {
    const event = request.event as ValidatedEvent<RequestSchemas>;
    if (request.response) {
      request.response.headers = { ...request.response.headers, 'x-correlation-id': event.correlationId };
    }
  },
});

const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

const rawBodyOf = (event: HttpEvent, maxBytes: number): string | undefined => {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.byteLength > maxBytes) throw payloadTooLarge(maxBytes);
  return bytes.toString('utf8');
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
export const validateRequest = <TSchemas extends RequestSchemas>(
  schemas: TSchemas,
): MiddlewareObj<HttpEvent, HttpResult> => ({
  before: (request) => {
    const event = request.event as ValidatedEvent<TSchemas>;
    const errors = [];
    const validated: Record<string, unknown> = {};

    for (const [part, input, prefix] of [
      ['params', request.event.pathParameters ?? {}, 'path'],
      ['query', request.event.queryStringParameters ?? {}, 'query'],
    ] as const) {
      const schema = schemas[part];
      if (!schema) continue;
      const parsed = schema.safeParse(input);
      if (parsed.success) validated[part] = parsed.data;
      else errors.push(...fieldErrorsOf(parsed.error, prefix));
    }

    if (schemas.body) {
      const expected = schemas.bodyMediaType ?? 'application/json';
      const text = rawBodyOf(request.event, schemas.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
      if (text === undefined) {
        errors.push({ location: 'body', message: 'is required' });
      } else {
        if (mediaTypeOf(request.event) !== expected) throw unsupportedMediaType(expected);
        const input = expected === 'application/json' ? parseJson(text) : text;
        const parsed = schemas.body.safeParse(input);
        if (parsed.success) validated.body = parsed.data;
        else errors.push(...fieldErrorsOf(parsed.error, 'body'));
      }
    }

    if (errors.length > 0) throw badRequest('The request has invalid fields.', errors);
    event.validated = validated as ValidatedEvent<TSchemas>['validated'];
  },
});

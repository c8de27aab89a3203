import type { ServiceDeclaration } from '../declaration';
import * as z from '../zod';
import { mediaTypeOf, problemsOf, type RouteContract } from './contract';
import { GatewayErrorSchema, ProblemSchema } from './problem';

type JsonSchema = Record<string, unknown>;

const schemaOf = (schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const parametersOf = (schema: z.ZodMiniType | undefined, location: 'path' | 'query') => {
  if (!schema) return [];
  const json = schemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
};

const headersOf = (headers: Readonly<Record<string, string>> | undefined) =>
  headers
    ? {
        headers: Object.fromEntries(
          Object.entries(headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]),
        ),
      }
    : {};

/** One operation, entirely from the route's contract: every status it may answer is listed. */
export const operationOf = (serviceName: string, route: RouteContract) => {
  const problem = { 'application/problem+json': { schema: schemaOf(ProblemSchema, 'output') } };
  const successes = Object.entries(route.responses).map(([status, response]) => [
    status,
    {
      description: response.description,
      ...headersOf(response.headers),
      ...(response.schema
        ? { content: { [mediaTypeOf(response)]: { schema: schemaOf(response.schema, 'output') } } }
        : {}),
    },
  ]);
  // A 401 normally comes from the JWT authorizer in API Gateway, in its own shape.
  const gatewayUnauthorized = { 'application/json': { schema: schemaOf(GatewayErrorSchema, 'output') } };
  const problems = Object.entries(problemsOf(route)).map(([status, description]) => [
    status,
    { description, content: status === '401' ? { ...gatewayUnauthorized, ...problem } : problem },
  ]);
  return {
    operationId: `${serviceName}:${route.method} ${route.path}`,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [serviceName],
    ...(route.auth === 'public'
      ? { security: [] }
      : { security: [{ bearerAuth: [] }], 'x-roles': [...route.auth.roles] }),
    parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: {
              [route.body.mediaType ?? 'application/json']: { schema: schemaOf(route.body.schema, 'input') },
              ...(route.body.gzip
                ? {
                    'application/gzip': {
                      schema: {
                        type: 'string',
                        format: 'binary',
                        description: `The same ${route.body.mediaType ?? 'body'}, gzip-compressed (at most ${route.body.gzip.maxBytes} bytes, ${route.body.gzip.maxTextBytes} once decompressed)`,
                      },
                    },
                  }
                : {}),
            },
          },
        }
      : {}),
    responses: Object.fromEntries([...successes, ...problems]),
  };
};

/** The OpenAPI 3.1 document of every declared route, generated from the routes' contracts. */
export const buildOpenApiDocument = (services: readonly ServiceDeclaration[], serverUrl?: string) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const service of services) {
    for (const route of service.routes) {
      paths[route.path] ??= {};
      (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operationOf(service.name, route);
    }
  }
  return {
    openapi: '3.1.0' as const,
    info: {
      title: 'Mentoring platform API',
      version: '1.0.0',
      description: 'Matching, scheduling, pulse and escalation routing. Errors are RFC 9457 application/problem+json.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
};

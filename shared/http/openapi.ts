import * as z from 'zod';
import type { RouteDeclaration, ServiceDeclaration } from '../declaration';

type JsonSchema = Record<string, unknown>;

const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const parametersOf = (schema: z.ZodType | undefined, location: 'path' | 'query') => {
  if (!schema) return [];
  const json = schemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
};

const operationOf = (service: ServiceDeclaration, route: RouteDeclaration) => {
  const { docs } = route;
  return {
    operationId: `${service.name}:${route.method} ${route.path}`,
    summary: docs.summary,
    tags: [service.name],
    ...(route.auth === 'public'
      ? { security: [] }
      : { security: [{ bearerAuth: [] }], 'x-roles': [...route.auth.roles] }),
    parameters: [...parametersOf(docs.params, 'path'), ...parametersOf(docs.query, 'query')],
    ...(docs.body
      ? {
          requestBody: {
            required: true,
            content: { [docs.bodyMediaType ?? 'application/json']: { schema: schemaOf(docs.body, 'input') } },
          },
        }
      : {}),
    responses: Object.fromEntries(
      Object.entries(docs.responses).map(([status, response]) => [
        status,
        {
          description: response.description,
          ...(response.schema
            ? {
                content: {
                  [Number(status) >= 400 ? 'application/problem+json' : 'application/json']: {
                    schema: schemaOf(response.schema, 'output'),
                  },
                },
              }
            : {}),
        },
      ]),
    ),
  };
};

/** The OpenAPI 3.1 document of every declared route, generated from the routes' zod schemas. */
export const buildOpenApiDocument = (services: readonly ServiceDeclaration[], serverUrl?: string) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const service of services) {
    for (const route of service.routes) {
      paths[route.path] ??= {};
      (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operationOf(service, route);
    }
  }
  return {
    openapi: '3.1.0',
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

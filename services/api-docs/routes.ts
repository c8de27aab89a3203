import { defineRoute } from '../../shared/http/contract';
import * as z from '../../shared/zod';

export const HealthSchema = z.object({ status: z.literal('ok'), time: z.iso.datetime() });

export const getHealth = defineRoute({
  method: 'GET',
  path: '/health',
  summary: 'Liveness',
  auth: 'public',
  responses: { 200: { description: 'Up', schema: HealthSchema } },
});

export const getOpenApiDocument = defineRoute({
  method: 'GET',
  path: '/openapi.json',
  summary: 'This API’s OpenAPI 3.1 document',
  auth: 'public',
  responses: {
    200: {
      description: 'The OpenAPI document, generated from every route contract',
      schema: z.looseObject({ openapi: z.literal('3.1.0'), paths: z.record(z.string(), z.unknown()) }),
    },
  },
});

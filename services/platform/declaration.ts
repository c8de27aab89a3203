import * as z from 'zod';
import type { ServiceDeclaration } from '../../shared/declaration';

export const HealthSchema = z.object({ status: z.literal('ok'), time: z.iso.datetime() });

/** Cross-cutting HTTP endpoints: health and the OpenAPI document of every declared route. */
export const platformService: ServiceDeclaration = {
  name: 'platform',
  description: 'Health check and the OpenAPI document.',
  functions: [
    {
      name: 'api-docs',
      entry: 'services/platform/handlers/api-docs.ts',
      description: 'GET /health and GET /openapi.json.',
      memoryMb: 256,
      timeoutSeconds: 10,
      access: {},
    },
  ],
  routes: [
    {
      method: 'GET',
      path: '/health',
      function: 'api-docs',
      auth: 'public',
      docs: { summary: 'Liveness', responses: { 200: { description: 'Up', schema: HealthSchema } } },
    },
    {
      method: 'GET',
      path: '/openapi.json',
      function: 'api-docs',
      auth: 'public',
      docs: { summary: 'This API’s OpenAPI 3.1 document', responses: { 200: { description: 'OpenAPI document' } } },
    },
  ],
  subscriptions: [],
  schedules: [],
};

import { defineService } from '../../shared/declaration';
import { getHealth, getOpenApiDocument } from './routes';

/** Cross-cutting HTTP endpoints: health and the OpenAPI document of every declared route. */
export const apiDocsService = defineService({
  name: 'api-docs',
  description: 'Health check and the OpenAPI document.',
  functions: [
    {
      name: 'api-docs',
      entry: 'services/api-docs/handlers/api-docs.ts',
      description: 'GET /health and GET /openapi.json.',
      memoryMb: 256,
      timeoutSeconds: 10,
      access: {},
      routes: [getHealth, getOpenApiDocument],
    },
  ],
});

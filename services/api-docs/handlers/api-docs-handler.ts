import type { ServiceDeclaration } from '../../../shared/declaration';
import { buildOpenApiDocument } from '../../../shared/http/openapi';
import { routesAnswering, serveRoutes } from '../../../shared/http/route';
import type { Clock } from '../../../shared/ports';
import { getHealth, getOpenApiDocument } from '../routes';

const route = routesAnswering([]);

export const createApiDocsHandler = (services: readonly ServiceDeclaration[], clock: Clock) => {
  // Generated once per instance: the declarations do not change while it runs.
  let document: ReturnType<typeof buildOpenApiDocument> | undefined;

  return serveRoutes(
    route(getHealth).handle(async () => ({ status: 200, body: { status: 'ok', time: clock().toISOString() } })),
    route(getOpenApiDocument).handle(async ({ event }) => {
      // API Gateway (and the local gateway) say which scheme the client used.
      const scheme = event.headers['x-forwarded-proto'] === 'http' ? 'http' : 'https';
      document ??= buildOpenApiDocument(services, `${scheme}://${event.requestContext.domainName}`);
      return { status: 200, body: document, headers: { 'cache-control': 'max-age=300' } };
    }),
  );
};

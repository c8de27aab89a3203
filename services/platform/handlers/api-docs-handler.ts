import type { ServiceDeclaration } from '../../../shared/declaration';
import type { HttpEvent } from '../../../shared/http/middleware';
import { buildOpenApiDocument } from '../../../shared/http/openapi';
import { json } from '../../../shared/http/responses';
import { routeChainFor } from '../../../shared/http/route-chain';
import { dispatchByRouteKey } from '../../../shared/http/router';
import type { Clock } from '../../../shared/ports';
import { platformService } from '../declaration';

export const createApiDocsHandler = (services: readonly ServiceDeclaration[], clock: Clock) => {
  // Generated once per instance: the declarations do not change while it runs.
  let document: ReturnType<typeof buildOpenApiDocument> | undefined;
  const chain = routeChainFor(platformService);

  // Chains are built before being handed to the dispatcher so their own event types are inferred.
  const health = chain<HttpEvent>('GET /health').handler(async () =>
    json(200, { status: 'ok', time: clock().toISOString() }),
  );
  const openApi = chain<HttpEvent>('GET /openapi.json').handler(async (event) => {
    // API Gateway (and the local gateway) say which scheme the client used.
    const scheme = event.headers['x-forwarded-proto'] === 'http' ? 'http' : 'https';
    document ??= buildOpenApiDocument(services, `${scheme}://${event.requestContext.domainName}`);
    return json(200, document, { 'cache-control': 'max-age=300' });
  });
  return dispatchByRouteKey({ 'GET /health': health, 'GET /openapi.json': openApi });
};

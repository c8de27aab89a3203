import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/ports';
import { httpEvent, lambdaContext } from '../../../test/builders/http-event';
import { allServices } from '../../index';
import { createApiDocsHandler } from './api-docs-handler';

const handler = createApiDocsHandler(allServices, fixedClock('2026-11-24T10:00:00Z'));
const call = (routeKey: string) =>
  handler(httpEvent({ routeKey }), lambdaContext(), { signal: new AbortController().signal });

describe('platform API docs', () => {
  it('answers /health without a token', async () => {
    const response = await call('GET /health');
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '')).toEqual({ status: 'ok', time: '2026-11-24T10:00:00.000Z' });
  });

  it('documents every declared route, with its parameters, body schema, security and roles', async () => {
    const document = JSON.parse((await call('GET /openapi.json')).body ?? '');
    expect(document.openapi).toBe('3.1.0');
    for (const service of allServices) {
      for (const route of service.routes) {
        expect(document.paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
      }
    }
    const put = document.paths['/people/{personId}'].put;
    expect(put.parameters).toEqual([expect.objectContaining({ name: 'personId', in: 'path', required: true })]);
    const body = put.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['name', 'email', 'timezone', 'domain', 'level']));
    expect(body.additionalProperties).toBe(false);
    expect(put.security).toEqual([{ bearerAuth: [] }]);
    expect(put['x-roles']).toEqual(['admin', 'life-coach']);
    expect(put.responses['400'].content['application/problem+json']).toBeDefined();
    expect(document.paths['/health'].get.security).toEqual([]);
    expect(Object.keys(document.paths['/people/imports'].post.requestBody.content)).toEqual([
      'text/csv',
      'application/gzip',
    ]);
    expect(document.paths['/people'].get.parameters.map((parameter: { name: string }) => parameter.name)).toEqual([
      'limit',
      'cursor',
      'domain',
      'status',
      'q',
    ]);
  });

  it('names the server with the scheme the client used (API Gateway says it in x-forwarded-proto)', async () => {
    const serverOf = async (headers: Record<string, string>) => {
      const fresh = createApiDocsHandler(allServices, fixedClock('2026-11-24T10:00:00Z'));
      const response = await fresh(httpEvent({ routeKey: 'GET /openapi.json', headers }), lambdaContext(), {
        signal: new AbortController().signal,
      });
      return JSON.parse(response.body ?? '').servers;
    };
    expect(await serverOf({ 'x-forwarded-proto': 'https' })).toEqual([{ url: 'https://localhost' }]);
    expect(await serverOf({ 'x-forwarded-proto': 'http' })).toEqual([{ url: 'http://localhost' }]);
    expect(await serverOf({})).toEqual([{ url: 'https://localhost' }]);
  });
});

import { describe, expect, it } from 'vitest';
import { httpEvent, lambdaContext } from '../test/builders/http-event';
import { defineEvent, detailSchemaOf } from './events/envelope';
import { defineRoute } from './http/contract';
import { routesAnswering, serveRoutes } from './http/route';
import { lazySchema } from './lazy-schema';
import * as z from './zod';

/** A schema builder that counts how often it ran. */
const counted = <TSchema>(build: () => TSchema) => {
  const counter = { builds: 0 };
  return Object.assign(
    () => {
      counter.builds += 1;
      return build();
    },
    { counter },
  );
};

describe('lazySchema', () => {
  it('builds the schema on first use only, and returns that same instance afterwards', () => {
    const build = counted(() => z.object({ name: z.string() }));
    const schema = lazySchema(build);
    expect(build.counter.builds).toBe(0);
    const first = schema();
    expect(schema()).toBe(first);
    expect(build.counter.builds).toBe(1);
    expect(first.parse({ name: 'Ada' })).toEqual({ name: 'Ada' });
  });
});

describe('a route contract with schemas given as functions', () => {
  const params = counted(() => z.strictObject({ thingId: z.string().check(z.regex(/^t-\d+$/)) }));
  const body = counted(() => z.strictObject({ note: z.string() }));
  const reply = counted(() => z.object({ thingId: z.string(), note: z.string() }));
  const other = counted(() => z.strictObject({ otherId: z.string() }));
  const writeThing = defineRoute({
    method: 'PUT',
    path: '/things/{thingId}',
    summary: 'Write a thing',
    auth: { roles: ['employee'] },
    params,
    body: { schema: body },
    responses: { 200: { description: 'The thing', schema: reply } },
  });
  const readOther = defineRoute({
    method: 'GET',
    path: '/others/{otherId}',
    summary: 'Read another thing',
    auth: { roles: ['employee'] },
    params: other,
    responses: { 204: { description: 'Found' } },
  });
  const route = routesAnswering([]);
  const handler = serveRoutes(
    route(writeThing).handle(async ({ params: { thingId }, body: { note } }) => ({
      status: 200,
      body: { thingId, note },
    })),
    route(readOther).handle(async () => ({ status: 204 })),
  );

  it('builds no schema when its handlers are set up (at cold start)', () => {
    expect([params, body, reply, other].map((build) => build.counter.builds)).toEqual([0, 0, 0, 0]);
  });

  it('builds only the request schemas of the route it serves, once, and still validates with them', async () => {
    const request = (thingId: string) =>
      handler(
        httpEvent({
          routeKey: 'PUT /things/{thingId}',
          pathParameters: { thingId },
          body: { note: 'hello' },
          caller: { personId: 'p-1', groups: ['employee'] },
        }),
        lambdaContext(),
      );
    expect((await request('t-1')).statusCode).toBe(200);
    expect((await request('nope')).statusCode).toBe(400);
    expect([params, body, reply, other].map((build) => build.counter.builds)).toEqual([1, 1, 0, 0]);
  });

  it('reads as a plain contract: each schema is one instance, documented statuses include the chain’s', () => {
    expect(writeThing.params).toBe(writeThing.params);
    expect(writeThing.responses[200].schema.parse({ thingId: 't-1', note: 'n' })).toEqual({
      thingId: 't-1',
      note: 'n',
    });
    expect({ ...writeThing }.params).toBe(writeThing.params);
    expect(reply.counter.builds).toBe(1);
  });
});

describe('an event contract whose data schema is given as a function', () => {
  it('builds it on first read, once', () => {
    const data = counted(() => z.object({ thingId: z.string() }));
    const contract = defineEvent({ source: 'test', detailType: 'Thing.Done', version: 1, description: 'd', data });
    expect(data.counter.builds).toBe(0);
    expect(contract.data).toBe(contract.data);
    const detail = {
      metadata: { id: 'e-1', version: 1, occurredAt: '2026-01-01T00:00:00Z', correlationId: 'c', service: 's' },
      data: { thingId: 't-1' },
    };
    expect(detailSchemaOf(contract).parse(detail)).toEqual(detail);
    expect(data.counter.builds).toBe(1);
  });
});

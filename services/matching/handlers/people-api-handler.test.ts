import { gzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/ports';
import {
  admin,
  employee,
  type HttpEventInput,
  httpEvent,
  lambdaContext,
  lifeCoach,
} from '../../../test/builders/http-event';
import { personBody, rosterHeader, testDomains } from '../../../test/builders/people';
import { storedPerson } from '../../../test/builders/pods';
import { contractCoverage } from '../../../test/support/contract-conformance';
import { handlerCaller } from '../../../test/support/http-handler';
import { createInMemoryImportRepository } from '../adapters/in-memory-import-repository';
import { createInMemoryPeopleRepository } from '../adapters/in-memory-people-repository';
import { createInMemoryProgrammeSettings } from '../adapters/programme-settings-repository';
import type { PeopleRepository } from '../domain/people/directory';
import { ConcurrentModificationError } from '../domain/people/errors';
import { processImport } from '../domain/people/roster-import';
import { peopleRoutes } from '../routes/people';
import { createPeopleApiHandler } from './people-api-handler';

/** Every answer is held against its route's contract; the last test checks each documented status was seen. */
const coverage = contractCoverage(peopleRoutes);

const setup = (overrides: Partial<PeopleRepository> = {}) => {
  const store = createInMemoryPeopleRepository();
  const programme = createInMemoryProgrammeSettings({ domains: testDomains });
  const people = { ...store.repository, ...overrides };
  const imports = createInMemoryImportRepository(people, store.published);
  const deps = { people, programme, clock: fixedClock('2026-11-24T10:00:00Z'), imports: imports.repository };
  const handler = createPeopleApiHandler(deps);
  /** What the worker does on RosterImport.Submitted (the end-to-end tests run the real one). */
  const worker = (importId: string) => processImport(deps, importId, { correlationId: 'worker' });
  const { call } = handlerCaller(handler, coverage);
  /** Without the contract check: for the one answer no contract lists (an unexpected 500). */
  const callRaw = async (input: HttpEventInput) => {
    const response = await handler(httpEvent(input), lambdaContext());
    return { ...response, json: response.body ? JSON.parse(response.body) : undefined };
  };
  return { store, call, callRaw, programme, worker };
};

const putAda = (call: ReturnType<typeof setup>['call'], body: object = personBody()) =>
  call({ routeKey: 'PUT /people/{personId}', pathParameters: { personId: 'ada' }, body, caller: admin });

describe('PUT /people/{personId}', () => {
  let ctx: ReturnType<typeof setup>;
  beforeEach(() => {
    ctx = setup();
  });

  it('creates a person (201), applying defaults, and records Person.Registered in the outbox', async () => {
    const response = await putAda(ctx.call);
    expect(response.statusCode).toBe(201);
    expect(response.json).toMatchObject({
      personId: 'ada',
      status: 'active',
      version: 1,
      workingHours: { start: '09:00', end: '17:00' },
      mentorCapacity: 5,
    });
    expect(ctx.store.published.map((recorded) => recorded.event.contract.detailType)).toEqual(['Person.Registered']);
  });

  it('answers 200 with no event when nothing changed, and Person.Updated naming the changed fields otherwise', async () => {
    await putAda(ctx.call);
    const same = await putAda(ctx.call);
    expect(same.statusCode).toBe(200);
    expect(same.json.version).toBe(1);
    expect(ctx.store.published).toHaveLength(1);

    const moved = await putAda(ctx.call, personBody({ level: 6, domain: 'data' }));
    expect(moved.statusCode).toBe(200);
    expect(moved.json.version).toBe(2);
    const updated = ctx.store.published[1]?.event;
    expect(updated?.contract.detailType).toBe('Person.Updated');
    expect(updated?.data).toMatchObject({ changedFields: expect.arrayContaining(['domain', 'level']) });
    expect((updated?.data as { changedFields?: string[] } | undefined)?.changedFields).toHaveLength(2);
  });

  it('carries the caller’s correlation id into the events it records', async () => {
    await ctx.call({
      routeKey: 'PUT /people/{personId}',
      pathParameters: { personId: 'ada' },
      body: personBody(),
      caller: admin,
      headers: { 'x-correlation-id': 'corr-42' },
    });
    expect(ctx.store.published[0]?.correlationId).toBe('corr-42');
  });

  it('names every wrong field in one problem+json 400', async () => {
    const response = await ctx.call({
      routeKey: 'PUT /people/{personId}',
      pathParameters: { personId: 'bad id!' },
      body: personBody({ email: 'not-an-email', level: 'senior', timezone: 'Mars/Olympus', nickname: 'x' }),
      caller: admin,
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    const locations = response.json.errors.map((error: { location: string }) => error.location).sort();
    expect(locations).toEqual(['body.email', 'body.level', 'body.nickname', 'body.timezone', 'path.personId']);
    expect(ctx.store.people.size).toBe(0);
  });

  it('rejects malformed JSON (400), a non-JSON media type (415) and an oversized body (413)', async () => {
    const malformed = await ctx.call({
      routeKey: 'PUT /people/{personId}',
      pathParameters: { personId: 'ada' },
      body: '{"name": ',
      caller: admin,
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json.detail).toMatch(/not valid JSON/);

    const wrongType = await ctx.call({
      routeKey: 'PUT /people/{personId}',
      pathParameters: { personId: 'ada' },
      body: 'name=ada',
      contentType: 'application/x-www-form-urlencoded',
      caller: admin,
    });
    expect(wrongType.statusCode).toBe(415);

    const huge = await putAda(ctx.call, personBody({ name: 'x'.repeat(70 * 1024) }));
    expect(huge.statusCode).toBe(413);
    expect(huge.headers?.['content-type']).toBe('application/problem+json');
  });

  it('forbids an employee (403) and a caller without claims (401)', async () => {
    const asEmployee = await ctx.call({
      routeKey: 'PUT /people/{personId}',
      pathParameters: { personId: 'ada' },
      body: personBody(),
      caller: employee('ada'),
    });
    expect(asEmployee.statusCode).toBe(403);
    const anonymous = await ctx.call({
      routeKey: 'PUT /people/{personId}',
      pathParameters: { personId: 'ada' },
      body: personBody(),
    });
    expect(anonymous.statusCode).toBe(401);
    expect(ctx.store.people.size).toBe(0);
  });

  it('answers 409 when every retry loses the race to another writer, and 409 for an offboarding too', async () => {
    const racing = setup({
      write: async (write) => {
        throw new ConcurrentModificationError(write?.kind === 'person' ? write.person.personId : 'ada');
      },
    });
    await racing.store.repository.write(
      { kind: 'person', person: storedPerson('ada'), before: undefined, events: [] },
      { correlationId: 'seed' },
    );
    const put = await putAda(racing.call);
    expect(put.statusCode).toBe(409);
    expect(put.json.detail).toMatch(/changed by someone else/);
    const removed = await racing.call({
      routeKey: 'DELETE /people/{personId}',
      pathParameters: { personId: 'ada' },
      caller: admin,
    });
    expect(removed.statusCode).toBe(409);
  });

  it('answers an unexpected failure with a bare 500 problem, no stack trace', async () => {
    const failing = setup({
      get: async () => {
        throw new Error('connection reset at /var/task/index.js:12');
      },
    });
    const response = await putAda(failing.callRaw);
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toMatch(/var\/task|connection reset|at /);
    expect(response.json.title).toBe('Internal Server Error');
  });

  it('sets CORS, security and correlation headers on success and on errors', async () => {
    for (const response of [await putAda(ctx.call), await putAda(ctx.call, { name: 1 })]) {
      const headers = Object.fromEntries(
        Object.entries(response.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
      );
      expect(headers['access-control-allow-origin']).toBe('*');
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['x-correlation-id']).toBeTruthy();
    }
  });
});

describe('GET /people/{personId}', () => {
  it('lets a person read themselves and staff read anyone', async () => {
    const ctx = setup();
    await putAda(ctx.call);
    for (const caller of [employee('ada'), admin, lifeCoach]) {
      const response = await ctx.call({
        routeKey: 'GET /people/{personId}',
        pathParameters: { personId: 'ada' },
        caller,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json.email).toBe('ada@example.com');
    }
  });

  it('answers another person’s record exactly like a missing one (no existence leak)', async () => {
    const ctx = setup();
    await putAda(ctx.call);
    const someoneElses = await ctx.call({
      routeKey: 'GET /people/{personId}',
      pathParameters: { personId: 'ada' },
      caller: employee('bob'),
    });
    const missing = await ctx.call({
      routeKey: 'GET /people/{personId}',
      pathParameters: { personId: 'nobody' },
      caller: employee('bob'),
    });
    expect(someoneElses.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(someoneElses.json.title).toBe(missing.json.title);
    expect(someoneElses.body).not.toContain('ada@example.com');
  });
});

describe('GET /people', () => {
  it('pages through everyone with a cursor and filters by domain', async () => {
    const ctx = setup();
    for (const [personId, domain] of [
      ['a1', 'backend'],
      ['a2', 'backend'],
      ['b1', 'data'],
      ['a3', 'backend'],
    ]) {
      await ctx.call({
        routeKey: 'PUT /people/{personId}',
        pathParameters: { personId: personId as string },
        body: personBody({ domain, email: `${personId}@example.com` }),
        caller: admin,
      });
    }
    const first = await ctx.call({ routeKey: 'GET /people', query: { limit: '2' }, caller: lifeCoach });
    expect(first.json.items).toHaveLength(2);
    const second = await ctx.call({
      routeKey: 'GET /people',
      query: { limit: '2', cursor: first.json.nextCursor },
      caller: lifeCoach,
    });
    const seen = [...first.json.items, ...second.json.items].map((person: { personId: string }) => person.personId);
    expect(seen.sort()).toEqual(['a1', 'a2', 'a3', 'b1']);
    expect(second.json.nextCursor).toBeUndefined();

    const data = await ctx.call({ routeKey: 'GET /people', query: { domain: 'data' }, caller: admin });
    expect(data.json.items.map((person: { personId: string }) => person.personId)).toEqual(['b1']);
  });

  it('rejects a bad limit and an employee caller', async () => {
    const ctx = setup();
    const badLimit = await ctx.call({ routeKey: 'GET /people', query: { limit: '1000' }, caller: admin });
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.json.errors[0].location).toBe('query.limit');
    const asEmployee = await ctx.call({ routeKey: 'GET /people', caller: employee('ada') });
    expect(asEmployee.statusCode).toBe(403);
  });
});

describe('DELETE /people/{personId}', () => {
  it('offboards once (204, Person.Offboarded) and is idempotent; unknown people are 404', async () => {
    const ctx = setup();
    await putAda(ctx.call);
    const first = await ctx.call({
      routeKey: 'DELETE /people/{personId}',
      pathParameters: { personId: 'ada' },
      caller: admin,
    });
    const again = await ctx.call({
      routeKey: 'DELETE /people/{personId}',
      pathParameters: { personId: 'ada' },
      caller: admin,
    });
    expect([first.statusCode, again.statusCode]).toEqual([204, 204]);
    expect(ctx.store.people.get('ada')?.status).toBe('offboarded');
    expect(ctx.store.published.map((recorded) => recorded.event.contract.detailType)).toEqual([
      'Person.Registered',
      'Person.Offboarded',
    ]);
    const unknown = await ctx.call({
      routeKey: 'DELETE /people/{personId}',
      pathParameters: { personId: 'zed' },
      caller: admin,
    });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('roster imports: POST /people/imports, then the worker, then the report', () => {
  const roster = [
    rosterHeader,
    'p1,Ana Silva,ana@example.com,Europe/Lisbon,backend,3,apollo,p3,java;sql,cloud,pt;en,employee,,,,,',
    'p2,Bo Chen,not-an-email,Asia/Shanghai,data,12,,,,,,,,,,,',
    'p3,"Ng, Carla",carla@example.com,America/New_York,backend,7,zeus,,"aws;go",mentoring,en,employee;mentor,4,08:00,16:00,12,true',
    'p1,Ana Again,ana2@example.com,Europe/Lisbon,backend,3,,,,,,,,,,,',
  ].join('\n');

  const submit = (call: ReturnType<typeof setup>['call'], csv: string, contentType = 'text/csv') =>
    call({ routeKey: 'POST /people/imports', body: csv, contentType, caller: admin });
  const read = (
    call: ReturnType<typeof setup>['call'],
    importId: string,
    routeKey = 'GET /people/imports/{importId}',
    query?: Record<string, string>,
  ) => call({ routeKey, pathParameters: { importId }, caller: lifeCoach, ...(query ? { query } : {}) });

  it('accepts the file at once (202, its URL); the worker lands the valid rows and reports each invalid one', async () => {
    const ctx = setup();
    const accepted = await submit(ctx.call, roster);
    expect(accepted.statusCode).toBe(202);
    expect(accepted.headers?.location).toBe(`/people/imports/${accepted.json.importId}`);
    expect(accepted.json).toMatchObject({ status: 'queued', rows: 4, progress: { applied: 0, total: 4 } });
    expect(ctx.store.people.size).toBe(0);

    await ctx.worker(accepted.json.importId);
    const done = await read(ctx.call, accepted.json.importId);
    expect(done.json).toMatchObject({
      status: 'completed',
      progress: { applied: 4, total: 4 },
      counts: { created: 2, updated: 0, unchanged: 0, rejected: 2 },
    });
    expect(done.json.rejectedSample.map((row: { line: number }) => row.line)).toEqual([3, 5]);
    const rows = await read(ctx.call, accepted.json.importId, 'GET /people/imports/{importId}/rows', { limit: '3' });
    expect(rows.json.items.map((row: { line: number; outcome: string }) => [row.line, row.outcome])).toEqual([
      [2, 'created'],
      [3, 'rejected'],
      [4, 'created'],
    ]);
    expect(rows.json.items[1].errors.join(' ')).toMatch(/email.*level|level.*email/);
    const rest = await read(ctx.call, accepted.json.importId, 'GET /people/imports/{importId}/rows', {
      cursor: rows.json.nextCursor,
    });
    expect(rest.json.items[0]).toMatchObject({ line: 5, errors: [expect.stringMatching(/already appears on line 2/)] });
    expect(ctx.store.people.get('p3')).toMatchObject({
      name: 'Ng, Carla',
      mentorCapacity: 4,
      roles: ['employee', 'mentor'],
    });
    expect(ctx.store.people.has('p2')).toBe(false);
  });

  it('answers the same file with its import (200): nothing is applied twice', async () => {
    const ctx = setup();
    const first = await submit(ctx.call, roster);
    await ctx.worker(first.json.importId);
    const eventsAfterFirst = ctx.store.published.length;
    const again = await submit(ctx.call, roster);
    expect(again.statusCode).toBe(200);
    expect(again.json).toMatchObject({ importId: first.json.importId, status: 'completed' });
    await ctx.worker(first.json.importId);
    expect(ctx.store.published).toHaveLength(eventsAfterFirst);
  });

  it('takes a gzip-compressed roster; refuses a file that is not a roster (400) or not CSV (415); unknown imports are 404', async () => {
    const ctx = setup();
    const compressed = await ctx.call({
      routeKey: 'POST /people/imports',
      body: gzipSync(Buffer.from(roster)).toString('base64'),
      contentType: 'application/gzip',
      base64: true,
      caller: admin,
    });
    expect(compressed.statusCode).toBe(202);
    expect(compressed.json.rows).toBe(4);
    const unknown = await submit(ctx.call, 'personId,name,shoeSize\np1,Ana,42');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json.detail).toMatch(/Unknown columns: shoeSize/);
    const json = await ctx.call({ routeKey: 'POST /people/imports', body: { rows: [] }, caller: admin });
    expect(json.statusCode).toBe(415);
    const missing = `imp-${'x'.repeat(32)}`;
    expect((await read(ctx.call, missing)).statusCode).toBe(404);
    expect((await read(ctx.call, missing, 'GET /people/imports/{importId}/rows')).statusCode).toBe(404);
    expect((await read(ctx.call, 'not-an-import')).statusCode).toBe(400);
  });
});

describe('GET then PUT, conditional updates and rehires', () => {
  const get = (call: ReturnType<typeof setup>['call'], personId = 'ada') =>
    call({ routeKey: 'GET /people/{personId}', pathParameters: { personId }, caller: admin });
  const put = (
    call: ReturnType<typeof setup>['call'],
    body: object,
    headers: Record<string, string> = {},
    personId = 'ada',
  ) => call({ routeKey: 'PUT /people/{personId}', pathParameters: { personId }, body, caller: admin, headers });

  it('takes back what GET answered (read-only fields ignored when unchanged), with its ETag as If-Match', async () => {
    const ctx = setup();
    await putAda(ctx.call);
    const read = await get(ctx.call);
    expect(read.headers?.etag).toBe('"1"');
    const changed = await put(ctx.call, { ...read.json, level: 6 }, { 'if-match': String(read.headers?.etag) });
    expect(changed.statusCode).toBe(200);
    expect(changed.json).toMatchObject({ level: 6, version: 2 });
    expect(changed.headers?.etag).toBe('"2"');

    // The same stale read again: the version moved on, so 412 (by If-Match, or by the body's version).
    const stale = await put(ctx.call, { ...read.json, level: 7 }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(412);
    expect(stale.json.detail).toMatch(/version 2, not 1/);
    expect((await put(ctx.call, { ...read.json, level: 7 })).statusCode).toBe(412);
    expect((await put(ctx.call, personBody(), { 'if-none-match': '*' })).statusCode).toBe(412);
    expect((await get(ctx.call)).json.level).toBe(6);

    // A read-only field sent with another value is refused, naming it.
    const forged = await put(ctx.call, { ...(await get(ctx.call)).json, createdAt: '2020-01-01T00:00:00.000Z' });
    expect(forged.statusCode).toBe(400);
    expect(forged.json.errors).toEqual([{ location: 'body.createdAt', message: expect.stringMatching(/read-only/) }]);
    const otherId = await put(ctx.call, { ...personBody(), personId: 'someone-else' });
    expect(otherId.json.errors[0].location).toBe('body.personId');
    const badTag = await put(ctx.call, personBody(), { 'if-match': '"two"' });
    expect(badTag.json.errors[0].location).toBe('header.if-match');
  });

  it('refuses to bring a leaver back by PUT (409 naming them); a rehire is its own route', async () => {
    const ctx = setup();
    await putAda(ctx.call);
    await ctx.call({ routeKey: 'DELETE /people/{personId}', pathParameters: { personId: 'ada' }, caller: admin });
    const revived = await putAda(ctx.call);
    expect(revived.statusCode).toBe(409);
    expect(revived.json.detail).toMatch(/ada was offboarded.*rehire/);
    expect((await get(ctx.call)).json.status).toBe('offboarded');

    const rehire = (personId: string, body: object = {}) =>
      ctx.call({ routeKey: 'POST /people/{personId}/rehire', pathParameters: { personId }, body, caller: admin });
    const back = await rehire('ada', { level: 6 });
    expect(back.statusCode).toBe(200);
    expect(back.json).toMatchObject({ status: 'active', level: 6, rehiredAt: '2026-11-24T10:00:00.000Z' });
    expect(ctx.store.published.at(-1)?.event.data).toMatchObject({ cause: 'rehired' });
    expect((await rehire('ada')).statusCode).toBe(409);
    expect((await rehire('nobody')).statusCode).toBe(404);
  });

  it('refuses what is well-formed but wrong for the directory, naming the field', async () => {
    const ctx = setup();
    await putAda(ctx.call);
    const field = async (body: object, personId = 'bo') => {
      const response = await put(ctx.call, body, {}, personId);
      return [response.statusCode, response.json.errors?.[0]?.location, response.json.errors?.[0]?.message];
    };
    const bo = (overrides: Record<string, unknown>) =>
      personBody({ name: 'Bo', email: 'bo@example.com', ...overrides });
    expect(await field(bo({ domain: 'astrology' }))).toEqual([
      400,
      'body.domain',
      expect.stringMatching(/not a domain of the programme.*backend/),
    ]);
    expect(await field(bo({ managerId: 'bo' }))).toEqual([
      400,
      'body.managerId',
      'must be someone else, not the person',
    ]);
    expect(await field(bo({ managerId: 'nobody' }))).toEqual([
      400,
      'body.managerId',
      'no person nobody in the directory',
    ]);
    expect(await field(bo({ email: 'ADA@example.com' }))).toEqual([409, 'body.email', "is already ada's address"]);
    expect(await field(bo({ name: '=cmd|/C calc!A0' }))).toEqual([400, 'body.name', expect.stringMatching(/formula/)]);
    expect(await field(bo({ skills: ['@SUM(A1:A9)'] }))).toEqual([
      400,
      'body.skills.0',
      expect.stringMatching(/formula/),
    ]);
    expect(await field(bo({ workingHours: { start: '09:00', end: '09:00' } }))).toEqual([
      400,
      'body.workingHours',
      expect.stringMatching(/must differ/),
    ]);
    const night = await put(
      ctx.call,
      bo({ timezone: 'europe/berlin', domain: 'Data', workingHours: { start: '22:00', end: '06:00' } }),
      {},
      'bo',
    );
    expect(night.statusCode).toBe(201);
    expect(night.json).toMatchObject({
      timezone: 'Europe/Berlin',
      domain: 'data',
      workingHours: { start: '22:00', end: '06:00' },
    });
    expect((await put(ctx.call, bo({ managerId: 'ada' }), {}, 'cy')).statusCode).toBe(409);
  });

  it('lists active or offboarded people, and finds them by the start of a name or email', async () => {
    const ctx = setup();
    await putAda(ctx.call);
    await put(ctx.call, personBody({ name: 'Adele Goldberg', email: 'adele@example.com' }), {}, 'adele');
    await put(ctx.call, personBody({ name: 'Bo Chen', email: 'bo@example.com' }), {}, 'bo');
    await ctx.call({ routeKey: 'DELETE /people/{personId}', pathParameters: { personId: 'adele' }, caller: admin });
    const list = async (query: Record<string, string>) =>
      (await ctx.call({ routeKey: 'GET /people', query, caller: admin })).json.items.map(
        (p: { personId: string }) => p.personId,
      );
    expect(await list({})).toEqual(['ada', 'bo']);
    expect(await list({ status: 'offboarded' })).toEqual(['adele']);
    expect(await list({ q: 'AD' })).toEqual(['ada']);
    expect(await list({ q: 'ad', status: 'offboarded' })).toEqual(['adele']);
    expect(await list({ q: 'bo@' })).toEqual(['bo']);
  });
});

describe('GET and PUT /domains', () => {
  it('lets anyone read the domains and only an admin replace them, refusing to drop one still in use', async () => {
    const ctx = setup();
    await putAda(ctx.call);
    const read = await ctx.call({ routeKey: 'GET /domains', caller: employee('ada') });
    expect(read.statusCode).toBe(200);
    expect(read.json.domains.map((domain: { id: string }) => domain.id)).toContain('backend');
    const replace = (domains: object[], headers: Record<string, string> = {}, caller = admin) =>
      ctx.call({ routeKey: 'PUT /domains', body: { domains }, caller, headers });
    expect((await replace([{ id: 'backend', name: 'Backend' }], {}, lifeCoach)).statusCode).toBe(403);
    const inUse = await replace([{ id: 'data', name: 'Data' }]);
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json.detail).toMatch(/backend cannot be removed.*ada/);
    expect((await replace([{ id: 'backend', name: 'Backend' }], { 'if-match': '"7"' })).statusCode).toBe(412);
    const bad = await replace([{ id: 'Astro Logy', name: '=1+1' }]);
    expect(bad.json.errors.map((error: { location: string }) => error.location)).toEqual([
      'body.domains.0.id',
      'body.domains.0.name',
    ]);
    const replaced = await replace(
      [
        { id: 'backend', name: 'Backend engineering' },
        { id: 'Legal', name: 'Legal' },
      ],
      {
        'if-match': String(read.headers?.etag),
      },
    );
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json).toMatchObject({
      version: 2,
      domains: [
        { id: 'backend', name: 'Backend engineering' },
        { id: 'legal', name: 'Legal' },
      ],
    });
  });
});

describe('the people-api routes', () => {
  it('serve exactly the routes the declaration gives the function', () => {
    const { repository } = createInMemoryPeopleRepository();
    const handler = createPeopleApiHandler({
      people: repository,
      programme: createInMemoryProgrammeSettings(),
      clock: fixedClock('2026-11-24T10:00:00Z'),
      imports: createInMemoryImportRepository(repository, []).repository,
    });
    expect(handler.served).toEqual(peopleRoutes);
  });

  it('answered, across this file, every status their contracts document', () => {
    expect(coverage.unseen()).toEqual([]);
  });
});

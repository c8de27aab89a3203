/**
 * The people directory end to end, through the HTTP API of the local platform: the JWT
 * authorizer, the people-api function in its worker, DynamoDB Local, the outbox relayed to
 * the local bus. Bad input and faults included: problem+json for every refusal, 401s from
 * the authorizer, and the outbox guarantee when publishing fails or the platform crashes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BusEventView } from '../../local/dev-view';
import { LOCAL_CLIENT_ID } from '../../local/issuer';
import { ProblemSchema } from '../../shared/http/problem';
import { personBody, testDomains } from '../builders/people';
import { uniqueName } from '../support/dynamodb';
import { type ApiRequest, startTestPlatform, type TestPlatform } from '../support/platform';
import { envelopeOf, eventually, personEvents } from './dev-view';

const admin = { sub: 'admin-1', groups: ['admin', 'employee'] };
const coach = { sub: 'coach-1', groups: ['life-coach', 'employee'] };
const employee = (sub: string) => ({ sub, groups: ['employee'] });
const mentor = (sub: string) => ({ sub, groups: ['employee', 'mentor'] });
const PEOPLE_API = 'matching-people-api';
/** For tests that start a function: tsx compiles it in its worker, slow on a loaded machine. */
const coldStart = { timeout: 90_000 };

interface PersonView {
  personId: string;
  version: number;
  status: string;
  updatedAt: string;
  [field: string]: unknown;
}

describe('people directory through the HTTP API', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'people-e2e-'));
  const tablePrefix = uniqueName('people-e2e');
  // Relay retries far outlast the outages below, so the tests decide when publishing recovers.
  const relay = { maxAttempts: 100, baseBackoffMs: 20, maxBackoffMs: 100 };
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startTestPlatform({ dataDir, tablePrefix, relay });
    const domains = await platform.api('/domains', { method: 'PUT', as: admin, json: { domains: testDomains } });
    expect(domains.status).toBe(200);
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const api = (path: string, request?: ApiRequest) => platform.api(path, request);
  const put = (personId: string, body: unknown, as = admin, headers: Record<string, string> = {}) =>
    api(`/people/${personId}`, { method: 'PUT', as, json: body, headers });
  const submitCsv = (csv: string | Buffer, as = admin, contentType = 'text/csv') =>
    api('/people/imports', { method: 'POST', as, body: csv, headers: { 'content-type': contentType } });
  /**
   * Submits a roster (POST /people/imports), waits for the worker to apply it, and answers its
   * report as one JSON body: the counts, every row, and whether the file had been submitted before.
   * A refused submission is answered as it came.
   */
  const importCsv = async (csv: string | Buffer, as = admin, contentType = 'text/csv') => {
    const submitted = await submitCsv(csv, as, contentType);
    if (submitted.status !== 202 && submitted.status !== 200) return submitted;
    const location = submitted.headers.get('location') ?? '';
    await platform.whenIdle();
    const job = (await (await api(location, { as })).json()) as { status: string; counts: Record<string, number> };
    expect(job.status).toBe('completed');
    const rows = (await (await api(`${location}/rows?limit=1000`, { as })).json()) as { items: unknown[] };
    const report = { ...job.counts, rows: rows.items, resubmitted: submitted.status === 200 };
    return new Response(JSON.stringify(report), { status: 200, headers: { 'content-type': 'application/json' } });
  };

  /** A refusal as problem+json: status, RFC 9457 fields, the wrong fields named, no internals. */
  const expectProblem = async (response: Response, status: number, locations?: string[]) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const text = await response.text();
    expect(text).not.toMatch(/node_modules|\.ts:\d+|\bat \S+ \(/);
    const problem = ProblemSchema.parse(JSON.parse(text));
    expect(problem.status).toBe(status);
    if (locations) {
      expect(problem.errors?.map((error) => error.location).sort()).toEqual([...locations].sort());
    }
    return problem;
  };

  describe('writing and reading people', () => {
    it('PUT: 201 created, 200 changed (next version), 200 unchanged and no event', coldStart, async () => {
      const created = await put('ada', personBody(), admin, { 'x-correlation-id': 'e2e-corr-ada' });
      expect(created.status).toBe(201);
      expect(created.headers.get('x-correlation-id')).toBe('e2e-corr-ada');
      const first = (await created.json()) as PersonView;
      expect(first).toMatchObject({
        personId: 'ada',
        status: 'active',
        version: 1,
        workingHours: { start: '09:00', end: '17:00' },
        mentorCapacity: 5,
      });

      const changed = await put('ada', personBody({ level: 6 }));
      expect(changed.status).toBe(200);
      const second = (await changed.json()) as PersonView;
      expect(second).toMatchObject({ version: 2, level: 6, createdAt: first.createdAt });

      const same = await put('ada', personBody({ level: 6 }));
      expect(same.status).toBe(200);
      expect(await same.json()).toEqual(second);

      const events = await eventually(platform, async () => {
        const found = await personEvents(platform, 'ada');
        expect(found.map((event) => event.detailType)).toEqual(['Person.Registered', 'Person.Updated']);
        return found;
      });
      expect(envelopeOf(events[0] as BusEventView).metadata.correlationId).toBe('e2e-corr-ada');
      expect(envelopeOf(events[1] as BusEventView).data.changedFields).toEqual(['level']);
      await platform.whenIdle();
      expect(await personEvents(platform, 'ada')).toHaveLength(2);
    });

    it('lets a person read themselves, and admins and life coaches read anyone', async () => {
      await put('lin', personBody({ name: 'Lin Wei', email: 'lin@example.com' }));
      for (const as of [employee('lin'), admin, coach]) {
        const response = await api('/people/lin', { as });
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ personId: 'lin', email: 'lin@example.com' });
      }
    });

    it('answers another person’s record exactly as a missing one, leaking nothing', async () => {
      await put('kai', personBody({ name: 'Kai Berg', email: 'kai@example.com' }));
      const seen = async (response: Response, personId: string) => ({
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: (await response.text()).replaceAll(personId, '<id>'),
      });
      for (const as of [employee('bob'), mentor('bob')]) {
        const existing = await api('/people/kai', { as });
        const missing = await api('/people/zed', { as });
        const existingSeen = await seen(existing, 'kai');
        expect(existingSeen).toEqual(await seen(missing, 'zed'));
        expect(existingSeen.status).toBe(404);
        expect(existingSeen.contentType).toBe('application/problem+json');
        expect(existingSeen.body).not.toMatch(/Kai Berg|kai@example\.com/);
      }
      await expectProblem(await api('/people/zed', { as: admin }), 404);
    });

    it('imports a roster: good rows land, broken rows are reported by line, a re-import changes nothing', async () => {
      const roster = [
        'personId,name,email,timezone,domain,level,roles',
        'imp-1,Ana Silva,ana@example.com,Europe/Lisbon,guild,3,employee',
        'imp-2,Bo Chen,not-an-email,Asia/Shanghai,guild,12,employee',
        'imp-3,"Ng, Carla",carla@example.com,America/New_York,guild,7,employee;mentor',
        'imp-1,Ana Again,ana2@example.com,Europe/Lisbon,guild,3,employee',
        'bad id,Dan,dan@example.com,Europe/Paris,guild,2,employee',
        'imp-4,Eve Stone,eve@example.com,Mars/Olympus,guild,4,wizard',
        'imp-5,Fay Ode,fay@example.com,Africa/Lagos,guild,5,',
      ].join('\r\n');
      const response = await importCsv(roster);
      expect(response.status).toBe(200);
      const report = (await response.json()) as {
        created: number;
        unchanged: number;
        rejected: number;
        rows: { line: number; personId?: string; outcome: string; errors?: string[] }[];
      };
      expect(report).toMatchObject({ created: 3, updated: 0, unchanged: 0, rejected: 4 });
      expect(report.rows.map((row) => [row.line, row.outcome])).toEqual([
        [2, 'created'],
        [3, 'rejected'],
        [4, 'created'],
        [5, 'rejected'],
        [6, 'rejected'],
        [7, 'rejected'],
        [8, 'created'],
      ]);
      const errorsOn = (line: number) => report.rows.find((row) => row.line === line)?.errors?.join(' | ') ?? '';
      expect(errorsOn(3)).toMatch(/email/);
      expect(errorsOn(3)).toMatch(/level/);
      expect(errorsOn(5)).toMatch(/already appears on line 2/);
      expect(errorsOn(6)).toMatch(/personId/);
      expect(errorsOn(7)).toMatch(/timezone/);
      expect(errorsOn(7)).toMatch(/roles/);

      expect(await (await api('/people/imp-3', { as: admin })).json()).toMatchObject({
        name: 'Ng, Carla',
        roles: ['employee', 'mentor'],
      });
      expect((await api('/people/imp-5', { as: admin })).status).toBe(200);
      for (const rejected of ['imp-2', 'imp-4'])
        expect((await api(`/people/${rejected}`, { as: admin })).status).toBe(404);

      const importedEvents = async () =>
        (await Promise.all(['imp-1', 'imp-3', 'imp-5'].map((id) => personEvents(platform, id)))).flat();
      await eventually(platform, async () => expect(await importedEvents()).toHaveLength(3));

      // The same file again is the same import: answered as it was, nothing applied twice.
      const again = await importCsv(roster);
      expect(await again.json()).toMatchObject({ resubmitted: true, created: 3, rejected: 4 });
      await platform.whenIdle();
      expect((await importedEvents()).map((event) => event.detailType)).toEqual([
        'Person.Registered',
        'Person.Registered',
        'Person.Registered',
      ]);
    });

    it('lists people a page at a time for staff, and refuses employees and bad cursors', async () => {
      const csv = [
        'personId,name,email,timezone,domain,level',
        ...['l5', 'l2', 'l4', 'l1', 'l3'].map((id) => `${id},Person ${id},${id}@example.com,Europe/Oslo,listing,4`),
        ...['lx1', 'lx2'].map((id) => `${id},Person ${id},${id}@example.com,Europe/Oslo,listing-other,4`),
      ].join('\n');
      expect(await (await importCsv(csv)).json()).toMatchObject({ created: 7, rejected: 0 });

      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const query = new URLSearchParams({ domain: 'listing', limit: '2', ...(cursor ? { cursor } : {}) });
        const response = await api(`/people?${query}`, { as: pages.length % 2 === 0 ? admin : coach });
        expect(response.status).toBe(200);
        const page = (await response.json()) as { items: PersonView[]; nextCursor?: string };
        pages.push(page.items.map((person) => person.personId));
        cursor = page.nextCursor;
      } while (cursor && pages.length < 10);
      expect(pages).toEqual([['l1', 'l2'], ['l3', 'l4'], ['l5']]);

      const everyone = (await (await api('/people?limit=100', { as: admin })).json()) as { items: PersonView[] };
      expect(everyone.items.map((person) => person.personId)).toEqual(expect.arrayContaining(['l1', 'l5', 'lx1']));

      await expectProblem(await api('/people', { as: employee('ada') }), 403);
      await expectProblem(await api('/people', { as: mentor('ada') }), 403);
      const badCursor = await expectProblem(await api('/people?cursor=not-ours', { as: admin }), 400, ['query.cursor']);
      expect(badCursor.errors?.[0]?.message).toBe('The cursor is not one this API issued');
      // A cursor from another domain's listing (whose name merely starts the same).
      const other = (await (await api('/people?domain=listing-other&limit=1', { as: admin })).json()) as {
        nextCursor: string;
      };
      await expectProblem(await api(`/people?domain=listing&cursor=${other.nextCursor}`, { as: admin }), 400, [
        'query.cursor',
      ]);
      await expectProblem(await api('/people?limit=0&sort=name', { as: admin }), 400, ['query.limit', 'query.sort']);
    });

    it('DELETE offboards (204): record kept and marked, one Person.Offboarded; unknown is 404', coldStart, async () => {
      await put('max', personBody({ name: 'Max Roe', email: 'max@example.com' }));
      const deleted = await api('/people/max', { method: 'DELETE', as: admin });
      expect(deleted.status).toBe(204);
      expect(await deleted.text()).toBe('');
      expect(await (await api('/people/max', { as: coach })).json()).toMatchObject({
        status: 'offboarded',
        version: 2,
      });
      expect((await api('/people/max', { method: 'DELETE', as: coach })).status).toBe(204);
      await expectProblem(await api('/people/nobody-here', { method: 'DELETE', as: admin }), 404);

      const events = await eventually(platform, async () => {
        const found = await personEvents(platform, 'max');
        expect(found.map((event) => event.detailType)).toEqual(['Person.Registered', 'Person.Offboarded']);
        return found;
      });
      expect(envelopeOf(events[1] as BusEventView).data).toEqual({ personId: 'max', reason: 'offboarded' });
      await platform.whenIdle();
      expect(await personEvents(platform, 'max')).toHaveLength(2);
    });
  });

  describe('bad input: problem+json naming what is wrong, nothing written', () => {
    it('malformed JSON', async () => {
      const response = await api('/people/bad-json', {
        method: 'PUT',
        as: admin,
        body: '{"name": "Ada", ',
        headers: { 'content-type': 'application/json' },
      });
      const problem = await expectProblem(response, 400, ['body']);
      expect(problem.detail).toMatch(/not valid JSON/);
    });

    it('wrong types, every field at once, each said in words a person understands', async () => {
      const { name: _name, ...withoutName } = personBody();
      const response = await put('bad-types', {
        ...withoutName,
        level: 'senior',
        skills: 'aws',
        acceptingMentees: 'yes',
        workingHours: { start: 9, end: '17:00' },
      });
      const problem = await expectProblem(response, 400, [
        'body.acceptingMentees',
        'body.level',
        'body.name',
        'body.skills',
        'body.workingHours.start',
      ]);
      expect(Object.fromEntries(problem.errors?.map((error) => [error.location, error.message]) ?? [])).toEqual({
        'body.acceptingMentees': 'must be true or false',
        'body.level': 'must be a number',
        'body.name': 'is required',
        'body.skills': 'must be a list',
        'body.workingHours.start': 'must be text',
      });
      const limit = await expectProblem(await api('/people?limit=ten', { as: admin }), 400, ['query.limit']);
      expect(limit.errors?.[0]?.message).toBe('must be a number');
    });

    it('unknown fields', async () => {
      const response = await put('bad-fields', personBody({ nickname: 'Ada', salary: 1 }));
      const problem = await expectProblem(response, 400, ['body.nickname', 'body.salary']);
      expect(problem.errors?.every((error) => error.message === 'is not a known field')).toBe(true);
    });

    it('a body that is not an object, a missing body, and a body of another media type (415)', async () => {
      await expectProblem(await put('bad-array', [personBody()]), 400, ['body']);
      await expectProblem(await api('/people/bad-empty', { method: 'PUT', as: admin }), 400, ['body']);
      const form = await api('/people/bad-form', {
        method: 'PUT',
        as: admin,
        body: 'name=Ada',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect((await expectProblem(form, 415)).detail).toMatch(/application\/json/);
    });

    it('oversized bodies: 413 for a person over 64 KB and a roster over 4 MB (send it gzip-compressed)', async () => {
      const person = await expectProblem(await put('bad-huge', personBody({ name: 'x'.repeat(70 * 1024) })), 413);
      expect(person.detail).toMatch(/body is larger than 65536 bytes/);
      const roster = `personId,name,email,timezone,domain,level\n${'x'.repeat(4 * 1024 * 1024)}`;
      expect((await expectProblem(await submitCsv(roster), 413)).detail).toMatch(/body is larger than 4194304/);
      // 7 MB is over what Lambda accepts: API Gateway answers 413 before the function runs.
      const sevenMegabytes = await put('bad-huge', personBody({ name: 'x'.repeat(7 * 1024 * 1024) }));
      expect(sevenMegabytes.status).toBe(413);
    });

    it('bad path ids on every route that takes one', async () => {
      for (const badId of [encodeURIComponent('bad id!'), 'x'.repeat(65), encodeURIComponent('PERSON#1'), '-dash']) {
        await expectProblem(await put(badId, personBody()), 400, ['path.personId']);
        await expectProblem(await api(`/people/${badId}`, { as: admin }), 400, ['path.personId']);
        await expectProblem(await api(`/people/${badId}`, { method: 'DELETE', as: admin }), 400, ['path.personId']);
      }
    });

    it('takes a roster gzip-compressed, as a large one must come', async () => {
      const rows = Array.from({ length: 60 }, (_, n) => `gz-${n},Person ${n},gz-${n}@example.com,Europe/Oslo,guild,3`);
      const csv = ['personId,name,email,timezone,domain,level', ...rows].join('\n');
      const report = (await (await importCsv(gzipSync(Buffer.from(csv)), admin, 'application/gzip')).json()) as {
        created: number;
        rejected: number;
      };
      expect(report).toMatchObject({ created: 60, rejected: 0 });
      expect(await (await api('/people/gz-59', { as: admin })).json()).toMatchObject({ name: 'Person 59' });
    });

    it('a roster that is not a roster (400) or not CSV (415)', async () => {
      const unknownColumns = await submitCsv('personId,name,shoeSize\np1,Ana,42');
      expect((await expectProblem(unknownColumns, 400, ['body'])).detail).toMatch(/Unknown columns: shoeSize/);
      const json = await api('/people/imports', { method: 'POST', as: admin, json: { rows: [] } });
      await expectProblem(json, 415);
    });

    it('wrote none of it', async () => {
      for (const personId of [
        'bad-json',
        'bad-types',
        'bad-fields',
        'bad-array',
        'bad-empty',
        'bad-form',
        'bad-huge',
      ]) {
        await expectProblem(await api(`/people/${personId}`, { as: admin }), 404);
      }
    });
  });

  describe('what HR admins, integrations and mentors hit when they used the directory', () => {
    it('GET then PUT round-trips; If-Match makes the update conditional (412 on a stale version)', async () => {
      await put('gp', personBody({ name: 'Gil Park', email: 'gp@example.com' }));
      const read = await api('/people/gp', { as: admin });
      const etag = read.headers.get('etag') ?? '';
      expect(etag).toBe('"1"');
      const person = (await read.json()) as PersonView;
      const changed = await put('gp', { ...person, level: 6 }, admin, { 'if-match': etag });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).toBe('"2"');
      expect(await changed.json()).toMatchObject({ level: 6, version: 2 });
      // A second client still holding version 1 cannot overwrite the change.
      const stale = await expectProblem(await put('gp', { ...person, level: 7 }, admin, { 'if-match': etag }), 412);
      expect(stale.detail).toMatch(/version 2, not 1/);
      await expectProblem(await put('gp', { ...person, level: 7 }), 412);
      expect(((await (await api('/people/gp', { as: admin })).json()) as PersonView).level).toBe(6);
    });

    it('never revives a leaver by PUT or re-import (409 / a rejected row naming them); a rehire is explicit', async () => {
      await put('lv', personBody({ name: 'Lee Vo', email: 'lv@example.com' }));
      expect((await api('/people/lv', { method: 'DELETE', as: admin })).status).toBe(204);
      const revived = await expectProblem(
        await put('lv', personBody({ name: 'Lee Vo', email: 'lv@example.com' })),
        409,
      );
      expect(revived.detail).toMatch(/lv was offboarded .*rehire/);

      const row = 'lv,Lee Vo,lv@example.com,Europe/Lisbon,guild,3';
      const report = (await (await importCsv(`personId,name,email,timezone,domain,level\n${row}`)).json()) as {
        rows: { outcome: string; errors?: string[] }[];
      };
      expect(report.rows[0]).toMatchObject({
        outcome: 'rejected',
        errors: [expect.stringMatching(/lv was offboarded/)],
      });
      expect(((await (await api('/people/lv', { as: admin })).json()) as PersonView).status).toBe('offboarded');

      const rehired = await importCsv(`personId,name,email,timezone,domain,level,rehire\n${row},yes`);
      expect(((await rehired.json()) as { rows: { outcome: string }[] }).rows[0]?.outcome).toBe('rehired');
      expect(await (await api('/people/lv', { as: admin })).json()).toMatchObject({
        status: 'active',
        rehiredAt: expect.any(String),
      });
      await eventually(platform, async () => {
        const events = (await personEvents(platform, 'lv')).map((event) => envelopeOf(event));
        expect(events.map((event) => event.data.cause ?? event.data.reason)).toEqual([
          'joined',
          'offboarded',
          'rehired',
        ]);
      });
      await expectProblem(await api('/people/lv/rehire', { method: 'POST', as: admin, json: {} }), 409);
    });

    it('refuses what should be refused, naming the field; stores time zones canonically', async () => {
      const body = (overrides: Record<string, unknown>) =>
        personBody({ name: 'Ren Ito', email: 'ren@example.com', ...overrides });
      const refused = async (overrides: Record<string, unknown>, status = 400) =>
        (await expectProblem(await put('ren', body(overrides)), status)).errors?.map((e) => [e.location, e.message]);
      expect(await refused({ domain: 'astrology' })).toEqual([['body.domain', expect.stringMatching(/not a domain/)]]);
      expect(await refused({ managerId: 'ren' })).toEqual([['body.managerId', 'must be someone else, not the person']]);
      expect(await refused({ managerId: 'nobody-at-all' })).toEqual([
        ['body.managerId', 'no person nobody-at-all in the directory'],
      ]);
      await put('owner', personBody({ name: 'Owen Ng', email: 'owner@example.com' }));
      expect(await refused({ email: 'OWNER@example.com' }, 409)).toEqual([
        ['body.email', "is already owner's address"],
      ]);
      expect(await refused({ name: "=cmd|' /C calc'!A0" })).toEqual([['body.name', expect.stringMatching(/formula/)]]);
      expect(await refused({ languages: ['@SUM(1+1)'] })).toEqual([
        ['body.languages.0', expect.stringMatching(/formula/)],
      ]);
      const created = await put(
        'ren',
        body({ timezone: 'europe/berlin', workingHours: { start: '22:00', end: '06:00' } }),
      );
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({
        timezone: 'Europe/Berlin',
        workingHours: { start: '22:00', end: '06:00' },
      });

      const header = await expectProblem(await submitCsv('personId,name,email,name,timezone,domain,level\n'), 400, [
        'body',
      ]);
      expect(header.detail).toMatch(/more than once.*name/);
      const csv = 'personId,name,email,timezone,domain,level\nfx1,@SUM(A1),fx1@example.com,Europe/Oslo,guild,3';
      const report = (await (await importCsv(csv)).json()) as { rows: { errors?: string[] }[] };
      expect(report.rows[0]?.errors).toEqual([expect.stringMatching(/^name: must not start with/)]);
      // Latin-1 bytes (é is 0xE9) are not silently turned into U+FFFD.
      const latin1 = Buffer.concat([
        Buffer.from('personId,name,email,timezone,domain,level\nlatin-1,Jos'),
        Buffer.from([0xe9]),
        Buffer.from(',jose@example.com,Europe/Madrid,guild,3\n'),
      ]);
      const notUtf8 = await expectProblem(await submitCsv(latin1), 400, ['body']);
      expect(notUtf8.errors?.[0]?.message).toMatch(/not valid UTF-8 text \(line 2\)/);
      await expectProblem(await api('/people/latin-1', { as: admin }), 404);
    });

    it('loses no field when PUTs and availability changes of one mentor race (20 of each at once)', async () => {
      const mentorBody = (name: string) =>
        personBody({ name, email: 'conc-m@example.com', roles: ['employee', 'mentor'], level: 8 });
      expect((await put('conc-m', mentorBody('Start'))).status).toBe(201);
      const answers = await Promise.all([
        ...Array.from({ length: 20 }, async (_, index) => {
          const response = await put('conc-m', mentorBody(`Name ${index}`), admin, {
            'x-correlation-id': `put-${index}`,
          });
          return { kind: 'put', status: response.status, body: (await response.json()) as PersonView };
        }),
        ...Array.from({ length: 20 }, async (_, index) => {
          const response = await api('/mentors/conc-m/availability', {
            method: 'PUT',
            as: admin,
            json: { capacity: 3 + (index % 3), acceptingMentees: index % 2 === 0 },
            headers: { 'x-correlation-id': `avail-${index}` },
          });
          return { kind: 'availability', status: response.status, body: (await response.json()) as PersonView };
        }),
      ]);
      // A write that kept meeting others is refused (409, "retry"), never applied over a stale read.
      expect(answers.filter((answer) => ![200, 409].includes(answer.status))).toEqual([]);
      const applied = answers.filter((answer) => answer.status === 200);
      expect(new Set(applied.map((answer) => answer.kind))).toEqual(new Set(['put', 'availability']));
      // Each answer shows the person at the version it wrote (or found): the latest of each kind
      // carries the final value of that kind's fields, since the other kind never touches them.
      const latest = (kind: string) =>
        applied
          .filter((answer) => answer.kind === kind)
          .sort((a, b) => Number(b.body.version) - Number(a.body.version))[0]?.body;
      const final = (await (await api('/people/conc-m', { as: admin })).json()) as PersonView;
      expect(final.name).toBe(latest('put')?.name);
      expect(final.mentorCapacity).toBe(latest('availability')?.capacity);
      expect(final.acceptingMentees).toBe(latest('availability')?.acceptingMentees);
      await eventually(platform, async () => {
        const updates = (await personEvents(platform, 'conc-m'))
          .filter((event) => event.detailType === 'Person.Updated')
          .map((event) => envelopeOf(event));
        const changedBy = (prefix: string) =>
          new Set(
            updates
              .filter((event) => event.metadata.correlationId.startsWith(prefix))
              .flatMap((event) => event.data.changedFields as string[]),
          );
        expect([...changedBy('put-')]).toEqual(['name']);
        expect([...changedBy('avail-')].every((field) => ['mentorCapacity', 'acceptingMentees'].includes(field))).toBe(
          true,
        );
      });
    });
  });

  describe('authentication (the JWT authorizer) and roles', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const tamper = (token: string) => {
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      claims['cognito:groups'] = ['admin'];
      return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    };
    const invalidTokens: [string, () => Promise<string | null>, RegExp][] = [
      ['no token', async () => null, /^Bearer$/],
      ['an expired token', () => platform.mintToken({ ...admin, now: now() - 7200 }), /has expired/],
      ['a tampered signature', async () => tamper(await platform.mintToken(employee('ada'))), /invalid signature/],
      [
        'alg: none',
        async () =>
          new UnsecuredJWT({ ...admin, iss: platform.issuer.issuerUrl, aud: LOCAL_CLIENT_ID, exp: now() + 600 })
            .setIssuedAt()
            .encode(),
        /algorithm none is not supported/,
      ],
      [
        'a wrong issuer',
        () => platform.mintToken({ ...admin, extraClaims: { iss: 'https://cognito-idp.example/other' } }),
        /valid issuer/,
      ],
      [
        'a wrong audience',
        () => platform.mintToken({ ...admin, extraClaims: { aud: 'another-app-client' } }),
        /valid audience/,
      ],
      ['not a JWT', async () => 'definitely.not.a-jwt', /not a valid JWT/],
    ];

    it.each(invalidTokens)('401 for %s, before the function runs', async (_name, token, challenge) => {
      const invocations = () =>
        new Set(
          platform.functions
            .recentInvocations()
            .filter((invocation) => invocation.functionKey === PEOPLE_API)
            .map((invocation) => invocation.requestId),
        );
      const before = invocations();
      const bearer = await token();
      for (const [path, method] of [
        ['/people/ada', 'GET'],
        ['/people', 'GET'],
        ['/people/ada', 'DELETE'],
      ] as const) {
        const response = await api(path, { method, token: bearer });
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual({ message: 'Unauthorized' });
        expect(response.headers.get('www-authenticate')).toMatch(challenge);
      }
      expect([...invocations()].filter((requestId) => !before.has(requestId))).toEqual([]);
    });

    it('one group named "employee,admin" is no role at all, and a token without kid is refused', async () => {
      const commaGroup = await platform.mintToken({ sub: 'eve', groups: ['employee,admin'] });
      await expectProblem(await api('/people', { token: commaGroup }), 403);
      const [, payload, signature] = (await platform.mintToken(admin)).split('.') as [string, string, string];
      const withoutKid = `${Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url')}.${payload}.${signature}`;
      const refused = await api('/people', { token: withoutKid });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/kid/);
    });

    it('403 problem+json for a valid token whose roles lack the right, and nothing changes', async () => {
      expect((await put('rolf', personBody({ email: 'rolf@example.com' }))).status).toBe(201);
      const refusals: [string, ApiRequest][] = [
        ['/people/rolf', { method: 'PUT', as: employee('rolf'), json: personBody({ level: 10 }) }],
        ['/people/rolf', { method: 'PUT', as: mentor('rolf'), json: personBody({ level: 10 }) }],
        ['/people/rolf', { method: 'DELETE', as: mentor('m-1') }],
        ['/people', { as: { sub: 'hr-system', groups: ['department'] } }],
        [
          '/people/imports',
          { method: 'POST', as: employee('ada'), body: 'personId\n', headers: { 'content-type': 'text/csv' } },
        ],
        // A valid token without any group cannot even read itself.
        ['/people/rolf', { as: { sub: 'rolf' } }],
      ];
      for (const [path, request] of refusals) {
        const problem = await expectProblem(await api(path, request), 403);
        expect(problem.detail).toMatch(/roles/);
      }
      expect(await (await api('/people/rolf', { as: admin })).json()).toMatchObject({ level: 5, version: 1 });
    });
  });

  describe('platform endpoints', () => {
    it('GET /health answers without a token', coldStart, async () => {
      const response = await api('/health', { token: null });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', time: expect.any(String) });
    });

    it('GET /openapi.json lists the people routes with their security and problem responses', async () => {
      const response = await api('/openapi.json', { token: null });
      expect(response.status).toBe(200);
      const document = (await response.json()) as {
        openapi: string;
        paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown> }>>;
      };
      expect(document.openapi).toBe('3.1.0');
      expect(Object.keys(document.paths['/people/{personId}'] ?? {}).sort()).toEqual(['delete', 'get', 'put']);
      expect(Object.keys(document.paths['/people'] ?? {})).toEqual(['get']);
      expect(Object.keys(document.paths['/people/imports'] ?? {})).toEqual(['post']);
      expect(document.paths['/people/{personId}']?.put?.security).toEqual([{ bearerAuth: [] }]);
      expect(document.paths['/people/{personId}']?.put?.responses['400']).toMatchObject({
        content: { 'application/problem+json': expect.anything() },
      });
      expect(document.paths['/health']?.get?.security).toEqual([]);
    });
  });

  describe('the outbox: a state change committed is an event published, exactly once', () => {
    /** Makes the bus fail PutEvents entries of this person's events; counts the attempts. */
    const failPublishingOf = (personId: string) => {
      const attempts = { count: 0 };
      platform.bus.setPutEventsFaultInjector((entry) => {
        const detail = JSON.parse(entry.Detail ?? '{}') as { data?: { person?: { personId?: string } } };
        if (entry.Source !== 'mentoring.matching' || detail.data?.person?.personId !== personId) return undefined;
        attempts.count++;
        return { ErrorCode: 'InternalFailure', ErrorMessage: 'Injected: the bus is failing' };
      });
      return attempts;
    };

    it('keeps retrying while the bus refuses the event, and publishes it once when it recovers', async () => {
      const attempts = failPublishingOf('outage-1');
      const created = await put('outage-1', personBody({ email: 'outage-1@example.com' }));
      expect(created.status).toBe(201);

      // More than one relay invocation (the publisher makes 4 PutEvents attempts in each).
      await vi.waitFor(() => expect(attempts.count).toBeGreaterThanOrEqual(6), { timeout: 20_000, interval: 50 });
      expect(await personEvents(platform, 'outage-1')).toEqual([]);
      platform.bus.setPutEventsFaultInjector(undefined);

      await eventually(platform, async () =>
        expect((await personEvents(platform, 'outage-1')).map((event) => event.detailType)).toEqual([
          'Person.Registered',
        ]),
      );
      await platform.whenIdle();
      expect(await personEvents(platform, 'outage-1')).toHaveLength(1);
      expect(platform.deadLetters().filter((letter) => letter.kind === 'outbox-relay')).toEqual([]);
    });

    it('loses no event when the platform crashes between state write and publish', coldStart, async () => {
      expect((await put('steady', personBody({ email: 'steady@example.com' }))).status).toBe(201);
      const relayedBefore = await eventually(platform, async () => {
        const ids = (await personEvents(platform, 'steady')).map((event) => event.id);
        expect(ids).toHaveLength(1);
        return ids;
      });

      const attempts = failPublishingOf('outage-2');
      expect((await put('outage-2', personBody({ email: 'outage-2@example.com' }))).status).toBe(201);
      await vi.waitFor(() => expect(attempts.count).toBeGreaterThanOrEqual(1), { timeout: 20_000, interval: 50 });
      // The crash: the person is stored, its event is only in the outbox.
      await platform.stop();

      platform = await startTestPlatform({ dataDir, tablePrefix, relay });
      const stored = await platform.dynamodb.send(
        new GetItemCommand({
          TableName: platform.tables.matching,
          Key: { pk: { S: 'PERSON#outage-2' }, sk: { S: 'PROFILE' } },
        }),
      );
      expect(stored.Item?.status?.S).toBe('active');

      await eventually(platform, async () =>
        expect((await personEvents(platform, 'outage-2')).map((event) => event.detailType)).toEqual([
          'Person.Registered',
        ]),
      );
      await platform.whenIdle();
      expect(await personEvents(platform, 'outage-2')).toHaveLength(1);
      // What was relayed before the crash is not relayed again.
      expect((await personEvents(platform, 'steady')).map((event) => event.id)).toEqual(relayedBefore);
      expect(platform.deadLetters().filter((letter) => letter.kind === 'outbox-relay')).toEqual([]);
    });
  });
});

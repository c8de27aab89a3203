/**
 * The DynamoDB people repository against DynamoDB Local, with the real SDK: state and outbox
 * written in one transaction, version checks, field-level updates that never undo a concurrent
 * writer's fields, one person per email address, listing by status with an opaque cursor, search,
 * offboarding, idempotent consumption. Each test gets its own table, so counts of items are exact.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PersonRegisteredV1, PersonUpdatedV1 } from '../../../shared/contracts/matching-events';
import { detailSchemaOf } from '../../../shared/events/envelope';
import { type OutboxRecord, pendingEvent } from '../../../shared/events/outbox';
import { InvalidCursorError } from '../../../shared/pagination';
import { fixedClock, type IdGenerator, sequentialIds } from '../../../shared/ports';
import { personInput, testDomains } from '../../../test/builders/people';
import { storedPerson } from '../../../test/builders/pods';
import { createTestTable, type TestTable } from '../../../test/support/dynamodb';
import {
  type DirectoryDependencies,
  type PeopleRepository,
  type PersonWrite,
  putPerson,
  removePerson,
  updatePersonFields,
} from '../domain/people/directory';
import { ConcurrentModificationError, DuplicateEmailError } from '../domain/people/errors';
import type { PersonInput, StoredPerson } from '../domain/people/person';
import { toSnapshot } from '../domain/people/person-changes';
import { createDynamoPeopleRepository } from './people-repository';
import { createInMemoryProgrammeSettings } from './programme-settings-repository';

const tables: TestTable[] = [];
afterEach(async () => {
  await Promise.all(tables.splice(0).map((table) => table.drop()));
});

/** A repository on a fresh table, dropped after the test (or, given `owner`, when the caller says). */
const setup = async (newId: IdGenerator = sequentialIds('evt'), owner: TestTable[] = tables) => {
  const table = await createTestTable();
  owner.push(table);
  const clock = fixedClock('2026-11-24T10:00:00Z');
  const people: PeopleRepository = createDynamoPeopleRepository({
    db: table.documentClient,
    tableName: table.tableName,
    service: 'matching',
    clock,
    newId,
  });
  const deps: DirectoryDependencies = {
    people,
    clock,
    programme: createInMemoryProgrammeSettings({ domains: testDomains }),
  };
  /** Every item in the table (a test-only Scan), sorted by key. */
  const items = async (): Promise<Record<string, unknown>[]> => {
    const { Items = [] } = await table.documentClient.send(new ScanCommand({ TableName: table.tableName }));
    return Items.sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
  };
  const outbox = async () =>
    (await items()).filter((item) => String(item.pk).startsWith('OUTBOX#')) as unknown as OutboxRecord[];
  const detailOf = (record: OutboxRecord | undefined) => JSON.parse(record?.detail ?? '{}');
  const put = (personId: string, input: Partial<PersonInput> & PersonInput, correlationId = 'corr-1') =>
    putPerson(deps, personId, input, {}, { correlationId });
  return { table, clock, people, deps, items, outbox, detailOf, put };
};

const context = (correlationId = 'corr-1') => ({ correlationId });

describe('DynamoDB people repository: writes with their outbox records', () => {
  it('creates a person under its keys, claims the address, and records exactly one Person.Registered', async () => {
    const { people, items, outbox, detailOf, put } = await setup();
    const change = await put('ada', personInput(), 'corr-create');
    expect(change.kind).toBe('registered');

    expect(await people.get('ada')).toEqual(change.person);
    expect(await people.get('nobody')).toBeUndefined();
    const stored = await items();
    expect(stored.find((item) => item.pk === 'PERSON#ada' && item.sk === 'PROFILE')).toMatchObject({
      gsi1pk: 'DIRECTORY#active',
      gsi1sk: 'backend#ada',
      version: 1,
    });
    expect(stored.find((item) => item.pk === 'EMAIL#ada@example.com')).toMatchObject({ personId: 'ada' });
    expect(stored.find((item) => item.sk === 'SEARCH#NAME')).toMatchObject({ gsi1sk: 'ada lovelace#ada' });

    const records = await outbox();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      pk: 'OUTBOX#evt-1',
      sk: 'EVENT',
      source: 'mentoring.matching',
      detailType: 'Person.Registered',
      expiresAt: Date.parse('2026-11-24T10:00:00Z') / 1000 + 7 * 24 * 3600,
    });
    const detail = detailSchemaOf(PersonRegisteredV1).parse(detailOf(records[0]));
    expect(detail.metadata).toEqual({
      id: 'evt-1',
      version: 1,
      occurredAt: '2026-11-24T10:00:00.000Z',
      correlationId: 'corr-create',
      service: 'matching',
    });
    expect(detail.data.person).toEqual(toSnapshot(change.person));
    // Nothing else was written: the person, its address, its name index entry and its one event.
    expect(stored).toHaveLength(4);
  });

  it('writes one Person.Updated per change, naming the changed fields; an unchanged write writes nothing', async () => {
    const { clock, people, items, outbox, detailOf, put } = await setup();
    await put('ada', personInput());
    clock.advance(60_000);
    const moved = await put('ada', personInput({ level: 6, skills: ['go'] }), 'corr-move');
    expect(moved.kind).toBe('updated');
    expect(await people.get('ada')).toMatchObject({
      level: 6,
      skills: ['go'],
      version: 2,
      createdAt: '2026-11-24T10:00:00.000Z',
      updatedAt: '2026-11-24T10:01:00.000Z',
    });
    const records = await outbox();
    expect(records.map((record) => record.detailType)).toEqual(['Person.Registered', 'Person.Updated']);
    const updated = detailSchemaOf(PersonUpdatedV1).parse(detailOf(records[1]));
    expect(updated.data.changedFields.sort()).toEqual(['level', 'skills']);
    expect(updated.metadata.correlationId).toBe('corr-move');

    const before = await items();
    clock.advance(60_000);
    const again = await put('ada', personInput({ level: 6, skills: ['go'] }));
    expect(again.kind).toBe('unchanged');
    expect(await items()).toEqual(before);
  });

  it('offboards by keeping the record marked offboarded, with one Person.Offboarded; again is a no-op', async () => {
    const { people, deps, items, outbox, detailOf, put } = await setup();
    await put('ada', personInput());
    expect(await removePerson(deps, 'ada', 'offboarded', context('corr-off'))).toBe('offboarded');
    expect(await people.get('ada')).toMatchObject({ status: 'offboarded', version: 2, name: 'Ada Lovelace' });
    expect((await items()).find((item) => item.sk === 'PROFILE')).toMatchObject({ gsi1pk: 'DIRECTORY#offboarded' });
    const records = await outbox();
    expect(records.map((record) => record.detailType)).toEqual(['Person.Registered', 'Person.Offboarded']);
    expect(detailOf(records[1]).data).toEqual({ personId: 'ada', reason: 'offboarded' });

    const before = await items();
    expect(await removePerson(deps, 'ada', 'offboarded', context())).toBe('already-offboarded');
    expect(await items()).toEqual(before);
  });

  it('gives every address to one person: a second claim is refused naming the owner; a change frees the old one', async () => {
    const { people, items, put } = await setup();
    await put('ada', personInput());
    const taken = put('ana', personInput({ name: 'Ana', email: 'ADA@example.com' }));
    await expect(taken).rejects.toBeInstanceOf(DuplicateEmailError);
    await expect(taken).rejects.toThrow(/is already the email address of ada\./);
    expect(await people.get('ana')).toBeUndefined();

    await put('ada', personInput({ email: 'ada.lovelace@example.com' }));
    expect((await items()).filter((item) => String(item.pk).startsWith('EMAIL#')).map((item) => item.pk)).toEqual([
      'EMAIL#ada.lovelace@example.com',
    ]);
    expect((await put('ana', personInput({ name: 'Ana', email: 'ada@example.com' }))).kind).toBe('registered');
  });
});

describe('DynamoDB people repository: atomicity and concurrency', () => {
  const updateOf = (person: StoredPerson, before: StoredPerson | undefined): PersonWrite => ({
    kind: 'person',
    person: { ...person, level: person.level + 1, version: person.version + 1 },
    before,
    events: [pendingEvent(PersonUpdatedV1, { person: toSnapshot(person), changedFields: ['level'] })],
  });

  it('a write whose version check fails leaves neither the state change nor its outbox record', async () => {
    const { people, items, put } = await setup();
    const created = await put('ada', personInput());
    const before = await items();

    const stale = people.write(updateOf(created.person, { ...created.person, version: 7 }), context());
    await expect(stale).rejects.toBeInstanceOf(ConcurrentModificationError);
    // "Must not exist yet" on an existing person fails the same way.
    const duplicate = people.write(updateOf(created.person, undefined), context());
    await expect(duplicate).rejects.toBeInstanceOf(ConcurrentModificationError);

    expect(await items()).toEqual(before);
  });

  it('a write whose outbox part fails leaves no state either', async () => {
    // Two events with the same id collide in the transaction: DynamoDB refuses all of it.
    const { people, items } = await setup(() => 'same-id');
    const person = storedPerson('ada');
    const event = pendingEvent(PersonRegisteredV1, { person: toSnapshot(person) });
    await expect(
      people.write({ kind: 'person', person, before: undefined, events: [event, event] }, context()),
    ).rejects.toThrow();
    expect(await items()).toEqual([]);
  });

  it('lets exactly one of two racing writers of the same version win, with exactly one event', async () => {
    const { people, outbox, put } = await setup();
    const created = await put('ada', personInput());
    const results = await Promise.allSettled([
      people.write(updateOf(created.person, created.person), context()),
      people.write(updateOf(created.person, created.person), context()),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected');
    expect((rejected as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrentModificationError);
    expect(await people.get('ada')).toMatchObject({ version: 2 });
    expect((await outbox()).map((record) => record.detailType)).toEqual(['Person.Registered', 'Person.Updated']);
  });

  it('re-decides on fresh data when another writer got in, and never undoes the fields that writer set', async () => {
    const { people, deps, outbox, detailOf, put } = await setup();
    await put('ada', personInput({ roles: ['employee', 'mentor'] }));
    // The first writer (a mentor's availability) reads version 1, then waits until a PUT of the
    // person's name and skills has written version 2.
    let release = () => {};
    const raced = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reads = 0;
    const slowReader: PeopleRepository = {
      ...people,
      get: async (personId) => {
        const person = await people.get(personId);
        if (++reads === 1) await raced;
        return person;
      },
    };
    const first = updatePersonFields({ ...deps, people: slowReader }, 'ada', { mentorCapacity: 3 }, context());
    await vi.waitFor(() => expect(reads).toBe(1));
    await put('ada', {
      name: 'Ada King',
      email: 'ada@example.com',
      timezone: 'Europe/London',
      domain: 'backend',
      level: 5,
      skills: ['rust'],
    });
    release();

    expect((await first).kind).toBe('updated');
    expect(reads).toBe(2);
    expect(await people.get('ada')).toMatchObject({
      version: 3,
      mentorCapacity: 3,
      name: 'Ada King',
      skills: ['rust'],
    });
    const updates = (await outbox()).filter((record) => record.detailType === 'Person.Updated');
    expect(updates.map((record) => detailOf(record).data.changedFields.sort())).toEqual([
      ['name', 'skills'],
      ['mentorCapacity'],
    ]);
  });

  it('reads current versions consistently, leaving out people it does not know', async () => {
    const { people, put } = await setup();
    await put('ada', personInput());
    await put('grace', personInput({ name: 'Grace', email: 'grace@example.com' }));
    await put('grace', personInput({ name: 'Grace Hopper', email: 'grace@example.com' }));
    expect(await people.versionsOf(['ada', 'grace', 'nobody'])).toEqual(
      new Map([
        ['ada', 1],
        ['grace', 2],
      ]),
    );
    expect(await people.versionsOf([])).toEqual(new Map());
  });

  it('applies a consumed event once: a redelivery writes neither state nor outbox record', async () => {
    const { people, deps, items, outbox } = await setup();
    const consumed = { correlationId: 'hr-1', consumedEvent: { consumer: 'hr-directory', eventId: 'hr-evt-1' } };
    const created = await putPerson(deps, 'ada', personInput(), {}, consumed);
    expect(created.kind).toBe('registered');
    const marker = (await items()).find((item) => item.pk === 'CONSUMED#hr-directory#hr-evt-1');
    expect(marker).toMatchObject({ sk: 'MARKER', expiresAt: expect.any(Number) });
    const before = await items();

    const redelivered = await people.write(updateOf(created.person, created.person), consumed);
    expect(redelivered).toBe('duplicate');
    expect(await items()).toEqual(before);
    expect(await outbox()).toHaveLength(1);

    // An event with nothing to change is still remembered, and writes no outbox record.
    const nothing = { correlationId: 'hr-2', consumedEvent: { consumer: 'hr-directory', eventId: 'hr-evt-2' } };
    expect(await people.write(null, nothing)).toBe('applied');
    expect(await people.write(null, nothing)).toBe('duplicate');
    expect((await items()).map((item) => item.pk)).toContain('CONSUMED#hr-directory#hr-evt-2');
    expect(await outbox()).toHaveLength(1);
  });
});

describe('DynamoDB people repository: listing and search', () => {
  const roster: [string, string, string][] = [
    ['b3', 'backend', 'Zoë Ortega'],
    ['d1', 'data', 'Ana Silva'],
    ['b1', 'backend', 'Anders Berg'],
    ['d2', 'data', 'José Álvarez'],
    ['b2', 'backend', 'Bo Chen'],
    ['f1', 'frontend', 'Ana Lima'],
    ['d3', 'data', 'Kai Berg'],
    ['x1', 'data', 'Ana Gone'],
  ];
  // One roster for the listing tests, which only read.
  const rosterTables: TestTable[] = [];
  let people: PeopleRepository;
  beforeAll(async () => {
    const ctx = await setup(sequentialIds('evt'), rosterTables);
    for (const [personId, domain, name] of roster) {
      await ctx.put(personId, personInput({ domain, name, email: `${personId}@example.com` }));
    }
    await removePerson(ctx.deps, 'x1', 'offboarded', context());
    people = ctx.people;
  });
  afterAll(async () => {
    await Promise.all(rosterTables.map((table) => table.drop()));
  });
  const pages = async (query: { limit: number; domain?: string; status?: 'active' | 'offboarded' }) => {
    const seen: string[][] = [];
    const cursors: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await people.list({ status: 'active', ...query, ...(cursor ? { cursor } : {}) });
      seen.push(page.items.map((person) => person.personId));
      cursor = page.nextCursor;
      if (cursor) cursors.push(cursor);
      expect(seen.length).toBeLessThan(20);
    } while (cursor);
    return { seen, cursors };
  };

  it('pages through the active people in domain then id order, with a cursor only while more follow', async () => {
    const { seen, cursors } = await pages({ limit: 3 });
    expect(seen).toEqual([['b1', 'b2', 'b3'], ['d1', 'd2', 'd3'], ['f1']]);
    // Opaque: URL-safe, and no table key is readable in it.
    for (const cursor of cursors) {
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(cursor).not.toMatch(/PERSON|DIRECTORY|backend|data/);
    }
    // A last page that is exactly full has no cursor (no empty page to fetch after it).
    expect((await pages({ limit: 7 })).seen).toEqual([['b1', 'b2', 'b3', 'd1', 'd2', 'd3', 'f1']]);
    expect((await pages({ limit: 100 })).seen).toHaveLength(1);
    expect((await pages({ limit: 100, status: 'offboarded' })).seen).toEqual([['x1']]);
  });

  it('filters by domain, paginated', async () => {
    expect((await pages({ limit: 2, domain: 'data' })).seen).toEqual([['d1', 'd2'], ['d3']]);
    expect((await pages({ limit: 3, domain: 'data' })).seen).toEqual([['d1', 'd2', 'd3']]);
    expect((await pages({ limit: 5, domain: 'nobody-works-here' })).seen).toEqual([[]]);
    // The domain is matched whole: "back" is not a prefix match of "backend".
    expect((await pages({ limit: 5, domain: 'back' })).seen).toEqual([[]]);
    expect(await people.someoneActiveIn('frontend')).toBe('f1');
    expect(await people.someoneActiveIn('design')).toBeUndefined();
  });

  it('finds people by the start of their name or email, ignoring case and accents, by status', async () => {
    const ids = async (text: string, status?: 'active' | 'offboarded') =>
      (await people.search({ text, limit: 10, ...(status ? { status } : {}) })).map((person) => person.personId).sort();
    expect(await ids('ana')).toEqual(['d1', 'f1', 'x1']);
    expect(await ids('ANA', 'active')).toEqual(['d1', 'f1']);
    expect(await ids('ana', 'offboarded')).toEqual(['x1']);
    expect(await ids('jose alv')).toEqual(['d2']);
    expect(await ids('zoe')).toEqual(['b3']);
    expect(await ids('b2@')).toEqual(['b2']);
    expect(await ids('berg')).toEqual([]);
  });

  it('refuses a cursor it did not issue with InvalidCursorError', async () => {
    const first = await people.list({ status: 'active', limit: 2 });
    const issued = first.nextCursor as string;
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const decoded = JSON.parse(Buffer.from(issued, 'base64url').toString('utf8'));
    const forged = [
      'not a cursor!',
      Buffer.from('{"half":').toString('base64url'),
      encode({}),
      encode([1, 2]),
      encode('DIRECTORY'),
      encode({ ...decoded, extra: 'x' }),
      encode({ ...decoded, gsi1pk: 'CONSUMED' }),
      encode({ ...decoded, version: 1, sk: undefined }),
      encode({ ...decoded, pk: 42 }),
    ];
    for (const cursor of forged) {
      const listing = people.list({ status: 'active', limit: 2, cursor });
      await expect(listing, cursor).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(listing, cursor).rejects.toThrow('The cursor is not one this API issued');
    }
    // The issued one still works; a cursor of the active listing is not one of the offboarded.
    expect((await people.list({ status: 'active', limit: 2, cursor: issued })).items).toHaveLength(2);
    await expect(people.list({ status: 'offboarded', limit: 2, cursor: issued })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  it('refuses (rather than fails on) a cursor from another domain’s listing', async () => {
    const backend = await people.list({ status: 'active', limit: 1, domain: 'backend' });
    await expect(
      people.list({ status: 'active', limit: 1, domain: 'data', cursor: backend.nextCursor as string }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });
});

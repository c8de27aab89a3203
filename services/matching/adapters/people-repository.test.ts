/**
 * The DynamoDB people repository against DynamoDB Local, with the real SDK: state and outbox
 * written in one transaction, version checks, listing with an opaque cursor, offboarding,
 * idempotent consumption. Each test gets its own table, so counts of items are exact.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PersonRegisteredV1, PersonUpdatedV1 } from '../../../shared/contracts/matching-events';
import { detailSchemaOf } from '../../../shared/events/envelope';
import { type OutboxRecord, pendingEvent } from '../../../shared/events/outbox';
import { InvalidCursorError } from '../../../shared/pagination';
import { fixedClock, type IdGenerator, sequentialIds } from '../../../shared/ports';
import { personInput } from '../../../test/builders/people';
import { createTestTable, type TestTable } from '../../../test/support/dynamodb';
import {
  type DirectoryDependencies,
  type PeopleRepository,
  removePerson,
  upsertPerson,
} from '../domain/people/directory';
import { ConcurrentModificationError } from '../domain/people/errors';
import type { Person } from '../domain/people/person';
import { toSnapshot } from '../domain/people/person-changes';
import { createDynamoPeopleRepository } from './people-repository';

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
  const deps: DirectoryDependencies = { people, clock };
  /** Every item in the table (a test-only Scan), sorted by key. */
  const items = async (): Promise<Record<string, unknown>[]> => {
    const { Items = [] } = await table.documentClient.send(new ScanCommand({ TableName: table.tableName }));
    return Items.sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
  };
  const outbox = async () =>
    (await items()).filter((item) => String(item.pk).startsWith('OUTBOX#')) as unknown as OutboxRecord[];
  const detailOf = (record: OutboxRecord | undefined) => JSON.parse(record?.detail ?? '{}');
  return { table, clock, people, deps, items, outbox, detailOf };
};

const context = (correlationId = 'corr-1') => ({ correlationId });

describe('DynamoDB people repository: writes with their outbox records', () => {
  it('creates a person under its keys and records exactly one Person.Registered in the outbox', async () => {
    const { people, deps, items, outbox, detailOf } = await setup();
    const change = await upsertPerson(deps, 'ada', personInput(), context('corr-create'));
    expect(change.kind).toBe('registered');

    expect(await people.get('ada')).toEqual(change.person);
    expect(await people.get('nobody')).toBeUndefined();
    const stored = (await items()).find((item) => item.pk === 'PERSON#ada');
    expect(stored).toMatchObject({ sk: 'PROFILE', gsi1pk: 'DIRECTORY', gsi1sk: 'backend#ada', version: 1 });

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
    expect(detail.data.person).toEqual(toSnapshot(change.person as Person));
    // Nothing else was written: the person and its one event.
    expect(await items()).toHaveLength(2);
  });

  it('writes one Person.Updated per change, naming the changed fields; an unchanged upsert writes nothing', async () => {
    const { clock, people, deps, items, outbox, detailOf } = await setup();
    await upsertPerson(deps, 'ada', personInput(), context());
    clock.advance(60_000);
    const moved = await upsertPerson(deps, 'ada', personInput({ level: 6, skills: ['go'] }), context('corr-move'));
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
    const again = await upsertPerson(deps, 'ada', personInput({ level: 6, skills: ['go'] }), context());
    expect(again.kind).toBe('unchanged');
    expect(await items()).toEqual(before);
  });

  it('offboards by keeping the record marked offboarded, with one Person.Offboarded; again is a no-op', async () => {
    const { people, deps, items, outbox, detailOf } = await setup();
    await upsertPerson(deps, 'ada', personInput(), context());
    expect(await removePerson(deps, 'ada', 'offboarded', context('corr-off'))).toBe('offboarded');
    expect(await people.get('ada')).toMatchObject({ status: 'offboarded', version: 2, name: 'Ada Lovelace' });
    const records = await outbox();
    expect(records.map((record) => record.detailType)).toEqual(['Person.Registered', 'Person.Offboarded']);
    expect(detailOf(records[1]).data).toEqual({ personId: 'ada', reason: 'offboarded' });

    const before = await items();
    expect(await removePerson(deps, 'ada', 'offboarded', context())).toBe('already-offboarded');
    expect(await items()).toEqual(before);

    // Coming back registers the same record again, at the next version.
    const back = await upsertPerson(deps, 'ada', personInput(), context());
    expect(back.kind).toBe('registered');
    expect(await people.get('ada')).toMatchObject({ status: 'active', version: 3 });
    expect((await outbox()).map((record) => record.detailType)).toEqual([
      'Person.Registered',
      'Person.Offboarded',
      'Person.Registered',
    ]);
  });
});

describe('DynamoDB people repository: atomicity and concurrency', () => {
  const updateOf = (person: Person, expectedVersion: number | null) => ({
    person: { ...person, level: person.level + 1, version: person.version + 1 },
    expectedVersion,
    events: [pendingEvent(PersonUpdatedV1, { person: toSnapshot(person), changedFields: ['level'] })],
  });

  it('a write whose version check fails leaves neither the state change nor its outbox record', async () => {
    const { people, deps, items } = await setup();
    const created = await upsertPerson(deps, 'ada', personInput(), context());
    const before = await items();

    const stale = people.write(updateOf(created.person, 7), context());
    await expect(stale).rejects.toBeInstanceOf(ConcurrentModificationError);
    // "Must not exist yet" on an existing person fails the same way.
    const duplicate = people.write(updateOf(created.person, null), context());
    await expect(duplicate).rejects.toBeInstanceOf(ConcurrentModificationError);

    expect(await items()).toEqual(before);
  });

  it('a write whose outbox part fails leaves no state either', async () => {
    // Two events with the same id collide in the transaction: DynamoDB refuses all of it.
    const { people, items } = await setup(() => 'same-id');
    const person: Person = {
      ...personInput(),
      personId: 'ada',
      status: 'active',
      version: 1,
      createdAt: '2026-11-24T10:00:00.000Z',
      updatedAt: '2026-11-24T10:00:00.000Z',
    };
    const event = pendingEvent(PersonRegisteredV1, { person: toSnapshot(person) });
    await expect(people.write({ person, expectedVersion: null, events: [event, event] }, context())).rejects.toThrow();
    expect(await items()).toEqual([]);
  });

  it('lets exactly one of two racing writers of the same version win, with exactly one event', async () => {
    const { people, deps, outbox } = await setup();
    const created = await upsertPerson(deps, 'ada', personInput(), context());
    const results = await Promise.allSettled([
      people.write(updateOf(created.person, 1), context()),
      people.write(updateOf(created.person, 1), context()),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected');
    expect((rejected as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrentModificationError);
    expect(await people.get('ada')).toMatchObject({ version: 2 });
    expect((await outbox()).map((record) => record.detailType)).toEqual(['Person.Registered', 'Person.Updated']);
  });

  it('re-decides on fresh data when a concurrent upsert got in between its read and its write', async () => {
    const { clock, people, outbox, detailOf } = await setup();
    const deps = { people, clock };
    await upsertPerson(deps, 'ada', personInput(), context());
    // The first writer reads version 1, then waits until the second writer has written version 2.
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
    const first = upsertPerson({ people: slowReader, clock }, 'ada', personInput({ level: 7 }), context());
    await vi.waitFor(() => expect(reads).toBe(1));
    await upsertPerson(deps, 'ada', personInput({ skills: ['rust'] }), context());
    release();

    expect((await first).kind).toBe('updated');
    expect(reads).toBe(2);
    expect(await people.get('ada')).toMatchObject({ version: 3, level: 7, skills: ['typescript', 'aws'] });
    const updates = (await outbox()).filter((record) => record.detailType === 'Person.Updated');
    expect(updates).toHaveLength(2);
    // Decided against version 2: the skills the other writer set are changed back, and say so.
    expect(detailOf(updates[1]).data.changedFields.sort()).toEqual(['level', 'skills']);
  });

  it('reads current versions consistently, leaving out people it does not know', async () => {
    const { people, deps } = await setup();
    await upsertPerson(deps, 'ada', personInput(), context());
    await upsertPerson(deps, 'grace', personInput({ name: 'Grace' }), context());
    await upsertPerson(deps, 'grace', personInput({ name: 'Grace Hopper' }), context());
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
    const created = await upsertPerson(deps, 'ada', personInput(), consumed);
    expect(created.kind).toBe('registered');
    const marker = (await items()).find((item) => item.pk === 'CONSUMED#hr-directory#hr-evt-1');
    expect(marker).toMatchObject({ sk: 'MARKER', expiresAt: expect.any(Number) });
    const before = await items();

    const redelivered = await people.write(updateOf(created.person, 1), consumed);
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

describe('DynamoDB people repository: listing', () => {
  const roster: [string, string][] = [
    ['b3', 'backend'],
    ['d1', 'data'],
    ['b1', 'backend'],
    ['d2', 'data'],
    ['b2', 'backend'],
    ['f1', 'frontend'],
    ['d3', 'data'],
  ];
  // One roster for the listing tests, which only read.
  const rosterTables: TestTable[] = [];
  let people: PeopleRepository;
  beforeAll(async () => {
    const ctx = await setup(sequentialIds('evt'), rosterTables);
    for (const [personId, domain] of roster) {
      await upsertPerson(ctx.deps, personId, personInput({ domain, email: `${personId}@example.com` }), context());
    }
    people = ctx.people;
  });
  afterAll(async () => {
    await Promise.all(rosterTables.map((table) => table.drop()));
  });
  const pages = async (query: { limit: number; domain?: string }) => {
    const seen: string[][] = [];
    const cursors: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await people.list({ ...query, ...(cursor ? { cursor } : {}) });
      seen.push(page.items.map((person) => person.personId));
      cursor = page.nextCursor;
      if (cursor) cursors.push(cursor);
      expect(seen.length).toBeLessThan(20);
    } while (cursor);
    return { seen, cursors };
  };

  it('pages through everyone in domain then id order, with a cursor only while more follow', async () => {
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
  });

  it('filters by domain, paginated', async () => {
    expect((await pages({ limit: 2, domain: 'data' })).seen).toEqual([['d1', 'd2'], ['d3']]);
    expect((await pages({ limit: 3, domain: 'data' })).seen).toEqual([['d1', 'd2', 'd3']]);
    expect((await pages({ limit: 5, domain: 'nobody-works-here' })).seen).toEqual([[]]);
    // The domain is matched whole: "back" is not a prefix match of "backend".
    expect((await pages({ limit: 5, domain: 'back' })).seen).toEqual([[]]);
  });

  it('refuses a cursor it did not issue with InvalidCursorError', async () => {
    const first = await people.list({ limit: 2 });
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
      const listing = people.list({ limit: 2, cursor });
      await expect(listing, cursor).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(listing, cursor).rejects.toThrow('The cursor is not one this API issued');
    }
    // The issued one still works.
    expect((await people.list({ limit: 2, cursor: issued })).items).toHaveLength(2);
  });

  it('refuses (rather than fails on) a cursor from another domain’s listing', async () => {
    const backend = await people.list({ limit: 1, domain: 'backend' });
    await expect(
      people.list({ limit: 1, domain: 'data', cursor: backend.nextCursor as string }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });
});

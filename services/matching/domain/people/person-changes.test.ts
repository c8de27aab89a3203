import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PendingEvent } from '../../../../shared/events/outbox';
import { personInput } from '../../../../test/builders/people';
import { PersonNotOffboardedError, PersonOffboardedError } from './errors';
import type { PersonInput, StoredPerson } from './person';
import {
  applyHrChange,
  applyPersonInput,
  changeFields,
  type HrChange,
  offboardPerson,
  rehirePerson,
  sourceVersion,
  type Tombstone,
  toSnapshot,
} from './person-changes';

const monday = new Date('2026-11-23T09:00:00Z');
const tuesday = new Date('2026-11-24T09:00:00Z');

const created = () => {
  const change = applyPersonInput(undefined, 'ada', personInput(), monday);
  if (change.kind !== 'registered') throw new Error('expected registration');
  return change.person;
};

describe('applyPersonInput', () => {
  it('registers a new person at version 1 with a Person.Registered event, defaults for what is left out', () => {
    const change = applyPersonInput(
      undefined,
      'ada',
      { name: 'Ada', email: 'ada@example.com', timezone: 'Europe/London', domain: 'backend', level: 3 },
      monday,
    );
    expect(change.kind).toBe('registered');
    if (change.kind !== 'registered') return;
    expect(change.person).toMatchObject({
      personId: 'ada',
      status: 'active',
      version: 1,
      createdAt: monday.toISOString(),
      workingHours: { start: '09:00', end: '17:00' },
      roles: ['employee'],
      mentorCapacity: 5,
      acceptingMentees: true,
    });
    expect(change.before).toBeUndefined();
    expect(change.events.map((event) => event.contract.detailType)).toEqual(['Person.Registered']);
    expect(change.events[0]?.data).toMatchObject({ cause: 'joined' });
  });

  it('is unchanged for identical input, and an update names (and changes) exactly the fields sent that differ', () => {
    const person = created();
    expect(applyPersonInput(person, 'ada', personInput(), tuesday).kind).toBe('unchanged');

    const updated = applyPersonInput(person, 'ada', personInput({ skills: ['go'], level: 6 }), tuesday);
    expect(updated.kind).toBe('updated');
    if (updated.kind !== 'updated') return;
    expect(updated.changedFields).toEqual(['level', 'skills']);
    expect(updated.person).toMatchObject({
      version: 2,
      createdAt: monday.toISOString(),
      updatedAt: tuesday.toISOString(),
    });
    expect(updated.before).toBe(person);
  });

  it('keeps the fields a write leaves out: an HR tool never resets a mentor’s own capacity', () => {
    const person = { ...created(), mentorCapacity: 3, acceptingMentees: false };
    const { mentorCapacity: _c, acceptingMentees: _a, ...withoutThem } = personInput({ name: 'Ada King' });
    const change = applyPersonInput(person, 'ada', withoutThem, tuesday);
    expect(change.kind).toBe('updated');
    expect(change.person).toMatchObject({ name: 'Ada King', mentorCapacity: 3, acceptingMentees: false });
    expect(changeFields(person, { yearsOfExperience: 12 }, tuesday).person.yearsOfExperience).toBe(12);
  });

  it('refuses to bring back an offboarded person: that is a rehire', () => {
    const gone = offboardPerson(created(), 'left-company', monday).person;
    expect(() => applyPersonInput(gone, 'ada', personInput(), tuesday)).toThrow(PersonOffboardedError);
    expect(() => applyPersonInput(gone, 'ada', personInput(), tuesday)).toThrow(/rehire/);
  });
});

describe('rehirePerson and offboardPerson', () => {
  it('rehires only a leaver, as an explicit act recorded on the record and in the event', () => {
    const gone = offboardPerson(created(), 'left-company', monday);
    if (gone.kind !== 'offboarded') throw new Error('expected an offboarding');
    expect(gone.events[0]?.data).toEqual({ personId: 'ada', reason: 'left-company' });
    expect(offboardPerson(gone.person, 'left-company', tuesday).kind).toBe('unchanged');

    const back = rehirePerson(gone.person, { level: 6 }, tuesday);
    if (back.kind !== 'registered') throw new Error('expected a registration');
    expect(back.person).toMatchObject({ status: 'active', version: 3, level: 6, rehiredAt: tuesday.toISOString() });
    expect(back.person.offboardedAt).toBeUndefined();
    expect(back.events[0]?.data).toMatchObject({ cause: 'rehired' });
    expect(() => rehirePerson(back.person, {}, tuesday)).toThrow(PersonNotOffboardedError);
  });
});

describe('HR events, in whatever order they arrive', () => {
  const at = (hour: string) => `2026-11-24T${hour}:00.000Z`;
  const joined = (hour: string, input: Partial<PersonInput> = {}, id = `j-${hour}`): HrChange => ({
    kind: 'joined',
    personId: 'p',
    input: personInput({ email: 'p@example.com', ...input }),
    version: sourceVersion(at(hour), id),
  });
  const updated = (hour: string, input: Partial<PersonInput> = {}, id = `u-${hour}`): HrChange => ({
    kind: 'updated',
    personId: 'p',
    input: personInput({ email: 'p@example.com', ...input }),
    version: sourceVersion(at(hour), id),
  });
  const left = (hour: string, id = `l-${hour}`): HrChange => ({
    kind: 'left',
    personId: 'p',
    version: sourceVersion(at(hour), id),
  });

  /** Applies the changes in this order, as the consumer does; returns the record and what was published. */
  const replay = (changes: readonly HrChange[]) => {
    let person: StoredPerson | undefined;
    let tombstone: Tombstone | undefined;
    const published: PendingEvent[] = [];
    let now = Date.parse('2026-11-25T00:00:00Z');
    for (const change of changes) {
      now += 1000;
      const outcome = applyHrChange(person, person ? undefined : tombstone, change, new Date(now));
      if (outcome.kind === 'tombstone') tombstone = outcome.tombstone;
      else if (outcome.kind !== 'unchanged') {
        person = outcome.person;
        published.push(...outcome.events);
      }
    }
    return { person, published };
  };

  /** What a consumer of our events believes: the person's snapshot while active, else nothing. */
  const consumerView = (published: readonly PendingEvent[]) => {
    let view: unknown;
    for (const event of published) {
      const data = event.data as { person?: unknown };
      if (event.contract.detailType === 'Person.Offboarded') view = undefined;
      else view = data.person;
    }
    return view;
  };

  const fieldsOf = (person: StoredPerson | undefined) =>
    person ? { ...toSnapshot(person), status: person.status } : undefined;

  it('Left (10:05) then Joined (10:00): the person stays gone, and nobody hears of them', () => {
    const { person, published } = replay([left('10:05'), joined('10:00')]);
    expect(person?.status).toBe('offboarded');
    expect(published).toEqual([]);
  });

  it('Updated level 5 (11:00) then Joined level 3 (10:00): level 5 stays, and the stale join publishes nothing', () => {
    const { person, published } = replay([updated('11:00', { level: 5 }), joined('10:00', { level: 3 })]);
    expect(person).toMatchObject({ level: 5, status: 'active' });
    expect(published.map((event) => event.contract.detailType)).toEqual(['Person.Registered']);
    expect(consumerView(published)).toMatchObject({ level: 5 });
  });

  it('a late Updated after Left does not bring the leaver back (no second Person.Registered)', () => {
    const { person, published } = replay([joined('09:00'), left('10:00'), updated('11:00', { level: 7 })]);
    expect(person).toMatchObject({ status: 'offboarded', level: 7 });
    expect(published.map((event) => event.contract.detailType)).toEqual(['Person.Registered', 'Person.Offboarded']);
  });

  it('a Joined that happened after the leave is a rehire', () => {
    const { person, published } = replay([joined('09:00'), left('10:00'), joined('12:00', { level: 6 })]);
    expect(person).toMatchObject({ status: 'active', level: 6 });
    expect(published.at(-1)?.data).toMatchObject({ cause: 'rehired' });
  });

  it('property: any permutation ends in the same record and leaves consumers believing the same, with nothing stale published', () => {
    const hours = ['08:00', '09:00', '10:00', '11:00', '12:00', '13:00', '14:00'];
    const field = fc.record({
      level: fc.integer({ min: 1, max: 10 }),
      name: fc.constantFrom('Pat', 'Pat Lee', 'Patricia Lee'),
      domain: fc.constantFrom('backend', 'data'),
      skills: fc.constantFrom<string[][]>([], ['go'], ['go', 'aws']),
    });
    const event = fc.oneof(
      fc.record({ kind: fc.constant('joined' as const), fields: field }),
      fc.record({ kind: fc.constant('updated' as const), fields: field }),
      fc.record({ kind: fc.constant('left' as const) }),
    );
    const history = fc.array(event, { minLength: 1, maxLength: hours.length }).map((events) =>
      events.map((item, index): HrChange => {
        const hour = hours[index] as string;
        if (item.kind === 'left') return left(hour);
        return (item.kind === 'joined' ? joined : updated)(hour, item.fields);
      }),
    );
    fc.assert(
      fc.property(
        history.chain((ordered) =>
          fc.tuple(fc.constant(ordered), fc.shuffledSubarray(ordered, { minLength: ordered.length })),
        ),
        ([ordered, permuted]) => {
          const inOrder = replay(ordered);
          const shuffled = replay(permuted);
          expect(fieldsOf(shuffled.person)).toEqual(fieldsOf(inOrder.person));
          expect(consumerView(shuffled.published)).toEqual(consumerView(inOrder.published));
          // Once registered, every snapshot published carries each field's newest value so far:
          // the last one published is the final record whenever the person is active.
          if (shuffled.person?.status === 'active') {
            expect(consumerView(shuffled.published)).toEqual(toSnapshot(shuffled.person));
          }
          const registrations = shuffled.published.filter((e) => e.contract.detailType === 'Person.Registered');
          const offboardings = shuffled.published.filter((e) => e.contract.detailType === 'Person.Offboarded');
          expect(registrations.length - offboardings.length).toBe(shuffled.person?.status === 'active' ? 1 : 0);
        },
      ),
      { numRuns: 400 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MentorshipRecord, PersonRecord, PodRecord, Profile } from './model';
import {
  mentorshipEnded,
  mentorshipStarted,
  personFlaggedAtRisk,
  personOffboarded,
  personRegistered,
  podDissolved,
  podFormed,
  stampOf,
} from './projection';

type PersonEvent =
  | { type: 'registered'; id: string; occurredAt: string; profile: Profile }
  | { type: 'offboarded'; id: string; occurredAt: string }
  | { type: 'at-risk'; id: string; occurredAt: string; risk: string };

const applyPerson = (record: PersonRecord | undefined, event: PersonEvent): PersonRecord => {
  const stamp = stampOf(event);
  if (event.type === 'registered') return personRegistered(record, 'p-1', event.profile, stamp).record;
  if (event.type === 'offboarded') return personOffboarded(record, 'p-1', stamp).record;
  return personFlaggedAtRisk(record, 'p-1', { risk: event.risk, trigger: 'high-risk' }, event.occurredAt, stamp).record;
};

const profileArbitrary: fc.Arbitrary<Profile> = fc.record({
  name: fc.constantFrom('Ada', 'Grace', 'Alan'),
  email: fc.constantFrom('a@example.com', 'b@example.com'),
  timezone: fc.constantFrom('Europe/Berlin', 'Asia/Tokyo'),
  workingHours: fc.constantFrom({ start: '09:00', end: '17:00' }, { start: '22:00', end: '06:00' }),
  domain: fc.constantFrom('backend', 'data'),
  roles: fc.constantFrom(['employee'], ['employee', 'mentor']).map((roles) => [...roles]),
});

/** Events with ids and times; the same instant may appear in two offset styles, and ids may tie on time. */
const personEventsArbitrary = fc
  .array(
    fc.record({
      kind: fc.constantFrom('registered', 'offboarded', 'at-risk'),
      minute: fc.integer({ min: 0, max: 20 }),
      offset: fc.boolean(),
      profile: profileArbitrary,
      risk: fc.constantFrom('medium', 'high'),
    }),
    { minLength: 1, maxLength: 10 },
  )
  .map((drafts) =>
    drafts.map((draft, index): PersonEvent => {
      const instant = Date.UTC(2027, 0, 1, 10, draft.minute);
      // Producers may write an offset: 11:05+01:00 is the same instant as 10:05Z.
      const occurredAt = draft.offset
        ? new Date(instant + 3_600_000).toISOString().replace('Z', '+01:00')
        : new Date(instant).toISOString();
      const id = `evt-${index}`;
      if (draft.kind === 'registered') return { type: 'registered', id, occurredAt, profile: draft.profile };
      if (draft.kind === 'offboarded') return { type: 'offboarded', id, occurredAt };
      return { type: 'at-risk', id, occurredAt, risk: draft.risk };
    }),
  );

/** Deliveries: every event at least once, some twice, in any order. */
const deliveriesOf = <T>(events: readonly T[]) =>
  fc.shuffledSubarray(events.map((_, index) => index)).chain((duplicates) =>
    fc.shuffledSubarray([...events, ...duplicates.map((index) => events[index] as T)], {
      minLength: events.length + duplicates.length,
    }),
  );

const withoutVersion = <T extends { version: number }>(record: T | undefined) =>
  record ? { ...record, version: 0 } : undefined;

describe('the people projection', () => {
  it('ends in the same record whatever the order of deliveries and duplicates', () => {
    fc.assert(
      fc.property(
        personEventsArbitrary.chain((events) =>
          fc.tuple(fc.constant(events), deliveriesOf(events), deliveriesOf(events)),
        ),
        ([, first, second]) => {
          const a = first.reduce<PersonRecord | undefined>(applyPerson, undefined);
          const b = second.reduce<PersonRecord | undefined>(applyPerson, undefined);
          expect(withoutVersion(a)).toEqual(withoutVersion(b));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('holds what the latest event of each kind says', () => {
    fc.assert(
      fc.property(personEventsArbitrary, (events) => {
        const record = events.reduce<PersonRecord | undefined>(applyPerson, undefined);
        const latest = (types: PersonEvent['type'][]) =>
          [...events]
            .filter((event) => types.includes(event.type))
            .sort((x, y) => (stampOf(x) < stampOf(y) ? 1 : -1))[0];
        const profile = latest(['registered']);
        const status = latest(['registered', 'offboarded']);
        const flag = latest(['at-risk']);
        expect(record?.profile).toEqual(profile?.type === 'registered' ? profile.profile : null);
        expect(record?.status).toBe(status?.type === 'offboarded' ? 'offboarded' : 'active');
        expect(record?.atRisk?.risk ?? null).toBe(flag?.type === 'at-risk' ? flag.risk : null);
      }),
    );
  });

  it('changes nothing for an event it has already applied', () => {
    const profile = {
      name: 'Ada',
      email: 'a@example.com',
      timezone: 'UTC',
      workingHours: { start: '09:00', end: '17:00' },
      domain: 'x',
      roles: ['employee'],
    };
    const stamp = stampOf({ occurredAt: '2027-01-01T10:00:00Z', id: 'e1' });
    const first = personRegistered(undefined, 'p-1', profile, stamp);
    expect(first.changed).toBe(true);
    expect(personRegistered(first.record, 'p-1', profile, stamp).changed).toBe(false);
    const older = stampOf({ occurredAt: '2027-01-01T09:00:00Z', id: 'e0' });
    expect(personOffboarded(first.record, 'p-1', older).changed).toBe(false);
  });
});

describe('mentorships and pods', () => {
  const facts = {
    mentorshipId: 'ms-1',
    podId: 'pod-1',
    mentorId: 'm-1',
    menteeId: 'e-1',
    startedAt: '2027-01-04T10:00:00.000Z',
  };
  const ended = { ...facts, endedAt: '2027-05-01T10:00:00.000Z', reason: 'reassigned' };
  type MentorshipEvent = 'started' | 'ended';
  const applyMentorship = (record: MentorshipRecord | undefined, event: MentorshipEvent) =>
    event === 'started' ? mentorshipStarted(record, facts).record : mentorshipEnded(record, ended).record;

  it('stay ended once ended, in any order and with duplicates', () => {
    fc.assert(
      fc.property(deliveriesOf<MentorshipEvent>(['started', 'ended']), (deliveries) => {
        const record = deliveries.reduce<MentorshipRecord | undefined>(applyMentorship, undefined);
        expect(record).toMatchObject({
          status: 'ended',
          endedAt: ended.endedAt,
          startedAt: facts.startedAt,
          mentorId: 'm-1',
        });
      }),
    );
    expect(mentorshipStarted(undefined, facts).record.status).toBe('active');
  });

  it('keep a pod’s founding mentees and its dissolution, whichever comes first', () => {
    const pod = { podId: 'pod-1', mentorId: 'm-1', domain: 'backend' };
    type PodEvent = 'formed' | 'dissolved';
    const applyPod = (record: PodRecord | undefined, event: PodEvent) =>
      event === 'formed'
        ? podFormed(record, { ...pod, menteeIds: ['e-1', 'e-2', 'e-3'], formedAt: '2027-01-04T10:00:00.000Z' }).record
        : podDissolved(record, { ...pod, dissolvedAt: '2027-06-01T10:00:00.000Z' }).record;
    const results = [
      ['formed', 'dissolved'],
      ['dissolved', 'formed'],
      ['dissolved', 'formed', 'dissolved', 'formed'],
    ].map((order) => (order as PodEvent[]).reduce<PodRecord | undefined>(applyPod, undefined));
    for (const result of results) {
      expect(result).toEqual(results[0]);
      expect(result).toMatchObject({
        status: 'dissolved',
        menteeIds: ['e-1', 'e-2', 'e-3'],
        formedAt: '2027-01-04T10:00:00.000Z',
      });
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  MentorshipEndedV1,
  MentorshipStartedV1,
  PersonOffboardedV1,
  PersonRegisteredV1,
  PersonUpdatedV1,
  PodDissolvedV1,
  PodFormedV1,
} from '../../../shared/contracts/matching-events';
import {
  EmailAddressSuppressedV1,
  NotificationPreferencesChangedV1,
  SessionCompletedV1,
} from '../../../shared/contracts/scheduling-events';
import { UnacceptableEventError } from '../../../shared/events/consumer';
import { busEvent } from '../../../test/builders/bus-event';
import { createHarness } from '../test-support/harness';
import { createProjectionConsumer } from './projection-consumer-handler';

const snapshot = (personId: string, domain = 'backend') => ({
  personId,
  name: `Person ${personId}`,
  email: `${personId}@example.com`,
  timezone: 'Europe/Berlin',
  workingHours: { start: '08:00', end: '16:00' },
  domain,
  level: 3,
  projectIds: [],
  managerId: null,
  skills: [],
  growthGoals: [],
  languages: ['en'],
  roles: ['employee'],
  mentorCapacity: 5,
  acceptingMentees: true,
});

/** A bus event whose envelope says it happened at `occurredAt`. */
const at = <T extends ReturnType<typeof busEvent>>(event: T, occurredAt: string): T => {
  (event.detail as { metadata: { occurredAt: string } }).metadata.occurredAt = occurredAt;
  return event;
};

describe('the projection consumer', () => {
  it('keeps people from Person.* events, once per event, never letting an older event overwrite a newer one', async () => {
    const harness = createHarness();
    const consume = createProjectionConsumer(harness.deps);
    const registered = at(busEvent(PersonRegisteredV1, { person: snapshot('p1') }), '2026-11-01T10:00:00Z');
    await consume(registered);
    await consume(registered);
    await consume(
      at(
        busEvent(PersonUpdatedV1, { person: snapshot('p1', 'data'), changedFields: ['domain'] }),
        '2026-11-03T10:00:00Z',
      ),
    );
    // Delivered late: the update of the 2nd must not undo the one of the 3rd.
    await consume(
      at(
        busEvent(PersonUpdatedV1, { person: snapshot('p1', 'design'), changedFields: ['domain'] }),
        '2026-11-02T10:00:00Z',
      ),
    );
    expect(await harness.deps.directory.person('p1')).toMatchObject({
      domain: 'data',
      active: true,
      timezone: 'Europe/Berlin',
    });
    expect((await harness.deps.directory.activePeople(['data'])).map((person) => person.personId)).toEqual(['p1']);

    await consume(at(busEvent(PersonOffboardedV1, { personId: 'p1', reason: 'left-company' }), '2026-11-04T10:00:00Z'));
    expect(await harness.deps.directory.person('p1')).toMatchObject({ active: false, email: 'p1@example.com' });
    expect(await harness.deps.directory.activePeople('all')).toEqual([]);
  });

  it('keeps pods and mentorships: members for pod audiences, the mentee’s mentor for check-ins; an ended one stays ended', async () => {
    const harness = createHarness();
    const consume = createProjectionConsumer(harness.deps);
    await consume(
      busEvent(PodFormedV1, {
        podId: 'pod-1',
        mentorId: 'm1',
        domain: 'a',
        menteeIds: ['e1'],
        formedAt: '2026-11-01T00:00:00Z',
        runId: null,
      }),
    );
    const started = (mentorshipId: string, menteeId: string) =>
      busEvent(MentorshipStartedV1, {
        mentorshipId,
        podId: 'pod-1',
        mentorId: 'm1',
        menteeId,
        domain: 'a',
        startedAt: '2026-11-01T00:00:00Z',
        lockedUntil: '2027-02-01T00:00:00Z',
        cause: 'matching-run',
        runId: null,
      });
    const ended = (mentorshipId: string, menteeId: string) =>
      busEvent(MentorshipEndedV1, {
        mentorshipId,
        podId: 'pod-1',
        mentorId: 'm1',
        menteeId,
        startedAt: '2026-11-01T00:00:00Z',
        endedAt: '2026-11-10T00:00:00Z',
        reason: 'reassigned',
      });
    await consume(started('ms-1', 'e1'));
    await consume(started('ms-2', 'e2'));
    expect(await harness.deps.directory.podMembers(['pod-1', 'pod-x'])).toEqual(
      new Map([['pod-1', ['m1', 'e1', 'e2']]]),
    );
    expect((await harness.deps.directory.mentorshipOf('e1'))?.mentorId).toBe('m1');

    await consume(ended('ms-2', 'e2'));
    expect(await harness.deps.directory.mentorshipOf('e2')).toBeUndefined();
    // Ended before its Started arrived (the bus keeps no order): it stays ended.
    await consume(ended('ms-3', 'e3'));
    await consume(started('ms-3', 'e3'));
    expect(await harness.deps.directory.mentorshipOf('e3')).toBeUndefined();
    expect(await harness.deps.directory.podMembers(['pod-1'])).toEqual(new Map([['pod-1', ['m1', 'e1']]]));

    await consume(
      busEvent(PodDissolvedV1, {
        podId: 'pod-1',
        mentorId: 'm1',
        domain: 'a',
        reason: 'no-mentees',
        dissolvedAt: '2026-11-20T00:00:00Z',
      }),
    );
    expect(await harness.deps.directory.podMembers(['pod-1'])).toEqual(new Map());
  });

  it('keeps email preferences and suppressions, and the completed 1:1s a mentee may rate', async () => {
    const harness = createHarness();
    const consume = createProjectionConsumer(harness.deps);
    await consume(busEvent(NotificationPreferencesChangedV1, { personId: 'p1', optedOut: ['pulse-reminders'] }));
    await consume(busEvent(EmailAddressSuppressedV1, { email: 'P1@Example.com', personId: 'p1', reason: 'bounce' }));
    expect((await harness.deps.directory.preferences('p1'))?.optedOut).toEqual(['pulse-reminders']);
    expect(await harness.deps.directory.isSuppressed('p1@example.com')).toBe(true);

    const session = (sessionId: string, kind: 'one-on-one' | 'pod', participantIds: string[]) =>
      busEvent(SessionCompletedV1, {
        session: {
          sessionId,
          kind,
          hostId: 'm1',
          participantIds,
          mentorshipId: kind === 'one-on-one' ? 'ms-1' : null,
          podId: 'pod-1',
          startsAt: '2026-11-20T10:00:00Z',
          endsAt: '2026-11-20T10:30:00Z',
        },
        completedAt: '2026-11-20T10:31:00Z',
      });
    await consume(session('s1', 'one-on-one', ['m1', 'e1']));
    await consume(session('s2', 'pod', ['m1', 'e1', 'e2']));
    expect(await harness.deps.directory.session('s1')).toMatchObject({ mentorId: 'm1', menteeId: 'e1', rated: false });
    expect(await harness.deps.directory.session('s2')).toBeUndefined();
  });

  it('rejects an event no contract accepts, so the bus retries and dead-letters it', async () => {
    const consume = createProjectionConsumer(createHarness().deps);
    const broken = busEvent(PersonRegisteredV1, { person: snapshot('p1') });
    (broken.detail as { data: unknown }).data = { person: { personId: 'p1' } };
    await expect(consume(broken)).rejects.toThrow(UnacceptableEventError);
  });
});

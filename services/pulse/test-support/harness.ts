/**
 * The pulse domain on the in-memory store, with a clock the test moves and deterministic ids and
 * tokens: for domain, handler and property tests. Helpers put people, pods and mentorships in as
 * the projection consumer would from matching's events.
 */
import { createHash } from 'node:crypto';
import type { Principal } from '../../../shared/auth/principal';
import type { Role } from '../../../shared/auth/roles';
import { fixedClock, sequentialIds } from '../../../shared/ports';
import { createInMemoryPulseStore } from '../adapters/in-memory-store';
import type { DirectoryPerson } from '../domain/directory/model';
import type { PulseDependencies } from '../domain/ports';

export const NOW = '2026-11-24T10:00:00.000Z';

/** 43 base64url characters, like a real reply token, but the same on every run. */
export const deterministicTokens = (seed = 'token') => {
  let next = 0;
  return () => createHash('sha256').update(`${seed}-${++next}`).digest('base64url');
};

export const principal = (personId: string, ...roles: Role[]): Principal => ({
  personId,
  roles: new Set<Role>(roles.length > 0 ? roles : ['employee']),
});
export const coach = principal('coach-1', 'life-coach', 'employee');
export const admin = principal('admin-1', 'admin', 'employee');

export const person = (
  personId: string,
  domain: string,
  overrides: Partial<DirectoryPerson> = {},
): DirectoryPerson => ({
  personId,
  name: `Person ${personId}`,
  email: `${personId}@example.com`,
  timezone: 'Europe/London',
  workingHours: { start: '09:00', end: '17:00' },
  domain,
  roles: ['employee'],
  active: true,
  asOf: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

export type PulseRepositories = Pick<PulseDependencies, 'directory' | 'surveys' | 'mail' | 'mentoring'>;

export interface HarnessOptions {
  threshold?: number;
  now?: string;
  /** The clock to use (the repositories' own, in adapter tests). */
  clock?: ReturnType<typeof fixedClock>;
}

/** The harness on any implementation of the repositories (the DynamoDB ones in adapter tests). */
export const harnessOn = <TStore extends PulseRepositories>(store: TStore, options: HarnessOptions = {}) => {
  const clock = options.clock ?? fixedClock(options.now ?? NOW);
  const deps: PulseDependencies = {
    clock,
    newId: sequentialIds('id'),
    randomToken: deterministicTokens(),
    threshold: options.threshold ?? 5,
    directory: store.directory,
    surveys: store.surveys,
    mail: store.mail,
    mentoring: store.mentoring,
  };
  let events = 0;
  const eventContext = () => ({ correlationId: 'test', consumedEvent: { consumer: 'test', eventId: `e-${++events}` } });

  const addPerson = async (personId: string, domain: string, overrides: Partial<DirectoryPerson> = {}) => {
    await store.directory.putPerson(
      person(personId, domain, { asOf: clock().toISOString(), ...overrides }),
      eventContext(),
    );
  };
  const removePerson = async (personId: string) => {
    const known = await store.directory.person(personId);
    if (known)
      await store.directory.putPerson({ ...known, active: false, asOf: clock().toISOString() }, eventContext());
  };
  /** A pod with its mentor and mentees (mentorships started a month before `now`). */
  const addPod = async (podId: string, mentorId: string, domain: string, menteeIds: readonly string[]) => {
    await store.directory.putPod(
      { podId, mentorId, domain, active: true, asOf: clock().toISOString() },
      eventContext(),
    );
    for (const menteeId of menteeIds) {
      await store.directory.startMentorship(
        {
          mentorshipId: `ms-${podId}-${menteeId}`,
          podId,
          mentorId,
          menteeId,
          domain,
          startedAt: new Date(clock().getTime() - 40 * 24 * 3600_000).toISOString(),
          lastCheckInMonth: null,
        },
        eventContext(),
      );
    }
  };
  return { store, clock, deps, addPerson, removePerson, addPod, eventContext };
};

export const createHarness = (options: HarnessOptions = {}) => harnessOn(createInMemoryPulseStore(), options);

export type Harness = ReturnType<typeof createHarness>;

/** The date `days` after the harness clock's day. */
export const dayAfter = (clock: () => Date, days = 0) =>
  new Date(clock().getTime() + days * 24 * 3600_000).toISOString().slice(0, 10);

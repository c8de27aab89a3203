/**
 * The pairing and run repositories on DynamoDB Local: the invariants held by conditional
 * writes (not by application code) under truly concurrent requests, commits that stop half-way
 * and resume, and the outbox written with each change.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalFromClaims } from '../../../shared/auth/principal';
import { InvalidCursorError } from '../../../shared/pagination';
import { fixedClock, sequentialIds } from '../../../shared/ports';
import {
  dryRunOf,
  resultOf,
  seedPeople,
  smallOrganisation,
  storedMentor,
  storedPerson,
} from '../../../test/builders/pods';
import { createTestTable, type TestTable } from '../../../test/support/dynamodb';
import type { Person } from '../domain/people/person';
import { ABANDONED_AFTER_MS, sweepCommitSlot } from '../domain/pods/commit-sweeper';
import {
  CommitInProgressError,
  CommitInterruptedError,
  InputsChangedError,
  PairingConflictError,
} from '../domain/pods/errors';
import { commitRun, startRun } from '../domain/pods/matching-runs';
import type { Mentorship, PodRecord } from '../domain/pods/model';
import { applyDeferredOffboardings, endPairingsOfLeaver, OFFBOARDING_CONSUMER } from '../domain/pods/offboarding';
import { emptyChange, mentorshipStarted } from '../domain/pods/pairing-change';
import type { PairingDependencies } from '../domain/pods/ports';
import { decideReassignment, requestReassignment } from '../domain/pods/reassignment';
import { createDynamoPairingRepository } from './pairing-repository';
import { createDynamoPeopleRepository } from './people-repository';
import { createDynamoRunRepository } from './run-repository';

const context = { correlationId: 'corr-db' };
let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => {
  await table?.drop();
});

/** A fresh key space per test: every id is prefixed, so tests share the table but never meet. */
const setup = async (prefix: string, people: Person[] = []) => {
  const clock = fixedClock('2026-11-24T10:00:00Z');
  const options = {
    db: table.documentClient,
    tableName: table.tableName,
    service: 'matching',
    clock,
    newId: sequentialIds(`${prefix}-id`),
  };
  const deps: PairingDependencies = {
    people: createDynamoPeopleRepository(options),
    pairings: createDynamoPairingRepository(options),
    runs: createDynamoRunRepository(options),
    clock,
    newId: options.newId,
  };
  await seedPeople(deps.people, people);
  return { deps, clock, options };
};

const outbox = async () => {
  const items = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.documentClient.send(
      new ScanCommand({
        TableName: table.tableName,
        FilterExpression: 'begins_with(pk, :outbox)',
        ExpressionAttributeValues: { ':outbox': 'OUTBOX#' },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.map((item) => ({ detailType: String(item.detailType), detail: JSON.parse(String(item.detail)) }));
};

const eventsFor = async (menteeIds: readonly string[]) =>
  (await outbox()).filter((event) => menteeIds.includes(event.detail.data.menteeId));

const pod = (podId: string, mentorId: string, load: number, capacity = 5): PodRecord => ({
  podId,
  mentorId,
  domain: 'conditions',
  capacity,
  load,
  status: 'active',
  formedAt: '2026-11-24T10:00:00.000Z',
  formedByRunId: null,
});
const mentorship = (podId: string, mentorId: string, menteeId: string): Mentorship => ({
  mentorshipId: `ms-${menteeId}`,
  podId,
  mentorId,
  menteeId,
  domain: 'conditions',
  startedAt: '2026-11-24T10:00:00.000Z',
  lockedUntil: '2027-02-24T10:00:00.000Z',
  cause: 'rematch',
  runId: null,
  explanation: null,
});
/** Forms a pod with the given mentees (a `none` guard: no run, no generation). */
const formPod = (podId: string, mentorId: string, menteeIds: string[], capacity = 5) => {
  const starts = menteeIds.map((menteeId) => mentorship(podId, mentorId, menteeId));
  return {
    ...emptyChange({ kind: 'none' }),
    starts,
    pods: [{ kind: 'form' as const, pod: pod(podId, mentorId, starts.length, capacity) }],
    events: starts.map(mentorshipStarted),
  };
};
const join = (podId: string, mentorId: string, menteeId: string, capacity = 5) => {
  const start = mentorship(podId, mentorId, menteeId);
  return {
    ...emptyChange({ kind: 'none' }),
    starts: [start],
    pods: [{ kind: 'adjust' as const, podId, mentorId, delta: 1, capacity }],
    events: [mentorshipStarted(start)],
  };
};

describe('conditional writes', () => {
  it('never puts a sixth mentee in a pod, even when six ask at once', async () => {
    const { deps } = await setup('six');
    await deps.pairings.apply(formPod('six-pod', 'six-m', ['six-a', 'six-b', 'six-c']), context);
    const joiners = ['six-d', 'six-e', 'six-f', 'six-g', 'six-h', 'six-i'];
    const outcomes = await Promise.allSettled(
      joiners.map((menteeId) => deps.pairings.apply(join('six-pod', 'six-m', menteeId), context)),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(2);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(PairingConflictError);
    }
    const stored = await deps.pairings.podWithMembers('six-pod');
    expect(stored?.pod.load).toBe(5);
    expect(stored?.members).toHaveLength(5);
    // Exactly the joins that landed have their event.
    expect((await eventsFor(joiners)).map((event) => event.detailType)).toEqual([
      'Mentorship.Started',
      'Mentorship.Started',
    ]);
  });

  it('never gives a mentee two mentors, even when two pods take them at once', async () => {
    const { deps } = await setup('two');
    await deps.pairings.apply(formPod('two-p1', 'two-m1', ['two-a', 'two-b', 'two-c']), context);
    await deps.pairings.apply(formPod('two-p2', 'two-m2', ['two-d', 'two-e', 'two-f']), context);
    const outcomes = await Promise.allSettled([
      deps.pairings.apply(join('two-p1', 'two-m1', 'two-x'), context),
      deps.pairings.apply(join('two-p2', 'two-m2', 'two-x'), context),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const loads = [
      (await deps.pairings.podWithMembers('two-p1'))?.pod.load,
      (await deps.pairings.podWithMembers('two-p2'))?.pod.load,
    ];
    expect(loads.sort()).toEqual([3, 4]);
    expect(await eventsFor(['two-x'])).toHaveLength(1);
  });

  it('refuses a second active pod for a mentor, capacity below the mentor’s own, and changes during a commit', async () => {
    const { deps } = await setup('cond');
    await deps.pairings.apply(formPod('cond-p1', 'cond-m', ['cond-a', 'cond-b', 'cond-c'], 3), context);
    await expect(
      deps.pairings.apply(formPod('cond-p2', 'cond-m', ['cond-d', 'cond-e', 'cond-f']), context),
    ).rejects.toThrow(/mentor’s active pod/);
    await expect(deps.pairings.apply(join('cond-p1', 'cond-m', 'cond-d', 3), context)).rejects.toThrow(/capacity/);
    const before = (await deps.pairings.matchingState()).generation;
    await deps.pairings.apply(emptyChange({ kind: 'outside-commit' }), context);
    expect((await deps.pairings.matchingState()).generation).toBe(before + 1);
  });
});

describe('commits on DynamoDB', () => {
  it('commits a run: pods, guards and the outbox agree; a second commit based on the same pairings is refused', async () => {
    const { deps } = await setup('run', [
      ...smallOrganisation().map((person) => ({
        ...person,
        personId: `run-${person.personId}`,
        domain: 'run-domain',
      })),
    ]);
    const first = await dryRunOf(deps, { mode: 'dry-run', domains: ['run-domain'] }, 'coach', context);
    const second = await dryRunOf(deps, { mode: 'dry-run', domains: ['run-domain'] }, 'coach', context);
    const committed = await commitRun(deps, first.runId, context);
    expect(committed.status).toBe('committed');
    await expect(commitRun(deps, second.runId, context)).rejects.toThrow(InputsChangedError);
    const pods = (await deps.pairings.listPods({ limit: 10, domain: 'run-domain' })).items;
    expect(pods.map((found) => [found.pod.mentorId, found.pod.load, found.members.length])).toEqual([
      ['run-m1', 3, 3],
      ['run-m2', 3, 3],
    ]);
    // Pages end exactly: no cursor to an empty page; a cursor from another listing is refused.
    const page1 = await deps.pairings.listPods({ limit: 1, domain: 'run-domain' });
    const page2 = await deps.pairings.listPods({ limit: 1, domain: 'run-domain', cursor: page1.nextCursor ?? '' });
    expect([page1.items.length, page2.items.length, page2.nextCursor]).toEqual([1, 1, undefined]);
    await expect(
      deps.pairings.listPods({ limit: 1, domain: 'elsewhere', cursor: page1.nextCursor ?? '' }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
    const stored = await deps.runs.get(first.runId);
    const page = await deps.runs.podsPage(first.runId, { offset: 0, limit: 100 });
    expect(page.items.map((pod) => pod.mentorId).sort()).toEqual(
      resultOf(first)
        .pods.map((pod) => pod.mentorId)
        .sort(),
    );
    expect(page.items).toEqual(expect.arrayContaining(resultOf(first).pods));
    expect(stored?.status).toBe('committed');
    expect((await deps.runs.steps(first.runId)).every((step) => step.applied)).toBe(true);
    const events = (await outbox()).filter(
      (event) => event.detail.data.runId === first.runId || String(event.detail.data.mentorId).startsWith('run-'),
    );
    expect(events.map((event) => event.detailType).sort()).toEqual(
      [
        'MatchingRun.Requested',
        ...Array(2).fill('MatchingRun.Completed'),
        ...Array(6).fill('Mentorship.Started'),
        ...Array(2).fill('Pod.Formed'),
      ].sort(),
    );
  });
});

/** A domain of its own per test: mentors `<p>-m1..4` (capacity 3), mentees `<p>-e1..12`. */
const domainOrganisation = (prefix: string): Person[] => [
  ...[1, 2, 3, 4].map((n) => storedMentor(`${prefix}-m${n}`, { domain: prefix, mentorCapacity: 3 })),
  ...Array.from({ length: 12 }, (_, n) => storedPerson(`${prefix}-e${n + 1}`, { domain: prefix })),
];

/** Every stored pod of the domain is whole: load = members, each member's guard names this pod, within capacity. */
const expectWholePods = async (deps: PairingDependencies, domain: string) => {
  const pods = (await deps.pairings.listPods({ limit: 100, domain })).items;
  const guards = await deps.pairings.currentMentorships(pods.flatMap((found) => found.members.map((m) => m.menteeId)));
  for (const found of pods) {
    expect(found.pod.load).toBe(found.members.length);
    expect(found.pod.load).toBeLessThanOrEqual(found.pod.capacity);
    for (const member of found.members) expect(guards.get(member.menteeId)?.podId).toBe(found.pod.podId);
  }
  const menteeIds = pods.flatMap((found) => found.members.map((m) => m.menteeId));
  expect(new Set(menteeIds).size).toBe(menteeIds.length);
  return pods;
};

describe('concurrent and interrupted commits on DynamoDB', () => {
  it('lets exactly one of two truly concurrent commits (of runs on the same pairings) apply', async () => {
    const { deps } = await setup('race', domainOrganisation('race'));
    const runs = await Promise.all(
      [1, 2].map(() => dryRunOf(deps, { mode: 'dry-run', domains: ['race'] }, 'coach', context)),
    );
    const outcomes = await Promise.allSettled(runs.map((run) => commitRun(deps, run.runId, context)));
    const committed = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    expect(committed).toHaveLength(1);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toSatisfy(
      (reason: unknown) => reason instanceof InputsChangedError || reason instanceof CommitInProgressError,
    );
    const pods = await expectWholePods(deps, 'race');
    expect(pods).toHaveLength(4);
    expect(pods.reduce((sum, found) => sum + found.pod.load, 0)).toBe(12);
    expect(
      (await outbox()).filter((event) => event.detailType === 'Pod.Formed' && event.detail.data.domain === 'race'),
    ).toHaveLength(4);
    expect((await deps.pairings.matchingState()).committingRunId).toBeNull();
  });

  it('lets two callers finishing the same commit at once apply each step and each event once', async () => {
    const { deps } = await setup('twice', domainOrganisation('twice'));
    const run = await dryRunOf(deps, { mode: 'dry-run', domains: ['twice'] }, 'coach', context);
    const outcomes = await Promise.allSettled([
      commitRun(deps, run.runId, context),
      commitRun(deps, run.runId, context),
    ]);
    expect(outcomes.some((outcome) => outcome.status === 'fulfilled')).toBe(true);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(CommitInProgressError);
    }
    // If one caller was refused, committing again finishes whatever is left (here: nothing).
    expect((await commitRun(deps, run.runId, context)).status).toBe('committed');
    await expectWholePods(deps, 'twice');
    const events = (await outbox()).filter(
      (event) => event.detail.data.domain === 'twice' || event.detail.data.runId === run.runId,
    );
    expect(events.filter((event) => event.detailType === 'Mentorship.Started')).toHaveLength(12);
    const completed = events.filter((event) => event.detailType === 'MatchingRun.Completed');
    expect(completed.map((event) => event.detail.data.mode)).toEqual(['dry-run', 'commit']);
  });

  it('stops half-way without a half-written pod or a lost event, refuses other changes meanwhile, and resumes', async () => {
    const { deps, options } = await setup('half', domainOrganisation('half'));
    const run = await dryRunOf(deps, { mode: 'dry-run', domains: ['half'] }, 'coach', context);
    expect(run.steps).toBe(4);

    // The second step's transaction lands but its answer is lost; the third is never sent.
    let stepTransactions = 0;
    const flaky = {
      send: async (command: { input?: { TransactItems?: { Update?: { Key?: { sk?: string } } }[] } }) => {
        const isStep = command.input?.TransactItems?.some((item) => item.Update?.Key?.sk?.startsWith('STEP#'));
        if (isStep) stepTransactions += 1;
        if (isStep && stepTransactions === 3) throw new Error('socket hang up');
        const response = await options.db.send(command as never);
        if (isStep && stepTransactions === 2) throw new Error('timeout reading the response');
        return response;
      },
    } as unknown as typeof options.db;
    const interrupted: PairingDependencies = {
      ...deps,
      pairings: createDynamoPairingRepository({ ...options, db: flaky }),
      settings: { commitConcurrency: 1 },
    };
    await expect(commitRun(interrupted, run.runId, context)).rejects.toThrow(CommitInterruptedError);

    expect((await deps.runs.get(run.runId))?.status).toBe('committing');
    const applied = (await deps.runs.steps(run.runId)).filter((step) => step.applied).length;
    expect(applied).toBe(2);
    const halfway = await expectWholePods(deps, 'half');
    expect(halfway).toHaveLength(2);
    const eventsOf = async () =>
      (await outbox()).filter((event) => event.detail.data.domain === 'half' || event.detail.data.runId === run.runId);
    // The outbox holds exactly the events of the applied steps: one pod formed and three starts each.
    expect((await eventsOf()).map((event) => event.detailType).sort()).toEqual(
      [
        ...Array(2).fill('Pod.Formed'),
        ...Array(6).fill('Mentorship.Started'),
        'MatchingRun.Requested',
        'MatchingRun.Completed',
      ].sort(),
    );
    // Meanwhile, nothing else changes pairings and nobody computes on them.
    await expect(deps.pairings.apply(emptyChange({ kind: 'outside-commit' }), context)).rejects.toThrow(
      CommitInProgressError,
    );
    await expect(dryRunOf(deps, { mode: 'dry-run' }, 'coach', context)).rejects.toThrow(CommitInProgressError);

    const resumed = await commitRun(deps, run.runId, context);
    expect(resumed.status).toBe('committed');
    expect(await expectWholePods(deps, 'half')).toHaveLength(4);
    const events = await eventsOf();
    expect(events.filter((event) => event.detailType === 'Mentorship.Started')).toHaveLength(12);
    expect(events.filter((event) => event.detailType === 'Pod.Formed')).toHaveLength(4);
    expect(events.filter((event) => event.detailType === 'MatchingRun.Completed')).toHaveLength(2);
    expect((await deps.pairings.matchingState()).committingRunId).toBeNull();
  });

  it('moves, renews and dissolves in a later commit, with history for the repeat penalty', async () => {
    const { deps, clock, options } = await setup('later', domainOrganisation('later'));
    await startRun(deps, { mode: 'commit', domains: ['later'] }, 'coach', context);
    const leaver = (await deps.people.get('later-m1')) as Person;
    await deps.people.write(
      { kind: 'person', person: { ...leaver, status: 'offboarded', version: 2 }, before: leaver, events: [] },
      context,
    );
    clock.advance(100 * 24 * 3600 * 1000);
    const { run } = await startRun(deps, { mode: 'commit', domains: ['later'] }, 'coach', context);
    // Three mentors of capacity 3 for twelve mentees: m1's three are placed or ended, maybe others moved too.
    expect(run.counts.endedPairings).toBeGreaterThanOrEqual(3);
    const ended = (await outbox()).filter(
      (event) => event.detailType === 'Mentorship.Ended' && String(event.detail.data.menteeId).startsWith('later-'),
    );
    expect(ended).toHaveLength(run.counts.endedPairings);
    const pods = await expectWholePods(deps, 'later');
    expect(pods.map((found) => found.pod.mentorId)).not.toContain('later-m1');
    // Kept pairings are locked again from this run (100 days later, plus three months), new ones too.
    expect(pods.every((found) => found.members.every((m) => m.lockedUntil === '2027-06-04T10:00:00.000Z'))).toBe(true);
    const snapshot = await createDynamoPairingRepository(options).snapshot();
    expect(snapshot.pastPairings.filter((past) => past.mentorId === 'later-m1')).toHaveLength(3);
    const dissolved = (await outbox()).filter(
      (event) => event.detailType === 'Pod.Dissolved' && event.detail.data.mentorId === 'later-m1',
    );
    expect(dissolved.map((event) => event.detail.data.reason)).toEqual(['mentor-offboarded']);
  });
});

describe('offboardings during a commit, and the sweeper, on DynamoDB', () => {
  /** Commits a dry run of the domain until its second step, which never reaches DynamoDB. */
  const interruptAfterFirstStep = async (setupOf: Awaited<ReturnType<typeof setup>>, domain: string) => {
    const { deps, options } = setupOf;
    const run = await dryRunOf(deps, { mode: 'dry-run', domains: [domain] }, 'coach', context);
    let stepTransactions = 0;
    const flaky = {
      send: async (command: { input?: { TransactItems?: { Update?: { Key?: { sk?: string } } }[] } }) => {
        const isStep = command.input?.TransactItems?.some((item) => item.Update?.Key?.sk?.startsWith('STEP#'));
        if (isStep && ++stepTransactions === 2) throw new Error('Task timed out after 29.00 seconds');
        return options.db.send(command as never);
      },
    } as unknown as typeof options.db;
    const interrupted = {
      ...deps,
      pairings: createDynamoPairingRepository({ ...options, db: flaky }),
      settings: { commitConcurrency: 1 },
    };
    await expect(commitRun(interrupted, run.runId, context)).rejects.toThrow(CommitInterruptedError);
    const notApplied = (await deps.runs.steps(run.runId)).find((item) => !item.applied)?.step;
    if (notApplied?.kind !== 'place') throw new Error('a placement was expected to be left');
    return { run, notApplied };
  };

  it('records a deferral once per event (even delivered twice at once), only while the slot is held, and applies it once', async () => {
    const db = await setup('defer', domainOrganisation('defer'));
    const { deps } = db;
    const { run, notApplied } = await interruptAfterFirstStep(db, 'defer');
    const leaver = notApplied.menteeIds[0] as string;
    const event = { personId: leaver, eventId: 'defer-evt-1', correlationId: 'defer-hr-1' };

    const deliveries = await Promise.all([endPairingsOfLeaver(deps, event), endPairingsOfLeaver(deps, event)]);
    expect(deliveries.map((outcome) => outcome.ended).sort()).toEqual(['deferred', 'duplicate']);
    expect(await endPairingsOfLeaver(deps, event)).toEqual({ ended: 'duplicate', rematched: [] });
    // A second event about the same leaver is consumed; the first deferral is kept as it was.
    expect((await endPairingsOfLeaver(deps, { ...event, eventId: 'defer-evt-2' })).ended).toBe('deferred');
    const deferred = (await deps.pairings.deferredOffboardings()).filter((item) => item.personId.startsWith('defer-'));
    expect(deferred).toEqual([
      { personId: leaver, eventId: 'defer-evt-1', correlationId: 'defer-hr-1', deferredAt: '2026-11-24T10:00:00.000Z' },
    ]);

    // Resuming the commit places the leaver, frees the slot, then ends that very pairing, once.
    expect((await commitRun(deps, run.runId, context)).status).toBe('committed');
    expect(await deps.pairings.mentorshipOf(leaver)).toBeUndefined();
    expect(await deps.pairings.deferredOffboardings()).toEqual([]);
    expect(await applyDeferredOffboardings(deps)).toEqual([]);
    const aboutLeaver = (await eventsFor([leaver])).map((found) => [
      found.detailType,
      found.detail.metadata.correlationId,
    ]);
    expect(aboutLeaver.sort()).toEqual([
      ['Mentorship.Ended', 'defer-hr-1'],
      ['Mentorship.Started', context.correlationId],
    ]);
    await expectWholePods(deps, 'defer');

    // With the slot free, nothing is deferred and the event is not consumed: it is applied instead.
    const late = { personId: 'defer-e99', eventId: 'defer-evt-3', correlationId: 'defer-hr-3', deferredAt: 'now' };
    const consumed = {
      correlationId: 'defer-hr-3',
      consumedEvent: { consumer: OFFBOARDING_CONSUMER, eventId: late.eventId },
    };
    expect(await deps.pairings.deferOffboarding(late, consumed)).toBe('slot-free');
    expect((await endPairingsOfLeaver(deps, late)).ended).toBe('applied');
  });

  it('finishes a commit abandoned for over 15 minutes, leaves a fresh one alone, and finds re-matches left waiting by age', async () => {
    const db = await setup('sweep', domainOrganisation('sweep'));
    const { deps, clock } = db;
    const { run } = await interruptAfterFirstStep(db, 'sweep');
    expect((await deps.pairings.matchingState()).commitStartedAt).toBe('2026-11-24T10:00:00.000Z');

    clock.advance(ABANDONED_AFTER_MS);
    expect((await sweepCommitSlot(deps, context)).commit).toEqual({ runId: run.runId, outcome: 'in-progress' });
    expect((await deps.runs.get(run.runId))?.status).toBe('committing');
    clock.advance(1000);
    expect((await sweepCommitSlot(deps, context)).commit).toEqual({ runId: run.runId, outcome: 'finished' });
    expect((await deps.runs.get(run.runId))?.status).toBe('committed');
    expect(await expectWholePods(deps, 'sweep')).toHaveLength(4);
    expect(await deps.pairings.matchingState()).toMatchObject({ committingRunId: null, commitStartedAt: null });

    const waiting = (menteeId: string, since: string) => ({
      triggerId: 'sweep-trigger',
      menteeId,
      excludeMentorId: null,
      since,
      correlationId: 'sweep-corr',
    });
    const old = waiting('sweep-x1', '2026-11-24T09:00:00.000Z');
    const fresh = waiting('sweep-x2', '2026-11-24T10:15:00.000Z');
    await deps.pairings.apply({ ...emptyChange({ kind: 'none' }), pendingRematches: { add: [fresh, old] } }, context);
    const waitingBefore = (cutoff: string) =>
      deps.pairings
        .pendingRematchesSince(cutoff)
        .then((found) => found.filter((item) => item.triggerId === 'sweep-trigger').map((item) => item.menteeId));
    expect(await waitingBefore('2026-11-24T10:00:00.000Z')).toEqual(['sweep-x1']);
    expect(await waitingBefore('2026-11-24T11:00:00.000Z')).toEqual(['sweep-x1', 'sweep-x2']);
    await deps.pairings.apply(
      { ...emptyChange({ kind: 'none' }), pendingRematches: { remove: [old, fresh] } },
      context,
    );
    expect(await waitingBefore('2026-11-24T11:00:00.000Z')).toEqual([]);
  });
});

describe('decisions on DynamoDB: separations, waiting mentees, request copies, expiring history', () => {
  it('keeps a separation, a waiting mentee and the request under the mentee; history expires after the window', async () => {
    const { deps, clock, options } = await setup('sep', domainOrganisation('sep'));
    const pairings = createDynamoPairingRepository({ ...options, pastPairingRetentionMonths: async () => 24 });
    const withRetention = { ...deps, pairings };
    await startRun(withRetention, { mode: 'commit', domains: ['sep'] }, 'coach', context);
    const mentorship = await pairings.mentorshipOf('sep-e1');
    if (!mentorship) throw new Error('sep-e1 was expected in a pod');
    const coach = principalFromClaims({ sub: 'coach', 'cognito:groups': '[life-coach]' });
    const mentee = principalFromClaims({ sub: 'sep-e1', 'cognito:groups': '[employee]' });
    if (!coach || !mentee) throw new Error('principals expected');
    const request = await requestReassignment(withRetention, mentee, mentorship.podId, { reason: 'r' }, context);
    const decided = await decideReassignment(withRetention, coach, request.requestId, { decision: 'approve' }, context);
    // Every pod is full (4 mentors x 3): nobody can take sep-e1 now.
    expect(decided.placed).toBeNull();
    expect(decided.notPlaced?.mentors.map((item) => item.rule).sort()).toEqual([
      'left-through-decision',
      'no-room',
      'no-room',
      'no-room',
    ]);
    expect(await pairings.separationsOf('sep-e1')).toEqual([
      expect.objectContaining({ mentorId: mentorship.mentorId, reason: 'left-through-decision', decidedBy: 'coach' }),
    ]);
    expect((await pairings.snapshot()).separations).toContainEqual(
      expect.objectContaining({ menteeId: 'sep-e1', mentorId: mentorship.mentorId }),
    );
    expect(await pairings.waitingIn('sep')).toEqual([expect.objectContaining({ menteeId: 'sep-e1', domain: 'sep' })]);
    const mine = await pairings.requestsOf('sep-e1', { limit: 10 });
    expect(mine.items.map((item) => [item.requestId, item.status])).toEqual([[request.requestId, 'approved']]);
    await expect(pairings.requestsOf('sep-e1', { limit: 1, cursor: 'forged' })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );

    // The ended pairing is history for the repeat penalty, until the window has passed.
    const history = await pairings.pastPairingsOf('sep-e1');
    expect(history).toEqual([expect.objectContaining({ mentorId: mentorship.mentorId, reason: 'reassigned' })]);
    clock.advance(2 * 366 * 24 * 3600 * 1000);
    expect(await pairings.pastPairingsOf('sep-e1')).toEqual([]);
    expect((await pairings.snapshot()).pastPairings.filter((past) => past.menteeId === 'sep-e1')).toEqual([]);
    // A separation never expires.
    expect(await pairings.separationsOf('sep-e1')).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { sequentialIds } from '../../../../shared/ports';
import { storedMentor, storedPerson } from '../../../../test/builders/pods';
import type { MatchResult, PodMember } from '../engine/index';
import type { Person } from '../people/person';
import { changeOfStep, expectationsOf, planCommit } from './commit-plan';
import type { Mentorship, PodRecord } from './model';

const LOCK = '2027-02-24T10:00:00.000Z';

const member = (menteeId: string, overrides: Partial<PodMember> = {}): PodMember => ({
  menteeId,
  points: 40,
  centipoints: 4000,
  topFactors: [{ name: 'skills', points: 30, detail: 'covers 1 of 1 growth goals' }],
  change: 'new',
  locked: false,
  lockedUntil: LOCK,
  ...overrides,
});

/** Just the parts of an engine result the planner reads. */
const resultOf = (pods: { mentorId: string; capacity?: number; mentees: PodMember[] }[]): MatchResult =>
  ({
    pods: pods.map((pod) => ({
      mentorId: pod.mentorId,
      domain: 'backend',
      capacity: pod.capacity ?? 5,
      menteeIds: pod.mentees.map((m) => m.menteeId),
      mentees: pod.mentees,
      loadCost: 0,
    })),
    objective: { matched: pods.reduce((sum, pod) => sum + pod.mentees.length, 0) },
    unmatched: [],
    noMentorPossible: [],
    mentorShortfalls: [],
  }) as unknown as MatchResult;

const mentorship = (podId: string, mentorId: string, menteeId: string, lockedUntil = '2026-10-01T00:00:00.000Z') =>
  ({
    mentorshipId: `ms-${menteeId}`,
    podId,
    mentorId,
    menteeId,
    domain: 'backend',
    startedAt: '2026-07-01T00:00:00.000Z',
    lockedUntil,
    cause: 'matching-run',
    runId: 'run-0',
    explanation: null,
  }) satisfies Mentorship;

const pod = (podId: string, mentorId: string, load: number): PodRecord => ({
  podId,
  mentorId,
  domain: 'backend',
  capacity: 5,
  load,
  status: 'active',
  formedAt: '2026-07-01T00:00:00.000Z',
  formedByRunId: 'run-0',
});

const directory = (...people: Person[]) => new Map(people.map((person) => [person.personId, person]));
const everyone = directory(
  storedMentor('m1'),
  storedMentor('m2'),
  ...['a', 'b', 'c', 'd', 'e', 'f'].map((id) => storedPerson(id)),
);

describe('planCommit', () => {
  it('forms new pods: one placement per pod, with Pod.Formed and a Mentorship.Started per mentee', () => {
    const plan = planCommit({
      result: resultOf([{ mentorId: 'm1', capacity: 3, mentees: [member('a'), member('b'), member('c')] }]),
      mentorships: [],
      pods: [],
      people: everyone,
      scope: null,
      runId: 'run-1',
      newId: sequentialIds('new'),
    });
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]).toMatchObject({ kind: 'place', form: true, podId: 'new-1', capacity: 3, expectedLoad: 0 });
    expect(plan.counts).toMatchObject({ pods: 1, matched: 3, newPairings: 3, movedPairings: 0, endedPairings: 0 });

    const change = changeOfStep(plan.steps[0] as (typeof plan.steps)[number], 'run-1', '2026-11-24T10:05:00.000Z');
    expect(change.guard).toEqual({ kind: 'run-step', runId: 'run-1', index: 0 });
    expect(change.pods).toEqual([
      { kind: 'form', pod: expect.objectContaining({ podId: 'new-1', mentorId: 'm1', load: 3, capacity: 3 }) },
    ]);
    expect(change.events.map((event) => event.contract.detailType)).toEqual([
      'Pod.Formed',
      'Mentorship.Started',
      'Mentorship.Started',
      'Mentorship.Started',
    ]);
    expect(change.starts.every((start) => start.startedAt === '2026-11-24T10:05:00.000Z')).toBe(true);
    expect(change.starts[0]?.explanation?.topFactors[0]?.name).toBe('skills');
  });

  it('releases before it places: a moved mentee ends in the old pod and starts in the new one', () => {
    // m1 holds a, b, c (locks over); the result keeps a and b, moves c to m2, adds d to m1.
    const current = [mentorship('p1', 'm1', 'a'), mentorship('p1', 'm1', 'b'), mentorship('p1', 'm1', 'c')];
    const plan = planCommit({
      result: resultOf([
        { mentorId: 'm1', mentees: [member('a', { change: 'kept' }), member('b', { change: 'kept' }), member('d')] },
        { mentorId: 'm2', mentees: [member('c', { change: 'moved' }), member('e'), member('f')] },
      ]),
      mentorships: current,
      pods: [pod('p1', 'm1', 3)],
      people: everyone,
      scope: null,
      runId: 'run-2',
      newId: sequentialIds('new'),
    });
    expect(plan.steps.map((step) => [step.kind, step.podId])).toEqual([
      ['release', 'p1'],
      ['place', 'p1'],
      // d's mentorship took the first new id, m2's new pod the second.
      ['place', 'new-2'],
    ]);
    const [release, keep, form] = plan.steps;
    expect(release).toMatchObject({ expectedLoad: 3, dissolve: null, leavers: [{ reason: 'rematched' }] });
    expect(keep).toMatchObject({ form: false, expectedLoad: 3, joiners: [{ menteeId: 'd' }] });
    // Kept pairings take the run's new lock date.
    expect(keep?.kind === 'place' && keep.renewals.map((r) => [r.mentorship.menteeId, r.lockedUntil])).toEqual([
      ['a', LOCK],
      ['b', LOCK],
    ]);
    expect(form).toMatchObject({ form: true, joiners: [{ menteeId: 'c' }, { menteeId: 'e' }, { menteeId: 'f' }] });
    expect(plan.counts).toMatchObject({ newPairings: 3, movedPairings: 1, keptPairings: 2, endedPairings: 1 });

    const expected = expectationsOf(plan.steps);
    expect(expected.podLoads).toEqual(new Map([['p1', 3]]));
    expect(expected.mentees.get('c')).toBe('ms-c');
    expect(expected.mentees.get('d')).toBeNull();
    expect(expected.mentorsWithoutPod).toEqual(new Set(['m2']));

    const releaseChange = changeOfStep(release as (typeof plan.steps)[number], 'run-2', '2026-11-24T10:05:00.000Z');
    expect(releaseChange.pods).toEqual([{ kind: 'adjust', podId: 'p1', mentorId: 'm1', delta: -1 }]);
    expect(releaseChange.events[0]?.data).toMatchObject({ menteeId: 'c', reason: 'rematched' });
    const keepChange = changeOfStep(keep as (typeof plan.steps)[number], 'run-2', '2026-11-24T10:05:00.000Z');
    expect(keepChange.pods).toEqual([{ kind: 'adjust', podId: 'p1', mentorId: 'm1', delta: 1, capacity: 5 }]);
  });

  it('keeps locked pairings untouched and dissolves the pod of a mentor who left, naming why', () => {
    const people = directory(
      storedMentor('m1', { status: 'offboarded' }),
      storedMentor('m2'),
      storedPerson('a'),
      storedPerson('b'),
      storedPerson('c'),
    );
    const plan = planCommit({
      result: resultOf([
        {
          mentorId: 'm2',
          mentees: [
            member('a', { change: 'locked', locked: true, lockedUntil: '2027-01-01T00:00:00.000Z' }),
            member('b'),
            member('c'),
          ],
        },
      ]),
      mentorships: [
        mentorship('p2', 'm2', 'a', '2027-01-01T00:00:00.000Z'),
        mentorship('p1', 'm1', 'b', '2027-01-01T00:00:00.000Z'),
        mentorship('p1', 'm1', 'c', '2027-01-01T00:00:00.000Z'),
      ],
      pods: [pod('p1', 'm1', 2), pod('p2', 'm2', 1)],
      people,
      scope: null,
      runId: 'run-3',
      newId: sequentialIds('new'),
    });
    const release = plan.steps.find((step) => step.kind === 'release');
    expect(release).toMatchObject({ podId: 'p1', dissolve: 'mentor-offboarded' });
    expect(release?.kind === 'release' && release.leavers.map((l) => l.reason)).toEqual(['offboarded', 'offboarded']);
    const place = plan.steps.find((step) => step.kind === 'place');
    expect(place).toMatchObject({ podId: 'p2', form: false, renewals: [] });
    expect(place?.kind === 'place' && place.joiners.map((j) => j.menteeId)).toEqual(['b', 'c']);
    expect(plan.counts).toMatchObject({ lockedPairings: 1, movedPairings: 2 });

    const dissolve = changeOfStep(release as (typeof plan.steps)[number], 'run-3', '2026-11-24T10:05:00.000Z');
    expect(dissolve.pods[0]).toMatchObject({ kind: 'dissolve', podId: 'p1', delta: -2, reason: 'mentor-offboarded' });
    expect(dissolve.events.map((event) => event.contract.detailType)).toEqual([
      'Mentorship.Ended',
      'Mentorship.Ended',
      'Pod.Dissolved',
    ]);
  });

  it('leaves pods outside the run’s scope alone', () => {
    const plan = planCommit({
      result: resultOf([]),
      mentorships: [mentorship('p1', 'm1', 'a')],
      pods: [pod('p1', 'm1', 1)],
      people: everyone,
      scope: new Set(['design']),
      runId: 'run-4',
      newId: sequentialIds('new'),
    });
    expect(plan.steps).toEqual([]);
  });
});

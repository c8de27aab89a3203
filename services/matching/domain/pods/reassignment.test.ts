import { describe, expect, it } from 'vitest';
import { principalFromClaims } from '../../../../shared/auth/principal';
import {
  inMemoryMatching,
  resultOf,
  smallOrganisation,
  storedMentor,
  storedPerson,
} from '../../../../test/builders/pods';
import {
  InvalidPairingRequestError,
  NotEntitledError,
  PodNotFoundError,
  ReassignmentStateError,
  ReassignmentTargetError,
} from './errors';
import { startRun } from './matching-runs';
import { endPairingsOfLeaver } from './offboarding';
import { decideReassignment, requestReassignment } from './reassignment';

const context = { correlationId: 'corr-1' };
const as = (sub: string, groups = 'employee') => {
  const principal = principalFromClaims({ sub, 'cognito:groups': `[${groups}]` });
  if (!principal) throw new Error('principal expected');
  return principal;
};
const coach = as('coach', 'life-coach employee');

/** m1 holds e1-e3 (capacity 3); m2 holds e4-e6 (capacity 5); m3 (project apollo, capacity 5) holds e7-e9. */
const committed = async () => {
  const setup = await inMemoryMatching([
    ...smallOrganisation(),
    storedMentor('m3', { projectIds: ['apollo'], mentorCapacity: 5, skills: ['design'] }),
    ...['e7', 'e8', 'e9'].map((id) => storedPerson(id, { growthGoals: ['design'] })),
  ]);
  await startRun(setup.deps, { mode: 'commit' }, 'coach', context);
  const podOf = async (mentorId: string) => (await setup.deps.pairings.activePodOfMentor(mentorId))?.pod.podId ?? '';
  return { ...setup, podOf };
};

describe('reassignment requests', () => {
  it('lets a mentee ask for themselves and the mentor ask for one of their mentees, once at a time', async () => {
    const { deps, podOf } = await committed();
    const pod = await podOf('m1');
    const request = await requestReassignment(deps, as('e1'), pod, { reason: 'no chemistry' }, context);
    expect(request).toMatchObject({ menteeId: 'e1', mentorId: 'm1', requesterRole: 'mentee', status: 'open' });
    await expect(
      requestReassignment(deps, as('m1', 'mentor employee'), pod, { reason: 'again', menteeId: 'e1' }, context),
    ).rejects.toThrow(ReassignmentStateError);
    const byMentor = await requestReassignment(
      deps,
      as('m1', 'mentor employee'),
      pod,
      { reason: 'e2 wants frontend', menteeId: 'e2' },
      context,
    );
    expect(byMentor).toMatchObject({ menteeId: 'e2', requesterRole: 'mentor' });
  });

  it('refuses those it is not for: outsiders see no pod, staff and other mentees may not ask', async () => {
    const { deps, podOf } = await committed();
    const pod = await podOf('m1');
    await expect(requestReassignment(deps, as('e4'), pod, { reason: 'x' }, context)).rejects.toThrow(PodNotFoundError);
    await expect(requestReassignment(deps, coach, pod, { reason: 'x', menteeId: 'e1' }, context)).rejects.toThrow(
      NotEntitledError,
    );
    await expect(requestReassignment(deps, as('e1'), pod, { reason: 'x', menteeId: 'e2' }, context)).rejects.toThrow(
      NotEntitledError,
    );
    const mentor = as('m1', 'mentor employee');
    await expect(requestReassignment(deps, mentor, pod, { reason: 'x' }, context)).rejects.toThrow(
      InvalidPairingRequestError,
    );
    await expect(requestReassignment(deps, mentor, pod, { reason: 'x', menteeId: 'e4' }, context)).rejects.toThrow(
      /not a mentee of this pod/,
    );
  });

  it('approval ends the mentorship (reassigned), inside its lock, and re-matches with another mentor at once', async () => {
    const { deps, podOf, store } = await committed();
    const request = await requestReassignment(deps, as('e1'), await podOf('m1'), { reason: 'r' }, context);
    const decided = await decideReassignment(deps, coach, request.requestId, { decision: 'approve' }, context);
    expect(decided.request).toMatchObject({ status: 'approved', decidedBy: 'coach' });
    expect(decided.placed?.mentorId).toBe('m2');
    expect((await deps.pairings.mentorshipOf('e1'))?.mentorId).toBe('m2');
    const events = store.published.slice(-2).map((r) => [r.event.contract.detailType, r.event.data]);
    expect(events[0]).toEqual(['Mentorship.Ended', expect.objectContaining({ menteeId: 'e1', reason: 'reassigned' })]);
    expect(events[1]).toEqual(['Mentorship.Started', expect.objectContaining({ mentorId: 'm2', cause: 'rematch' })]);
    await expect(decideReassignment(deps, coach, request.requestId, { decision: 'reject' }, context)).rejects.toThrow(
      /already approved/,
    );
    expect((await deps.pairings.listRequests({ status: 'open', limit: 10 })).items).toEqual([]);
  });

  it('moves the mentee to the mentor the life coach names, if that mentor passes every hard rule and has room', async () => {
    const { deps, podOf } = await committed();
    const request = await requestReassignment(deps, as('e1'), await podOf('m1'), { reason: 'r' }, context);
    const decide = (newMentorId: string) =>
      decideReassignment(deps, coach, request.requestId, { decision: 'approve', newMentorId }, context);
    await expect(decide('m1')).rejects.toMatchObject({ rule: 'same-mentor' });
    await expect(decide('e5')).rejects.toMatchObject({ rule: 'no-pod' });
    expect((await deps.pairings.activePodOfMentor('m3'))?.pod.load).toBe(3);
    const e1 = (await deps.people.get('e1')) ?? storedPerson('e1');
    await deps.people.write(
      { kind: 'person', person: { ...e1, projectIds: ['apollo'], version: 2 }, before: e1, events: [] },
      context,
    );
    await expect(decide('m3')).rejects.toMatchObject({ rule: 'same-project' });
    await expect(decide('m3')).rejects.toThrow(ReassignmentTargetError);
    const moved = await decide('m2');
    expect(moved.placed?.mentorId).toBe('m2');
    expect((await deps.pairings.mentorshipOf('e1'))?.cause).toBe('reassignment');
    expect((await deps.pairings.activePodOfMentor('m1'))?.pod.load).toBe(2);
  });

  it('rejection changes nothing; approving a mentorship that already ended is refused', async () => {
    const { deps, podOf } = await committed();
    const first = await requestReassignment(deps, as('e1'), await podOf('m1'), { reason: 'r' }, context);
    const rejected = await decideReassignment(
      deps,
      coach,
      first.requestId,
      { decision: 'reject', note: 'give it a month' },
      context,
    );
    expect(rejected.request).toMatchObject({ status: 'rejected', note: 'give it a month' });
    expect((await deps.pairings.mentorshipOf('e1'))?.mentorId).toBe('m1');

    const second = await requestReassignment(deps, as('e2'), await podOf('m1'), { reason: 'r' }, context);
    await endPairingsOfLeaver(deps, { personId: 'e2', eventId: 'evt-1', correlationId: 'c' });
    await expect(decideReassignment(deps, coach, second.requestId, { decision: 'approve' }, context)).rejects.toThrow(
      /already ended/,
    );
  });

  it('leaves the mentee to the run being committed when a commit starts between the approval and the re-match', async () => {
    const { deps, podOf, store } = await committed();
    const request = await requestReassignment(deps, as('e1'), await podOf('m1'), { reason: 'r' }, context);
    const apply = deps.pairings.apply;
    deps.pairings.apply = async (change, writeContext) => {
      const outcome = await apply(change, writeContext);
      if (change.decidedRequest) store.state.committingRunId = 'run-started-meanwhile';
      return outcome;
    };
    const decided = await decideReassignment(deps, coach, request.requestId, { decision: 'approve' }, context);
    expect(decided).toMatchObject({ request: { status: 'approved' }, placed: null });
    expect(await deps.pairings.mentorshipOf('e1')).toBeUndefined();
    expect(await deps.pairings.pendingRematches(`reassignment.${request.requestId}`)).toEqual([]);
  });
});

/** m1 holds e1-e3 and m2 holds e4-e6, both at capacity 3: nobody has room. */
const full = async () => {
  const setup = await inMemoryMatching([
    storedMentor('m1', { mentorCapacity: 3, skills: ['architecture'] }),
    storedMentor('m2', { mentorCapacity: 3, skills: ['security'] }),
    ...['e1', 'e2', 'e3'].map((id) => storedPerson(id, { growthGoals: ['architecture'] })),
    ...['e4', 'e5', 'e6'].map((id) => storedPerson(id, { growthGoals: ['security'] })),
  ]);
  await startRun(setup.deps, { mode: 'commit' }, 'coach', context);
  const podOf = async (mentorId: string) => (await setup.deps.pairings.activePodOfMentor(mentorId))?.pod.podId ?? '';
  return { ...setup, podOf };
};

describe('an approved reassignment that finds no mentor (issue 7, defects 1 and 2)', () => {
  it('says why each mentor could not take the mentee, and flags the pod left under the minimum', async () => {
    const { deps, podOf } = await full();
    const request = await requestReassignment(deps, as('e1'), await podOf('m1'), { reason: 'r' }, context);
    const decided = await decideReassignment(deps, coach, request.requestId, { decision: 'approve' }, context);
    expect(decided.placed).toBeNull();
    expect(decided.notPlaced?.mentors).toEqual([
      { mentorId: 'm1', rule: 'left-through-decision', detail: 'm1 is the mentor e1 is leaving' },
      { mentorId: 'm2', rule: 'no-room', detail: "m2's pod holds 3 of 3" },
    ]);
    expect(decided.notPlaced?.summary).toMatch(/e1 waits/);
    expect(decided.podBelowMinimum).toMatchObject({ mentorId: 'm1', load: 2, minimum: 3 });
    expect(decided.podBelowMinimum?.note).toMatch(/next matching run releases its locks/);
    expect(await deps.pairings.waitingIn('backend')).toEqual([expect.objectContaining({ menteeId: 'e1' })]);
  });

  it('never pairs the mentee with the mentor they left again: not in the next run, not at once', async () => {
    const { deps, podOf, clock } = await full();
    const request = await requestReassignment(deps, as('e1'), await podOf('m1'), { reason: 'r' }, context);
    await decideReassignment(deps, coach, request.requestId, { decision: 'approve' }, context);
    // The next run, before and after the locks end: m1's pod (now 2) is under the minimum, its
    // locks are released so the run can fix it, and still e1 is never put back with m1.
    for (const days of [0, 120]) {
      clock.advance(days * 24 * 3600 * 1000);
      const { run } = await startRun(deps, { mode: 'dry-run' }, 'coach', context);
      const m1 = resultOf(run).pods.find((pod) => pod.mentorId === 'm1');
      expect(m1?.menteeIds ?? []).not.toContain('e1');
      const placedWith = resultOf(run).pods.find((pod) => pod.menteeIds.includes('e1'))?.mentorId;
      if (!placedWith) {
        // Explained: m2 has no room, and m1 is excluded by the separation.
        expect(['all-compatible-mentors-full', 'only-excluded-mentors']).toContain(
          resultOf(run).unmatched.find((item) => item.menteeId === 'e1')?.reason,
        );
      }
      if (days === 0) {
        expect(run.podsBelowMinimum).toEqual([expect.objectContaining({ mentorId: 'm1', load: 2, minimum: 3 })]);
        expect(m1 === undefined || m1.menteeIds.length >= 3).toBe(true);
      }
    }
  });

  it('lets the life coach bring them together again by naming that mentor in a later decision', async () => {
    const { deps, podOf, store } = await full();
    const first = await requestReassignment(deps, as('e1'), await podOf('m1'), { reason: 'r' }, context);
    // Named: e1 goes to m2 after e4 leaves m2; the separation from m1 is recorded.
    await endPairingsOfLeaver(deps, { personId: 'e4', eventId: 'evt-e4', correlationId: 'c' });
    await decideReassignment(deps, coach, first.requestId, { decision: 'approve', newMentorId: 'm2' }, context);
    expect([...store.separations.values()].map((item) => [item.menteeId, item.mentorId])).toEqual([['e1', 'm1']]);
    const second = await requestReassignment(deps, as('e1'), await podOf('m2'), { reason: 'back' }, context);
    const back = await decideReassignment(
      deps,
      coach,
      second.requestId,
      { decision: 'approve', newMentorId: 'm1' },
      context,
    );
    expect(back.placed?.mentorId).toBe('m1');
    expect([...store.separations.values()].map((item) => [item.menteeId, item.mentorId])).toEqual([['e1', 'm2']]);
  });

  it('places a waiting mentee as soon as a pod frees a place, not at the next run', async () => {
    const { deps, podOf, store } = await full();
    const request = await requestReassignment(deps, as('e1'), await podOf('m1'), { reason: 'r' }, context);
    await decideReassignment(deps, coach, request.requestId, { decision: 'approve' }, context);
    expect(await deps.pairings.mentorshipOf('e1')).toBeUndefined();
    // e5 leaves m2's pod: the place goes to e1 at once.
    const outcome = await endPairingsOfLeaver(deps, { personId: 'e5', eventId: 'evt-e5', correlationId: 'hr-5' });
    expect(outcome.rematched).toEqual([{ menteeId: 'e1', placed: { mentorId: 'm2', podId: await podOf('m2') } }]);
    expect((await deps.pairings.mentorshipOf('e1'))?.mentorId).toBe('m2');
    expect(await deps.pairings.waitingIn('backend')).toEqual([]);
    const started = store.published.filter((r) => r.event.contract.detailType === 'Mentorship.Started').at(-1);
    expect(started?.correlationId).toBe('hr-5');
  });
});

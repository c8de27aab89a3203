import { describe, expect, it } from 'vitest';
import { inMemoryMatching, interruptedCommit } from '../../../../test/builders/pods';
import { commitRun, startRun } from './matching-runs';
import { applyDeferredOffboardings, endPairingsOfLeaver } from './offboarding';

const context = { correlationId: 'corr-1' };

/** m1 holds e1-e3 (capacity 3), m2 holds e4-e6 (capacity 5, so room for two more). */
const committedOrganisation = async () => {
  const setup = await inMemoryMatching();
  await startRun(setup.deps, { mode: 'commit' }, 'coach-1', context);
  setup.store.published.length = 0;
  return setup;
};

const endedReasons = (published: Awaited<ReturnType<typeof inMemoryMatching>>['store']['published']) =>
  published
    .filter((recorded) => recorded.event.contract.detailType === 'Mentorship.Ended')
    .map((recorded) => (recorded.event.data as { menteeId: string; reason: string }).reason);

describe('a person leaving', () => {
  it('dissolves a leaving mentor’s pod and re-matches their mentees at once where a mentor has room', async () => {
    const { deps, store, detailTypes } = await committedOrganisation();
    const outcome = await endPairingsOfLeaver(deps, { personId: 'm1', eventId: 'evt-1', correlationId: 'corr-9' });
    expect(outcome.ended).toBe('applied');
    expect(endedReasons(store.published)).toEqual(['offboarded', 'offboarded', 'offboarded']);
    expect(detailTypes().filter((type) => type === 'Pod.Dissolved')).toHaveLength(1);
    // m2 (capacity 5) takes two of them; the third waits for the next run.
    expect(outcome.rematched.filter((item) => item.placed).map((item) => item.placed?.mentorId)).toEqual(['m2', 'm2']);
    expect(outcome.rematched.filter((item) => !item.placed)).toHaveLength(1);
    const m2 = await deps.pairings.activePodOfMentor('m2');
    expect(m2?.pod.load).toBe(5);
    expect(m2?.members.filter((member) => member.cause === 'rematch')).toHaveLength(2);
    expect(await deps.pairings.activePodOfMentor('m1')).toBeUndefined();
    expect(await deps.pairings.pendingRematches('offboarding.evt-1')).toEqual([]);
    const started = store.published.filter((r) => r.event.contract.detailType === 'Mentorship.Started');
    expect(started.map((r) => (r.event.data as { cause: string }).cause)).toEqual(['rematch', 'rematch']);
    expect(started.every((r) => r.correlationId === 'corr-9')).toBe(true);
  });

  it('ends a leaving mentee’s mentorship and leaves the rest of the pod as it is', async () => {
    const { deps, store } = await committedOrganisation();
    await endPairingsOfLeaver(deps, { personId: 'e2', eventId: 'evt-2', correlationId: 'c' });
    expect(endedReasons(store.published)).toEqual(['offboarded']);
    const m1 = await deps.pairings.activePodOfMentor('m1');
    expect(m1?.members.map((member) => member.menteeId)).toEqual(['e1', 'e3']);
    expect(m1?.pod.load).toBe(2);
    expect(await deps.pairings.pastPairingsOf('e2')).toEqual([
      expect.objectContaining({ mentorId: 'm1', reason: 'offboarded' }),
    ]);
  });

  it('applies a redelivered event once, and finishes the re-matches a failed delivery left', async () => {
    const { deps, store } = await committedOrganisation();
    const apply = deps.pairings.apply;
    deps.pairings.apply = async (change, writeContext) => {
      if (change.starts.length > 0) throw new Error('throttled');
      return apply(change, writeContext);
    };
    await expect(endPairingsOfLeaver(deps, { personId: 'm1', eventId: 'evt-3', correlationId: 'c' })).rejects.toThrow(
      'throttled',
    );
    expect(await deps.pairings.pendingRematches('offboarding.evt-3')).toHaveLength(3);
    deps.pairings.apply = apply;
    const retried = await endPairingsOfLeaver(deps, { personId: 'm1', eventId: 'evt-3', correlationId: 'c' });
    expect(retried.ended).toBe('duplicate');
    expect(retried.rematched.filter((item) => item.placed)).toHaveLength(2);
    expect(endedReasons(store.published)).toHaveLength(3);
    const again = await endPairingsOfLeaver(deps, { personId: 'm1', eventId: 'evt-3', correlationId: 'c' });
    expect(again).toEqual({ ended: 'duplicate', rematched: [] });
  });

  it('defers an offboarding that arrives during a commit, once per event, and applies it once the commit ends', async () => {
    const setup = await inMemoryMatching();
    const { deps, store } = setup;
    const { run, notApplied } = await interruptedCommit(deps);
    // The commit stopped after one pod; the leaver is a mentee of the pod it has not placed yet.
    const leaver = notApplied.menteeIds[0] as string;
    const event = { personId: leaver, eventId: 'evt-4', correlationId: 'hr-4' };
    expect(await endPairingsOfLeaver(deps, event)).toEqual({ ended: 'deferred', rematched: [] });
    expect(await endPairingsOfLeaver(deps, event)).toEqual({ ended: 'duplicate', rematched: [] });
    // Another event about the same leaver is consumed, but the first deferral is the one kept.
    expect(await endPairingsOfLeaver(deps, { ...event, eventId: 'evt-5' })).toEqual({
      ended: 'deferred',
      rematched: [],
    });
    expect(await deps.pairings.deferredOffboardings()).toEqual([
      { personId: leaver, eventId: 'evt-4', correlationId: 'hr-4', deferredAt: '2026-11-24T10:00:00.000Z' },
    ]);
    expect(endedReasons(store.published)).toEqual([]);

    // Resuming the commit places the leaver (its plan predates the offboarding), frees the slot,
    // then applies the deferred offboarding: the leaver ends up unpaired, once.
    const committed = await commitRun(deps, run.runId, { correlationId: 'corr-resume' });
    expect(committed.status).toBe('committed');
    expect(await deps.pairings.mentorshipOf(leaver)).toBeUndefined();
    expect(await deps.pairings.deferredOffboardings()).toEqual([]);
    const aboutLeaver = store.published
      .filter((recorded) => (recorded.event.data as { menteeId?: string }).menteeId === leaver)
      .map((recorded) => [recorded.event.contract.detailType, recorded.correlationId]);
    expect(aboutLeaver).toEqual([
      ['Mentorship.Started', 'corr-resume'],
      ['Mentorship.Ended', 'hr-4'],
    ]);
    const pod = await deps.pairings.activePodOfMentor(notApplied.mentorId);
    expect(pod?.pod.load).toBe(notApplied.menteeIds.length - 1);
    expect(pod?.members.map((member) => member.menteeId)).not.toContain(leaver);
    expect(store.state.committingRunId).toBeNull();
    // Later deliveries of either event change nothing.
    expect(await endPairingsOfLeaver(deps, event)).toEqual({ ended: 'duplicate', rematched: [] });
    expect(await applyDeferredOffboardings(deps)).toEqual([]);
    expect(endedReasons(store.published)).toEqual(['offboarded']);
  });

  it('dissolves a pod the commit formed for a mentor who left meanwhile, and re-matches its mentees', async () => {
    const { deps, store } = await inMemoryMatching();
    const { run, notApplied } = await interruptedCommit(deps);
    const leaver = notApplied.mentorId;
    await endPairingsOfLeaver(deps, { personId: leaver, eventId: 'evt-6', correlationId: 'hr-6' });
    await commitRun(deps, run.runId, context);
    expect(await deps.pairings.activePodOfMentor(leaver)).toBeUndefined();
    const pods = (await deps.pairings.listPods({ limit: 10 })).items;
    expect(pods.map((found) => found.pod.mentorId)).not.toContain(leaver);
    expect(store.published.map((recorded) => recorded.event.contract.detailType)).toContain('Pod.Dissolved');
    // Every mentee of the dissolved pod was either re-matched at once or is left for the next run.
    for (const menteeId of notApplied.menteeIds) {
      expect((await deps.pairings.mentorshipOf(menteeId))?.mentorId).not.toBe(leaver);
    }
    expect(await deps.pairings.pendingRematches('offboarding.evt-6')).toEqual([]);
  });

  it('applies the offboarding at once when the commit frees the slot between the refusal and the deferral', async () => {
    const { deps, store } = await committedOrganisation();
    store.state.committingRunId = 'run-x';
    const defer = deps.pairings.deferOffboarding;
    deps.pairings.deferOffboarding = async (deferral, writeContext) => {
      store.state.committingRunId = null;
      return defer(deferral, writeContext);
    };
    const outcome = await endPairingsOfLeaver(deps, { personId: 'e1', eventId: 'evt-7', correlationId: 'c' });
    expect(outcome.ended).toBe('applied');
    expect(await deps.pairings.mentorshipOf('e1')).toBeUndefined();
    expect(await deps.pairings.deferredOffboardings()).toEqual([]);
  });
});

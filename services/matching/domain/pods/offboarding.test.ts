import { describe, expect, it } from 'vitest';
import { inMemoryMatching } from '../../../../test/builders/pods';
import { CommitInProgressError } from './errors';
import { startRun } from './matching-runs';
import { endPairingsOfLeaver } from './offboarding';

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

  it('waits while a run is being committed (the bus retries the event)', async () => {
    const { deps, store } = await committedOrganisation();
    store.state.committingRunId = 'run-x';
    await expect(
      endPairingsOfLeaver(deps, { personId: 'e1', eventId: 'evt-4', correlationId: 'c' }),
    ).rejects.toBeInstanceOf(CommitInProgressError);
    expect((await deps.pairings.mentorshipOf('e1'))?.mentorId).toBe('m1');
  });
});

import { describe, expect, it } from 'vitest';
import { inMemoryMatching, interruptedCommit } from '../../../../test/builders/pods';
import { ABANDONED_AFTER_MS, sweepCommitSlot } from './commit-sweeper';
import { startRun } from './matching-runs';
import { endPairingsOfLeaver } from './offboarding';
import { emptyChange } from './pairing-change';

const context = { correlationId: 'sweep-1' };
const minute = 60 * 1000;

describe('the commit sweeper', () => {
  it('finishes a commit abandoned for longer than a Lambda can live, then applies the deferred offboarding', async () => {
    const { deps, store, clock } = await inMemoryMatching();
    const { run, notApplied } = await interruptedCommit(deps);
    const leaver = notApplied.menteeIds[0] as string;
    await endPairingsOfLeaver(deps, { personId: leaver, eventId: 'evt-1', correlationId: 'hr-1' });

    clock.advance(ABANDONED_AFTER_MS + 1000);
    const outcome = await sweepCommitSlot(deps, context);
    expect(outcome.commit).toEqual({ runId: run.runId, outcome: 'finished' });
    expect(outcome.offboardings).toEqual([]); // the finished commit applied it as it freed the slot
    expect((await deps.runs.get(run.runId))?.status).toBe('committed');
    expect((await deps.runs.steps(run.runId)).every((step) => step.applied)).toBe(true);
    expect(store.state.committingRunId).toBeNull();
    expect(await deps.pairings.deferredOffboardings()).toEqual([]);
    expect(await deps.pairings.mentorshipOf(leaver)).toBeUndefined();
    const pod = await deps.pairings.activePodOfMentor(notApplied.mentorId);
    expect(pod?.members.map((member) => member.menteeId).sort()).toEqual(
      notApplied.menteeIds.filter((id) => id !== leaver).sort(),
    );
    // The steps the sweeper applied carry its correlation id; nothing is applied twice.
    const started = store.published.filter((recorded) => recorded.event.contract.detailType === 'Mentorship.Started');
    expect(started).toHaveLength(6);
    expect(started.filter((recorded) => recorded.correlationId === 'sweep-1')).toHaveLength(notApplied.joiners.length);

    expect(await sweepCommitSlot(deps, context)).toEqual({ commit: null, offboardings: [], rematched: [] });
  });

  it('leaves a commit alone while it is younger than a Lambda’s lifetime, and everything waiting on it', async () => {
    const { deps, store, clock } = await inMemoryMatching();
    const { run, notApplied } = await interruptedCommit(deps);
    await endPairingsOfLeaver(deps, { personId: notApplied.mentorId, eventId: 'evt-2', correlationId: 'hr-2' });
    const published = store.published.length;

    clock.advance(ABANDONED_AFTER_MS);
    expect(await sweepCommitSlot(deps, context)).toEqual({
      commit: { runId: run.runId, outcome: 'in-progress' },
      offboardings: [],
      rematched: [],
    });
    expect((await deps.runs.get(run.runId))?.status).toBe('committing');
    expect((await deps.runs.steps(run.runId)).filter((step) => step.applied)).toHaveLength(1);
    expect(await deps.pairings.deferredOffboardings()).toHaveLength(1);
    expect(store.published).toHaveLength(published);
  });

  it('applies deferred offboardings whose commit ended without applying them', async () => {
    const { deps, store } = await inMemoryMatching();
    await startRun(deps, { mode: 'commit' }, 'coach-1', context);
    // The commit freed the slot and its function stopped before the deferred offboardings.
    store.state.committingRunId = 'run-gone';
    await endPairingsOfLeaver(deps, { personId: 'e2', eventId: 'evt-3', correlationId: 'hr-3' });
    store.state.committingRunId = null;

    const outcome = await sweepCommitSlot(deps, context);
    expect(outcome.offboardings).toEqual([{ personId: 'e2', eventId: 'evt-3', ended: 'applied', rematched: [] }]);
    expect(await deps.pairings.mentorshipOf('e2')).toBeUndefined();
    const ended = store.published.filter((recorded) => recorded.event.contract.detailType === 'Mentorship.Ended');
    expect(ended.map((recorded) => recorded.correlationId)).toEqual(['hr-3']);
  });

  it('frees the slot of an abandoned commit that can no longer apply, and then applies what waited', async () => {
    const { deps, clock } = await inMemoryMatching();
    const { run, notApplied } = await interruptedCommit(deps);
    await endPairingsOfLeaver(deps, { personId: 'e9', eventId: 'evt-4', correlationId: 'hr-4' });
    // Someone gave the pending placement's mentor a pod by hand meanwhile: the step conflicts.
    const pod = {
      podId: 'pod-by-hand',
      mentorId: notApplied.mentorId,
      domain: 'backend',
      capacity: 5,
      load: 0,
      status: 'active' as const,
      formedAt: clock().toISOString(),
      formedByRunId: null,
    };
    await deps.pairings.apply({ ...emptyChange({ kind: 'none' }), pods: [{ kind: 'form', pod }] }, context);

    clock.advance(ABANDONED_AFTER_MS + minute);
    const outcome = await sweepCommitSlot(deps, context);
    expect(outcome.commit).toEqual({ runId: run.runId, outcome: 'aborted' });
    expect((await deps.runs.get(run.runId))?.status).toBe('aborted');
    expect((await deps.pairings.matchingState()).committingRunId).toBeNull();
    expect(await deps.pairings.deferredOffboardings()).toEqual([]);
  });

  it('re-matches mentees left waiting by an offboarding that stopped, once they have waited too long', async () => {
    const { deps, clock } = await inMemoryMatching();
    await startRun(deps, { mode: 'commit' }, 'coach-1', context);
    const apply = deps.pairings.apply;
    deps.pairings.apply = async (change, writeContext) => {
      if (change.starts.length > 0) throw new Error('Task timed out after 60.00 seconds');
      return apply(change, writeContext);
    };
    await expect(
      endPairingsOfLeaver(deps, { personId: 'm1', eventId: 'evt-5', correlationId: 'hr-5' }),
    ).rejects.toThrow('timed out');
    deps.pairings.apply = apply;
    expect(await deps.pairings.pendingRematches('offboarding.evt-5')).toHaveLength(3);

    // Still within the lifetime of the function that queued them: not the sweeper's to take.
    clock.advance(10 * minute);
    expect((await sweepCommitSlot(deps, context)).rematched).toEqual([]);

    clock.advance(6 * minute);
    const { rematched } = await sweepCommitSlot(deps, context);
    expect(rematched.map((item) => item.menteeId)).toEqual(['e1', 'e2', 'e3']);
    expect(rematched.filter((item) => item.placed).map((item) => item.placed?.mentorId)).toEqual(['m2', 'm2']);
    expect(await deps.pairings.pendingRematches('offboarding.evt-5')).toEqual([]);
    expect((await deps.pairings.activePodOfMentor('m2'))?.pod.load).toBe(5);
  });
});

import { describe, expect, it } from 'vitest';
import { inMemoryMatching, interruptedCommit } from '../../../test/builders/pods';
import { ABANDONED_AFTER_MS } from '../domain/pods/commit-sweeper';
import { createCommitSweeper } from './commit-sweeper-handler';

describe('commit sweeper handler', () => {
  it('takes the Scheduler payload, finishes an abandoned commit under the firing’s correlation id, and sums up', async () => {
    const { deps, store, clock } = await inMemoryMatching();
    const { run, notApplied } = await interruptedCommit(deps);
    clock.advance(ABANDONED_AFTER_MS + 1);
    const sweep = createCommitSweeper(deps);
    const firing = { schedule: 'commit-sweeper', scheduledTime: '2026-11-24T10:20:00Z' };
    expect(await sweep(firing)).toEqual({
      commit: { runId: run.runId, outcome: 'finished' },
      offboardings: 0,
      rematched: 0,
      placed: 0,
    });
    const correlations = store.published.map((recorded) => recorded.correlationId);
    expect(correlations.filter((id) => id === 'commit-sweeper@2026-11-24T10:20:00Z')).toHaveLength(
      notApplied.joiners.length + 2, // the pod formed, its starts, MatchingRun.Completed
    );
    expect(await sweep(firing)).toEqual({ commit: null, offboardings: 0, rematched: 0, placed: 0 });
  });

  it('rejects anything but a Scheduler payload', async () => {
    const { deps } = await inMemoryMatching();
    await expect(createCommitSweeper(deps)({ schedule: 'commit-sweeper' })).rejects.toThrow();
    await expect(createCommitSweeper(deps)({ schedule: '', scheduledTime: 'yesterday' })).rejects.toThrow();
  });
});

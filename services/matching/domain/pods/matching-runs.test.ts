import { describe, expect, it } from 'vitest';
import {
  dryRunOf,
  inMemoryMatching,
  resultOf,
  smallOrganisation,
  storedMentor,
  storedPerson,
  unprovenCopyOf,
} from '../../../../test/builders/pods';
import { evaluateObjective } from '../engine/index';
import {
  CommitInProgressError,
  CommitInterruptedError,
  InputsChangedError,
  RunNotCommittableError,
  RunNotFoundError,
} from './errors';
import { commitRun, readDirectory, startRun } from './matching-runs';

const context = { correlationId: 'corr-1' };

const podsOf = async (deps: Awaited<ReturnType<typeof inMemoryMatching>>['deps']) =>
  Object.fromEntries(
    (await deps.pairings.listPods({ limit: 100 })).items.map((found) => [
      found.pod.mentorId,
      found.members.map((member) => member.menteeId).sort(),
    ]),
  );

describe('matching runs', () => {
  it('stores a dry run without changing pairings, then commits exactly that result', async () => {
    const { deps, store, detailTypes } = await inMemoryMatching();
    const { run } = await startRun(deps, { mode: 'dry-run' }, 'coach-1', context);
    expect(run).toMatchObject({ status: 'dry-run', domains: null, scope: null, basedOn: { generation: 0 } });
    expect(resultOf(run).optimality.proven).toBe(true);
    expect(run.counts).toMatchObject({ pods: 2, matched: 6, newPairings: 6, unmatched: 0 });
    expect(await podsOf(deps)).toEqual({});
    expect(detailTypes()).toEqual(['MatchingRun.Requested', 'MatchingRun.Completed']);

    const { run: committed, created } = await startRun(deps, { mode: 'commit', runId: run.runId }, 'coach-1', context);
    expect(created).toBe(false);
    expect(committed.status).toBe('committed');
    expect(await podsOf(deps)).toEqual(
      Object.fromEntries(resultOf(run).pods.map((pod) => [pod.mentorId, [...pod.menteeIds].sort()])),
    );
    expect(await podsOf(deps)).toEqual({ m1: ['e1', 'e2', 'e3'], m2: ['e4', 'e5', 'e6'] });
    expect(detailTypes().filter((type) => type === 'Mentorship.Started')).toHaveLength(6);
    expect(detailTypes().filter((type) => type === 'Pod.Formed')).toHaveLength(2);
    expect(detailTypes().at(-1)).toBe('MatchingRun.Completed');
    expect(store.published.at(-1)?.event.data).toMatchObject({ runId: run.runId, mode: 'commit', proven: true });
    expect(store.state).toEqual({ generation: 2, committingRunId: null, commitStartedAt: null });

    // Committing it again changes nothing.
    const again = await commitRun(deps, run.runId, context);
    expect(again.status).toBe('committed');
    expect(detailTypes().filter((type) => type === 'MatchingRun.Completed')).toHaveLength(2);
  });

  it('keeps locked pairings in the next run and moves nobody inside the lock', async () => {
    const { deps, clock, directory } = await inMemoryMatching();
    await startRun(deps, { mode: 'commit' }, 'coach-1', context);
    // A better mentor for e1 appears; inside the lock nothing moves.
    const better = storedMentor('m3', { skills: ['architecture'], languages: ['en'], mentorCapacity: 3 });
    await directory.repository.write({ kind: 'person', person: better, before: undefined, events: [] }, context);
    clock.advance(30 * 24 * 3600 * 1000);
    const { run } = await startRun(deps, { mode: 'commit' }, 'coach-1', context);
    expect(run.counts).toMatchObject({ lockedPairings: 6, newPairings: 0, movedPairings: 0, endedPairings: 0 });
    expect(await podsOf(deps)).toEqual({ m1: ['e1', 'e2', 'e3'], m2: ['e4', 'e5', 'e6'] });
  });

  it('after the lock, commits whatever the engine decides, and every pod satisfies the hard rules', async () => {
    const people = [
      ...smallOrganisation(),
      storedPerson('e7', { growthGoals: ['architecture'] }),
      storedPerson('e8', { growthGoals: ['architecture'] }),
      storedMentor('m3', { skills: ['architecture'], mentorCapacity: 4 }),
    ];
    const { deps, clock, detailTypes, directory } = await inMemoryMatching(people);
    const { run: first } = await startRun(deps, { mode: 'commit' }, 'coach-1', context);
    expect(resultOf(first).pods.map((pod) => pod.mentorId)).toEqual(['m2', 'm3']);
    // m3 leaves (the run sees it before the offboarding consumer does): the run dissolves the pod, re-places its mentees.
    const m3 = (await deps.people.get('m3')) ?? storedMentor('m3');
    await directory.repository.write(
      { kind: 'person', person: { ...m3, status: 'offboarded', version: 2 }, before: m3, events: [] },
      context,
    );
    clock.advance(100 * 24 * 3600 * 1000);
    const { run } = await startRun(deps, { mode: 'commit' }, 'coach-1', context);
    expect(run.counts).toMatchObject({ endedPairings: 4, movedPairings: 4 });
    expect(detailTypes()).toContain('Pod.Dissolved');
    const pods = (await deps.pairings.listPods({ limit: 100 })).items;
    expect(Object.fromEntries(pods.map((p) => [p.pod.mentorId, p.members.map((m) => m.menteeId).sort()]))).toEqual(
      Object.fromEntries(resultOf(run).pods.map((pod) => [pod.mentorId, [...pod.menteeIds].sort()])),
    );
    for (const found of pods) expect(found.pod.load).toBe(found.members.length);
    const evaluation = evaluateObjective(
      { people: await readDirectory(deps.people), runDate: clock() },
      pods.map((found) => ({ mentorId: found.pod.mentorId, menteeIds: found.members.map((m) => m.menteeId) })),
    );
    expect(evaluation.violations).toEqual([]);
    const ended = detailTypes().filter((type) => type === 'Mentorship.Ended').length;
    expect(ended).toBe(run.counts.endedPairings);
  });

  it('refuses to commit a dry run when someone changed since (naming them) or pairings moved', async () => {
    const { deps, directory } = await inMemoryMatching();
    const { run } = await startRun(deps, { mode: 'dry-run' }, 'coach-1', context);
    const e2 = (await deps.people.get('e2')) ?? storedPerson('e2');
    await directory.repository.write(
      { kind: 'person', person: { ...e2, level: 4, version: 2 }, before: e2, events: [] },
      context,
    );
    await expect(commitRun(deps, run.runId, context)).rejects.toThrow(InputsChangedError);
    await expect(commitRun(deps, run.runId, context)).rejects.toThrow(/e2/);

    const { run: fresh } = await startRun(deps, { mode: 'dry-run' }, 'coach-1', context);
    const { run: other } = await startRun(deps, { mode: 'dry-run' }, 'coach-1', context);
    await commitRun(deps, fresh.runId, context);
    // Based on the same pairings as the one just committed: refused.
    await expect(commitRun(deps, other.runId, context)).rejects.toThrow(/Pairings changed/);
  });

  it('catches a change the directory listing does not show yet (its index lags the write)', async () => {
    const { deps, directory } = await inMemoryMatching();
    const { run } = await startRun(deps, { mode: 'dry-run' }, 'coach-1', context);
    const listedAtDryRun = await readDirectory(deps.people);
    const e3 = (await deps.people.get('e3')) ?? storedPerson('e3');
    await directory.repository.write(
      { kind: 'person', person: { ...e3, domain: 'elsewhere', version: 2 }, before: e3, events: [] },
      context,
    );
    // The listing still shows everyone as they were at the dry run; only a consistent read sees e3's move.
    const lagging = { ...deps, people: { ...deps.people, list: async () => ({ items: listedAtDryRun }) } };
    await expect(commitRun(lagging, run.runId, context)).rejects.toThrow(/People changed since dry run .*: e3\./);
  });

  it('refuses runs while another commit holds the slot, unproven results, old dry runs and unknown runs', async () => {
    const { deps, store, clock } = await inMemoryMatching();
    store.state.committingRunId = 'run-elsewhere';
    await expect(startRun(deps, { mode: 'dry-run' }, 'coach-1', context)).rejects.toThrow(CommitInProgressError);
    store.state.committingRunId = null;

    const { run } = await startRun(deps, { mode: 'dry-run' }, 'coach-1', context);
    await deps.runs.save(unprovenCopyOf(run, 'unproven'), [], [], context);
    await expect(commitRun(deps, 'unproven', context)).rejects.toThrow(/not proven optimal/);
    clock.advance(25 * 3600 * 1000);
    await expect(commitRun(deps, run.runId, context)).rejects.toThrow(RunNotCommittableError);
    await expect(commitRun(deps, 'nope', context)).rejects.toThrow(RunNotFoundError);
  });

  it('resumes an interrupted commit: applied steps are skipped, every event recorded once', async () => {
    const { deps, store, detailTypes } = await inMemoryMatching();
    const run = await dryRunOf(deps, { mode: 'dry-run' }, 'coach-1', context);
    const apply = deps.pairings.apply;
    let calls = 0;
    deps.pairings.apply = async (change, writeContext) => {
      if (++calls === 2) throw new Error('connection reset');
      return apply(change, writeContext);
    };
    await expect(commitRun(deps, run.runId, context)).rejects.toThrow(CommitInterruptedError);
    expect((await deps.runs.get(run.runId))?.status).toBe('committing');
    expect(Object.keys(await podsOf(deps))).toHaveLength(1);
    // Nobody else can commit or compute meanwhile.
    await expect(startRun(deps, { mode: 'dry-run' }, 'coach-1', context)).rejects.toThrow(CommitInProgressError);

    deps.pairings.apply = apply;
    const finished = await commitRun(deps, run.runId, context);
    expect(finished.status).toBe('committed');
    expect(await podsOf(deps)).toEqual({ m1: ['e1', 'e2', 'e3'], m2: ['e4', 'e5', 'e6'] });
    expect(detailTypes().filter((type) => type === 'Mentorship.Started')).toHaveLength(6);
    expect(detailTypes().filter((type) => type === 'Pod.Formed')).toHaveLength(2);
    expect(store.state.committingRunId).toBeNull();
  });

  it('matches only the domains asked for', async () => {
    const people = [
      ...smallOrganisation(),
      storedMentor('d1', { domain: 'design', mentorCapacity: 3 }),
      ...['x1', 'x2', 'x3'].map((id) => storedPerson(id, { domain: 'design' })),
    ];
    const { deps } = await inMemoryMatching(people);
    const { run } = await startRun(deps, { mode: 'commit', domains: ['design'] }, 'coach-1', context);
    expect(run.scope).toEqual(['design']);
    expect(await podsOf(deps)).toEqual({ d1: ['x1', 'x2', 'x3'] });
  });
});

import { describe, expect, it } from 'vitest';
import { inMemoryMatching, interruptedCommit } from '../../../../test/builders/pods';
import type { Person } from '../people/person';
import { commitRun, startRun } from './matching-runs';
import { reconcilePairingsOf } from './offboarding';

const context = { correlationId: 'corr-1' };

/** m1 holds e1-e3 (capacity 3), m2 holds e4-e6 (capacity 5). */
const committed = async () => {
  const setup = await inMemoryMatching();
  await startRun(setup.deps, { mode: 'commit' }, 'coach-1', context);
  setup.store.published.length = 0;
  const change = async (personId: string, fields: Partial<Person>) => {
    const before = (await setup.deps.people.get(personId)) as Person;
    const person = { ...before, ...fields, version: before.version + 1 };
    await setup.deps.people.write({ kind: 'person', person, before, events: [] }, context);
  };
  const ended = () =>
    setup.store.published
      .filter((recorded) => recorded.event.contract.detailType === 'Mentorship.Ended')
      .map((recorded) => recorded.event.data as { menteeId: string; reason: string; rule?: string });
  return { ...setup, change, ended };
};

describe('a directory change that breaks a pairing in force (issue 7, defect 7)', () => {
  it('ends a mentee’s pairing when they move to another domain, naming the rule, and re-matches them there', async () => {
    const { deps, change, ended, store } = await committed();
    await change('e1', { domain: 'data' });
    const outcome = await reconcilePairingsOf(deps, 'directory-change', {
      personId: 'e1',
      eventId: 'upd-1',
      correlationId: 'hr-upd',
    });
    expect(outcome.ended).toBe('applied');
    expect(ended()).toEqual([
      expect.objectContaining({ menteeId: 'e1', reason: 'left-programme', rule: 'different-domain' }),
    ]);
    expect(await deps.pairings.mentorshipOf('e1')).toBeUndefined();
    // Nobody mentors in data yet: e1 waits there, told why; the next run places them.
    expect(outcome.rematched).toEqual([
      expect.objectContaining({ menteeId: 'e1', placed: null, notPlaced: expect.objectContaining({ mentors: [] }) }),
    ]);
    expect(await deps.pairings.waitingIn('data')).toEqual([expect.objectContaining({ menteeId: 'e1' })]);
    expect(store.published.every((recorded) => recorded.correlationId === 'hr-upd')).toBe(true);
    // Redelivered: applied once.
    expect(
      (await reconcilePairingsOf(deps, 'directory-change', { personId: 'e1', eventId: 'upd-1', correlationId: 'x' }))
        .ended,
    ).toBe('duplicate');
  });

  it('dissolves the pod of a mentor who no longer has the mentor role, and re-matches their mentees at once', async () => {
    const { deps, change, ended, detailTypes } = await committed();
    await change('m1', { roles: ['employee'] });
    const outcome = await reconcilePairingsOf(deps, 'directory-change', {
      personId: 'm1',
      eventId: 'upd-2',
      correlationId: 'c',
    });
    expect(ended().map((item) => [item.menteeId, item.rule])).toEqual([
      ['e1', 'mentor-role'],
      ['e2', 'mentor-role'],
      ['e3', 'mentor-role'],
    ]);
    expect(detailTypes()).toContain('Pod.Dissolved');
    expect(await deps.pairings.activePodOfMentor('m1')).toBeUndefined();
    // m2 (capacity 5, holding 3) takes two of them at once.
    expect(outcome.rematched.filter((item) => item.placed?.mentorId === 'm2')).toHaveLength(2);
  });

  it('ends a locked pairing whose mentor became the mentee’s manager; a change that breaks nothing moves nothing', async () => {
    const { deps, change, ended, store } = await committed();
    const generation = store.state.generation;
    await change('e2', { skills: ['rust'] });
    const nothing = await reconcilePairingsOf(deps, 'directory-change', {
      personId: 'e2',
      eventId: 'upd-3',
      correlationId: 'c',
    });
    expect(nothing.ended).toBe('applied');
    expect(ended()).toEqual([]);
    // No pairing moved: a dry run computed before stays committable.
    expect(store.state.generation).toBe(generation);

    await change('e2', { managerId: 'm1' });
    await reconcilePairingsOf(deps, 'directory-change', { personId: 'e2', eventId: 'upd-4', correlationId: 'c' });
    expect(ended()).toEqual([expect.objectContaining({ menteeId: 'e2', rule: 'reporting-chain' })]);
  });

  it('defers a breaking change that arrives during a commit, and applies it when the commit ends', async () => {
    const { deps, store } = await inMemoryMatching();
    const { run, notApplied } = await interruptedCommit(deps);
    const mover = notApplied.menteeIds[0] as string;
    const before = (await deps.people.get(mover)) as Person;
    await deps.people.write(
      { kind: 'person', person: { ...before, domain: 'data', version: before.version + 1 }, before, events: [] },
      context,
    );
    const event = { personId: mover, eventId: 'upd-5', correlationId: 'hr-5' };
    expect((await reconcilePairingsOf(deps, 'directory-change', event)).ended).toBe('deferred');
    await commitRun(deps, run.runId, { correlationId: 'resume' });
    expect(await deps.pairings.mentorshipOf(mover)).toBeUndefined();
    const aboutMover = store.published
      .filter((recorded) => (recorded.event.data as { menteeId?: string }).menteeId === mover)
      .map((recorded) => [recorded.event.contract.detailType, (recorded.event.data as { rule?: string }).rule]);
    expect(aboutMover).toEqual([
      ['Mentorship.Started', undefined],
      ['Mentorship.Ended', 'different-domain'],
    ]);
  });
});

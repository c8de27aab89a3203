import { describe, expect, it } from 'vitest';
import { storedPerson } from '../../../../test/builders/pods';
import { matchPods } from './match-pods';
import type { ExistingPairing, MatchingInput, MatchingPerson, MatchResult } from './types';

const runDate = new Date('2026-11-24T09:00:00Z');

/** A directory record (test/builders) is a MatchingPerson; these tests' own defaults on top. */
const person = (personId: string, overrides: Partial<MatchingPerson> = {}): MatchingPerson =>
  storedPerson(personId, { level: 2, ...overrides });
const mentor = (personId: string, overrides: Partial<MatchingPerson> = {}) =>
  person(personId, { roles: ['employee', 'mentor'], level: 6, ...overrides });
const mentees = (count: number, overrides: Partial<MatchingPerson> = {}, prefix = 'e') =>
  Array.from({ length: count }, (_, index) => person(`${prefix}${index + 1}`, overrides));

const run = (people: MatchingPerson[], extra: Partial<MatchingInput> = {}): MatchResult =>
  matchPods({ people, runDate, ...extra });
const podOf = (result: MatchResult, mentorId: string) => result.pods.find((pod) => pod.mentorId === mentorId);
const reasonOf = (result: MatchResult, menteeId: string) =>
  result.unmatched.find((u) => u.menteeId === menteeId)?.reason;
const shortfallOf = (result: MatchResult, mentorId: string) =>
  result.mentorShortfalls.find((shortfall) => shortfall.mentorId === mentorId);

describe('matchPods', () => {
  it('forms pods between the minimum and each mentor’s capacity, with scores and top factors', () => {
    const result = run([mentor('m1', { mentorCapacity: 3 }), mentor('m2', { mentorCapacity: 4 }), ...mentees(7)]);
    expect(result.objective.matched).toBe(7);
    expect(podOf(result, 'm1')?.menteeIds).toHaveLength(3);
    expect(podOf(result, 'm2')?.menteeIds).toHaveLength(4);
    const member = podOf(result, 'm1')?.mentees[0];
    expect(member?.change).toBe('new');
    expect(member?.lockedUntil).toBe('2027-02-24T09:00:00.000Z');
    expect(member?.topFactors.length).toBeGreaterThan(0);
    expect(member?.topFactors[0]?.points).toBeGreaterThanOrEqual(member?.topFactors[1]?.points ?? 0);
    expect(result.optimality.proven).toBe(true);
    expect(result.unmatched).toEqual([]);
  });

  it('matches more mentees rather than better pairs (coverage first)', () => {
    // m1 suits everyone and is the better mentor for e4..e6 (shared goals); m2 can only take e4..e6.
    const result = run([
      mentor('m1', { mentorCapacity: 3, skills: ['go', 'sql'] }),
      mentor('m2', { mentorCapacity: 3, projectIds: ['p1'] }),
      ...mentees(3, { projectIds: ['p1'] }, 'a'),
      ...mentees(3, { growthGoals: ['go', 'sql'] }, 'b'),
    ]);
    expect(result.objective.matched).toBe(6);
    expect(podOf(result, 'm1')?.menteeIds).toEqual(['a1', 'a2', 'a3']);
    expect(podOf(result, 'm2')?.menteeIds).toEqual(['b1', 'b2', 'b3']);
  });

  it('never forms a pod under the minimum, and says why', () => {
    const result = run([mentor('m1'), ...mentees(2)]);
    expect(result.pods).toEqual([]);
    expect(reasonOf(result, 'e1')).toBe('minimum-pod-unreachable');
    expect(shortfallOf(result, 'm1')).toMatchObject({ load: 0, reason: 'too-few-compatible-mentees' });
  });

  it('leaves a mentor idle when a pod of 3 would cost a match elsewhere', () => {
    // Five mentees: one pod of 5 (m1) beats 3 + 2 (the 2 cannot stand); m2 is idle and reported.
    const result = run([mentor('m1'), mentor('m2'), ...mentees(5)]);
    expect(result.objective.matched).toBe(5);
    expect(result.pods).toHaveLength(1);
    const idle = result.pods[0]?.mentorId === 'm1' ? 'm2' : 'm1';
    expect(shortfallOf(result, idle)).toMatchObject({ load: 0, reason: 'minimum-pod-unreachable' });
  });

  it('explains every unmatched mentee by the rule that blocked them', () => {
    const result = run(
      [
        mentor('m1', { level: 5, mentorCapacity: 3, projectIds: ['apollo'] }),
        ...mentees(3, { level: 2 }),
        person('nodomain', { domain: 'legal' }),
        person('legal-head', { domain: 'legal', level: 8 }),
        person('senior', { level: 5 }),
        person('head', { level: 8 }),
        person('project', { projectIds: ['apollo'] }),
        person('reports', { managerId: 'm1' }),
        person('left', { level: 1 }),
        person('tokyo', { timezone: 'Asia/Tokyo' }),
        person('late', { level: 1 }),
      ],
      { excludedPairs: [{ mentorId: 'm1', menteeId: 'left', reason: 'left-through-decision' }] },
    );
    expect(podOf(result, 'm1')?.menteeIds).toHaveLength(3);
    // Someone in the domain is senior enough to mentor them, had they the mentor role.
    expect(reasonOf(result, 'nodomain')).toBe('no-mentor-in-domain');
    expect(reasonOf(result, 'senior')).toBe('no-mentor-senior-enough');
    expect(reasonOf(result, 'project')).toBe('only-conflicted-mentors');
    expect(reasonOf(result, 'reports')).toBe('only-conflicted-mentors');
    expect(reasonOf(result, 'left')).toBe('only-excluded-mentors');
    expect(reasonOf(result, 'tokyo')).toBe('working-hours-overlap-too-small');
    // One of the four compatible level-1/2 mentees is left over: the only mentor is full.
    const full = result.unmatched.filter((u) => u.reason === 'all-compatible-mentors-full');
    expect(full).toHaveLength(1);
    // The most senior people of each domain are no one's mentee to place: reported apart.
    expect(result.noMentorPossible.map((n) => [n.menteeId, n.reason])).toEqual([
      ['head', 'most-senior-in-domain'],
      ['legal-head', 'most-senior-in-domain'],
    ]);
    expect(result.unmatched.map((u) => u.menteeId)).not.toContain('head');
  });

  it('reports apart the mentees no mentor can exist for: most senior, or only their own managers above', () => {
    // The programme's own staff: the life coach heads a domain of two, the admin reports to them.
    const result = run([
      mentor('m1', { level: 6 }),
      ...mentees(3),
      person('coach', { domain: 'programme', level: 9, roles: ['employee', 'life-coach'] }),
      person('admin', { domain: 'programme', level: 6, roles: ['employee', 'admin'], managerId: 'coach' }),
      // staff's only seniors are their manager and their manager's manager; the paused director
      // could mentor lead (not in their line), so lead could have been placed.
      person('vp', { level: 9 }),
      person('lead', { level: 7, managerId: 'vp' }),
      mentor('director', { level: 8, managerId: 'vp', acceptingMentees: false }),
      person('staff', { level: 7, managerId: 'director' }),
    ]);
    const apart = Object.fromEntries(result.noMentorPossible.map((n) => [n.menteeId, n.reason]));
    expect(apart).toEqual({
      coach: 'most-senior-in-domain',
      admin: 'only-own-managers-senior-enough',
      vp: 'most-senior-in-domain',
      staff: 'only-own-managers-senior-enough',
    });
    expect(result.noMentorPossible.find((n) => n.menteeId === 'coach')?.detail).toContain('no mentor can exist');
    expect(result.unmatched.map((u) => [u.menteeId, u.reason])).toEqual([['lead', 'compatible-mentors-not-accepting']]);
    expect(result.objective.matched).toBe(3);
  });

  it('never forms an excluded pair, keeps one that is locked (with a warning), and charges no move away from it', () => {
    const excludedPairs = [
      { mentorId: 'm1', menteeId: 'e1', reason: 'left-through-decision' as const },
      { mentorId: 'm2', menteeId: 'e4', reason: 'left-through-decision' as const },
    ];
    const people = [mentor('m1', { mentorCapacity: 3 }), mentor('m2', { mentorCapacity: 3 }), ...mentees(6)];
    // e1's current (unlocked) mentor is m1: it may not stay, so moving it costs nothing.
    const result = run(people, {
      excludedPairs,
      existingPairings: [
        { mentorId: 'm1', menteeId: 'e1', lockedUntil: '2026-10-01' },
        { mentorId: 'm1', menteeId: 'e2', lockedUntil: '2026-10-01' },
      ],
    });
    expect(podOf(result, 'm1')?.menteeIds).not.toContain('e1');
    expect(podOf(result, 'm2')?.menteeIds).not.toContain('e4');
    expect(result.objective.matched).toBe(6);
    const e1 = podOf(result, 'm2')?.mentees.find((member) => member.menteeId === 'e1');
    expect(e1?.change).toBe('moved');
    expect(e1?.topFactors.map((factor) => factor.name)).not.toContain('move');

    const locked = run(people, {
      excludedPairs,
      existingPairings: [{ mentorId: 'm1', menteeId: 'e1', lockedUntil: '2027-01-31' }],
    });
    expect(podOf(locked, 'm1')?.mentees.find((member) => member.menteeId === 'e1')?.locked).toBe(true);
    expect(locked.warnings).toContainEqual(
      expect.objectContaining({ kind: 'locked-pair-breaks-rule', mentorId: 'm1', menteeId: 'e1' }),
    );
    expect(() =>
      run(people, {
        excludedPairs: [{ mentorId: 'm1', menteeId: 'e1', reason: 'dislike' as 'left-through-decision' }],
      }),
    ).toThrow(/excludedPairs: reason must be one of left-through-decision/);
  });

  it('stops when its time budget runs out: feasible, not proven, with its gap and why it stopped', () => {
    // Six mentors and eleven mentees: several mentors short of the minimum at the root, so a search.
    const people = [
      ...Array.from({ length: 6 }, (_, k) => mentor(`m${k}`, { mentorCapacity: 3 + (k % 3), skills: [`s${k}`] })),
      ...Array.from({ length: 11 }, (_, k) => person(`e${k}`, { growthGoals: [`s${k % 6}`, `s${(k + 2) % 6}`] })),
    ];
    const unlimited = run(people);
    expect(unlimited.optimality.proven).toBe(true);
    // A clock that moves 1 ms per reading: a budget of 0 stops at the first check.
    let now = 0;
    const stopped = run(people, { solver: { timeBudgetMs: 0, clock: () => now++ } });
    expect(stopped.optimality.proven).toBe(false);
    expect(stopped.optimality.domains[0]?.stoppedBy).toBe('time-budget');
    expect(stopped.objective.value).toBeLessThanOrEqual(unlimited.objective.value);
    expect(stopped.objective.value + stopped.optimality.gap).toBeGreaterThanOrEqual(unlimited.objective.value);
    expect(unlimited.optimality.domains[0]?.stoppedBy).toBeNull();
    expect(() => run(people, { solver: { timeBudgetMs: -1 } })).toThrow(/timeBudgetMs/);
  });

  it('keeps locks (even against a rule), releases those whose people left, and renews nothing else', () => {
    const existing: ExistingPairing[] = [
      { mentorId: 'm1', menteeId: 'e1', lockedUntil: '2027-01-31' },
      { mentorId: 'm1', menteeId: 'senior', lockedUntil: '2027-01-31' },
      { mentorId: 'm1', menteeId: 'gone', lockedUntil: '2027-01-31' },
      { mentorId: 'm2', menteeId: 'e2', lockedUntil: '2026-10-01' }, // expired: e2 may move
    ];
    const result = run(
      [
        mentor('m1', { mentorCapacity: 4 }),
        mentor('m2', { mentorCapacity: 3 }),
        ...mentees(3),
        person('senior', { level: 7 }),
        person('gone', { status: 'offboarded' }),
      ],
      { existingPairings: existing },
    );
    const m1 = podOf(result, 'm1');
    expect(m1?.mentees.filter((m) => m.locked).map((m) => [m.menteeId, m.lockedUntil])).toEqual([
      ['e1', '2027-01-31'],
      ['senior', '2027-01-31'],
    ]);
    expect(result.releasedLocks).toEqual([
      { mentorId: 'm1', menteeId: 'gone', lockedUntil: '2027-01-31', reason: 'mentee-not-in-programme' },
    ]);
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ kind: 'locked-pair-breaks-rule', mentorId: 'm1', menteeId: 'senior' }),
    );
    // m1 holds 2 locks: it may add mentees only to reach 3..4; e2 and e3 join it.
    expect(m1?.menteeIds).toEqual(['e1', 'e2', 'e3', 'senior']);
    expect(m1?.mentees.find((m) => m.menteeId === 'e2')?.change).toBe('moved');
  });

  it('keeps a locked pod under the minimum when it cannot be topped up, and reports it', () => {
    const result = run([mentor('m1'), ...mentees(2)], {
      existingPairings: [{ mentorId: 'm1', menteeId: 'e1', lockedUntil: '2027-01-31' }],
    });
    expect(podOf(result, 'm1')?.menteeIds).toEqual(['e1']);
    expect(reasonOf(result, 'e2')).toBe('minimum-pod-unreachable');
    expect(shortfallOf(result, 'm1')).toMatchObject({ load: 1, locked: 1, reason: 'locked-under-minimum' });
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ kind: 'locked-pod-under-minimum', mentorId: 'm1' }),
    );

    const toppedUp = run([mentor('m1'), ...mentees(3)], {
      existingPairings: [{ mentorId: 'm1', menteeId: 'e1', lockedUntil: '2027-01-31' }],
    });
    expect(podOf(toppedUp, 'm1')?.menteeIds).toEqual(['e1', 'e2', 'e3']);
  });

  it('lets a paused mentor keep their locked mentees but take no new one', () => {
    const result = run([mentor('m1', { acceptingMentees: false }), ...mentees(4)], {
      existingPairings: [{ mentorId: 'm1', menteeId: 'e1', lockedUntil: '2027-01-31' }],
    });
    expect(podOf(result, 'm1')?.menteeIds).toEqual(['e1']);
    expect(reasonOf(result, 'e2')).toBe('compatible-mentors-not-accepting');
    expect(shortfallOf(result, 'm1')?.reason).toBe('not-accepting');
  });

  it('never makes a mentor a mentee, and ignores people outside the programme', () => {
    const result = run([
      mentor('m1', { level: 9 }),
      mentor('m2', { level: 4 }),
      person('admin', { roles: ['admin'] }),
      person('left', { status: 'offboarded' }),
      ...mentees(3),
    ]);
    const placed = result.pods.flatMap((pod) => pod.menteeIds);
    expect(placed).not.toContain('m2');
    expect(placed).not.toContain('admin');
    expect(result.unmatched.map((u) => u.menteeId)).not.toContain('left');
  });

  it('never pairs a mentee with anyone up their reporting chain, however far up', () => {
    // e1..e3 report to lead, who reports to head, who reports to m-vp; only m-out is outside the chain.
    const result = run([
      mentor('lead', { managerId: 'head', level: 4, acceptingMentees: false }),
      mentor('head', { managerId: 'm-vp', level: 5, acceptingMentees: false }),
      mentor('m-vp', { level: 9 }),
      mentor('m-out', { level: 6 }),
      ...mentees(3, { managerId: 'lead' }),
      ...mentees(3, {}, 'x'),
    ]);
    expect(podOf(result, 'm-out')?.menteeIds).toEqual(['e1', 'e2', 'e3']);
    expect(podOf(result, 'm-vp')?.menteeIds).toEqual(['x1', 'x2', 'x3']);
    expect(result.unmatched).toEqual([]);
  });

  it('is deterministic whatever the input order', () => {
    const people = [mentor('m1'), mentor('m2', { skills: ['go'] }), ...mentees(7, { growthGoals: ['go'] })];
    const forward = run(people);
    const backward = run([...people].reverse());
    expect(backward).toEqual(forward);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storedPerson } from '../../../../test/builders/pods';
import { MatchingContext } from './context';
import { DomainIndex, forbidden } from './domain-index';
import { scorePair } from './score-pair';
import { tinyInput } from './test-support/arbitraries';
import { referencePairRule } from './test-support/reference-rules';
import type { MatchingPerson } from './types';

const runDate = new Date('2026-11-24T09:00:00Z');

/** A directory record (test/builders) is a MatchingPerson; these tests' own defaults on top. */
const person = (personId: string, overrides: Partial<MatchingPerson> = {}): MatchingPerson =>
  storedPerson(personId, overrides);

const mentor = (personId: string, overrides: Partial<MatchingPerson> = {}) =>
  person(personId, { roles: ['employee', 'mentor'], level: 6, ...overrides });

describe('scorePair', () => {
  it('adds up the named factors, largest first', () => {
    const ada = mentor('ada', { level: 5, skills: ['Architecture', 'aws', 'go'], languages: ['en', 'fr'] });
    const bob = person('bob', { level: 3, timezone: 'America/New_York', growthGoals: ['architecture', 'testing'] });
    const score = scorePair(ada, bob, { runDate });
    expect(score.blockedBy).toBeNull();
    expect(score.overlapMinutes).toBe(180);
    // overlap 20 * 180/360 = 10, language 15, skills 30 * 1/2 = 15, seniority gap 2 = preferred: 15.
    expect(score.factors.map((factor) => [factor.name, factor.points])).toEqual([
      ['language', 15],
      ['seniority', 15],
      ['skills', 15],
      ['overlap', 10],
    ]);
    expect(score.points).toBe(55);
    expect(score.centipoints).toBe(5500);
  });

  it('names the first pair rule a pair breaks, in the documented order', () => {
    const base = mentor('m');
    const mentee = person('e', { projectIds: ['apollo'], managerId: 'boss' });
    const blocked = (m: MatchingPerson, e: MatchingPerson = mentee, people?: MatchingPerson[]) =>
      scorePair(m, e, { runDate, ...(people ? { people } : {}) }).blockedBy;
    expect(blocked(person('x'))).toBe('mentor-not-eligible');
    expect(blocked(base, mentor('y'))).toBe('mentee-not-eligible');
    expect(blocked(base, person('z', { status: 'offboarded' }))).toBe('mentee-not-eligible');
    expect(blocked(mentor('m', { domain: 'data' }))).toBe('different-domain');
    expect(blocked(mentor('m', { level: 3 }))).toBe('not-senior-enough');
    expect(blocked(mentor('m', { projectIds: ['apollo'] }))).toBe('same-project');
    expect(blocked(mentor('boss'))).toBe('reporting-chain');
    const grandBoss = mentor('big');
    expect(blocked(grandBoss, mentee, [mentee, person('boss', { managerId: 'big' }), grandBoss])).toBe(
      'reporting-chain',
    );
    expect(blocked(mentor('m', { managerId: 'e' }))).toBe('reporting-chain'); // the mentee manages the mentor
    const left = { mentorId: 'm', menteeId: 'e', reason: 'left-through-decision' as const };
    expect(scorePair(base, mentee, { runDate, excludedPairs: [left] }).blockedBy).toBe('left-through-decision');
    expect(blocked(mentor('m', { timezone: 'Asia/Tokyo' }))).toBe('working-hours-overlap');
    expect(blocked(mentor('m', { acceptingMentees: false }))).toBe('mentor-not-accepting');
    expect(blocked(base)).toBeNull();
  });

  it('blocks the whole reporting chain, at any depth and in either direction', () => {
    // e -> lead -> head -> vp: each of lead, head and vp is in e's chain.
    const e = person('e', { managerId: 'lead' });
    const lead = mentor('lead', { managerId: 'head', level: 5 });
    const head = mentor('head', { managerId: 'vp', level: 7 });
    const vp = mentor('vp', { level: 9 });
    const peer = mentor('peer', { managerId: 'head', level: 6 }); // a sibling of e's manager: allowed
    const people = [e, lead, head, vp, peer];
    for (const manager of [lead, head, vp]) {
      expect(scorePair(manager, e, { runDate, people }).blockedBy).toBe('reporting-chain');
    }
    expect(scorePair(peer, e, { runDate, people }).blockedBy).toBeNull();
    // The other way round: the mentee manages the mentor's manager.
    const seniorIc = person('ic', { level: 2 });
    const teamLead = person('tl', { managerId: 'ic', level: 1 });
    const expert = mentor('expert', { managerId: 'tl', level: 6 });
    expect(scorePair(expert, seniorIc, { runDate, people: [seniorIc, teamLead, expert] }).blockedBy).toBe(
      'reporting-chain',
    );
    // The chain runs through people outside the programme too (an offboarded manager still links).
    const gone = person('gone', { managerId: 'vp', status: 'offboarded' });
    const f = person('f', { managerId: 'gone' });
    expect(scorePair(vp, f, { runDate, people: [f, gone, vp] }).blockedBy).toBe('reporting-chain');
  });

  it('survives a reporting cycle in the data', () => {
    const a = person('a', { managerId: 'b' });
    const b = person('b', { managerId: 'c' });
    const c = mentor('c', { managerId: 'a' });
    const outsider = mentor('d', { managerId: 'a' });
    expect(scorePair(c, a, { runDate, people: [a, b, c] }).blockedBy).toBe('reporting-chain');
    expect(scorePair(outsider, person('f', { managerId: 'f' }), { runDate, people: [a, b, c] }).blockedBy).toBeNull();
  });

  it('charges a move only when the mentee could stay in their current pod', () => {
    const current = mentor('current');
    const other = mentor('other');
    const mentee = person('e');
    const pairing = { mentorId: 'current', menteeId: 'e', lockedUntil: '2026-11-01' };
    const options = { runDate, people: [current, other, mentee], existingPairings: [pairing] };
    expect(scorePair(other, mentee, options).factors.find((factor) => factor.name === 'move')?.points).toBe(-20);
    expect(scorePair(current, mentee, options).factors.some((factor) => factor.name === 'move')).toBe(false);
    const paused = mentor('current', { acceptingMentees: false });
    expect(
      scorePair(other, mentee, { ...options, people: [paused, other, mentee] }).factors.some(
        (factor) => factor.name === 'move',
      ),
    ).toBe(false);
  });

  it('charges a repeat for an earlier cycle’s pairing, not for continuing the current one', () => {
    const m = mentor('m');
    const e = person('e');
    const past = [{ mentorId: 'm', menteeId: 'e' }];
    expect(scorePair(m, e, { runDate, pastPairings: past }).factors.find((f) => f.name === 'repeatPast')?.points).toBe(
      -25,
    );
    const current = [{ mentorId: 'm', menteeId: 'e', lockedUntil: '2026-01-01' }];
    expect(
      scorePair(m, e, { runDate, pastPairings: past, existingPairings: current }).factors.some(
        (f) => f.name === 'repeatPast',
      ),
    ).toBe(false);
  });

  it('drops a term entirely when its weight is 0', () => {
    const m = mentor('m', { skills: ['go'] });
    const e = person('e', { growthGoals: ['go'] });
    const full = scorePair(m, e, { runDate, pastPairings: [{ mentorId: 'm', menteeId: 'e' }] });
    for (const factor of full.factors) {
      const without = scorePair(m, e, {
        runDate,
        pastPairings: [{ mentorId: 'm', menteeId: 'e' }],
        weights: { [factor.name]: 0 },
      });
      expect(without.factors.map((f) => f.name)).not.toContain(factor.name);
      expect(without.centipoints).toBe(full.centipoints - Math.round(factor.points * 100));
    }
  });

  it('agrees with the independent reference rules on random pairs', () => {
    fc.assert(
      fc.property(tinyInput({ maxMentors: 3, maxMentees: 5 }), (input) => {
        const people = new Map(input.people.map((p) => [p.personId, p]));
        const rules = { minLevelGap: 1, minOverlapMinutes: 120, ...input.rules, excludedPairs: input.excludedPairs };
        for (const a of input.people) {
          for (const b of input.people) {
            if (a === b) continue;
            const expected = referencePairRule(a, b, people, input.runDate, rules);
            expect(scorePair(a, b, { ...input, people: input.people }).blockedBy).toBe(expected);
          }
        }
      }),
      { numRuns: 60, seed: 5 },
    );
  });
});

describe('DomainIndex (the solver’s scoring)', () => {
  it('scores every pair exactly as the object-level context does, with and without the score matrix and overlap table', () => {
    fc.assert(
      fc.property(
        tinyInput({ maxMentors: 4, maxMentees: 8 }),
        fc.boolean(),
        fc.boolean(),
        (input, keepMatrix, tableOverlaps) => {
          const context = new MatchingContext(input);
          for (const domain of new Set(context.mentors.map((m) => m.domain))) {
            const mentors = context.mentors.filter((m) => m.domain === domain);
            const mentees = context.mentees.filter((m) => m.domain === domain);
            const index = new DomainIndex(context, domain, mentors, mentees, tableOverlaps ? 1024 : 0);
            index.scanAll(2, new Uint8Array(mentors.length), keepMatrix ? 1_000_000 : 0);
            index.mentees.forEach((mentee, i) => {
              index.mentors.forEach((m, j) => {
                const expected = context.pairScore(m, mentee);
                const indexed = index.pairScore(i, j);
                expect(indexed).toBe(index.computeScore(i, j));
                expect(indexed === forbidden ? 'blocked' : indexed).toBe(
                  expected.blockedBy ? 'blocked' : expected.centipoints,
                );
              });
            });
          }
        },
      ),
      { numRuns: 150, seed: 8 },
    );
  });
});

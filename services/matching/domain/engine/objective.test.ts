import { describe, expect, it } from 'vitest';
import { storedPerson } from '../../../../test/builders/pods';
import { evaluateObjective } from './objective';
import { scorePair } from './score-pair';
import type { MatchingInput, MatchingPerson } from './types';

const runDate = new Date('2026-11-24T09:00:00Z');
/** A directory record (test/builders) is a MatchingPerson; these tests' own defaults on top. */
const person = (personId: string, overrides: Partial<MatchingPerson> = {}): MatchingPerson =>
  storedPerson(personId, { level: 2, mentorCapacity: 4, ...overrides });
const mentor = (personId: string, overrides: Partial<MatchingPerson> = {}) =>
  person(personId, { roles: ['employee', 'mentor'], level: 6, ...overrides });

const people = [
  mentor('m1'),
  mentor('m2', { projectIds: ['x'] }),
  ...['e1', 'e2', 'e3', 'e4', 'e5'].map((id) => person(id)),
  person('e6', { projectIds: ['x'] }),
];
const input: MatchingInput = {
  people,
  runDate,
  existingPairings: [{ mentorId: 'm2', menteeId: 'e5', lockedUntil: '2027-02-01' }],
};
const rulesOf = (pods: Array<{ mentorId: string; menteeIds: string[] }>) =>
  evaluateObjective(input, pods).violations.map((violation) => [
    violation.rule,
    violation.mentorId,
    violation.menteeId ?? null,
  ]);

describe('evaluateObjective', () => {
  it('computes B * matched + pair scores - load cost', () => {
    const pods = [
      { mentorId: 'm1', menteeIds: ['e1', 'e2', 'e3'] },
      { mentorId: 'm2', menteeIds: ['e5'] },
    ];
    const evaluation = evaluateObjective(input, pods);
    expect(evaluation.feasible).toBe(true);
    const byId = new Map(people.map((p) => [p.personId, p]));
    let pairScore = 0;
    for (const pod of pods) {
      for (const menteeId of pod.menteeIds) {
        const mentor = byId.get(pod.mentorId);
        const mentee = byId.get(menteeId);
        if (mentor && mentee) pairScore += scorePair(mentor, mentee, input).centipoints;
      }
    }
    // 6 mentees, widest pair-score gap 80 + 45 points, largest pods 4 and 4: B = 6 * 12500 + 2 * 300 * 6 + 1.
    const bonus = 6 * 12_500 + 2 * 1_800 + 1;
    expect(evaluation.objective).toEqual({
      value: bonus * 4 + pairScore - 900,
      matched: 4,
      pairScore,
      loadCost: 900,
      coverageBonus: bonus,
    });
    expect(evaluation.warnings).toEqual([
      expect.objectContaining({ kind: 'locked-pod-under-minimum', mentorId: 'm2' }),
    ]);
  });

  it('names every broken hard rule and where', () => {
    expect(rulesOf([{ mentorId: 'm1', menteeIds: ['e1', 'e2'] }])).toEqual([
      ['pod-below-minimum', 'm1', null],
      ['locked-pairing-dropped', 'm2', 'e5'],
    ]);
    expect(
      rulesOf([
        { mentorId: 'm1', menteeIds: ['e1', 'e2', 'e3', 'e4', 'e6'] },
        { mentorId: 'm2', menteeIds: ['e5', 'e6'] },
      ]),
    ).toEqual([
      ['pod-above-capacity', 'm1', null],
      // The repeated mentee is not counted again, so m2 holds its lock only (allowed).
      ['mentee-in-two-pods', 'm2', 'e6'],
    ]);
    expect(rulesOf([{ mentorId: 'm2', menteeIds: ['e5', 'e6', 'e1'] }])).toEqual([['same-project', 'm2', 'e6']]);
    expect(
      rulesOf([
        { mentorId: 'e1', menteeIds: ['e2', 'e3', 'e4'] },
        { mentorId: 'm2', menteeIds: ['e5'] },
      ]),
    ).toEqual([['unknown-mentor', 'e1', null]]);
    expect(
      rulesOf([
        { mentorId: 'm1', menteeIds: ['m2', 'e2', 'e3', 'e4'] },
        { mentorId: 'm2', menteeIds: ['e5'] },
      ]),
    ).toEqual([['unknown-mentee', 'm1', 'm2']]);
  });

  it('accepts an empty assignment only with its locks', () => {
    expect(evaluateObjective(input, [{ mentorId: 'm2', menteeIds: ['e5'] }]).feasible).toBe(true);
    expect(evaluateObjective(input, []).feasible).toBe(false);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchPods } from './match-pods';
import { evaluateObjective } from './objective';
import { defaultHardRules } from './parameters';
import { scorePair } from './score-pair';
import { crowdedInput, tinyInput } from './test-support/arbitraries';
import { exhaustiveOptimum } from './test-support/brute-force';
import {
  referenceInReportingLine,
  referenceIsMentee,
  referenceIsMentor,
  referenceLocks,
  referencePairRule,
  referenceViolations,
} from './test-support/reference-rules';
import type { FactorName, MatchingInput, ObjectiveWeights } from './types';

const inputs = fc.oneof(tinyInput({ maxMentors: 3, maxMentees: 7 }), crowdedInput);
const pairTerms: FactorName[] = ['overlap', 'language', 'skills', 'seniority', 'repeatPast', 'move'];

describe('properties of the engine and the objective', () => {
  it('switching a weight to 0 removes its term from every pair and from the objective', () => {
    fc.assert(
      fc.property(inputs, fc.constantFrom<keyof ObjectiveWeights>(...pairTerms, 'balancedLoad'), (input, term) => {
        const without: MatchingInput = { ...input, weights: { ...input.weights, [term]: 0 } };
        const result = matchPods(without);
        expect(referenceViolations(without, result.pods)).toEqual([]);
        for (const pod of result.pods) {
          for (const member of pod.mentees) expect(member.topFactors.map((factor) => factor.name)).not.toContain(term);
        }
        if (term === 'balancedLoad') expect(result.objective.loadCost).toBe(0);
        // Same assignment, full weights: the objective differs by exactly that term's contributions.
        const full = evaluateObjective(input, result.pods);
        let contribution = 0;
        for (const pod of result.pods) {
          const mentor = input.people.find((p) => p.personId === pod.mentorId);
          for (const menteeId of pod.menteeIds) {
            const mentee = input.people.find((p) => p.personId === menteeId);
            if (!mentor || !mentee) continue;
            const factor = scorePair(mentor, mentee, { ...input, people: input.people }).factors.find(
              (f) => f.name === term,
            );
            contribution += Math.round((factor?.points ?? 0) * 100);
          }
        }
        const reduced = evaluateObjective(without, result.pods).objective;
        if (term === 'balancedLoad') expect(reduced.pairScore).toBe(full.objective.pairScore);
        else expect(reduced.pairScore).toBe(full.objective.pairScore - contribution);
      }),
      { numRuns: 120, seed: 17 },
    );
  });

  it('more coverage always wins: every assignment with more matches has a higher objective', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const { outcomes } = exhaustiveOptimum(input);
        const bonus = matchPods(input).objective.coverageBonus;
        const range = new Map<number, { low: number; high: number }>();
        for (const { matched, score } of outcomes) {
          const value = bonus * matched + score;
          const current = range.get(matched) ?? { low: value, high: value };
          range.set(matched, { low: Math.min(current.low, value), high: Math.max(current.high, value) });
        }
        const levels = [...range.keys()].sort((a, b) => a - b);
        for (let k = 1; k < levels.length; k++) {
          const below = range.get(levels[k - 1] ?? 0);
          const above = range.get(levels[k] ?? 0);
          expect(above?.low).toBeGreaterThan(below?.high ?? Number.POSITIVE_INFINITY);
        }
      }),
      { numRuns: 120, seed: 23 },
    );
  });

  it('keeps every lock, and every mentor holds 0 or minimum..capacity (locks only may stay outside)', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const result = matchPods(input);
        expect(referenceViolations(input, result.pods)).toEqual([]);
        const rules = { ...defaultHardRules, ...input.rules };
        const people = new Map(input.people.map((p) => [p.personId, p]));
        const locks = referenceLocks(people, input.existingPairings ?? [], input.runDate);
        for (const [menteeId, mentorId] of locks) {
          expect(result.pods.find((pod) => pod.mentorId === mentorId)?.menteeIds).toContain(menteeId);
        }
        for (const pod of result.pods) {
          const mentor = people.get(pod.mentorId);
          const added = pod.mentees.filter((member) => !member.locked).length;
          const capacity = Math.min(mentor?.mentorCapacity ?? 0, rules.maxPodSize);
          if (added > 0) {
            expect(pod.menteeIds.length).toBeGreaterThanOrEqual(rules.minPodSize);
            expect(pod.menteeIds.length).toBeLessThanOrEqual(capacity);
          }
          if (pod.menteeIds.length < rules.minPodSize || pod.menteeIds.length > capacity) {
            expect(added).toBe(0);
            const shortfall = result.mentorShortfalls.find((s) => s.mentorId === pod.mentorId);
            if (pod.menteeIds.length < rules.minPodSize) expect(shortfall).toBeDefined();
          }
        }
        const placed = new Set(result.pods.flatMap((pod) => pod.menteeIds));
        expect(placed.size).toBe(result.pods.reduce((sum, pod) => sum + pod.menteeIds.length, 0));
      }),
      { numRuns: 150, seed: 29 },
    );
  });

  it('gives every unmatched mentee a reason that holds', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const result = matchPods(input);
        const rules = { ...defaultHardRules, ...input.rules, excludedPairs: input.excludedPairs };
        const people = new Map(input.people.map((p) => [p.personId, p]));
        const podSize = new Map(result.pods.map((pod) => [pod.mentorId, pod.menteeIds.length]));
        for (const unmatched of result.unmatched) {
          const mentee = people.get(unmatched.menteeId);
          if (!mentee) throw new Error('unknown mentee');
          const domainMentors = input.people.filter((p) => referenceIsMentor(p) && p.domain === mentee.domain);
          const compatible = domainMentors.filter(
            (m) => referencePairRule(m, mentee, people, input.runDate, rules) === null,
          );
          const hasRoom = (m: (typeof compatible)[number]) =>
            (podSize.get(m.personId) ?? 0) < Math.min(m.mentorCapacity, rules.maxPodSize);
          switch (unmatched.reason) {
            case 'no-mentor-in-domain':
              expect(domainMentors).toEqual([]);
              break;
            case 'no-mentor-senior-enough':
              expect(domainMentors.every((m) => m.level - mentee.level < rules.minLevelGap)).toBe(true);
              break;
            case 'only-conflicted-mentors':
            case 'only-excluded-mentors':
            case 'working-hours-overlap-too-small':
            case 'compatible-mentors-not-accepting':
              expect(compatible).toEqual([]);
              break;
            case 'all-compatible-mentors-full':
              expect(compatible.length).toBeGreaterThan(0);
              expect(compatible.some(hasRoom)).toBe(false);
              break;
            case 'minimum-pod-unreachable':
              expect(compatible.some(hasRoom)).toBe(true);
              break;
          }
        }
      }),
      { numRuns: 150, seed: 31 },
    );
  });

  it('reports apart exactly the unplaced mentees no one in their domain could mentor', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const result = matchPods(input);
        const rules = { ...defaultHardRules, ...input.rules };
        const people = new Map(input.people.map((p) => [p.personId, p]));
        const placed = new Set(result.pods.flatMap((pod) => pod.menteeIds));
        const unplaced = input.people.filter((p) => referenceIsMentee(p) && !placed.has(p.personId));
        // Whoever takes the mentor role: someone active in the domain, senior enough, outside the line.
        const couldBeMentored = (menteeId: string): boolean => {
          const mentee = people.get(menteeId);
          if (!mentee) throw new Error('unknown mentee');
          return input.people.some(
            (p) =>
              p.personId !== menteeId &&
              p.status === 'active' &&
              p.domain === mentee.domain &&
              p.level - mentee.level >= rules.minLevelGap &&
              !referenceInReportingLine(people, p.personId, menteeId),
          );
        };
        expect(result.unmatched.every((u) => couldBeMentored(u.menteeId))).toBe(true);
        expect(result.noMentorPossible.every((n) => !couldBeMentored(n.menteeId))).toBe(true);
        expect([...result.unmatched, ...result.noMentorPossible].map((u) => u.menteeId).sort()).toEqual(
          unplaced.map((p) => p.personId).sort(),
        );
      }),
      { numRuns: 150, seed: 37 },
    );
  });
});

/**
 * The engine's result as the API documents it (the OpenAPI document shows every field). The
 * compile-time check at the end keeps it equal to the engine's own types.
 */

import { lazySchema } from '../../../shared/lazy-schema';
import * as z from '../../../shared/zod';
import type { MatchResult } from '../domain/engine/types';

const FactorSchema = lazySchema(() =>
  z.object({
    name: z.enum(['overlap', 'language', 'skills', 'seniority', 'repeatPast', 'move']),
    points: z.number().check(z.describe('Points (negative for penalties)')),
    detail: z.string(),
  }),
);

const PodMemberSchema = lazySchema(() =>
  z.object({
    menteeId: z.string(),
    points: z.number(),
    centipoints: z.int(),
    topFactors: z.array(FactorSchema()).check(z.describe('Largest contributions first')),
    change: z.enum(['locked', 'kept', 'moved', 'new']),
    locked: z.boolean(),
    lockedUntil: z.string(),
  }),
);

const PodSchema = lazySchema(() =>
  z.object({
    mentorId: z.string(),
    domain: z.string(),
    capacity: z.int(),
    menteeIds: z.array(z.string()),
    mentees: z.array(PodMemberSchema()),
    loadCost: z.int().check(z.describe('balancedLoad * n(n-1)/2, centipoints')),
  }),
);

const ObjectiveSchema = lazySchema(() =>
  z.object({
    value: z.int(),
    matched: z.int(),
    pairScore: z.int(),
    loadCost: z.int(),
    coverageBonus: z.int(),
  }),
);

const UnmatchedSchema = lazySchema(() =>
  z.object({
    menteeId: z.string(),
    domain: z.string(),
    reason: z.enum([
      'no-mentor-in-domain',
      'no-mentor-senior-enough',
      'only-conflicted-mentors',
      'only-excluded-mentors',
      'working-hours-overlap-too-small',
      'compatible-mentors-not-accepting',
      'all-compatible-mentors-full',
      'minimum-pod-unreachable',
    ]),
    detail: z.string(),
  }),
);

const NoMentorPossibleSchema = lazySchema(() =>
  z.object({
    menteeId: z.string(),
    domain: z.string(),
    reason: z.enum(['most-senior-in-domain', 'only-own-managers-senior-enough']),
    detail: z.string(),
  }),
);

const MentorShortfallSchema = lazySchema(() =>
  z.object({
    mentorId: z.string(),
    domain: z.string(),
    load: z.int(),
    locked: z.int(),
    reason: z.enum([
      'not-accepting',
      'no-compatible-mentees',
      'too-few-compatible-mentees',
      'locked-under-minimum',
      'minimum-pod-unreachable',
    ]),
    detail: z.string(),
  }),
);

const ReleasedLockSchema = lazySchema(() =>
  z.object({
    mentorId: z.string(),
    menteeId: z.string(),
    lockedUntil: z.string(),
    reason: z.enum([
      'unknown-person',
      'mentor-not-in-programme',
      'mentee-not-in-programme',
      'mentee-has-another-locked-mentor',
      'duplicate',
    ]),
  }),
);

const LockWarningSchema = lazySchema(() =>
  z.object({
    kind: z.enum(['locked-pair-breaks-rule', 'locked-pod-under-minimum', 'locked-pod-over-capacity']),
    mentorId: z.string(),
    menteeId: z.optional(z.string()),
    detail: z.string(),
  }),
);

const DomainStatsSchema = lazySchema(() =>
  z.object({
    domain: z.string(),
    mentors: z.int(),
    mentees: z.int(),
    lockedMentees: z.int(),
    matched: z.int(),
    initialArcs: z.int(),
    pricedArcs: z.int(),
    allowedPairs: z.int(),
    pricingRounds: z.int(),
    rootViolations: z.int(),
    branchNodes: z.int(),
    proven: z.boolean(),
    gap: z.int(),
    stoppedBy: z
      .nullable(z.enum(['node-limit', 'time-budget']))
      .check(z.describe('What stopped the search before it closed')),
  }),
);

export const MatchResultSchema = lazySchema(() =>
  z
    .object({
      runDate: z.string(),
      pods: z.array(PodSchema()),
      objective: ObjectiveSchema(),
      unmatched: z
        .array(UnmatchedSchema())
        .check(z.describe('Mentees who could have a mentor but were left out, each with the rule that blocked them')),
      noMentorPossible: z
        .array(NoMentorPossibleSchema())
        .check(
          z.describe(
            'Mentees no mentor can exist for: nobody active in their domain is senior enough, or all who are manage them (not counted as unmatched)',
          ),
        ),
      mentorShortfalls: z
        .array(MentorShortfallSchema())
        .check(z.describe('Mentors below the minimum pod size, with the reason')),
      releasedLocks: z.array(ReleasedLockSchema()),
      warnings: z.array(LockWarningSchema()),
      optimality: z.object({
        proven: z.boolean(),
        gap: z.int().check(z.describe('Proven bound on the distance to the optimum, centipoints (0 when proven)')),
        domains: z.array(DomainStatsSchema()),
      }),
    })
    .check(
      z.describe(
        'The engine’s result: pods with each pairing’s top factors, the objective, what could not be placed and why',
      ),
    ),
);

/** Fails to compile when the engine's result and its documented schema part ways. */
const sameShape = (result: MatchResult): z.input<ReturnType<typeof MatchResultSchema>> => result;
void sameShape;

import fc from 'fast-check';
import type { ExistingPairing, MatchingInput, MatchingPerson, ObjectiveWeights, PastPairing } from '../types';

/** Zones with and without daylight saving, on both sides of the date line, and 30/45-minute offsets. */
export const testZones = [
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe', // +10:30 / +11:00: a half-hour daylight-saving shift
  'America/St_Johns', // -03:30 / -02:30
  'Africa/Cairo', // changes clocks on a Friday, inside the working week
  'UTC',
] as const;

export const testHours = [
  { start: '09:00', end: '17:00' },
  { start: '08:00', end: '16:00' },
  { start: '10:00', end: '18:00' },
  { start: '07:30', end: '15:30' },
  { start: '12:00', end: '20:00' },
  { start: '06:00', end: '14:00' },
] as const;

/** Run dates in ordinary weeks and in weeks where some zones change clocks. */
export const testRunDates = [
  '2026-11-24T09:00:00Z',
  '2026-03-11T12:00:00Z', // US on summer time, Europe not yet
  '2026-03-29T23:30:00Z', // Sunday night: Europe just changed
  '2026-04-02T06:00:00Z', // Sydney ends summer time on 5 April
  '2026-10-28T18:00:00Z', // Europe back on winter time, US not yet
  '2026-07-15T00:00:00Z',
  '2026-04-22T10:00:00Z', // Cairo moves to summer time on Friday 24 April: Mon-Thu +02:00, Fri +03:00
  '2026-10-28T10:00:00Z', // Cairo back to +02:00 on Friday 30 October; US still on summer time
].map((iso) => new Date(iso));

const tags = (pool: readonly string[], maxLength: number) => fc.uniqueArray(fc.constantFrom(...pool), { maxLength });

/** Mostly close zones (so pods can form), sometimes any test zone. */
const zone = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('Europe/London', 'Europe/Berlin', 'America/New_York', 'UTC') },
  { weight: 1, arbitrary: fc.constantFrom(...testZones) },
);

const person = (personId: string, mentor: boolean) =>
  fc
    .record({
      domain: fc.oneof({ weight: 6, arbitrary: fc.constant('a') }, { weight: 1, arbitrary: fc.constant('b') }),
      level: mentor ? fc.integer({ min: 4, max: 10 }) : fc.integer({ min: 1, max: 7 }),
      timezone: zone,
      workingHours: fc.oneof(
        { weight: 3, arbitrary: fc.constant(testHours[0]) },
        { weight: 2, arbitrary: fc.constantFrom(...testHours) },
      ),
      projectIds: tags(['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8'], 2),
      skills: tags(['s1', 's2', 's3', 's4', 's5', 's6'], 4),
      growthGoals: tags(['s1', 's2', 's3', 's4', 's5', 's6'], 3),
      languages: tags(['en', 'de', 'ja'], 2),
      mentorCapacity: fc.integer({ min: 3, max: 5 }),
      offboarded: fc.integer({ min: 0, max: 19 }).map((roll) => roll === 0),
      paused: fc.integer({ min: 0, max: 7 }).map((roll) => roll === 0),
      roles: mentor
        ? fc.constantFrom<MatchingPerson['roles']>(['employee', 'mentor'], ['employee', 'mentor'], ['mentor'])
        : fc.constantFrom<MatchingPerson['roles']>(['employee'], ['employee'], ['employee'], ['admin']),
    })
    .map(
      (drawn): MatchingPerson => ({
        personId,
        status: drawn.offboarded ? 'offboarded' : 'active',
        roles: drawn.roles,
        domain: drawn.domain,
        level: drawn.level,
        timezone: drawn.timezone,
        workingHours: drawn.workingHours,
        projectIds: drawn.projectIds,
        managerId: null,
        skills: drawn.skills,
        growthGoals: drawn.growthGoals,
        languages: drawn.languages,
        mentorCapacity: drawn.mentorCapacity,
        acceptingMentees: !drawn.paused,
      }),
    );

export const weightsArbitrary: fc.Arbitrary<Partial<ObjectiveWeights>> = fc.oneof(
  fc.constant({}),
  fc.record({
    overlap: fc.constantFrom(0, 5, 20, 33.33),
    language: fc.constantFrom(0, 15, 40),
    skills: fc.constantFrom(0, 30, 7.5),
    seniority: fc.constantFrom(0, 15, 50),
    balancedLoad: fc.constantFrom(0, 3, 12),
    repeatPast: fc.constantFrom(0, 25, 60),
    move: fc.constantFrom(0, 20, 80),
  }),
);

/**
 * Tiny programmes for exhaustive comparison: up to `maxMentors` mentors and `maxMentees` mentees in
 * one or two domains, random reporting lines (cycles included), projects, zones, locks (kept, expired,
 * pointing at people who left), past pairings, excluded pairs and weights.
 */
export const tinyInput = (options: { maxMentors: number; maxMentees: number }): fc.Arbitrary<MatchingInput> =>
  fc
    .record({
      mentors: fc.integer({ min: 1, max: options.maxMentors }),
      mentees: fc.integer({ min: 1, max: options.maxMentees }),
    })
    .chain(({ mentors, mentees }) => {
      const mentorIds = Array.from({ length: mentors }, (_, index) => `m${index + 1}`);
      const menteeIds = Array.from({ length: mentees }, (_, index) => `e${index + 1}`);
      const everyone = [...mentorIds, ...menteeIds];
      return fc.record({
        people: fc.tuple(...mentorIds.map((id) => person(id, true)), ...menteeIds.map((id) => person(id, false))),
        managers: fc.array(
          fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...everyone) }),
          {
            minLength: everyone.length,
            maxLength: everyone.length,
          },
        ),
        existing:
          mentors === 0
            ? fc.constant<ExistingPairing[]>([])
            : fc.array(
                fc.record({
                  mentorId: fc.constantFrom(...mentorIds, ...menteeIds.slice(0, 1)),
                  menteeId: fc.constantFrom(...menteeIds),
                  lockedUntil: fc.constantFrom('2026-01-01', '2030-06-30T00:00:00Z', '2030-01-15', '2031-01-01'),
                }),
                { maxLength: 4 },
              ),
        past:
          mentors === 0
            ? fc.constant<PastPairing[]>([])
            : fc.array(
                fc.record({ mentorId: fc.constantFrom(...mentorIds), menteeId: fc.constantFrom(...menteeIds) }),
                {
                  maxLength: 3,
                },
              ),
        excluded: fc.array(
          fc.record({ mentorId: fc.constantFrom(...mentorIds), menteeId: fc.constantFrom(...menteeIds) }),
          { maxLength: 2 },
        ),
        runDate: fc.constantFrom(...testRunDates.filter((date) => date.getUTCFullYear() < 2030)),
        weights: weightsArbitrary,
        minPodSize: fc.constantFrom(3, 3, 2, 1),
        maxPodSize: fc.constantFrom(5, 5, 4),
        minLevelGap: fc.constantFrom(1, 1, 0, 2),
        minOverlapMinutes: fc.constantFrom(120, 120, 60, 240),
      });
    })
    .map(
      ({
        people,
        managers,
        existing,
        past,
        excluded,
        runDate,
        weights,
        minPodSize,
        maxPodSize,
        minLevelGap,
        minOverlapMinutes,
      }) => ({
        people: people.map((p, index) => ({ ...p, managerId: managers[index] ?? null })),
        existingPairings: existing,
        pastPairings: past,
        excludedPairs: excluded.map((pair) => ({ ...pair, reason: 'left-through-decision' as const })),
        runDate,
        weights,
        rules: { minPodSize: Math.min(minPodSize, maxPodSize), maxPodSize, minLevelGap, minOverlapMinutes },
      }),
    );

/** Mentees scarce and everyone compatible: the "0 or at least 3" rule is what decides (branch and bound). */
export const crowdedInput: fc.Arbitrary<MatchingInput> = fc
  .record({
    mentors: fc.integer({ min: 2, max: 4 }),
    mentees: fc.integer({ min: 2, max: 8 }),
    weights: weightsArbitrary,
    candidates: fc.constantFrom(1, 2, 20),
    minPodSize: fc.constantFrom(2, 3, 3),
    maxPodSize: fc.constantFrom(5, 5, 4),
  })
  .chain(({ mentors, mentees, weights, candidates, minPodSize, maxPodSize }) =>
    fc
      .tuple(
        fc.array(
          fc.record({
            level: fc.integer({ min: 6, max: 10 }),
            capacity: fc.integer({ min: 3, max: 5 }),
            skills: fc.uniqueArray(fc.constantFrom('s1', 's2', 's3', 's4'), { maxLength: 4 }),
            languages: fc.uniqueArray(fc.constantFrom('en', 'de'), { maxLength: 2 }),
            zone: fc.constantFrom('Europe/London', 'Europe/Berlin', 'America/New_York'),
          }),
          { minLength: mentors, maxLength: mentors },
        ),
        fc.array(
          fc.record({
            level: fc.integer({ min: 1, max: 5 }),
            goals: fc.uniqueArray(fc.constantFrom('s1', 's2', 's3', 's4'), { maxLength: 3 }),
            languages: fc.uniqueArray(fc.constantFrom('en', 'de'), { maxLength: 2 }),
            zone: fc.constantFrom('Europe/London', 'Europe/Berlin', 'America/New_York'),
          }),
          { minLength: mentees, maxLength: mentees },
        ),
        // Locks (kept or run out) and earlier cycles' pairings, by index.
        fc.array(
          fc.record({
            mentor: fc.nat(mentors - 1),
            mentee: fc.nat(mentees - 1),
            lockedUntil: fc.constantFrom('2026-10-01', '2027-02-01'),
          }),
          { maxLength: 3 },
        ),
        fc.array(fc.record({ mentor: fc.nat(mentors - 1), mentee: fc.nat(mentees - 1) }), { maxLength: 3 }),
        // Pairs never to form again (a mentee who left that mentor through a decision).
        fc.array(fc.record({ mentor: fc.nat(mentors - 1), mentee: fc.nat(mentees - 1) }), { maxLength: 2 }),
      )
      .map(([mentorTraits, menteeTraits, existing, past, excluded]): MatchingInput => {
        const base = {
          status: 'active' as const,
          domain: 'a',
          workingHours: { start: '09:00', end: '17:00' },
          projectIds: [],
          managerId: null,
          acceptingMentees: true,
        };
        const people: MatchingPerson[] = [
          ...mentorTraits.map((traits, index) => ({
            ...base,
            personId: `m${index}`,
            roles: ['employee', 'mentor'] as MatchingPerson['roles'],
            level: traits.level,
            timezone: traits.zone,
            skills: traits.skills,
            growthGoals: [],
            languages: traits.languages,
            mentorCapacity: traits.capacity,
          })),
          ...menteeTraits.map((traits, index) => ({
            ...base,
            personId: `e${index}`,
            roles: ['employee'] as MatchingPerson['roles'],
            level: traits.level,
            timezone: traits.zone,
            skills: [],
            growthGoals: traits.goals,
            languages: traits.languages,
            mentorCapacity: 5,
          })),
        ];
        return {
          people,
          existingPairings: existing.map(({ mentor, mentee, lockedUntil }) => ({
            mentorId: `m${mentor}`,
            menteeId: `e${mentee}`,
            lockedUntil,
          })),
          pastPairings: past.map(({ mentor, mentee }) => ({ mentorId: `m${mentor}`, menteeId: `e${mentee}` })),
          excludedPairs: excluded.map(({ mentor, mentee }) => ({
            mentorId: `m${mentor}`,
            menteeId: `e${mentee}`,
            reason: 'left-through-decision' as const,
          })),
          runDate: testRunDates[0] ?? new Date(),
          weights,
          rules: { minPodSize: Math.min(minPodSize, maxPodSize), maxPodSize },
          solver: { candidatesPerMentee: candidates },
        };
      }),
  );

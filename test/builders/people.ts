import type { PersonInput } from '../../services/matching/domain/people/person';

/** A valid person as a client would send it (before defaults). */
export const personBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  timezone: 'Europe/London',
  domain: 'backend',
  level: 5,
  projectIds: ['apollo'],
  managerId: null,
  skills: ['typescript', 'aws'],
  growthGoals: ['architecture'],
  languages: ['en'],
  roles: ['employee'],
  ...overrides,
});

/** The same person as a complete input (every field a first write would default). */
export const personInput = (overrides: Partial<PersonInput> = {}): PersonInput => ({
  ...(personBody() as PersonInput),
  workingHours: { start: '09:00', end: '17:00' },
  mentorCapacity: 5,
  acceptingMentees: true,
  ...overrides,
});

export const rosterHeader =
  'personId,name,email,timezone,domain,level,projectIds,managerId,skills,growthGoals,languages,roles,mentorCapacity,workingHoursStart,workingHoursEnd,yearsOfExperience,acceptingMentees';

/** The domains the test organisations use (programme settings the directory checks against). */
export const testDomainIds = [
  'backend',
  'frontend',
  'data',
  'design',
  'qa',
  'guild',
  'sweep',
  'people',
  'listing',
  'listing-other',
] as const;
export const testDomains = testDomainIds.map((id) => ({ id, name: id.charAt(0).toUpperCase() + id.slice(1) }));

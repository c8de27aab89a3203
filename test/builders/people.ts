import type { PersonInput } from '../../services/matching/domain/people/person';

/** A valid person as a client would send it (before defaults). */
export const personBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  timezone: 'Europe/London',
  domain: 'backend',
  level: 5,
  projectIds: ['apollo'],
  managerId: 'grace',
  skills: ['typescript', 'aws'],
  growthGoals: ['architecture'],
  languages: ['en'],
  roles: ['employee'],
  ...overrides,
});

/** The same person after the schema's defaults. */
export const personInput = (overrides: Partial<PersonInput> = {}): PersonInput => ({
  ...(personBody() as Omit<PersonInput, 'workingHours' | 'mentorCapacity' | 'acceptingMentees'>),
  workingHours: { start: '09:00', end: '17:00' },
  mentorCapacity: 5,
  acceptingMentees: true,
  ...overrides,
});

export const rosterHeader =
  'personId,name,email,timezone,domain,level,projectIds,managerId,skills,growthGoals,languages,roles,mentorCapacity,workingHoursStart,workingHoursEnd,yearsOfExperience,acceptingMentees';

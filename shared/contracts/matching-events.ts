import { z } from 'zod';
import { defineEvent } from '../events/envelope';

const source = 'mentoring.matching';

/** The public view of a person on the bus: no internal fields, stable across internal refactors. */
export const PersonSnapshotV1 = z.object({
  personId: z.string(),
  name: z.string(),
  email: z.string(),
  timezone: z.string(),
  workingHours: z.object({ start: z.string(), end: z.string() }),
  domain: z.string(),
  level: z.int(),
  projectIds: z.array(z.string()),
  managerId: z.string().nullable(),
  skills: z.array(z.string()),
  growthGoals: z.array(z.string()),
  languages: z.array(z.string()),
  roles: z.array(z.string()),
  mentorCapacity: z.int(),
  acceptingMentees: z.boolean(),
});

export const PersonRegisteredV1 = defineEvent({
  source,
  detailType: 'Person.Registered',
  version: 1,
  description: 'A person joined the programme directory (API, CSV import or HR event).',
  data: z.object({ person: PersonSnapshotV1 }),
});

export const PersonUpdatedV1 = defineEvent({
  source,
  detailType: 'Person.Updated',
  version: 1,
  description: 'A person’s directory record changed; `changedFields` names what changed.',
  data: z.object({ person: PersonSnapshotV1, changedFields: z.array(z.string()) }),
});

export const PersonOffboardedV1 = defineEvent({
  source,
  detailType: 'Person.Offboarded',
  version: 1,
  description: 'A person left the programme; their record is kept as offboarded.',
  data: z.object({ personId: z.string(), reason: z.enum(['offboarded', 'left-company']) }),
});

export const matchingEvents = [PersonRegisteredV1, PersonUpdatedV1, PersonOffboardedV1] as const;

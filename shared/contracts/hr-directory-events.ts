import { defineEvent } from '../events/envelope';
import { lazySchema } from '../lazy-schema';
import * as z from '../zod';

/**
 * Events the HR directory sends in (source `hr.directory`). The platform consumes them;
 * HR owns them. The employee record uses the same field names as the people API.
 */
const source = 'hr.directory';

export const HrEmployeeV1 = lazySchema(() =>
  z.object({
    employeeId: z.string(),
    name: z.string(),
    email: z.string(),
    timezone: z.string(),
    workingHours: z.optional(z.object({ start: z.string(), end: z.string() })),
    domain: z.string(),
    level: z.int(),
    yearsOfExperience: z.optional(z.number()),
    projectIds: z.optional(z.array(z.string())),
    managerId: z.optional(z.nullable(z.string())),
    skills: z.optional(z.array(z.string())),
    growthGoals: z.optional(z.array(z.string())),
    languages: z.optional(z.array(z.string())),
    roles: z.optional(z.array(z.string())),
  }),
);

export const EmployeeJoinedV1 = defineEvent({
  source,
  detailType: 'Employee.Joined',
  version: 1,
  description: 'HR hired (or transferred in) an employee.',
  data: () => z.object({ employee: HrEmployeeV1() }),
});

export const EmployeeUpdatedV1 = defineEvent({
  source,
  detailType: 'Employee.Updated',
  version: 1,
  description: 'HR changed an employee (moved project, manager, domain, level...).',
  data: () => z.object({ employee: HrEmployeeV1() }),
});

export const EmployeeLeftV1 = defineEvent({
  source,
  detailType: 'Employee.Left',
  version: 1,
  description: 'An employee left the company.',
  data: () => z.object({ employeeId: z.string(), leftOn: z.optional(z.iso.date()) }),
});

export const hrDirectoryEvents = [EmployeeJoinedV1, EmployeeUpdatedV1, EmployeeLeftV1] as const;

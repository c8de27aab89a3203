import * as z from 'zod';
import { defineEvent } from '../events/envelope';

/**
 * Events the HR directory sends in (source `hr.directory`). The platform consumes them;
 * HR owns them. The employee record uses the same field names as the people API.
 */
const source = 'hr.directory';

export const HrEmployeeV1 = z.object({
  employeeId: z.string(),
  name: z.string(),
  email: z.string(),
  timezone: z.string(),
  workingHours: z.object({ start: z.string(), end: z.string() }).optional(),
  domain: z.string(),
  level: z.int(),
  yearsOfExperience: z.number().optional(),
  projectIds: z.array(z.string()).optional(),
  managerId: z.string().nullable().optional(),
  skills: z.array(z.string()).optional(),
  growthGoals: z.array(z.string()).optional(),
  languages: z.array(z.string()).optional(),
  roles: z.array(z.string()).optional(),
});

export const EmployeeJoinedV1 = defineEvent({
  source,
  detailType: 'Employee.Joined',
  version: 1,
  description: 'HR hired (or transferred in) an employee.',
  data: z.object({ employee: HrEmployeeV1 }),
});

export const EmployeeUpdatedV1 = defineEvent({
  source,
  detailType: 'Employee.Updated',
  version: 1,
  description: 'HR changed an employee (moved project, manager, domain, level...).',
  data: z.object({ employee: HrEmployeeV1 }),
});

export const EmployeeLeftV1 = defineEvent({
  source,
  detailType: 'Employee.Left',
  version: 1,
  description: 'An employee left the company.',
  data: z.object({ employeeId: z.string(), leftOn: z.iso.date().optional() }),
});

export const hrDirectoryEvents = [EmployeeJoinedV1, EmployeeUpdatedV1, EmployeeLeftV1] as const;

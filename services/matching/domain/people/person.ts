import * as z from 'zod';
import { type Role, roles } from '../../../../shared/auth/roles';

/** Ids in paths and keys: short, URL-safe, no separators our keys use. */
export const PersonIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 characters: letters, digits, ".", "_" or "-"');

export const RoleSchema = z.enum(roles);
export type { Role };

const isIanaTimeZone = (value: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value.includes('/') || value === 'UTC';
  } catch {
    return false;
  }
};

export const TimeZoneSchema = z.string().refine(isIanaTimeZone, 'must be an IANA time zone such as "Europe/Berlin"');

const LocalTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time "HH:MM"');

export const WorkingHoursSchema = z
  .strictObject({ start: LocalTimeSchema, end: LocalTimeSchema })
  .refine((hours) => hours.start < hours.end, 'start must be before end');

const TagListSchema = z.array(z.string().trim().min(1).max(64)).max(50);

/** What a client (or the HR import) sends to create or replace a person. */
export const PersonInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email(),
  timezone: TimeZoneSchema,
  workingHours: WorkingHoursSchema.default({ start: '09:00', end: '17:00' }),
  domain: z.string().trim().min(1).max(64),
  /** Seniority on one ladder for the whole company: 1 (junior) .. 10 (principal). */
  level: z.int().min(1).max(10),
  yearsOfExperience: z.number().min(0).max(70).optional(),
  projectIds: z.array(PersonIdSchema).max(20).default([]),
  managerId: PersonIdSchema.nullable().default(null),
  skills: TagListSchema.default([]),
  growthGoals: TagListSchema.default([]),
  languages: TagListSchema.default([]),
  roles: z.array(RoleSchema).min(1).default(['employee']),
  /** How many mentees a mentor takes (3-5); only meaningful with the mentor role. */
  mentorCapacity: z.int().min(3).max(5).default(5),
  /** A mentor can pause taking new mentees without leaving the programme. */
  acceptingMentees: z.boolean().default(true),
});
export type PersonInput = z.infer<typeof PersonInputSchema>;

export const PersonSchema = PersonInputSchema.extend({
  personId: PersonIdSchema,
  status: z.enum(['active', 'offboarded']),
  /** Optimistic-concurrency version, incremented on every change. */
  version: z.int().min(1),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Person = z.infer<typeof PersonSchema>;

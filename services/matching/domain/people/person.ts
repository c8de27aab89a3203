import * as z from 'zod';
import { type Role, roles } from '../../../../shared/auth/roles';

/** Ids in paths and keys: short, URL-safe, no separators our keys use. */
export const PersonIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 characters: letters, digits, ".", "_" or "-"');

export const RoleSchema = z.enum(roles);
export type { Role };

/** The zone's canonical IANA name ("europe/berlin" is "Europe/Berlin"), or undefined if there is none. */
export const canonicalTimeZone = (value: string): string | undefined => {
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: value.trim() }).resolvedOptions().timeZone;
    return canonical.includes('/') || canonical === 'UTC' ? canonical : undefined;
  } catch {
    return undefined;
  }
};

/** Stored in its canonical spelling, whatever case it was typed in. */
export const TimeZoneSchema = z
  .string()
  .refine((value) => canonicalTimeZone(value) !== undefined, 'must be an IANA time zone such as "Europe/Berlin"')
  .overwrite((value) => canonicalTimeZone(value) ?? value);

const LocalTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time "HH:MM"');

/** A night shift (start after end) runs past midnight; only an empty day (start equal to end) is refused. */
export const WorkingHoursSchema = z
  .strictObject({ start: LocalTimeSchema, end: LocalTimeSchema })
  .refine((hours) => hours.start !== hours.end, 'start and end must differ (a night shift may end after midnight)');

/**
 * Text that a spreadsheet would run as a formula when the directory is exported (`=cmd|...`,
 * `@SUM(...)`, `+1`, `-1`, a leading tab or carriage return) is refused, not stored and published.
 */
const FORMULA_LEAD = /^[=+\-@\t\r]/;
const formulaMessage = 'must not start with =, +, -, @ or a tab (a spreadsheet would run it as a formula)';
export const SafeTextSchema = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !FORMULA_LEAD.test(value), formulaMessage);

/** Domains are admin-managed (GET/PUT /domains); a person's must be one of them (checked by the directory). */
export const DomainIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a domain id: lower-case letters, digits and "-" (see GET /domains)');

const TagListSchema = z.array(SafeTextSchema(64)).max(50);

export const EmailSchema = z
  .string()
  .trim()
  .pipe(z.email())
  .refine((value) => !FORMULA_LEAD.test(value), formulaMessage);

/** The defaults a new person gets for what the first write leaves out. */
export const personDefaults = {
  workingHours: { start: '09:00', end: '17:00' },
  projectIds: [] as string[],
  managerId: null as string | null,
  skills: [] as string[],
  growthGoals: [] as string[],
  languages: [] as string[],
  roles: ['employee'] as Role[],
  mentorCapacity: 5,
  acceptingMentees: true,
};

/**
 * What a client (the API, a CSV row, an HR event) sends to create or change a person. The
 * identity fields are always sent; every other field is optional: a new person gets the
 * defaults, an existing one keeps the value a write leaves out (so an HR tool that knows nothing
 * of mentoring never resets a mentor's capacity). `yearsOfExperience: null` clears it.
 */
export const PersonInputSchema = z.strictObject({
  name: SafeTextSchema(200),
  email: EmailSchema,
  timezone: TimeZoneSchema,
  workingHours: WorkingHoursSchema.optional().describe('Local working hours; default 09:00-17:00'),
  domain: DomainIdSchema,
  /** Seniority on one ladder for the whole company: 1 (junior) .. 10 (principal). */
  level: z.int().min(1).max(10),
  yearsOfExperience: z.number().min(0).max(70).nullable().optional(),
  projectIds: z.array(PersonIdSchema).max(20).optional(),
  managerId: PersonIdSchema.nullable().optional().describe('Must be someone in the directory, not the person'),
  skills: TagListSchema.optional(),
  growthGoals: TagListSchema.optional(),
  languages: TagListSchema.optional(),
  roles: z.array(RoleSchema).min(1).optional().describe('Default ["employee"]'),
  /** How many mentees a mentor takes (3-5); only meaningful with the mentor role. */
  mentorCapacity: z.int().min(3).max(5).optional().describe('Default 5'),
  /** A mentor can pause taking new mentees without leaving the programme. */
  acceptingMentees: z.boolean().optional().describe('Default true'),
});
export type PersonInput = z.infer<typeof PersonInputSchema>;

/** The directory fields a write may change (everything else is the directory's own bookkeeping). */
export const personFields = [
  'name',
  'email',
  'timezone',
  'workingHours',
  'domain',
  'level',
  'yearsOfExperience',
  'projectIds',
  'managerId',
  'skills',
  'growthGoals',
  'languages',
  'roles',
  'mentorCapacity',
  'acceptingMentees',
] as const satisfies readonly (keyof PersonInput)[];
export type PersonField = (typeof personFields)[number];

/** A person as the API shows them. */
export const PersonSchema = z.object({
  personId: PersonIdSchema,
  name: z.string(),
  email: z.string(),
  timezone: z.string(),
  workingHours: z.object({ start: z.string(), end: z.string() }),
  domain: z.string(),
  level: z.int().min(1).max(10),
  yearsOfExperience: z.number().optional(),
  projectIds: z.array(z.string()),
  managerId: z.string().nullable(),
  skills: z.array(z.string()),
  growthGoals: z.array(z.string()),
  languages: z.array(z.string()),
  roles: z.array(RoleSchema),
  mentorCapacity: z.int(),
  acceptingMentees: z.boolean(),
  status: z.enum(['active', 'offboarded']),
  /** Optimistic-concurrency version, incremented on every change (the ETag). */
  version: z.int().min(1),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  offboardedAt: z.iso.datetime().optional(),
  rehiredAt: z.iso.datetime().optional(),
});
export type Person = z.infer<typeof PersonSchema>;

/**
 * The stored record: the person plus the source clock of each field and of the status
 * (`<occurredAt>|<id>`), so an HR event that happened before what is stored changes nothing.
 */
export const StoredPersonSchema = PersonSchema.extend({
  fieldVersions: z.record(z.string(), z.string()).optional(),
  statusVersion: z.string().optional(),
});
export type StoredPerson = z.infer<typeof StoredPersonSchema>;

/** The person without the directory's bookkeeping, as the API answers. */
export const publicPerson = (person: StoredPerson): Person => {
  const { fieldVersions: _fields, statusVersion: _status, ...shown } = person;
  return shown;
};

/** Fields the API shows that a client may send back unchanged (a GET, then a PUT) but not change. */
export const ReadOnlyPersonFieldsSchema = z.object({
  personId: z.string().optional(),
  status: z.enum(['active', 'offboarded']).optional(),
  version: z.int().min(1).optional().describe('Acts like If-Match: a stale version is refused (412)'),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  offboardedAt: z.string().optional(),
  rehiredAt: z.string().optional(),
});

/** `PUT /people/{personId}`: the input, plus the read-only fields a client read with GET. */
export const PutPersonBodySchema = PersonInputSchema.extend(ReadOnlyPersonFieldsSchema.shape);
export type PutPersonBody = z.infer<typeof PutPersonBodySchema>;

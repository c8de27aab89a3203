import { type Role, roles } from '../../../../shared/auth/roles';
import { lazySchema } from '../../../../shared/lazy-schema';
import * as z from '../../../../shared/zod';

/** Ids in paths and keys: short, URL-safe, no separators our keys use. */
export const PersonIdSchema = lazySchema(() =>
  z
    .string()
    .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 characters: letters, digits, ".", "_" or "-"')),
);

export const RoleSchema = lazySchema(() => z.enum(roles));
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
export const TimeZoneSchema = lazySchema(() =>
  z.string().check(
    z.refine((value) => canonicalTimeZone(value) !== undefined, 'must be an IANA time zone such as "Europe/Berlin"'),
    z.overwrite((value) => canonicalTimeZone(value) ?? value),
  ),
);

const LocalTimeSchema = lazySchema(() =>
  z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time "HH:MM"')),
);

/** A night shift (start after end) runs past midnight; only an empty day (start equal to end) is refused. */
export const WorkingHoursSchema = lazySchema(() =>
  z
    .strictObject({ start: LocalTimeSchema(), end: LocalTimeSchema() })
    .check(
      z.refine(
        (hours) => hours.start !== hours.end,
        'start and end must differ (a night shift may end after midnight)',
      ),
    ),
);

/**
 * Text that a spreadsheet would run as a formula when the directory is exported (`=cmd|...`,
 * `@SUM(...)`, `+1`, `-1`, a leading tab or carriage return) is refused, not stored and published.
 */
const FORMULA_LEAD = /^[=+\-@\t\r]/;
const formulaMessage = 'must not start with =, +, -, @ or a tab (a spreadsheet would run it as a formula)';
export const SafeTextSchema = lazySchema(
  () => (max: number) =>
    z.string().check(
      z.trim(),
      z.minLength(1),
      z.maxLength(max),
      z.refine((value) => !FORMULA_LEAD.test(value), formulaMessage),
    ),
);

/** Domains are admin-managed (GET/PUT /domains); a person's must be one of them (checked by the directory). */
export const DomainIdSchema = lazySchema(() =>
  z
    .string()
    .check(
      z.trim(),
      z.toLowerCase(),
      z.regex(
        /^[a-z0-9][a-z0-9-]{0,63}$/,
        'must be a domain id: lower-case letters, digits and "-" (see GET /domains)',
      ),
    ),
);

const TagListSchema = lazySchema(() => z.array(SafeTextSchema()(64)).check(z.maxLength(50)));

export const EmailSchema = lazySchema(() =>
  z.pipe(z.string().check(z.trim()), z.email()).check(z.refine((value) => !FORMULA_LEAD.test(value), formulaMessage)),
);

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
export const PersonInputSchema = lazySchema(() =>
  z.strictObject({
    name: SafeTextSchema()(200),
    email: EmailSchema(),
    timezone: TimeZoneSchema(),
    workingHours: z.optional(WorkingHoursSchema()).check(z.describe('Local working hours; default 09:00-17:00')),
    domain: DomainIdSchema(),
    /** Seniority on one ladder for the whole company: 1 (junior) .. 10 (principal). */
    level: z.int().check(z.minimum(1), z.maximum(10)),
    yearsOfExperience: z.optional(z.nullable(z.number().check(z.minimum(0), z.maximum(70)))),
    projectIds: z.optional(z.array(PersonIdSchema()).check(z.maxLength(20))),
    managerId: z
      .optional(z.nullable(PersonIdSchema()))
      .check(z.describe('Must be someone in the directory, not the person')),
    skills: z.optional(TagListSchema()),
    growthGoals: z.optional(TagListSchema()),
    languages: z.optional(TagListSchema()),
    roles: z.optional(z.array(RoleSchema()).check(z.minLength(1))).check(z.describe('Default ["employee"]')),
    /** How many mentees a mentor takes (3-5); only meaningful with the mentor role. */
    mentorCapacity: z.optional(z.int().check(z.minimum(3), z.maximum(5))).check(z.describe('Default 5')),
    /** A mentor can pause taking new mentees without leaving the programme. */
    acceptingMentees: z.optional(z.boolean()).check(z.describe('Default true')),
  }),
);
export type PersonInput = z.infer<ReturnType<typeof PersonInputSchema>>;

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
export const PersonSchema = lazySchema(() =>
  z.object({
    personId: PersonIdSchema(),
    name: z.string(),
    email: z.string(),
    timezone: z.string(),
    workingHours: z.object({ start: z.string(), end: z.string() }),
    domain: z.string(),
    level: z.int().check(z.minimum(1), z.maximum(10)),
    yearsOfExperience: z.optional(z.number()),
    projectIds: z.array(z.string()),
    managerId: z.nullable(z.string()),
    skills: z.array(z.string()),
    growthGoals: z.array(z.string()),
    languages: z.array(z.string()),
    roles: z.array(RoleSchema()),
    mentorCapacity: z.int(),
    acceptingMentees: z.boolean(),
    status: z.enum(['active', 'offboarded']),
    /** Optimistic-concurrency version, incremented on every change (the ETag). */
    version: z.int().check(z.minimum(1)),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    offboardedAt: z.optional(z.iso.datetime()),
    rehiredAt: z.optional(z.iso.datetime()),
  }),
);
export type Person = z.infer<ReturnType<typeof PersonSchema>>;

/**
 * The stored record: the person plus the source clock of each field and of the status
 * (`<occurredAt>|<id>`), so an HR event that happened before what is stored changes nothing.
 */
export const StoredPersonSchema = lazySchema(() =>
  z.extend(PersonSchema(), {
    fieldVersions: z.optional(z.record(z.string(), z.string())),
    statusVersion: z.optional(z.string()),
  }),
);
export type StoredPerson = z.infer<ReturnType<typeof StoredPersonSchema>>;

/** The person without the directory's bookkeeping, as the API answers. */
export const publicPerson = (person: StoredPerson): Person => {
  const { fieldVersions: _fields, statusVersion: _status, ...shown } = person;
  return shown;
};

/** Fields the API shows that a client may send back unchanged (a GET, then a PUT) but not change. */
export const ReadOnlyPersonFieldsSchema = lazySchema(() =>
  z.object({
    personId: z.optional(z.string()),
    status: z.optional(z.enum(['active', 'offboarded'])),
    version: z
      .optional(z.int().check(z.minimum(1)))
      .check(z.describe('Acts like If-Match: a stale version is refused (412)')),
    createdAt: z.optional(z.string()),
    updatedAt: z.optional(z.string()),
    offboardedAt: z.optional(z.string()),
    rehiredAt: z.optional(z.string()),
  }),
);

/** `PUT /people/{personId}`: the input, plus the read-only fields a client read with GET. */
export const PutPersonBodySchema = lazySchema(() => z.extend(PersonInputSchema(), ReadOnlyPersonFieldsSchema().shape));
export type PutPersonBody = z.infer<ReturnType<typeof PutPersonBodySchema>>;

import { isProgrammeStaff, type Principal } from '../../../../shared/auth/principal';
import { lazySchema } from '../../../../shared/lazy-schema';
import * as z from '../../../../shared/zod';
import type { Person } from '../people/person';
import type { PodWithMembers } from './model';

/**
 * Who sees what of a pod (the privacy rule):
 * - programme staff (life coach, admin) see everything, including why each pairing was made
 *   (its score and top factors);
 * - the pod's mentor sees the pod, their capacity and each mentee's name, contact (email, time
 *   zone), start and lock end;
 * - a mentee sees the pod, the mentor's name and contact (email, time zone), fellow mentees'
 *   names and their own start and lock end: no scores, no factors, no capacity, nobody else's
 *   dates, no fellow mentee's contact;
 * - anyone else does not see the pod at all (as if it did not exist).
 * No view carries anyone's level, skills, goals or other directory fields.
 */
export type PodRelation = 'staff' | 'mentor' | 'mentee';

const MAX_POD_SIZE = 5;

export const relationTo = (principal: Principal, found: PodWithMembers): PodRelation | null => {
  if (isProgrammeStaff(principal)) return 'staff';
  if (found.pod.mentorId === principal.personId) return 'mentor';
  if (found.members.some((member) => member.menteeId === principal.personId)) return 'mentee';
  return null;
};

const PersonRefSchema = lazySchema(() => z.object({ personId: z.string(), name: z.string() }));
const ContactSchema = lazySchema(() =>
  z.object({ email: z.string(), timezone: z.string() }).check(z.describe('How to reach them')),
);
const FactorSchema = lazySchema(() => z.object({ name: z.string(), points: z.number(), detail: z.string() }));
const podCore = lazySchema(() => ({
  podId: z.string(),
  domain: z.string(),
  status: z.enum(['active', 'dissolved']),
  mentor: PersonRefSchema(),
}));

export const ProgrammePodViewSchema = lazySchema(() =>
  z.object({
    view: z.literal('programme'),
    ...podCore(),
    capacity: z.int(),
    load: z.int(),
    formedAt: z.string(),
    formedByRunId: z.nullable(z.string()),
    dissolvedAt: z.optional(z.string()),
    mentees: z.array(
      z.extend(PersonRefSchema(), {
        mentorshipId: z.string(),
        startedAt: z.string(),
        lockedUntil: z.string(),
        cause: z.enum(['matching-run', 'reassignment', 'rematch']),
        runId: z.nullable(z.string()),
        match: z.nullable(z.object({ points: z.number(), topFactors: z.array(FactorSchema()) })),
      }),
    ),
  }),
);

export const MentorPodViewSchema = lazySchema(() =>
  z.object({
    view: z.literal('mentor'),
    ...podCore(),
    capacity: z.int(),
    formedAt: z.string(),
    mentees: z.array(
      z.extend(PersonRefSchema(), { contact: ContactSchema(), startedAt: z.string(), lockedUntil: z.string() }),
    ),
  }),
);

export const MenteePodViewSchema = lazySchema(() =>
  z.object({
    view: z.literal('mentee'),
    ...podCore(),
    mentor: z.extend(PersonRefSchema(), { contact: ContactSchema() }),
    mentees: z.array(PersonRefSchema()),
    myMentorship: z.object({ startedAt: z.string(), lockedUntil: z.string() }),
  }),
);

export const PodViewSchema = lazySchema(() =>
  z.discriminatedUnion('view', [ProgrammePodViewSchema(), MentorPodViewSchema(), MenteePodViewSchema()]),
);
export type PodView = z.infer<ReturnType<typeof PodViewSchema>>;

/**
 * The pod as `relation` may see it; `viewerId` is the caller (for the mentee's own dates).
 * Capacity is the mentor's current one from the directory (it may have changed since the pod's
 * last write), never above the pod maximum.
 */
export const podView = (
  found: PodWithMembers,
  people: ReadonlyMap<string, Pick<Person, 'name'> & Partial<Pick<Person, 'mentorCapacity' | 'email' | 'timezone'>>>,
  relation: PodRelation,
  viewerId: string,
): PodView => {
  const { pod } = found;
  const capacity = Math.min(people.get(pod.mentorId)?.mentorCapacity ?? pod.capacity, MAX_POD_SIZE);
  const ref = (personId: string) => ({ personId, name: people.get(personId)?.name ?? personId });
  const contact = (personId: string) => ({
    email: people.get(personId)?.email ?? '',
    timezone: people.get(personId)?.timezone ?? '',
  });
  const members = [...found.members].sort((a, b) => (a.menteeId < b.menteeId ? -1 : 1));
  const core = { podId: pod.podId, domain: pod.domain, status: pod.status, mentor: ref(pod.mentorId) };
  if (relation === 'staff') {
    return {
      view: 'programme',
      ...core,
      capacity,
      load: pod.load,
      formedAt: pod.formedAt,
      formedByRunId: pod.formedByRunId,
      ...(pod.dissolvedAt ? { dissolvedAt: pod.dissolvedAt } : {}),
      mentees: members.map((m) => ({
        ...ref(m.menteeId),
        mentorshipId: m.mentorshipId,
        startedAt: m.startedAt,
        lockedUntil: m.lockedUntil,
        cause: m.cause,
        runId: m.runId,
        match: m.explanation,
      })),
    };
  }
  if (relation === 'mentor') {
    return {
      view: 'mentor',
      ...core,
      capacity,
      formedAt: pod.formedAt,
      mentees: members.map((m) => ({
        ...ref(m.menteeId),
        contact: contact(m.menteeId),
        startedAt: m.startedAt,
        lockedUntil: m.lockedUntil,
      })),
    };
  }
  const mine = members.find((m) => m.menteeId === viewerId);
  return {
    view: 'mentee',
    ...core,
    mentor: { ...ref(pod.mentorId), contact: contact(pod.mentorId) },
    mentees: members.map((m) => ref(m.menteeId)),
    myMentorship: { startedAt: mine?.startedAt ?? '', lockedUntil: mine?.lockedUntil ?? '' },
  };
};

/** Everyone whose name a view of these pods shows. */
export const peopleIn = (pods: readonly PodWithMembers[]): string[] => [
  ...new Set(pods.flatMap((found) => [found.pod.mentorId, ...found.members.map((member) => member.menteeId)])),
];

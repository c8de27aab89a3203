import { defineEvent } from '../events/envelope';
import { lazySchema } from '../lazy-schema';
import * as z from '../zod';

const source = 'mentoring.matching';

/** The public view of a person on the bus: no internal fields, stable across internal refactors. */
export const PersonSnapshotV1 = lazySchema(() =>
  z.object({
    personId: z.string(),
    name: z.string(),
    email: z.string(),
    timezone: z.string(),
    workingHours: z.object({ start: z.string(), end: z.string() }),
    domain: z.string(),
    level: z.int(),
    projectIds: z.array(z.string()),
    managerId: z.nullable(z.string()),
    skills: z.array(z.string()),
    growthGoals: z.array(z.string()),
    languages: z.array(z.string()),
    roles: z.array(z.string()),
    mentorCapacity: z.int(),
    acceptingMentees: z.boolean(),
  }),
);

export const PersonRegisteredV1 = defineEvent({
  source,
  detailType: 'Person.Registered',
  version: 1,
  description:
    'A person joined the programme directory (API, CSV import or HR event), or came back: `cause` is `rehired` for a leaver brought back by an explicit rehire.',
  data: () => z.object({ person: PersonSnapshotV1(), cause: z.optional(z.enum(['joined', 'rehired'])) }),
});

export const PersonUpdatedV1 = defineEvent({
  source,
  detailType: 'Person.Updated',
  version: 1,
  description: 'A person’s directory record changed; `changedFields` names what changed.',
  data: () => z.object({ person: PersonSnapshotV1(), changedFields: z.array(z.string()) }),
});

export const PersonOffboardedV1 = defineEvent({
  source,
  detailType: 'Person.Offboarded',
  version: 1,
  description: 'A person left the programme; their record is kept as offboarded.',
  data: () => z.object({ personId: z.string(), reason: z.enum(['offboarded', 'left-company']) }),
});

const PodIdV1 = lazySchema(() => z.string().check(z.describe('Stable id of a pod (one mentor and their mentees).')));
const EndReasonV1 = lazySchema(() =>
  z
    .enum(['offboarded', 'reassigned', 'rematched', 'left-programme'])
    .check(
      z.describe(
        '`offboarded`: the mentor or mentee left; `reassigned`: the life coach approved a reassignment request; `rematched`: a committed matching run moved or unmatched the mentee after the lock ended; `left-programme`: the pairing no longer holds for one of them: a role or status changed, or a directory change (domain, level, project, manager, working hours) breaks one of its hard rules (`rule` names which).',
      ),
    ),
);

export const PodFormedV1 = defineEvent({
  source,
  detailType: 'Pod.Formed',
  version: 1,
  description: 'A mentor’s pod was formed: the mentor took their first mentees (in a committed matching run).',
  data: () =>
    z.object({
      podId: PodIdV1(),
      mentorId: z.string(),
      domain: z.string(),
      menteeIds: z.array(z.string()),
      formedAt: z.iso.datetime(),
      runId: z.nullable(z.string()),
    }),
});

export const PodDissolvedV1 = defineEvent({
  source,
  detailType: 'Pod.Dissolved',
  version: 1,
  description: 'A pod ended: its mentor left the programme, or a committed run left the mentor with no mentees.',
  data: () =>
    z.object({
      podId: PodIdV1(),
      mentorId: z.string(),
      domain: z.string(),
      reason: z.enum(['mentor-offboarded', 'mentor-left-programme', 'no-mentees']),
      dissolvedAt: z.iso.datetime(),
    }),
});

export const MentorshipStartedV1 = defineEvent({
  source,
  detailType: 'Mentorship.Started',
  version: 1,
  description: 'A mentee joined a mentor’s pod; the pairing is locked (not changed by runs) until `lockedUntil`.',
  data: () =>
    z.object({
      mentorshipId: z.string(),
      podId: PodIdV1(),
      mentorId: z.string(),
      menteeId: z.string(),
      domain: z.string(),
      startedAt: z.iso.datetime(),
      lockedUntil: z.iso.datetime(),
      cause: z.enum(['matching-run', 'reassignment', 'rematch']),
      runId: z.nullable(z.string()),
    }),
});

export const MentorshipEndedV1 = defineEvent({
  source,
  detailType: 'Mentorship.Ended',
  version: 1,
  description: 'A mentor-mentee pairing ended, with the reason.',
  data: () =>
    z.object({
      mentorshipId: z.string(),
      podId: PodIdV1(),
      mentorId: z.string(),
      menteeId: z.string(),
      startedAt: z.iso.datetime(),
      endedAt: z.iso.datetime(),
      reason: EndReasonV1(),
      rule: z
        .optional(z.string())
        .check(
          z.describe(
            'With `left-programme` after a directory change: the hard rule the pairing now breaks (`different-domain`, `not-senior-enough`, `same-project`, `reporting-chain`, `working-hours-overlap`, `mentor-role`, `mentee-role`).',
          ),
        ),
    }),
});

/** What a run changes or would change, in pairings and pods. */
export const RunCountsV1 = lazySchema(() =>
  z.object({
    pods: z.int(),
    matched: z.int(),
    unmatched: z.int().check(z.describe('Mentees who could have had a mentor but were left out')),
    noMentorPossible: z
      .optional(z.int())
      .check(
        z.describe('People no mentor can exist for (the most senior of their domain...): not counted as unmatched'),
      ),
    newPairings: z.int(),
    movedPairings: z.int(),
    keptPairings: z.int(),
    lockedPairings: z.int(),
    endedPairings: z.int(),
    mentorShortfalls: z.int(),
  }),
);

export const MatchingRunCompletedV1 = defineEvent({
  source,
  detailType: 'MatchingRun.Completed',
  version: 1,
  description:
    'A matching run finished: a dry run was computed and stored, or a run was committed (its pairings are in force).',
  data: () =>
    z.object({
      runId: z.string(),
      mode: z.enum(['dry-run', 'commit']),
      /** null: every domain. */
      domains: z.nullable(z.array(z.string())),
      runDate: z.iso.datetime(),
      counts: RunCountsV1(),
      objective: z.object({ value: z.number(), matched: z.int(), pairScore: z.number(), loadCost: z.number() }),
      proven: z.boolean(),
      gap: z.number(),
    }),
});

export const MatchingRunRequestedV1 = defineEvent({
  source,
  detailType: 'MatchingRun.Requested',
  version: 1,
  description:
    'A matching run was asked for (a dry run, a run committed at once, or the commit of a stored dry run); the matching service computes (and commits) it in its runner, then publishes MatchingRun.Completed. GET /matching/runs/{runId} follows it.',
  data: () =>
    z.object({
      runId: z.string(),
      mode: z.enum(['dry-run', 'commit']),
      request: z.enum(['run', 'commit-of-dry-run']),
      /** null: every domain. */
      domains: z.nullable(z.array(z.string())),
      requestedBy: z.string(),
      requestedAt: z.iso.datetime(),
    }),
});

const ImportCountsV1 = lazySchema(() =>
  z.object({
    created: z.int(),
    updated: z.int(),
    rehired: z.int(),
    unchanged: z.int(),
    rejected: z.int(),
  }),
);

export const RosterImportSubmittedV1 = defineEvent({
  source,
  detailType: 'RosterImport.Submitted',
  version: 1,
  description:
    'An HR roster (CSV) was submitted for import (POST /people/imports); the matching service applies it in batches and publishes RosterImport.Completed. Each person it creates or changes has its own Person.* event.',
  data: () =>
    z.object({
      importId: z.string(),
      rows: z.int(),
      submittedBy: z.string(),
      submittedAt: z.iso.datetime(),
    }),
});

export const RosterImportCompletedV1 = defineEvent({
  source,
  detailType: 'RosterImport.Completed',
  version: 1,
  description: 'Every row of a roster import was applied or rejected; GET /people/imports/{importId} has the report.',
  data: () => z.object({ importId: z.string(), rows: z.int(), counts: ImportCountsV1() }),
});

export const pairingEvents = [
  PodFormedV1,
  PodDissolvedV1,
  MentorshipStartedV1,
  MentorshipEndedV1,
  MatchingRunRequestedV1,
  MatchingRunCompletedV1,
] as const;

export const matchingEvents = [
  PersonRegisteredV1,
  PersonUpdatedV1,
  PersonOffboardedV1,
  RosterImportSubmittedV1,
  RosterImportCompletedV1,
  ...pairingEvents,
] as const;

import * as z from 'zod';
import { RunCountsV1 } from '../../../shared/contracts/matching-events';
import { ResourceIdSchema } from '../domain/pods/model';
import { PodViewSchema } from '../domain/pods/visibility';
import { ListPeopleQuerySchema } from './schemas';

const DomainSchema = z.string().trim().min(1).max(64);

export const RunRequestSchema = z
  .strictObject({
    mode: z.enum(['dry-run', 'commit']),
    /** Match only these domains (plus any a current pairing links them to); everyone when absent. */
    domains: z
      .array(DomainSchema)
      .min(1)
      .max(100)
      .refine((domains) => new Set(domains).size === domains.length, 'must not repeat a domain')
      .optional(),
    /** With `commit`: apply exactly this stored dry run. */
    runId: ResourceIdSchema.optional(),
  })
  .superRefine((body, context) => {
    if (body.runId && body.mode !== 'commit') {
      context.addIssue({ code: 'custom', path: ['runId'], message: 'is only allowed with mode "commit"' });
    }
    if (body.runId && body.domains) {
      context.addIssue({
        code: 'custom',
        path: ['domains'],
        message: 'cannot be given with runId (the run has its own)',
      });
    }
  });

export const RunPathSchema = z.strictObject({ runId: ResourceIdSchema });
export const PodPathSchema = z.strictObject({ podId: ResourceIdSchema });
export const RequestPathSchema = z.strictObject({ requestId: ResourceIdSchema });

export const ListPodsQuerySchema = ListPeopleQuerySchema;

export const ReassignmentRequestBodySchema = z.strictObject({
  reason: z.string().trim().min(1).max(2000),
  /** Required when the pod's mentor asks; a mentee asks for themselves. */
  menteeId: ResourceIdSchema.optional(),
});

export const DecisionBodySchema = z
  .strictObject({
    decision: z.enum(['approve', 'reject']),
    note: z.string().trim().min(1).max(2000).optional(),
    /** With `approve`: the mentor to move the mentee to (else the best mentor with room, or the next run). */
    newMentorId: ResourceIdSchema.optional(),
  })
  .superRefine((body, context) => {
    if (body.newMentorId && body.decision !== 'approve') {
      context.addIssue({ code: 'custom', path: ['newMentorId'], message: 'is only allowed with decision "approve"' });
    }
  });

export const ListRequestsQuerySchema = z.strictObject({
  status: z.enum(['open', 'approved', 'rejected']).default('open'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
});

export const AvailabilityBodySchema = z.strictObject({
  capacity: z.int().min(3).max(5),
  acceptingMentees: z.boolean(),
});

export const RunViewSchema = z.object({
  runId: z.string(),
  mode: z.enum(['dry-run', 'commit']),
  status: z.enum(['dry-run', 'committing', 'committed', 'aborted']),
  domains: z.array(z.string()).nullable(),
  scope: z.array(z.string()).nullable(),
  runDate: z.string(),
  createdAt: z.string(),
  requestedBy: z.string(),
  committedAt: z.string().optional(),
  abortedReason: z.string().optional(),
  basedOnGeneration: z.int(),
  counts: RunCountsV1,
  steps: z.object({ total: z.int(), applied: z.int().optional() }),
  result: z
    .record(z.string(), z.unknown())
    .describe(
      'The engine’s result: pods (members with change, lock end, points and top factors), objective, unmatched mentees with the rule that blocked them, mentor shortfalls, released locks, warnings, optimality (proven, gap, per-domain stats).',
    ),
});

export const PodPageSchema = z.object({ items: z.array(PodViewSchema), nextCursor: z.string().optional() });

export const ReassignmentRequestSchema = z.object({
  requestId: z.string(),
  podId: z.string(),
  mentorId: z.string(),
  menteeId: z.string(),
  mentorshipId: z.string(),
  requestedBy: z.string(),
  requesterRole: z.enum(['mentee', 'mentor']),
  reason: z.string(),
  status: z.enum(['open', 'approved', 'rejected']),
  createdAt: z.string(),
  lockedUntil: z.string(),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  note: z.string().optional(),
  outcome: z.object({ mentorId: z.string(), podId: z.string() }).nullable().optional(),
});

export const RequestPageSchema = z.object({
  items: z.array(ReassignmentRequestSchema),
  nextCursor: z.string().optional(),
});

export const DecisionResultSchema = z.object({
  request: ReassignmentRequestSchema,
  /** Where the mentee went on approval; null: nobody fits now, the next run places them. */
  placed: z.object({ mentorId: z.string(), podId: z.string() }).nullable(),
});

export const AvailabilitySchema = z.object({
  personId: z.string(),
  capacity: z.int(),
  acceptingMentees: z.boolean(),
  currentLoad: z.int(),
  note: z.string().optional(),
});

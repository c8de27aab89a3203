import {
  type EscalationOriginV1,
  EscalationSeverityV1,
  EscalationStatusV1,
} from '../../../../shared/contracts/escalation-events';
import { lazySchema } from '../../../../shared/lazy-schema';
import * as z from '../../../../shared/zod';
import { CategorySchema, TagSchema } from '../routing';
import type { BusinessCalendar } from '../sla/business-hours';
import type { SlaTimer, TimerCycleRecord } from '../sla/timers';

export const SeveritySchema = lazySchema(() => EscalationSeverityV1());
export type Severity = z.infer<ReturnType<typeof SeveritySchema>>;
export const StatusSchema = lazySchema(() => EscalationStatusV1());
export type EscalationStatus = z.infer<ReturnType<typeof StatusSchema>>;
export type Origin = z.infer<ReturnType<typeof EscalationOriginV1>>;

/** Ids in paths and keys: short, URL-safe, without the separators keys use. */
export const ResourceIdSchema = lazySchema(() =>
  z
    .string()
    .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 characters: letters, digits, ".", "_" or "-"')),
);

/** What a person sends to raise an escalation. The pod is never taken from here: it comes from the directory. */
export const RaiseInputSchema = lazySchema(() =>
  z.strictObject({
    category: CategorySchema(),
    severity: SeveritySchema(),
    summary: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    details: z.string().check(z.trim(), z.minLength(1), z.maxLength(10_000)),
    tags: z
      ._default(z.array(TagSchema()).check(z.maxLength(10)), [])
      .check(z.refine((tags) => new Set(tags).size === tags.length, 'must not repeat a tag')),
    /** Confidential: the department (API, events, webhook) sees neither who raised it nor their pod. */
    confidential: z._default(z.boolean(), false),
  }),
);
export type RaiseInput = z.infer<ReturnType<typeof RaiseInputSchema>>;

export const slaStates = ['on-track', 'warning', 'paused', 'breached', 'met', 'cancelled'] as const;
export const SlaStateSchema = lazySchema(() =>
  z
    .enum(slaStates)
    .check(
      z.describe(
        'The escalation’s SLA at a glance: `breached` once a current timer passed its target, else `warning` past 50%, `paused` while waiting on the reporter, `on-track` while running, `met` when every timer stopped in time, `cancelled` when withdrawn.',
      ),
    ),
);
export type SlaState = z.infer<ReturnType<typeof SlaStateSchema>>;

/** Facts copied from the event an automatic escalation came from (ids, scores); never free text. */
export type EscalationContext = Record<string, string | number | boolean | null>;

export interface Escalation {
  escalationId: string;
  origin: Origin;
  /** The event an automatic escalation came from (one escalation per source event). */
  sourceEventId: string | null;
  /** Who raised it; null for automatic escalations. */
  reporterId: string | null;
  /** The reporter's pod when they raised it (from the directory), or the pod an automatic one is about. */
  podId: string | null;
  /** Whether the reporter was a mentee or the mentor of that pod (quality circles gather mentees). */
  reporterPodRole: 'mentee' | 'mentor' | null;
  category: z.infer<ReturnType<typeof CategorySchema>>;
  severity: Severity;
  summary: string;
  details: string;
  tags: string[];
  confidential: boolean;
  context: EscalationContext;
  departmentId: string;
  routing: { rulesVersion: number; ruleId: string | null; reason: string };
  status: EscalationStatus;
  /** The owning department's calendar when routed: every timer of this escalation counts in it. */
  calendar: BusinessCalendar;
  timers: { firstResponse: SlaTimer; resolution: SlaTimer };
  /** Every finished timer cycle: start, end, open time counted, target, breached. */
  history: TimerCycleRecord[];
  slaState: SlaState;
  createdAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  withdrawnAt: string | null;
  version: number;
}

export type AuthorRole = 'reporter' | 'department' | 'life-coach';

export interface EscalationComment {
  commentId: string;
  escalationId: string;
  authorRole: AuthorRole;
  /** The person, or the department's machine client, who wrote it (shown to the life coach only). */
  authorId: string;
  body: string;
  /** Set when the comment came with a status change. */
  statusChange: { from: EscalationStatus; to: EscalationStatus } | null;
  createdAt: string;
}

/** Who acts on an escalation, and in which capacity. */
export type Actor =
  | { role: 'reporter'; personId: string }
  | { role: 'department'; departmentId: string; actorId: string }
  | { role: 'life-coach'; personId: string };

export const actorIdOf = (actor: Actor): string => (actor.role === 'department' ? actor.actorId : actor.personId);

import { lazySchema } from '../../../../shared/lazy-schema';
import type { Factor, HardRules, MatchResult, ObjectiveWeights } from '../engine/index';
import { PersonIdSchema } from '../people/person';
import type { PodBelowMinimum } from './matching-input';

/** Pod, run, mentorship and request ids share the person id alphabet: URL- and key-safe. */
export const ResourceIdSchema = lazySchema(() => PersonIdSchema());

export type EndReason = 'offboarded' | 'reassigned' | 'rematched' | 'left-programme';
export type StartCause = 'matching-run' | 'reassignment' | 'rematch';
export type DissolveReason = 'mentor-offboarded' | 'mentor-left-programme' | 'no-mentees';

/** A mentor's pod. `load` counts its active mentorships and is what capacity conditions are checked on. */
export interface PodRecord {
  podId: string;
  mentorId: string;
  domain: string;
  /** The mentor's capacity as of the last write to the pod (never above the pod maximum). */
  capacity: number;
  load: number;
  status: 'active' | 'dissolved';
  formedAt: string;
  formedByRunId: string | null;
  dissolvedAt?: string;
  dissolvedReason?: DissolveReason;
}

/** Why this pairing was chosen, as scored when it started (programme staff only). */
export interface MatchExplanation {
  points: number;
  topFactors: Factor[];
}

/** An active mentor-mentee pairing. A mentee has at most one. */
export interface Mentorship {
  mentorshipId: string;
  podId: string;
  mentorId: string;
  menteeId: string;
  domain: string;
  startedAt: string;
  lockedUntil: string;
  cause: StartCause;
  runId: string | null;
  explanation: MatchExplanation | null;
}

export interface PastPairing {
  mentorId: string;
  menteeId: string;
  endedAt: string;
  reason: EndReason;
}

/**
 * A mentee who left a mentor through the life coach's decision (an approved reassignment): never
 * paired with that mentor again, by runs or immediate re-matches, unless the life coach names that
 * mentor in a later decision (which lifts it).
 */
export interface Separation {
  menteeId: string;
  mentorId: string;
  reason: 'left-through-decision';
  requestId: string;
  decidedBy: string;
  at: string;
}

/**
 * A mentee an immediate re-match could not place: they wait for a place in their domain, and take
 * one as soon as a pod frees it (a mentee leaves, a mentor raises their capacity or resumes), or
 * the next run places them.
 */
export interface WaitingMentee {
  menteeId: string;
  domain: string;
  since: string;
  correlationId: string;
}

export interface PodWithMembers {
  pod: PodRecord;
  members: Mentorship[];
}

/** The pairing state a matching run starts from. */
export interface PairingSnapshot {
  /** Incremented by every change of pairings; a dry run may be committed only on the generation it saw. */
  generation: number;
  committingRunId: string | null;
  pods: PodRecord[];
  mentorships: Mentorship[];
  pastPairings: PastPairing[];
  separations: Separation[];
}

export type RequestStatus = 'open' | 'approved' | 'rejected';

export interface ReassignmentRequest {
  requestId: string;
  podId: string;
  mentorId: string;
  menteeId: string;
  mentorshipId: string;
  requestedBy: string;
  requesterRole: 'mentee' | 'mentor';
  reason: string;
  status: RequestStatus;
  createdAt: string;
  lockedUntil: string;
  decidedBy?: string;
  decidedAt?: string;
  note?: string;
  /** On approval: where the mentee went (null: no mentor had room; the next run places them). */
  outcome?: { mentorId: string; podId: string } | null;
}

/** A mentee waiting to be re-matched at once after their mentorship ended (offboarding, reassignment). */
export interface PendingRematch {
  triggerId: string;
  menteeId: string;
  /** The mentor they just left, never proposed again by the immediate re-match. */
  excludeMentorId: string | null;
  /** When the wait started: one still waiting long after is finished by the commit sweeper. */
  since: string;
  /** Of the request or event that ended the mentorship, carried by the re-match's events. */
  correlationId: string;
}

/**
 * A `Person.Offboarded` that arrived while a run held the commit slot. The event is consumed
 * (its marker written with this record); the commit applies it as soon as it frees the slot,
 * and the commit sweeper does if that commit never gets there.
 */
export interface DeferredOffboarding {
  personId: string;
  eventId: string;
  correlationId: string;
  deferredAt: string;
  /** Absent: the person left. `directory-change`: their record changed; the pairings it breaks end. */
  kind?: 'directory-change';
}

/**
 * `queued`: requested, computing (in the runner function). `dry-run`: computed, stored for review.
 * `commit-requested`: a commit of the dry run was asked for. `committing`, `committed`, `aborted`
 * (a commit refused or stopped: inputs changed, not proven, a conflict). `failed`: the computation
 * did not finish (the function failed or timed out, even after retries).
 */
export type RunStatus = 'queued' | 'dry-run' | 'commit-requested' | 'committing' | 'committed' | 'aborted' | 'failed';

export interface RunCounts {
  pods: number;
  matched: number;
  /** Mentees who could have a mentor but were left out (each with the rule that blocked them). */
  unmatched: number;
  /** People no mentor can exist for (the most senior of their domain...): not counted as unmatched. */
  noMentorPossible: number;
  newPairings: number;
  movedPairings: number;
  keptPairings: number;
  lockedPairings: number;
  endedPairings: number;
  mentorShortfalls: number;
}

/** The matching settings a run used (admin-managed, recorded with the run). */
export interface RunSettings {
  /** The settings' version (0: the defaults, never set). */
  version: number;
  weights: Partial<ObjectiveWeights>;
  rules: Partial<HardRules>;
  repeatPenaltyMonths: number;
}

/** What the API shows of a run's result without paging through it. */
export interface RunSummary {
  objective: { value: number; matched: number; pairScore: number; loadCost: number };
  proven: boolean;
  gap: number;
  /** Per domain: sizes, search statistics, proof, and what stopped the search if it did. */
  domains: MatchResult['optimality']['domains'];
  warnings: number;
  releasedLocks: number;
}

/** A run as requested, before (or without) its result. */
export interface RunRequestRecord {
  runId: string;
  mode: 'dry-run' | 'commit';
  status: RunStatus;
  /** Domains asked for; null: everyone. */
  domains: string[] | null;
  createdAt: string;
  requestedBy: string;
  settings: RunSettings;
  failedReason?: string;
  abortedReason?: string;
}

/** A computed matching run: header fields, a summary, and (in memory only) the engine's full result. */
export interface MatchingRun extends RunRequestRecord {
  /** Domains actually matched: those asked for plus any a current pairing links them to (null: everyone). */
  scope: string[] | null;
  runDate: string;
  basedOn: { generation: number; fingerprint: string };
  counts: RunCounts;
  summary: RunSummary;
  steps: number;
  committedAt?: string;
  commitRequestedBy?: string;
  commitRequestedAt?: string;
  /** The engine's full result: present on the run just computed; stored in pages (see RunRepository). */
  result?: MatchResult;
  /** Pods under the minimum when the run read them: their locks were released for this run. */
  podsBelowMinimum?: PodBelowMinimum[];
  /** Directory versions of the people the run read (personId -> version), to name who changed. */
  inputVersions: Record<string, number>;
}

export type StoredRun = RunRequestRecord | MatchingRun;

export const isComputed = (run: StoredRun): run is MatchingRun => 'basedOn' in run;

/** One of a run's people left out, for the paged listing. */
export type LeftOut =
  | ({ kind: 'unmatched' } & MatchResult['unmatched'][number])
  | ({ kind: 'no-mentor-possible' } & MatchResult['noMentorPossible'][number])
  | ({ kind: 'mentor-shortfall' } & MatchResult['mentorShortfalls'][number]);

/** One pod's share of a commit, applied in one transaction. Releases all run before placements. */
export type CommitStep =
  | {
      kind: 'release';
      index: number;
      podId: string;
      mentorId: string;
      domain: string;
      /** The pod's load when the run read it. */
      expectedLoad: number;
      leavers: { mentorship: Mentorship; reason: EndReason }[];
      dissolve: DissolveReason | null;
    }
  | {
      kind: 'place';
      index: number;
      podId: string;
      mentorId: string;
      domain: string;
      capacity: number;
      /** True when the mentor has no active pod: the pod is formed by this step. */
      form: boolean;
      /** The pod's load when the run read it (0 when formed). */
      expectedLoad: number;
      joiners: Mentorship[];
      renewals: { mentorship: Mentorship; lockedUntil: string }[];
      menteeIds: string[];
    };

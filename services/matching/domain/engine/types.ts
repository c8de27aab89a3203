import type { Person } from '../people/person';

/** The fields of a directory `Person` the engine reads; a full `Person` fits. */
export type MatchingPerson = Pick<
  Person,
  | 'personId'
  | 'status'
  | 'roles'
  | 'domain'
  | 'level'
  | 'timezone'
  | 'workingHours'
  | 'projectIds'
  | 'managerId'
  | 'skills'
  | 'growthGoals'
  | 'languages'
  | 'mentorCapacity'
  | 'acceptingMentees'
>;

/** A pairing in force before this run. It is locked while `lockedUntil` is after the run date. */
export interface ExistingPairing {
  mentorId: string;
  menteeId: string;
  /** ISO 8601 date or date-time. */
  lockedUntil: string;
}

/** A pairing that existed in an earlier cycle; repeating it costs the `repeatPast` penalty. */
export interface PastPairing {
  mentorId: string;
  menteeId: string;
}

/** Why a pair must not be formed again (a hard pair rule of its own name). */
export type ExclusionReason = 'left-through-decision';

/**
 * A pair that must not be formed as a new pairing: for instance a mentee who left this mentor through
 * a reassignment decision (`left-through-decision`), until the life coach lifts it (the caller then
 * stops passing it). A locked pairing still wins over it, as over every pair rule (a warning).
 */
export interface ExcludedPair {
  mentorId: string;
  menteeId: string;
  reason: ExclusionReason;
}

/** Hard rules. A pair or pod that breaks one is never produced. */
export interface HardRules {
  /** mentor.level - mentee.level must be at least this. */
  minLevelGap: number;
  /** Shortest acceptable shared working time on one working day of the reference week, in minutes. */
  minOverlapMinutes: number;
  /** A mentor holds 0 mentees or at least this many. */
  minPodSize: number;
  /** No mentor holds more than this, whatever their own `mentorCapacity`. */
  maxPodSize: number;
  /** Lock period given to every pairing this run produces (existing locks keep their own date). */
  lockMonths: number;
}

/**
 * Weights of the objective's terms, in points. A pair term's weight is what a perfect pair earns on it;
 * `balancedLoad` is the marginal cost step per extra mentee in a pod; the last two are penalties.
 * Setting a weight to 0 removes its term.
 */
export interface ObjectiveWeights {
  overlap: number;
  language: number;
  skills: number;
  seniority: number;
  balancedLoad: number;
  repeatPast: number;
  move: number;
}

/** Shape of the pair terms (not weights). */
export interface ScoringShape {
  /** Overlap earns its full weight from this many minutes on (linear below). */
  fullOverlapMinutes: number;
  /** The level gap that earns the full seniority weight. */
  preferredLevelGap: number;
  /** The seniority term falls linearly to 0 at this distance from the preferred gap. */
  levelGapTolerance: number;
}

export interface SolverOptions {
  /** Arcs each mentee starts with (its best mentors by pair score); pricing adds any others that matter. */
  candidatesPerMentee: number;
  /**
   * Branch-and-bound node limit per domain. Default: unlimited (Infinity), so every result is proven
   * optimal. A caller that must bound its running time (an HTTP request, a Lambda) may set one; when a
   * domain reaches it, the result is the best assignment found, feasible but NOT proven optimal:
   * `optimality.proven` is false and `optimality.gap` bounds the distance to the optimum. Such a result
   * must not be committed as "the optimal matching".
   */
  maxBranchNodes: number;
  /**
   * Time budget for the whole `matchPods` call's search, in milliseconds. Default: unlimited (Infinity).
   * It is checked inside every long loop (the flow, pricing, the Lagrangian, branch and bound); when it
   * runs out, each domain not yet closed returns its best assignment found (or a greedy one), feasible
   * but NOT proven optimal, with a proven `gap`. Scanning the pairs and assembling the result are not
   * part of the search and take their own (linear, bounded) time on top.
   */
  timeBudgetMs: number;
  /** Milliseconds of a monotonic clock, read only for `timeBudgetMs`. Default: `performance.now()`. */
  clock: () => number;
  /**
   * A mixed-integer programming solver for the hard domains' reduced problem (HiGHS in production, see
   * `MipSolver`), or null (default): the engine's own search then proves those domains on its own,
   * which can take much longer where mentees are scarce.
   */
  mipSolver: MipSolver | null;
}

/**
 * A maximisation MIP in plain arrays: columns with bounds, costs and integrality, rows in compressed
 * sparse row form with lower and upper bounds (infinite where absent).
 */
export interface MipModel {
  columns: number;
  cost: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  /** 1 where the column is integer. */
  integer: Uint8Array;
  rows: number;
  rowStart: Int32Array;
  rowIndex: Int32Array;
  rowValue: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  /** A feasible solution to start from, if known. */
  start?: Float64Array;
}

export interface MipOutcome {
  /**
   * `optimal`: proven (absolute gap below 1); `limit`: stopped by the time limit; `improved`: stopped,
   * as asked (`MipLimits.stopWhenGapClosed`), at a solution better than the model's start.
   */
  status: 'optimal' | 'limit' | 'improved' | 'infeasible' | 'failed';
  /** Column values of the best solution found, or null. */
  values: Float64Array | null;
  /** Proven upper bound on the objective (Infinity when none). */
  bound: number;
}

/**
 * The port through which the engine hands a hard domain's reduced problem to a MIP solver. It must be
 * synchronous and exact on integer data: `optimal` only when no solution is better by 1 or more.
 */
export interface MipSolver {
  solve(model: MipModel, limits: MipLimits): MipOutcome;
}

export interface MipLimits {
  timeLimitSeconds: number;
  /**
   * With a start: stop (status `improved`) at a solution better than the start that closes at least
   * this share of the gap between the start's objective and the solver's bound at that moment. The
   * engine then fixes against it and hands over a smaller problem. Absent: only the time limit stops.
   */
  stopWhenGapClosed?: number;
}

export interface MatchingInput {
  people: readonly MatchingPerson[];
  existingPairings?: readonly ExistingPairing[];
  pastPairings?: readonly PastPairing[];
  /** Pairs that must not be formed (a hard pair rule named by each pair's reason). */
  excludedPairs?: readonly ExcludedPair[];
  /** The run's reference instant: locks, working-hours overlap (its ISO week) and new lock dates derive from it. */
  runDate: Date;
  rules?: Partial<HardRules>;
  weights?: Partial<ObjectiveWeights>;
  scoring?: Partial<ScoringShape>;
  solver?: Partial<SolverOptions>;
}

/** Pair-level hard rules, in the order they are checked. */
export type PairRule =
  | 'mentor-not-eligible'
  | 'mentee-not-eligible'
  | 'different-domain'
  | 'not-senior-enough'
  | 'same-project'
  | 'reporting-chain'
  | ExclusionReason
  | 'working-hours-overlap'
  | 'mentor-not-accepting';

export type FactorName = 'overlap' | 'language' | 'skills' | 'seniority' | 'repeatPast' | 'move';

/** One named contribution to a pair's score. */
export interface Factor {
  name: FactorName;
  /** Points (centipoints / 100); negative for penalties. */
  points: number;
  detail: string;
}

export interface PairScore {
  /** null when the pair passes every pair-level hard rule. */
  blockedBy: PairRule | null;
  /** The pair's score in points (what the objective adds for this pair). */
  points: number;
  /** Same score as an exact integer in centipoints. */
  centipoints: number;
  overlapMinutes: number;
  /** Non-zero contributions, largest magnitude first. */
  factors: Factor[];
}

/** The objective: coverage first, then the pair scores minus the load cost, all in integer centipoints. */
export interface ObjectiveValue {
  /** coverageBonus * matched + pairScore - loadCost. */
  value: number;
  /** Mentees in a pod (locked ones included). */
  matched: number;
  /** Sum of the pairs' scores. */
  pairScore: number;
  /** Sum over mentors of balancedLoad * n(n-1)/2 for a pod of n. */
  loadCost: number;
  /** What each match is worth: more than any possible difference in pairScore - loadCost. */
  coverageBonus: number;
}

export type AssignmentPod = { mentorId: string; menteeIds: readonly string[] };

export type AssignmentRule =
  | PairRule
  | 'unknown-mentor'
  | 'unknown-mentee'
  | 'mentee-in-two-pods'
  | 'locked-pairing-dropped'
  | 'pod-below-minimum'
  | 'pod-above-capacity';

export interface RuleViolation {
  rule: AssignmentRule;
  mentorId?: string;
  menteeId?: string;
  detail: string;
}

export interface Evaluation {
  objective: ObjectiveValue;
  /** True when no hard rule is broken. */
  feasible: boolean;
  violations: RuleViolation[];
  /** Situations the lock policy accepts but that are reported (locked pod under minimum, over capacity, ...). */
  warnings: LockWarning[];
}

export type MemberChange = 'locked' | 'kept' | 'moved' | 'new';

export interface PodMember {
  menteeId: string;
  points: number;
  centipoints: number;
  /** Largest contributions first. */
  topFactors: Factor[];
  change: MemberChange;
  locked: boolean;
  /** Existing locks keep their date; every other pairing is locked from the run date for `lockMonths`. */
  lockedUntil: string;
}

export interface Pod {
  mentorId: string;
  domain: string;
  capacity: number;
  menteeIds: string[];
  mentees: PodMember[];
  /** balancedLoad * n(n-1)/2, centipoints. */
  loadCost: number;
}

export type UnmatchedReason =
  | 'no-mentor-in-domain'
  | 'no-mentor-senior-enough'
  | 'only-conflicted-mentors'
  | 'only-excluded-mentors'
  | 'working-hours-overlap-too-small'
  | 'compatible-mentors-not-accepting'
  | 'all-compatible-mentors-full'
  | 'minimum-pod-unreachable';

export interface UnmatchedMentee {
  menteeId: string;
  domain: string;
  reason: UnmatchedReason;
  detail: string;
}

/**
 * Why no mentor can exist for a mentee, whoever takes the mentor role: nobody active in their domain is
 * senior enough (`most-senior-in-domain`), or everyone who is manages them, directly or up the chain
 * (`only-own-managers-senior-enough`). Such people are not "unmatched": no run could place them.
 */
export type NoMentorPossibleReason = 'most-senior-in-domain' | 'only-own-managers-senior-enough';

export interface NoMentorPossible {
  menteeId: string;
  domain: string;
  reason: NoMentorPossibleReason;
  detail: string;
}

export type MentorShortfallReason =
  | 'not-accepting'
  | 'no-compatible-mentees'
  | 'too-few-compatible-mentees'
  | 'locked-under-minimum'
  | 'minimum-pod-unreachable';

/** A mentor left with fewer than `minPodSize` mentees (0 included). */
export interface MentorShortfall {
  mentorId: string;
  domain: string;
  load: number;
  locked: number;
  reason: MentorShortfallReason;
  detail: string;
}

export type ReleaseReason =
  | 'unknown-person'
  | 'mentor-not-in-programme'
  | 'mentee-not-in-programme'
  | 'mentee-has-another-locked-mentor'
  | 'duplicate';

/** A locked pairing the engine could not keep because a person left the programme (or the data repeats it). */
export interface ReleasedLock {
  mentorId: string;
  menteeId: string;
  lockedUntil: string;
  reason: ReleaseReason;
}

export type LockWarningKind = 'locked-pair-breaks-rule' | 'locked-pod-under-minimum' | 'locked-pod-over-capacity';

export interface LockWarning {
  kind: LockWarningKind;
  mentorId: string;
  menteeId?: string;
  detail: string;
}

export interface DomainStats {
  domain: string;
  mentors: number;
  /** Mentees to place (unlocked). */
  mentees: number;
  lockedMentees: number;
  matched: number;
  /** Arcs the flow started with (top-k per mentee). */
  initialArcs: number;
  /** Arcs that pricing proved necessary and added. */
  pricedArcs: number;
  allowedPairs: number;
  pricingRounds: number;
  /** Mentors whose relaxed load was 1..minPodSize-1 at the root. */
  rootViolations: number;
  branchNodes: number;
  /** Column generation converged and branch-and-bound closed. */
  proven: boolean;
  /** What stopped the search before it closed (null when proven). */
  stoppedBy: 'node-limit' | 'time-budget' | null;
  /** Proven bound on how far the result can be from the optimum, in centipoints (0 when proven). */
  gap: number;
}

export interface MatchResult {
  runDate: string;
  pods: Pod[];
  objective: ObjectiveValue;
  /** Mentees who could have a mentor but were left out, each with the rule that blocked them. */
  unmatched: UnmatchedMentee[];
  /** Mentees no mentor can exist for (see `NoMentorPossibleReason`): counted apart from `unmatched`. */
  noMentorPossible: NoMentorPossible[];
  /** Every mentor below the minimum pod size, idle ones included, with the reason. */
  mentorShortfalls: MentorShortfall[];
  releasedLocks: ReleasedLock[];
  warnings: LockWarning[];
  optimality: { proven: boolean; gap: number; domains: DomainStats[] };
}

import type { PendingEvent } from '../../../../shared/events/outbox';
import type { Clock, IdGenerator } from '../../../../shared/ports';
import type { HardRules, MipSolver, ObjectiveWeights, Pod, SolverOptions } from '../engine/index';
import type { PeopleRepository, WriteContext } from '../people/directory';
import type { Person } from '../people/person';
import type { ImportJobRepository } from '../people/roster-import';
import type { ProgrammeSettingsRepository } from '../settings/programme-settings';
import type {
  CommitStep,
  DeferredOffboarding,
  LeftOut,
  MatchingRun,
  Mentorship,
  PairingSnapshot,
  PastPairing,
  PendingRematch,
  PodRecord,
  PodWithMembers,
  ReassignmentRequest,
  RequestStatus,
  RunRequestRecord,
  Separation,
  StoredRun,
  WaitingMentee,
} from './model';
import type { PairingChange } from './pairing-change';

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Pods, mentorships, past pairings and reassignment requests; DynamoDB in production, in memory in tests. */
export interface PairingRepository {
  /** The pairing generation, the run holding the commit slot and since when, read consistently. */
  matchingState(): Promise<MatchingState>;
  /** Everything a matching run starts from (the generation is read first). */
  snapshot(): Promise<PairingSnapshot>;
  podWithMembers(podId: string): Promise<PodWithMembers | undefined>;
  activePodOfMentor(mentorId: string): Promise<PodWithMembers | undefined>;
  mentorshipOf(menteeId: string): Promise<Mentorship | undefined>;
  /** Consistent reads, to check a plan against the stored state before committing it. */
  currentMentorships(menteeIds: readonly string[]): Promise<Map<string, Mentorship>>;
  currentPods(podIds: readonly string[]): Promise<Map<string, PodRecord>>;
  /** mentorId -> the id of their active pod, for those who have one. */
  currentMentorPods(mentorIds: readonly string[]): Promise<Map<string, string>>;
  activePodsInDomain(domain: string): Promise<PodRecord[]>;
  pastPairingsOf(menteeId: string): Promise<PastPairing[]>;
  /** The mentors this mentee left through a life coach's decision (never to be paired again). */
  separationsOf(menteeId: string): Promise<Separation[]>;
  /** Mentees of this domain waiting for a place, oldest first. */
  waitingIn(domain: string): Promise<WaitingMentee[]>;
  /** Every mentee waiting for a place (for the sweeper), oldest first. */
  allWaiting(): Promise<WaitingMentee[]>;
  /** Active pods (sorted by domain, then id), with their members. */
  listPods(query: { limit: number; cursor?: string; domain?: string }): Promise<Page<PodWithMembers>>;
  /** Directory records of the people given, read in batches (unknown ids are left out). */
  peopleByIds(personIds: readonly string[]): Promise<Map<string, Person>>;
  pendingRematches(triggerId: string): Promise<PendingRematch[]>;
  /** Mentees waiting for an immediate re-match since before `cutoff` (ISO instant), oldest first. */
  pendingRematchesSince(cutoff: string): Promise<PendingRematch[]>;
  /**
   * Records an offboarding to apply once the commit slot is free, in one transaction with the
   * consumed-event marker of `context.consumedEvent` and only while a run holds the slot:
   * `deferred`; `duplicate`: the event was consumed before (applied or deferred); `slot-free`:
   * no run holds the slot any more, apply it now. A person has at most one deferral (the first
   * event's is kept).
   */
  deferOffboarding(
    deferral: DeferredOffboarding,
    context: WriteContext,
  ): Promise<'deferred' | 'duplicate' | 'slot-free'>;
  /** Every deferred offboarding (only those that arrived during a commit: a handful). */
  deferredOffboardings(): Promise<DeferredOffboarding[]>;
  /**
   * Applies the change atomically, or throws: CommitInProgressError (an `outside-commit` change
   * while a run is being committed), PairingConflictError (the state is not what the change
   * expects). `duplicate`: the consumed event was applied before; `already-applied`: that run
   * step, or that deferred offboarding, was applied before.
   */
  apply(change: PairingChange, context: WriteContext): Promise<'applied' | 'duplicate' | 'already-applied'>;
  /** Throws ReassignmentStateError when the mentee already has an open request. */
  createRequest(request: ReassignmentRequest, events: PendingEvent[], context: WriteContext): Promise<void>;
  getRequest(requestId: string): Promise<ReassignmentRequest | undefined>;
  listRequests(query: { status: RequestStatus; limit: number; cursor?: string }): Promise<Page<ReassignmentRequest>>;
  /** The requests about this person (as the mentee) or made by them, newest first. */
  requestsOf(personId: string, query: { limit: number; cursor?: string }): Promise<Page<ReassignmentRequest>>;
}

export interface MatchingState {
  generation: number;
  committingRunId: string | null;
  /** When the run holding the slot took it (null when the slot is free). */
  commitStartedAt: string | null;
}

export interface StoredStep {
  step: CommitStep;
  applied: boolean;
}

export interface RunRepository {
  /** Records a requested run with the events that set it going, atomically (the run is `queued`). */
  enqueue(run: RunRequestRecord, events: PendingEvent[], context: WriteContext): Promise<void>;
  /**
   * Stores a computed run over its queued record with its result pages, commit steps and events;
   * the run's result exists only once all of it is written. `not-queued`: it was no longer queued
   * (another delivery of the same request stored it first), nothing changed.
   */
  save(
    run: MatchingRun,
    steps: readonly CommitStep[],
    events: PendingEvent[],
    context: WriteContext,
  ): Promise<'saved' | 'not-queued'>;
  /** The run's header (and, once computed, the directory versions it read); never its full result. */
  get(runId: string): Promise<StoredRun | undefined>;
  /** Runs, newest first (headers only). */
  list(query: { limit: number; cursor?: string }): Promise<Page<StoredRun>>;
  /** A slice of the run's result pods (by domain, then mentor), and how many there are. */
  podsPage(runId: string, slice: { offset: number; limit: number }): Promise<{ items: Pod[]; total: number }>;
  /** A slice of the people the run left out (unmatched, no mentor possible, mentors short), and how many. */
  leftOutPage(runId: string, slice: { offset: number; limit: number }): Promise<{ items: LeftOut[]; total: number }>;
  steps(runId: string): Promise<StoredStep[]>;
  /** Asks for the commit of a dry run (`commit-requested`), with its events; RunNotCommittableError if it is not a dry run. */
  requestCommit(
    runId: string,
    requested: { by: string; at: string },
    events: PendingEvent[],
    context: WriteContext,
  ): Promise<void>;
  /**
   * Takes the single commit slot for this run (a dry run, or one whose commit was asked for), if
   * pairings are still at `basedOnGeneration` and no other run holds it. Throws
   * CommitInProgressError or InputsChangedError.
   */
  claimCommit(runId: string, basedOnGeneration: number, at: string): Promise<void>;
  /** Marks the run committed, frees the slot and records the events, atomically. */
  finishCommit(runId: string, committedAt: string, events: PendingEvent[], context: WriteContext): Promise<void>;
  /** Marks the run aborted and frees the slot (steps already applied stay applied). */
  abortCommit(runId: string, reason: string, at: string): Promise<void>;
  /**
   * A requested commit (or a run committed at once) refused before it took the slot: the run is
   * `aborted` with the reason (it was `queued`, a `dry-run` or `commit-requested`; otherwise nothing changes).
   */
  refuseCommit(runId: string, reason: string, at: string): Promise<void>;
  /** A queued run (or requested commit) that never finished: `failed`, with the reason. */
  markFailed(runId: string, reason: string, at: string): Promise<void>;
}

export interface MatchingSettings {
  rules?: Partial<HardRules>;
  weights?: Partial<ObjectiveWeights>;
  solver?: Partial<SolverOptions>;
  /** A dry run older than this cannot be committed (its locks would start in the past). */
  maxDryRunAgeMs?: number;
  /** Commit steps applied at once (each is its own transaction on distinct pods). */
  commitConcurrency?: number;
}

export interface PairingDependencies {
  people: PeopleRepository;
  pairings: PairingRepository;
  runs: RunRepository;
  clock: Clock;
  newId: IdGenerator;
  /** Admin-managed settings (domains, matching weights); absent in tests that fix `settings`. */
  programme?: ProgrammeSettingsRepository;
  /** Roster imports, for the sweeper to restart one whose worker stopped. */
  imports?: ImportJobRepository;
  settings?: MatchingSettings;
  /**
   * Loads the MIP solver the engine hands a hard domain's reduced problem to (the runner's is HiGHS);
   * absent, the engine's own search proves those domains alone, which can take much longer.
   */
  loadMipSolver?: () => Promise<MipSolver>;
}

/**
 * What the pulse domain needs from the outside: its table (through these repositories), the
 * clock, ids, randomness and the mailer. DynamoDB in production (adapters/dynamo-*), in memory in
 * tests (adapters/in-memory-store.ts), with the same behaviour (adapters/repositories.test.ts
 * runs one suite against both).
 */
import type { PendingEvent } from '../../../shared/events/outbox';
import type { Clock, IdGenerator } from '../../../shared/ports';
import type {
  CompletedSession,
  DirectoryPerson,
  EmailPreferences,
  MentorshipRecord,
  PodRecord,
} from './directory/model';
import type { CheckIn, Goal, RatingState, ReleasedBatch, StoredRating } from './mentoring/model';
import type { AudienceMember, Round, StoredComment, StoredResponse, Survey } from './surveys/model';
import type { StoredResults, ThreadMessage } from './surveys/results-model';
import type { TrendEntry } from './surveys/trends';

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Why a write happens: its correlation id, and for consumers the event applied (once). */
export interface WriteContext {
  correlationId: string;
  consumedEvent?: { consumer: string; eventId: string };
}

/** A consumer's write: applied, a redelivery of an event already applied, or older than what is stored. */
export type ConsumeOutcome = 'applied' | 'duplicate' | 'stale';

export interface DirectoryRepository {
  /** Stores the person unless a record from a later event is already there (`stale`). */
  putPerson(person: DirectoryPerson, context: WriteContext): Promise<ConsumeOutcome>;
  putPod(pod: PodRecord, context: WriteContext): Promise<ConsumeOutcome>;
  /** Records the mentorship and the mentee's current mentorship (unless it already ended: `stale`). */
  startMentorship(mentorship: MentorshipRecord, context: WriteContext): Promise<ConsumeOutcome>;
  /** Ends it for good (a later Started for it is stale), and clears the mentee's current one if it is this. */
  endMentorship(
    mentorship: Pick<MentorshipRecord, 'mentorshipId' | 'podId' | 'menteeId'>,
    context: WriteContext,
  ): Promise<ConsumeOutcome>;
  putPreferences(preferences: EmailPreferences, context: WriteContext): Promise<ConsumeOutcome>;
  suppressEmail(email: string, context: WriteContext): Promise<ConsumeOutcome>;
  addCompletedSession(session: CompletedSession, context: WriteContext): Promise<ConsumeOutcome>;

  person(personId: string): Promise<DirectoryPerson | undefined>;
  people(personIds: readonly string[]): Promise<Map<string, DirectoryPerson>>;
  /** Active people of these domains, or of every domain. */
  activePeople(domains: readonly string[] | 'all'): Promise<DirectoryPerson[]>;
  /** The mentor and current mentees of each active pod named (unknown or dissolved pods are left out). */
  podMembers(podIds: readonly string[]): Promise<Map<string, string[]>>;
  mentorshipOf(menteeId: string): Promise<MentorshipRecord | undefined>;
  /** Current mentorships whose last check-in month is before `month` (or that have none). */
  mentorshipsBehind(month: string): Promise<MentorshipRecord[]>;
  preferences(personId: string): Promise<EmailPreferences | undefined>;
  isSuppressed(email: string): Promise<boolean>;
  session(sessionId: string): Promise<CompletedSession | undefined>;
}

export interface Submission {
  member: AudienceMember;
  response: StoredResponse;
  comments: StoredComment[];
  events: PendingEvent[];
}

export interface SurveyRepository {
  createSurvey(survey: Survey, firstRound: Round, context: WriteContext): Promise<void>;
  survey(surveyId: string): Promise<Survey | undefined>;
  listSurveys(page: { limit: number; cursor?: string | undefined }): Promise<Page<Survey>>;
  round(roundId: string): Promise<Round | undefined>;
  /** Rounds due for a transition at `now`: scheduled ones whose opening has come, open ones whose closing has. */
  dueRounds(now: string, limit: number): Promise<Round[]>;
  /** Writes a round's audience and its queued emails; writing them again replaces them. */
  writeAudience(roundId: string, members: readonly AudienceMember[], mails: readonly QueuedMail[]): Promise<void>;
  /** Scheduled → open, with the survey's next round; false when the round was not scheduled any more. */
  markOpen(
    change: { round: Round; audienceSize: number; nextRound: Round | null; events: PendingEvent[] },
    context: WriteContext,
  ): Promise<boolean>;
  /**
   * Open (or scheduled) → closed; with `closeSurvey` the survey ends and its scheduled round is
   * dropped. False when the round was neither open nor scheduled.
   */
  markClosed(
    change: { round: Round; closedAt: string; early: boolean; closeSurvey: boolean; events: PendingEvent[] },
    context: WriteContext,
  ): Promise<boolean>;
  member(roundId: string, personId: string): Promise<AudienceMember | undefined>;
  members(roundId: string): Promise<AudienceMember[]>;
  /** The caller's memberships of rounds that close after `after` (an ISO instant). */
  membershipsOf(personId: string, after: string): Promise<AudienceMember[]>;
  /**
   * One transaction: the participation record flips to answered, the response and its comments
   * land under random keys, the round's tally moves, the events go to the outbox; only while the
   * round is open. Throws AlreadyAnsweredError, RoundNotOpenError.
   */
  recordResponse(submission: Submission, context: WriteContext): Promise<void>;
  responseCount(roundId: string): Promise<number>;
  responses(roundId: string): Promise<StoredResponse[]>;
  comments(roundId: string): Promise<StoredComment[]>;

  /** The release in progress, if any: its signatures may not all be applied yet. */
  pendingRelease(): Promise<string | null>;
  /** Every person's signature as the round `applying` left it to find it (see `applySignatures`). */
  signatures(applying?: string): Promise<Map<string, string>>;
  /**
   * One transaction: takes the release slot, stores the results and the trend entry, marks the
   * round released, records the events. Throws ReleaseBusyError when another release holds the slot.
   */
  beginRelease(
    change: { round: Round; results: StoredResults; trend: TrendEntry | null; events: PendingEvent[] },
    context: WriteContext,
  ): Promise<void>;
  /** Stores new signatures, remembering the ones they replace (so a rerun of the same release is idempotent). */
  applySignatures(roundId: string, updates: ReadonlyMap<string, string>): Promise<void>;
  finishRelease(roundId: string): Promise<void>;
  results(roundId: string): Promise<StoredResults | undefined>;
  /** Trend entries of a topic, most recent first. */
  trend(topic: Survey['topic'], limit: number): Promise<TrendEntry[]>;

  comment(commentId: string): Promise<StoredComment | undefined>;
  commentsWithToken(tokenHash: string): Promise<StoredComment[]>;
  messages(commentId: string): Promise<ThreadMessage[]>;
  addMessage(commentId: string, message: ThreadMessage): Promise<void>;
}

export type MailKind = 'survey-invitation' | 'survey-reminder' | 'check-in-reminder';

export interface QueuedMail {
  mailId: string;
  kind: MailKind;
  personId: string;
  /** When to send it: the recipient's working hours. */
  dueAt: string;
  attempts: number;
  surveyId?: string;
  roundId?: string;
  /** Check-in reminders: the month missed and the mentees without a check-in. */
  month?: string;
  menteeIds?: string[];
}

export interface MailRepository {
  /** Emails due at `now`, oldest first. */
  due(now: string, limit: number): Promise<QueuedMail[]>;
  /** Takes the email for sending until `until` (false: another sender has it). */
  claim(mail: QueuedMail, now: string, until: string): Promise<boolean>;
  sent(mail: QueuedMail): Promise<void>;
  /** Puts it back for another attempt at `at`. */
  retryLater(mail: QueuedMail, at: string): Promise<void>;
  /** Queues a mentor's reminder for a month once (false: already queued). */
  queueCheckInReminder(mail: QueuedMail, mentorId: string): Promise<boolean>;
}

export interface MentoringRepository {
  /** One transaction: the check-in, the reviewed goals (at their versions), the mentorship's last check-in month, the events. Throws DuplicateCheckInError, ConcurrentGoalChangeError. */
  recordCheckIn(
    change: { checkIn: CheckIn; goals: { goal: Goal; expectedVersion: number }[]; events: PendingEvent[] },
    context: WriteContext,
  ): Promise<void>;
  /** Newest month first. */
  checkInsOf(menteeId: string): Promise<CheckIn[]>;
  createGoal(goal: Goal, context: WriteContext): Promise<void>;
  goal(goalId: string): Promise<Goal | undefined>;
  /** Throws ConcurrentGoalChangeError when the stored version is not `expectedVersion`. */
  updateGoal(goal: Goal, expectedVersion: number): Promise<void>;
  goalsOf(menteeId: string): Promise<Goal[]>;

  ratingState(mentorId: string): Promise<RatingState>;
  pendingRatings(mentorId: string, batch: number): Promise<StoredRating[]>;
  /**
   * One transaction: the session is marked rated, the rating lands in the mentor's pending batch
   * (under a random key), the state moves on from `expectedVersion`; with `release`, the batch is
   * closed and stored as an aggregate. Throws AlreadyRatedError, ConcurrentRatingError.
   */
  recordRating(
    change: {
      session: CompletedSession;
      rating: StoredRating;
      state: RatingState;
      expectedVersion: number;
      release: ReleasedBatch | null;
      events: PendingEvent[];
    },
    context: WriteContext,
  ): Promise<void>;
  releasedBatches(mentorId: string): Promise<ReleasedBatch[]>;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
}

export interface PulseDependencies {
  clock: Clock;
  newId: IdGenerator;
  /** A secret, unguessable string (reply tokens, response keys). */
  randomToken: () => string;
  /** The anonymity threshold of this deployment (3-10). */
  threshold: number;
  directory: DirectoryRepository;
  surveys: SurveyRepository;
  mail: MailRepository;
  mentoring: MentoringRepository;
}

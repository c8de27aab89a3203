/**
 * The pulse repositories in memory, with the behaviour of the DynamoDB ones (the shared suite in
 * repositories.test.ts runs against both): for domain and handler tests and the property tests.
 * `published` records every event the outbox would have received, with its correlation id.
 */
import type { PendingEvent } from '../../../shared/events/outbox';
import { InvalidCursorError } from '../../../shared/pagination';
import type {
  CompletedSession,
  DirectoryPerson,
  EmailPreferences,
  MentorshipRecord,
  PodRecord,
} from '../domain/directory/model';
import {
  AlreadyAnsweredError,
  AlreadyRatedError,
  ConcurrentGoalChangeError,
  ConcurrentRatingError,
  DuplicateCheckInError,
  ReleaseBusyError,
  RoundNotOpenError,
} from '../domain/errors';
import type { CheckIn, Goal, RatingState, ReleasedBatch, StoredRating } from '../domain/mentoring/model';
import type {
  ConsumeOutcome,
  DirectoryRepository,
  MailRepository,
  MentoringRepository,
  QueuedMail,
  SurveyRepository,
  WriteContext,
} from '../domain/ports';
import type { AudienceMember, Round, StoredComment, StoredResponse, Survey } from '../domain/surveys/model';
import type { StoredResults, ThreadMessage } from '../domain/surveys/results-model';
import type { TrendEntry } from '../domain/surveys/trends';

const encodeInMemoryCursor = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');
const decodeInMemoryCursor = (cursor: string) => {
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new InvalidCursorError();
  return Number(match[1]);
};

export interface PublishedEvent {
  event: PendingEvent;
  correlationId: string;
}

const clone = <T>(value: T): T => structuredClone(value);

export const createInMemoryPulseStore = () => {
  const published: PublishedEvent[] = [];
  const consumed = new Set<string>();

  const people = new Map<string, DirectoryPerson>();
  const preferences = new Map<string, EmailPreferences>();
  const suppressed = new Set<string>();
  const pods = new Map<string, PodRecord>();
  const podMembers = new Map<string, Set<string>>();
  const mentorshipStatus = new Map<string, 'active' | 'ended'>();
  const currentMentorship = new Map<string, MentorshipRecord>();
  const sessions = new Map<string, CompletedSession>();

  const surveys = new Map<string, Survey>();
  const rounds = new Map<string, Round>();
  const members = new Map<string, Map<string, AudienceMember>>();
  const tallies = new Map<string, number>();
  const responses = new Map<string, Map<string, StoredResponse>>();
  const comments = new Map<string, Map<string, StoredComment>>();
  const threads = new Map<string, ThreadMessage[]>();
  const results = new Map<string, StoredResults>();
  let releaseSlot: string | null = null;
  const signatures = new Map<string, { signature: string; previous: string | null; release: string }>();
  const trends: TrendEntry[] = [];

  const mail = new Map<string, QueuedMail & { leaseUntil?: string }>();
  const reminderMarkers = new Set<string>();

  const checkIns = new Map<string, CheckIn>();
  const goals = new Map<string, Goal>();
  const ratingStates = new Map<string, RatingState>();
  const pendingRatings = new Map<string, StoredRating[]>();
  const batches = new Map<string, ReleasedBatch[]>();

  const publish = (events: readonly PendingEvent[], context: WriteContext) => {
    for (const event of events) published.push({ event, correlationId: context.correlationId });
  };

  /** Applies `effect` once per consumed event; `effect` answers false when the event is stale. */
  const once = (context: WriteContext, effect: () => boolean): ConsumeOutcome => {
    const marker = context.consumedEvent ? `${context.consumedEvent.consumer}#${context.consumedEvent.eventId}` : null;
    if (marker && consumed.has(marker)) return 'duplicate';
    const applied = effect();
    if (marker) consumed.add(marker);
    return applied ? 'applied' : 'stale';
  };

  const directory: DirectoryRepository = {
    putPerson: async (person, context) =>
      once(context, () => {
        const existing = people.get(person.personId);
        if (existing && existing.asOf > person.asOf) return false;
        people.set(person.personId, clone(person));
        return true;
      }),
    putPod: async (pod, context) =>
      once(context, () => {
        const existing = pods.get(pod.podId);
        if (existing && existing.asOf > pod.asOf) return false;
        pods.set(pod.podId, clone(pod));
        return true;
      }),
    startMentorship: async (mentorship, context) =>
      once(context, () => {
        if (mentorshipStatus.get(mentorship.mentorshipId) === 'ended') return false;
        mentorshipStatus.set(mentorship.mentorshipId, 'active');
        const current = currentMentorship.get(mentorship.menteeId);
        if (!current || current.startedAt <= mentorship.startedAt) {
          currentMentorship.set(mentorship.menteeId, clone({ ...mentorship, lastCheckInMonth: null }));
        }
        podMembers.set(mentorship.podId, (podMembers.get(mentorship.podId) ?? new Set()).add(mentorship.menteeId));
        return true;
      }),
    endMentorship: async (mentorship, context) =>
      once(context, () => {
        mentorshipStatus.set(mentorship.mentorshipId, 'ended');
        if (currentMentorship.get(mentorship.menteeId)?.mentorshipId === mentorship.mentorshipId) {
          currentMentorship.delete(mentorship.menteeId);
        }
        podMembers.get(mentorship.podId)?.delete(mentorship.menteeId);
        return true;
      }),
    putPreferences: async (prefs, context) =>
      once(context, () => {
        const existing = preferences.get(prefs.personId);
        if (existing && existing.asOf > prefs.asOf) return false;
        preferences.set(prefs.personId, clone(prefs));
        return true;
      }),
    suppressEmail: async (email, context) =>
      once(context, () => {
        suppressed.add(email.toLowerCase());
        return true;
      }),
    addCompletedSession: async (session, context) =>
      once(context, () => {
        if (sessions.has(session.sessionId)) return false;
        sessions.set(session.sessionId, clone(session));
        return true;
      }),

    person: async (personId) => clone(people.get(personId)),
    people: async (personIds) =>
      new Map(personIds.flatMap((id) => (people.has(id) ? [[id, clone(people.get(id) as DirectoryPerson)]] : []))),
    activePeople: async (domains) =>
      [...people.values()]
        .filter((person) => person.active && (domains === 'all' || domains.includes(person.domain)))
        .sort((a, b) => a.domain.localeCompare(b.domain) || a.personId.localeCompare(b.personId))
        .map(clone),
    podMembers: async (podIds) =>
      new Map(
        podIds.flatMap((podId) => {
          const pod = pods.get(podId);
          if (!pod?.active) return [];
          return [[podId, [pod.mentorId, ...[...(podMembers.get(podId) ?? [])].sort()]]];
        }),
      ),
    mentorshipOf: async (menteeId) => clone(currentMentorship.get(menteeId)),
    mentorshipsBehind: async (month) =>
      [...currentMentorship.values()]
        .filter((mentorship) => (mentorship.lastCheckInMonth ?? '0000-00') < month)
        .map(clone),
    preferences: async (personId) => clone(preferences.get(personId)),
    isSuppressed: async (email) => suppressed.has(email.toLowerCase()),
    session: async (sessionId) => clone(sessions.get(sessionId)),
  };

  const roundsDue = () => [...rounds.values()];

  const surveyRepository: SurveyRepository = {
    createSurvey: async (survey, firstRound) => {
      surveys.set(survey.surveyId, clone(survey));
      rounds.set(firstRound.roundId, clone(firstRound));
    },
    survey: async (surveyId) => clone(surveys.get(surveyId)),
    listSurveys: async ({ limit, cursor }) => {
      const all = [...surveys.values()].sort(
        (a, b) => b.createdAt.localeCompare(a.createdAt) || b.surveyId.localeCompare(a.surveyId),
      );
      const start = cursor ? decodeInMemoryCursor(cursor) : 0;
      const items = all.slice(start, start + limit).map(clone);
      return { items, ...(start + limit < all.length ? { nextCursor: encodeInMemoryCursor(start + limit) } : {}) };
    },
    round: async (roundId) => clone(rounds.get(roundId)),
    dueRounds: async (now, limit) =>
      roundsDue()
        .filter(
          (round) =>
            (round.status === 'scheduled' && round.opensAt <= now) ||
            (round.status === 'open' && round.closesAt <= now),
        )
        .sort((a, b) =>
          (a.status === 'scheduled' ? a.opensAt : a.closesAt).localeCompare(
            b.status === 'scheduled' ? b.opensAt : b.closesAt,
          ),
        )
        .slice(0, limit)
        .map(clone),
    writeAudience: async (roundId, newMembers, mails) => {
      const keep = new Set(newMembers.map((member) => member.personId));
      for (const [mailId, queued] of mail) {
        if (queued.roundId === roundId && !keep.has(queued.personId)) mail.delete(mailId);
      }
      members.set(roundId, new Map(newMembers.map((member) => [member.personId, clone(member)])));
      for (const queued of mails) mail.set(queued.mailId, clone(queued));
    },
    markOpen: async ({ round, audienceSize, nextRound, events }, context) => {
      const stored = rounds.get(round.roundId);
      if (stored?.status !== 'scheduled') return false;
      rounds.set(round.roundId, { ...stored, status: 'open', audienceSize });
      const survey = surveys.get(round.surveyId);
      if (nextRound && survey) {
        rounds.set(nextRound.roundId, clone(nextRound));
        surveys.set(survey.surveyId, { ...survey, latestRound: nextRound.round });
      }
      publish(events, context);
      return true;
    },
    markClosed: async ({ round, closedAt, early, closeSurvey, events }, context) => {
      const stored = rounds.get(round.roundId);
      if (stored?.status !== 'open' && stored?.status !== 'scheduled') return false;
      rounds.set(round.roundId, { ...stored, status: 'closed', closedAt, closedEarly: early });
      const survey = surveys.get(round.surveyId);
      if (closeSurvey && survey) {
        // Only the latest round can still be scheduled: dropped, it never opens.
        if (survey.latestRound > round.round) rounds.delete(`${survey.surveyId}-r${survey.latestRound}`);
        surveys.set(survey.surveyId, { ...survey, status: 'closed', latestRound: round.round });
      }
      publish(events, context);
      return true;
    },
    member: async (roundId, personId) => clone(members.get(roundId)?.get(personId)),
    members: async (roundId) => [...(members.get(roundId)?.values() ?? [])].map(clone),
    membershipsOf: async (personId, after) =>
      [...members.entries()].flatMap(([roundId, byPerson]) => {
        const member = byPerson.get(personId);
        const round = rounds.get(roundId);
        return member && round && round.closesAt > after ? [clone(member)] : [];
      }),
    recordResponse: async ({ member, response, comments: newComments, events }, context) => {
      const stored = members.get(member.roundId)?.get(member.personId);
      if (!stored || stored.answered) throw new AlreadyAnsweredError();
      if (rounds.get(member.roundId)?.status !== 'open') throw new RoundNotOpenError('The round is closed.');
      stored.answered = true;
      responses.set(
        member.roundId,
        (responses.get(member.roundId) ?? new Map()).set(response.responseId, clone(response)),
      );
      const byRound = comments.get(member.roundId) ?? new Map<string, StoredComment>();
      for (const comment of newComments) byRound.set(comment.commentId, clone(comment));
      comments.set(member.roundId, byRound);
      tallies.set(member.roundId, (tallies.get(member.roundId) ?? 0) + 1);
      publish(events, context);
    },
    responseCount: async (roundId) => tallies.get(roundId) ?? 0,
    responses: async (roundId) =>
      [...(responses.get(roundId)?.values() ?? [])].sort((a, b) => a.responseId.localeCompare(b.responseId)).map(clone),
    comments: async (roundId) =>
      [...(comments.get(roundId)?.values() ?? [])].sort((a, b) => a.commentId.localeCompare(b.commentId)).map(clone),

    pendingRelease: async () => releaseSlot,
    signatures: async (applying) =>
      new Map(
        [...signatures.entries()].flatMap(([personId, stored]) => {
          const signature = applying !== undefined && stored.release === applying ? stored.previous : stored.signature;
          return signature === null ? [] : [[personId, signature]];
        }),
      ),
    beginRelease: async ({ round, results: stored, trend, events }, context) => {
      if (releaseSlot !== null) throw new ReleaseBusyError(`Round ${releaseSlot} is being released.`);
      if (results.has(round.roundId) || rounds.get(round.roundId)?.status !== 'closed') {
        throw new ReleaseBusyError(`Round ${round.roundId} was released meanwhile.`);
      }
      releaseSlot = round.roundId;
      results.set(round.roundId, clone(stored));
      const current = rounds.get(round.roundId);
      if (current) rounds.set(round.roundId, { ...current, status: 'released' });
      if (trend) trends.push(clone(trend));
      publish(events, context);
    },
    applySignatures: async (roundId, updates) => {
      for (const [personId, signature] of updates) {
        const stored = signatures.get(personId);
        if (stored?.release === roundId) continue;
        signatures.set(personId, { signature, previous: stored?.signature ?? null, release: roundId });
      }
    },
    finishRelease: async (roundId) => {
      if (releaseSlot === roundId) releaseSlot = null;
    },
    results: async (roundId) => clone(results.get(roundId)),
    trend: async (topic, limit) =>
      trends
        .filter((entry) => entry.topic === topic)
        .sort((a, b) => `${b.closedAt}#${b.roundId}`.localeCompare(`${a.closedAt}#${a.roundId}`))
        .slice(0, limit)
        .map(clone),

    comment: async (commentId) => {
      for (const byRound of comments.values()) if (byRound.has(commentId)) return clone(byRound.get(commentId));
      return undefined;
    },
    commentsWithToken: async (tokenHash) =>
      [...comments.values()]
        .flatMap((byRound) => [...byRound.values()])
        .filter((comment) => comment.tokenHash === tokenHash)
        .sort((a, b) => a.commentId.localeCompare(b.commentId))
        .map(clone),
    messages: async (commentId) => (threads.get(commentId) ?? []).map(clone),
    addMessage: async (commentId, message) => {
      threads.set(commentId, [...(threads.get(commentId) ?? []), clone(message)]);
    },
  };

  const mailRepository: MailRepository = {
    due: async (now, limit) =>
      [...mail.values()]
        .filter((queued) => queued.dueAt <= now)
        .sort((a, b) => `${a.dueAt}#${a.mailId}`.localeCompare(`${b.dueAt}#${b.mailId}`))
        .slice(0, limit)
        .map(({ leaseUntil: _lease, ...queued }) => clone(queued)),
    claim: async (queued, now, until) => {
      const stored = mail.get(queued.mailId);
      if (!stored || (stored.leaseUntil !== undefined && stored.leaseUntil > now)) return false;
      stored.leaseUntil = until;
      return true;
    },
    sent: async (queued) => {
      mail.delete(queued.mailId);
    },
    retryLater: async (queued, at) => {
      mail.set(queued.mailId, { ...clone(queued), dueAt: at });
    },
    queueCheckInReminder: async (queued, mentorId) => {
      const marker = `${mentorId}#${queued.month}`;
      if (reminderMarkers.has(marker)) return false;
      reminderMarkers.add(marker);
      mail.set(queued.mailId, clone(queued));
      return true;
    },
  };

  const checkInKeyOf = (checkIn: Pick<CheckIn, 'menteeId' | 'month' | 'mentorId'>) =>
    `${checkIn.menteeId}#${checkIn.month}#${checkIn.mentorId}`;

  const mentoring: MentoringRepository = {
    recordCheckIn: async ({ checkIn, goals: reviewed, events }, context) => {
      if (checkIns.has(checkInKeyOf(checkIn))) throw new DuplicateCheckInError();
      for (const { goal, expectedVersion } of reviewed) {
        if (goals.get(goal.goalId)?.version !== expectedVersion) throw new ConcurrentGoalChangeError(goal.goalId);
      }
      checkIns.set(checkInKeyOf(checkIn), clone(checkIn));
      for (const { goal } of reviewed) goals.set(goal.goalId, clone(goal));
      const mentorship = currentMentorship.get(checkIn.menteeId);
      if (
        mentorship &&
        mentorship.mentorId === checkIn.mentorId &&
        (mentorship.lastCheckInMonth ?? '') < checkIn.month
      ) {
        mentorship.lastCheckInMonth = checkIn.month;
      }
      publish(events, context);
    },
    checkInsOf: async (menteeId) =>
      [...checkIns.values()]
        .filter((checkIn) => checkIn.menteeId === menteeId)
        .sort((a, b) => `${b.month}#${b.recordedAt}`.localeCompare(`${a.month}#${a.recordedAt}`))
        .map(clone),
    createGoal: async (goal) => {
      goals.set(goal.goalId, clone(goal));
    },
    goal: async (goalId) => clone(goals.get(goalId)),
    updateGoal: async (goal, expectedVersion) => {
      if (goals.get(goal.goalId)?.version !== expectedVersion) throw new ConcurrentGoalChangeError(goal.goalId);
      goals.set(goal.goalId, clone(goal));
    },
    goalsOf: async (menteeId) =>
      [...goals.values()]
        .filter((goal) => goal.menteeId === menteeId)
        .sort((a, b) => `${a.createdAt}#${a.goalId}`.localeCompare(`${b.createdAt}#${b.goalId}`))
        .map(clone),

    ratingState: async (mentorId) =>
      clone(
        ratingStates.get(mentorId) ?? {
          mentorId,
          batch: 1,
          pendingCount: 0,
          pendingRaters: [],
          lastReleasedMean: null,
          version: 0,
        },
      ),
    pendingRatings: async (mentorId, batch) => (pendingRatings.get(`${mentorId}#${batch}`) ?? []).map(clone),
    recordRating: async ({ session, rating, state, expectedVersion, release, events }, context) => {
      if (sessions.get(session.sessionId)?.rated) throw new AlreadyRatedError();
      if ((ratingStates.get(state.mentorId)?.version ?? 0) !== expectedVersion) throw new ConcurrentRatingError();
      const stored = sessions.get(session.sessionId);
      if (stored) stored.rated = true;
      const batch = release ? release.batch : state.batch;
      const key = `${state.mentorId}#${batch}`;
      pendingRatings.set(key, [...(pendingRatings.get(key) ?? []), clone(rating)]);
      ratingStates.set(state.mentorId, clone(state));
      if (release) batches.set(state.mentorId, [...(batches.get(state.mentorId) ?? []), clone(release)]);
      publish(events, context);
    },
    releasedBatches: async (mentorId) => (batches.get(mentorId) ?? []).map(clone),
  };

  return {
    directory,
    surveys: surveyRepository,
    mail: mailRepository,
    mentoring,
    published,
    /** For tests that look at what is stored, as the DynamoDB table would hold it. */
    inspect: { responses, comments, members, mail, signatures, threads, checkIns, pendingRatings },
  };
};

export type InMemoryPulseStore = ReturnType<typeof createInMemoryPulseStore>;

/**
 * Every key of the pulse table is built here; only the repositories use these. Answers live
 * under keys that share nothing with who answered: a response is `RESPONSES#<round>` / a random
 * id; who answered is `ROUND#<round>` / `MEMBER#<person>`.
 */

// The organisation, as learnt from events.
export const personKey = (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'PROFILE' });
/** Active people by domain: audiences are read from here (a sparse index: offboarded people leave it). */
export const PEOPLE_PARTITION = 'PEOPLE';
export const peopleIndexKey = (domain: string, personId: string) => ({
  gsi1pk: PEOPLE_PARTITION,
  gsi1sk: `${domain}#${personId}`,
});
export const preferencesKey = (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'PREFERENCES' });
export const suppressionKey = (email: string) => ({ pk: `SUPPRESSED#${email.toLowerCase()}`, sk: 'SUPPRESSION' });
export const podKey = (podId: string) => ({ pk: `POD#${podId}`, sk: 'POD' });
/** A current mentee of the pod, by mentorship (so a late Ended removes exactly its own mentorship). */
export const podMemberKey = (podId: string, menteeId: string, mentorshipId: string) => ({
  pk: `POD#${podId}`,
  sk: `MEMBER#${menteeId}#${mentorshipId}`,
});
export const POD_MEMBER_PREFIX = 'MEMBER#';
/** Whether a mentorship is active or ended: an ended one is never revived by a late Started. */
export const mentorshipKey = (mentorshipId: string) => ({ pk: `MENTORSHIP#${mentorshipId}`, sk: 'MENTORSHIP' });
/** The mentee's current mentorship. */
export const menteeMentorshipKey = (menteeId: string) => ({ pk: `MENTEE#${menteeId}`, sk: 'MENTORSHIP' });
/** Current mentorships by last check-in month: the missed-check-in sweep reads only those behind. */
export const CHECK_IN_STATUS_PARTITION = 'CHECKIN-STATUS';
export const NO_CHECK_IN = '0000-00';
export const checkInStatusIndexKey = (lastCheckInMonth: string | null, menteeId: string) => ({
  gsi1pk: CHECK_IN_STATUS_PARTITION,
  gsi1sk: `${lastCheckInMonth ?? NO_CHECK_IN}#${menteeId}`,
});
export const sessionKey = (sessionId: string) => ({ pk: `SESSION#${sessionId}`, sk: 'SESSION' });

// Surveys and rounds.
export const surveyKey = (surveyId: string) => ({ pk: `SURVEY#${surveyId}`, sk: 'SURVEY' });
export const SURVEYS_PARTITION = 'SURVEYS';
export const surveysIndexKey = (createdAt: string, surveyId: string) => ({
  gsi1pk: SURVEYS_PARTITION,
  gsi1sk: `${createdAt}#${surveyId}`,
});
const ROUND_ID = /^(.+)-r(\d+)$/;
export const roundKey = (roundId: string) => {
  const match = ROUND_ID.exec(roundId);
  if (!match) return { pk: `SURVEY#${roundId}`, sk: 'ROUND#none' };
  return { pk: `SURVEY#${match[1]}`, sk: `ROUND#${String(Number(match[2])).padStart(4, '0')}` };
};
/** Rounds waiting for their next transition (opening, or closing), by when it is due. */
export const ROUNDS_DUE_PARTITION = 'ROUNDS-DUE';
export const roundsDueIndexKey = (dueAt: string, roundId: string) => ({
  gsi1pk: ROUNDS_DUE_PARTITION,
  gsi1sk: `${dueAt}#${roundId}`,
});
export const memberKey = (roundId: string, personId: string) => ({ pk: `ROUND#${roundId}`, sk: `MEMBER#${personId}` });
export const MEMBER_PREFIX = 'MEMBER#';
/** A person's rounds, by closing time: "my open surveys". */
export const membershipIndexKey = (personId: string, closesAt: string, roundId: string) => ({
  gsi1pk: `AUDIENCE#${personId}`,
  gsi1sk: `${closesAt}#${roundId}`,
});
/** Responses so far, spread over a few counters so concurrent answers rarely collide. */
export const TALLY_SHARDS = 8;
export const tallyKey = (roundId: string, shard: number) => ({ pk: `ROUND#${roundId}`, sk: `TALLY#${shard}` });
export const TALLY_PREFIX = 'TALLY#';
export const responseKey = (roundId: string, responseId: string) => ({ pk: `RESPONSES#${roundId}`, sk: responseId });
export const responsesPartition = (roundId: string) => `RESPONSES#${roundId}`;
export const commentKey = (roundId: string, commentId: string) => ({ pk: `COMMENTS#${roundId}`, sk: commentId });
export const commentsPartition = (roundId: string) => `COMMENTS#${roundId}`;
/** A comment id is `<roundId>.<random>`: the round is read back from it. */
export const roundOfComment = (commentId: string): string =>
  commentId.slice(0, Math.max(0, commentId.lastIndexOf('.')));
export const replyTokenIndexKey = (tokenHash: string, commentId: string) => ({
  gsi1pk: `REPLY-TOKEN#${tokenHash}`,
  gsi1sk: commentId,
});
export const messageKey = (commentId: string, sequence: number) => ({
  pk: `THREAD#${commentId}`,
  sk: `MESSAGE#${String(sequence).padStart(4, '0')}`,
});
export const threadPartition = (commentId: string) => `THREAD#${commentId}`;

// Releases.
export const resultsKey = (roundId: string) => ({ pk: `RESULTS#${roundId}`, sk: 'RESULTS' });
/** The one release slot: releases are decided one at a time. */
export const releaseSlotKey = () => ({ pk: 'RELEASES', sk: 'SLOT' });
export const SIGNATURES_PARTITION = 'SIGNATURES';
export const signatureKey = (personId: string) => ({ pk: SIGNATURES_PARTITION, sk: personId });
export const trendKey = (topic: string, closedAt: string, roundId: string) => ({
  pk: `TREND#${topic}`,
  sk: `${closedAt}#${roundId}`,
});

// Emails.
export const mailKey = (mailId: string) => ({ pk: `MAIL#${mailId}`, sk: 'MAIL' });
export const MAIL_DUE_PARTITION = 'MAIL-DUE';
export const mailDueIndexKey = (dueAt: string, mailId: string) => ({
  gsi1pk: MAIL_DUE_PARTITION,
  gsi1sk: `${dueAt}#${mailId}`,
});
export const reminderMarkerKey = (mentorId: string, month: string) => ({
  pk: `REMINDED#${mentorId}`,
  sk: `CHECKIN#${month}`,
});

// Mentoring.
export const checkInKey = (menteeId: string, month: string, mentorId: string) => ({
  pk: `CHECKINS#${menteeId}`,
  sk: `${month}#${mentorId}`,
});
export const checkInsPartition = (menteeId: string) => `CHECKINS#${menteeId}`;
export const goalKey = (goalId: string) => ({ pk: `GOAL#${goalId}`, sk: 'GOAL' });
export const goalsIndexKey = (menteeId: string, createdAt: string, goalId: string) => ({
  gsi1pk: `GOALS#${menteeId}`,
  gsi1sk: `${createdAt}#${goalId}`,
});
export const ratingStateKey = (mentorId: string) => ({ pk: `RATINGS#${mentorId}`, sk: 'STATE' });
export const pendingRatingKey = (mentorId: string, batch: number, ratingId: string) => ({
  pk: `RATINGS#${mentorId}`,
  sk: `PENDING#${String(batch).padStart(4, '0')}#${ratingId}`,
});
export const pendingRatingPrefix = (batch: number) => `PENDING#${String(batch).padStart(4, '0')}#`;
export const releasedBatchKey = (mentorId: string, batch: number) => ({
  pk: `RATINGS#${mentorId}`,
  sk: `BATCH#${String(batch).padStart(4, '0')}`,
});
export const RELEASED_BATCH_PREFIX = 'BATCH#';

/** Every key of the scheduling table is built here; only the store uses these. */
import type { NoticeRef, NoticeSubject } from '../domain/model';

/** The projection of a person (from matching's events); in the PEOPLE listing while active. */
export const personKey = (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'PROFILE' });
export const PEOPLE_PARTITION = 'PEOPLE';
export const peopleIndexKey = (domain: string, personId: string) => ({
  gsi1pk: PEOPLE_PARTITION,
  gsi1sk: `${domain}#${personId}`,
});
export const peopleDomainPrefix = (domain: string) => `${domain}#`;

export const preferencesKey = (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'PREFERENCES' });
/** The lock every change of a person's calendar moves (see Write `calendar-lock`). */
export const calendarLockKey = (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'CALENDAR' });
/** A session in a person's calendar, sorted by start. */
export const calendarEntryKey = (personId: string, startsAt: string, sessionId: string) => ({
  pk: `PERSON#${personId}`,
  sk: `SESSION#${startsAt}#${sessionId}`,
});
export const calendarEntryPrefix = 'SESSION#';
/** `SESSION#<instant>`: the sort key that starts a calendar range. */
export const calendarBound = (instant: string) => `SESSION#${instant}`;
export const mentorshipLinkKey = (personId: string, mentorshipId: string) => ({
  pk: `PERSON#${personId}`,
  sk: `MENTORSHIP#${mentorshipId}`,
});
export const mentorshipLinkPrefix = 'MENTORSHIP#';

/** Who an address belongs to (for bounces and complaints, which name only the address). */
export const emailOwnerKey = (email: string, personId: string) => ({
  pk: `EMAIL#${email.toLowerCase()}`,
  sk: `PERSON#${personId}`,
});
export const emailOwnersPartition = (email: string) => `EMAIL#${email.toLowerCase()}`;

/** A mentorship and its cadence; in the CADENCES listing (by mentor) while active. */
export const mentorshipKey = (mentorshipId: string) => ({ pk: `MENTORSHIP#${mentorshipId}`, sk: 'MENTORSHIP' });
export const CADENCES_PARTITION = 'CADENCES';
export const cadencesIndexKey = (mentorId: string, menteeId: string, mentorshipId: string) => ({
  gsi1pk: CADENCES_PARTITION,
  gsi1sk: `${mentorId}#${menteeId}#${mentorshipId}`,
});
export const cadencesMentorPrefix = (mentorId: string) => `${mentorId}#`;

export const podKey = (podId: string) => ({ pk: `POD#${podId}`, sk: 'POD' });

/** A session; in the SESSIONS listing by start (the life coach's view of everyone's). */
export const sessionKey = (sessionId: string) => ({ pk: `SESSION#${sessionId}`, sk: 'SESSION' });
export const SESSIONS_PARTITION = 'SESSIONS';
export const sessionsIndexKey = (startsAt: string, sessionId: string) => ({
  gsi1pk: SESSIONS_PARTITION,
  gsi1sk: `${startsAt}#${sessionId}`,
});
/** Sessions of one pair (or pod, or skip-level pair) by start: the one before a session is a query away. */
export const seriesEntryKey = (seriesId: string, startsAt: string, sessionId: string) => ({
  pk: `SERIES#${seriesId}`,
  sk: `${startsAt}#${sessionId}`,
});

const subjectPartition = (subject: NoticeSubject) =>
  `${subject.type === 'session' ? 'SESSION' : subject.type === 'mentorship' ? 'MENTORSHIP' : 'POD'}#${subject.id}`;

/** A notice lives with its subject, one per kind and recipient. */
export const noticeKey = (ref: NoticeRef) => ({
  pk: subjectPartition(ref.subject),
  sk: `NOTICE#${ref.kind}#${ref.recipientId ?? '-'}`,
});

/**
 * Pending notices by due time: the sweep reads only these. Spread over a few partitions so a burst
 * of writes (a confirmed plan of thousands of sessions) stays under one partition's write rate; the
 * sweep reads each, so its cost is the due items plus one small query per shard.
 */
export const DUE_SHARDS = 4;
export const dueShardOf = (ref: NoticeRef): number => {
  const { pk } = noticeKey(ref);
  let hash = 0;
  for (let index = 0; index < pk.length; index++) hash = (hash * 31 + pk.charCodeAt(index)) >>> 0;
  return hash % DUE_SHARDS;
};
export const duePartition = (shard: number) => `DUE#${shard}`;
export const dueIndexKey = (ref: NoticeRef, dueAt: string) => {
  const { pk, sk } = noticeKey(ref);
  return { gsi1pk: duePartition(dueShardOf(ref)), gsi1sk: `${dueAt}#${pk}#${sk}` };
};

/** A used single-use link. */
export const usedLinkKey = (linkId: string) => ({ pk: `LINK#${linkId}`, sk: 'USED' });

/** A suppressed address; in the SUPPRESSIONS listing, newest last. */
export const suppressionKey = (email: string) => ({ pk: `SUPPRESSION#${email.toLowerCase()}`, sk: 'SUPPRESSION' });
export const SUPPRESSIONS_PARTITION = 'SUPPRESSIONS';
export const suppressionsIndexKey = (suppressedAt: string, email: string) => ({
  gsi1pk: SUPPRESSIONS_PARTITION,
  gsi1sk: `${suppressedAt}#${email.toLowerCase()}`,
});

export const planKey = (planId: string) => ({ pk: `PLAN#${planId}`, sk: 'PLAN' });
export const planEntryKey = (planId: string, entryId: string) => ({ pk: `PLAN#${planId}`, sk: `ENTRY#${entryId}` });
export const planEntryPrefix = 'ENTRY#';
/** One confirmed skip-level plan per quarter. */
export const confirmedQuarterKey = (quarter: string) => ({ pk: `SKIP_LEVELS#${quarter}`, sk: 'CONFIRMED' });

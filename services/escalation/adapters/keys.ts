/**
 * Every key of the escalation table is built here; only the repositories use these.
 *
 * An escalation is one item and, for the listings the single index serves, copies of it in the
 * same partition, each indexed for one listing and written in the same transaction:
 *   ESCALATION       index QUEUE#<department> / <status>#<createdAt>#<id>           (a department's queue)
 *   COPY#REPORTER    index REPORTER#<person>  / <createdAt>#<id>                    (GET /me/escalations)
 *   COPY#STATUS      index ESCALATIONS#STATUS / <status>#<slaState>#<createdAt>#<id> (the life coach, by status)
 *   COPY#SLA         index ESCALATIONS#SLA    / <slaState>#<createdAt>#<id>          (the life coach, by SLA state)
 */
export const escalationKey = (escalationId: string) => ({ pk: `ESC#${escalationId}`, sk: 'ESCALATION' });
export const escalationCopyKey = (escalationId: string, listing: 'REPORTER' | 'STATUS' | 'SLA') => ({
  pk: `ESC#${escalationId}`,
  sk: `COPY#${listing}`,
});
export const commentKey = (escalationId: string, createdAt: string, commentId: string) => ({
  pk: `ESC#${escalationId}`,
  sk: `COMMENT#${createdAt}#${commentId}`,
});
export const commentPrefix = 'COMMENT#';

export const queueIndexKey = (departmentId: string, status: string, createdAt: string, escalationId: string) => ({
  gsi1pk: `QUEUE#${departmentId}`,
  gsi1sk: `${status}#${createdAt}#${escalationId}`,
});
export const queuePartition = (departmentId: string) => `QUEUE#${departmentId}`;
export const reporterIndexKey = (reporterId: string, createdAt: string, escalationId: string) => ({
  gsi1pk: `REPORTER#${reporterId}`,
  gsi1sk: `${createdAt}#${escalationId}`,
});
export const reporterPartition = (reporterId: string) => `REPORTER#${reporterId}`;
export const STATUS_PARTITION = 'ESCALATIONS#STATUS';
export const statusIndexKey = (status: string, slaState: string, createdAt: string, escalationId: string) => ({
  gsi1pk: STATUS_PARTITION,
  gsi1sk: `${status}#${slaState}#${createdAt}#${escalationId}`,
});
export const SLA_PARTITION = 'ESCALATIONS#SLA';
export const slaIndexKey = (slaState: string, createdAt: string, escalationId: string) => ({
  gsi1pk: SLA_PARTITION,
  gsi1sk: `${slaState}#${createdAt}#${escalationId}`,
});

/** The directory projection (matching's events). */
export const personKey = (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'PROFILE' });
export const LIFE_COACHES_PARTITION = 'ROLE#life-coach';
export const lifeCoachIndexKey = (personId: string) => ({ gsi1pk: LIFE_COACHES_PARTITION, gsi1sk: personId });
/** The mentee's current mentorship (at most one). */
export const menteeMentorshipKey = (menteeId: string) => ({ pk: `PERSON#${menteeId}`, sk: 'MENTORSHIP' });
/** Kept once a mentorship ended, so a late `Mentorship.Started` cannot bring it back. */
export const endedMentorshipKey = (mentorshipId: string) => ({ pk: `MENTORSHIP#${mentorshipId}`, sk: 'ENDED' });
export const mentorPodKey = (mentorId: string) => ({ pk: `PERSON#${mentorId}`, sk: 'MENTOR_POD' });
export const podKey = (podId: string) => ({ pk: `POD#${podId}`, sk: 'POD' });

/** Configuration. */
export const departmentKey = (departmentId: string) => ({ pk: `DEPARTMENT#${departmentId}`, sk: 'DEPARTMENT' });
export const DEPARTMENTS_PARTITION = 'DEPARTMENTS';
export const departmentsIndexKey = (departmentId: string) => ({ gsi1pk: DEPARTMENTS_PARTITION, gsi1sk: departmentId });
export const routingCurrentKey = () => ({ pk: 'ROUTING', sk: 'CURRENT' });
export const routingVersionKey = (version: number) => ({
  pk: 'ROUTING',
  sk: `VERSION#${String(version).padStart(8, '0')}`,
});

/** Themes: one item per escalation counted, sorted by when it was raised, and one claim per kind. */
export const themeContributionKey = (theme: string, raisedAt: string, escalationId: string) => ({
  pk: `THEME#${theme}`,
  sk: `AT#${raisedAt}#${escalationId}`,
});
export const themeContributionSortKey = (raisedAt: string) => `AT#${raisedAt}`;
export const THEME_CONTRIBUTION_END = 'AT#~';
export const themeClaimKey = (theme: string, kind: 'signal' | 'circle') => ({
  pk: `THEME#${theme}`,
  sk: `CLAIM#${kind}`,
});

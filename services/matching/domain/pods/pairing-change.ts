import {
  MentorshipEndedV1,
  MentorshipStartedV1,
  PodDissolvedV1,
  PodFormedV1,
} from '../../../../shared/contracts/matching-events';
import { type PendingEvent, pendingEvent } from '../../../../shared/events/outbox';
import type { PairRule } from '../engine/index';
import type {
  DeferredOffboarding,
  DissolveReason,
  EndReason,
  Mentorship,
  PendingRematch,
  PodRecord,
  ReassignmentRequest,
  Separation,
  WaitingMentee,
} from './model';

export type PodChange =
  /** The mentor has no active pod: it is created (and the mentor's one-active-pod guard taken). */
  | { kind: 'form'; pod: PodRecord }
  /** Mentees join (delta > 0: only while load + delta <= capacity, which is then stored) or leave (delta < 0). */
  | { kind: 'adjust'; podId: string; mentorId: string; delta: number; capacity?: number }
  /** Every remaining mentee leaves (delta = -load, checked) and the pod ends. */
  | { kind: 'dissolve'; podId: string; mentorId: string; delta: number; reason: DissolveReason; at: string };

export interface EndedMentorship {
  mentorship: Mentorship;
  reason: EndReason;
  endedAt: string;
  /** For a pairing a directory change made impossible: the hard rule it now breaks. */
  rule?: PairRule | 'mentor-role' | 'mentee-role';
}

/**
 * One atomic change of pairings: the repository writes all of it in one transaction, with
 * conditions that keep the invariants in the database itself (a mentee has at most one
 * mentor, a pod never exceeds its capacity, a mentor has at most one active pod), or none.
 */
export interface PairingChange {
  ends: EndedMentorship[];
  starts: Mentorship[];
  renewals: { mentorship: Mentorship; lockedUntil: string }[];
  pods: PodChange[];
  events: PendingEvent[];
  /**
   * `outside-commit`: an operational change (offboarding, reassignment); refused while a run is
   * being committed, and it moves the pairing generation on. `run-step`: step `index` of a
   * commit, applied at most once. `none`: bookkeeping only.
   */
  guard: { kind: 'outside-commit' } | { kind: 'run-step'; runId: string; index: number } | { kind: 'none' };
  pendingRematches?: { add?: PendingRematch[]; remove?: PendingRematch[] };
  /** A reassignment request leaving the `open` state (it must still be open). */
  decidedRequest?: ReassignmentRequest;
  separations?: { add?: Separation[]; remove?: Separation[] };
  /** Mentees waiting for a place (added when a re-match finds none, removed when placed or gone). */
  waiting?: { add?: WaitingMentee[]; remove?: string[] };
  /**
   * The deferred offboarding this change carries out: removed with it, and the change applies
   * only while it is still recorded (otherwise `already-applied`: someone else carried it out).
   */
  deferredOffboarding?: DeferredOffboarding;
}

export const emptyChange = (guard: PairingChange['guard']): PairingChange => ({
  ends: [],
  starts: [],
  renewals: [],
  pods: [],
  events: [],
  guard,
});

export const mentorshipStarted = (mentorship: Mentorship): PendingEvent =>
  pendingEvent(MentorshipStartedV1, {
    mentorshipId: mentorship.mentorshipId,
    podId: mentorship.podId,
    mentorId: mentorship.mentorId,
    menteeId: mentorship.menteeId,
    domain: mentorship.domain,
    startedAt: mentorship.startedAt,
    lockedUntil: mentorship.lockedUntil,
    cause: mentorship.cause,
    runId: mentorship.runId,
  });

export const mentorshipEnded = ({ mentorship, reason, endedAt, rule }: EndedMentorship): PendingEvent =>
  pendingEvent(MentorshipEndedV1, {
    mentorshipId: mentorship.mentorshipId,
    podId: mentorship.podId,
    mentorId: mentorship.mentorId,
    menteeId: mentorship.menteeId,
    startedAt: mentorship.startedAt,
    endedAt,
    reason,
    ...(rule ? { rule } : {}),
  });

export const podFormed = (pod: PodRecord, menteeIds: readonly string[]): PendingEvent =>
  pendingEvent(PodFormedV1, {
    podId: pod.podId,
    mentorId: pod.mentorId,
    domain: pod.domain,
    menteeIds: [...menteeIds],
    formedAt: pod.formedAt,
    runId: pod.formedByRunId,
  });

export const podDissolved = (
  pod: Pick<PodRecord, 'podId' | 'mentorId' | 'domain'>,
  reason: DissolveReason,
  at: string,
): PendingEvent =>
  pendingEvent(PodDissolvedV1, {
    podId: pod.podId,
    mentorId: pod.mentorId,
    domain: pod.domain,
    reason,
    dissolvedAt: at,
  });

/**
 * Ends every given mentorship of one pod, with its events. When `dissolve` is set the pod ends
 * too (every member must be among `ends`); otherwise its load drops by the number that left.
 */
export const podDepartures = (
  pod: Pick<PodRecord, 'podId' | 'mentorId' | 'domain'>,
  ends: readonly EndedMentorship[],
  dissolve: { reason: DissolveReason; at: string } | null,
): Pick<PairingChange, 'ends' | 'pods' | 'events'> => {
  const pods: PodChange[] = [];
  const events = ends.map(mentorshipEnded);
  if (dissolve) {
    pods.push({
      kind: 'dissolve',
      podId: pod.podId,
      mentorId: pod.mentorId,
      delta: -ends.length,
      reason: dissolve.reason,
      at: dissolve.at,
    });
    events.push(podDissolved(pod, dissolve.reason, dissolve.at));
  } else if (ends.length > 0) {
    pods.push({ kind: 'adjust', podId: pod.podId, mentorId: pod.mentorId, delta: -ends.length });
  }
  return { ends: [...ends], pods, events };
};

import { MatchingContext } from './context';
import { isMentee, isMentor } from './participants';
import type {
  AssignmentPod,
  Evaluation,
  LockWarning,
  MatchingInput,
  ObjectiveValue,
  PairScore,
  RuleViolation,
} from './types';

/**
 * The objective of any assignment and every hard rule it breaks.
 *
 * Lock policy (the engine follows exactly the same): a kept lock (see `resolvePairings`) must appear in
 * the assignment; locked pairs are exempt from the pair rules and from the pod-size rule. Around its
 * locked mentees a mentor either takes no new mentee, or takes new ones and then the whole pod must hold
 * between `minPodSize` and their capacity. So a mentor with locks only may stay under the minimum or
 * over their capacity (reported as a warning), but never adds a mentee without reaching the minimum.
 */
export const evaluateObjective = (input: MatchingInput, pods: readonly AssignmentPod[]): Evaluation =>
  evaluateWithContext(new MatchingContext(input), pods);

export const evaluateWithContext = (
  context: MatchingContext,
  pods: readonly AssignmentPod[],
  onPair?: (mentorId: string, menteeId: string, score: PairScore) => void,
): Evaluation => {
  const { minPodSize } = context.params.rules;
  const violations: RuleViolation[] = [];
  const warnings: LockWarning[] = [];
  const podOf = new Map<string, string>();
  let matched = 0;
  let pairScore = 0;
  let loadCost = 0;

  for (const pod of mergeByMentor(pods)) {
    const mentor = context.byId.get(pod.mentorId);
    if (!mentor || !isMentor(mentor)) {
      // Nothing in a pod without a mentor counts, so its mentees are not judged further.
      violations.push({ rule: 'unknown-mentor', mentorId: pod.mentorId, detail: 'not a mentor in the programme' });
      continue;
    }
    let newMentees = 0;
    let lockedMentees = 0;
    for (const menteeId of pod.menteeIds) {
      const mentee = context.byId.get(menteeId);
      if (!mentee || !isMentee(mentee)) {
        violations.push({
          rule: 'unknown-mentee',
          mentorId: pod.mentorId,
          menteeId,
          detail: 'not a mentee in the programme',
        });
        continue;
      }
      const earlier = podOf.get(menteeId);
      if (earlier !== undefined) {
        violations.push({
          rule: 'mentee-in-two-pods',
          mentorId: pod.mentorId,
          menteeId,
          detail: `already in ${earlier}'s pod`,
        });
        continue;
      }
      podOf.set(menteeId, pod.mentorId);
      const score = context.pairScore(mentor, mentee);
      onPair?.(pod.mentorId, menteeId, score);
      matched += 1;
      pairScore += score.centipoints;
      const locked = context.pairings.lockedMentorOf.get(menteeId)?.mentorId === pod.mentorId;
      if (locked) {
        lockedMentees += 1;
        if (score.blockedBy) {
          warnings.push({
            kind: 'locked-pair-breaks-rule',
            mentorId: pod.mentorId,
            menteeId,
            detail: `kept by its lock although it breaks ${score.blockedBy}`,
          });
        }
      } else {
        newMentees += 1;
        if (score.blockedBy) {
          violations.push({ rule: score.blockedBy, mentorId: pod.mentorId, menteeId, detail: 'pair rule broken' });
        }
      }
    }
    const size = lockedMentees + newMentees;
    const capacity = context.capacityOf(mentor);
    loadCost += context.loadCost(size);
    if (newMentees > 0 && size < minPodSize) {
      violations.push({
        rule: 'pod-below-minimum',
        mentorId: pod.mentorId,
        detail: `${size} mentees (${newMentees} new), minimum ${minPodSize}`,
      });
    }
    if (newMentees > 0 && size > capacity) {
      violations.push({
        rule: 'pod-above-capacity',
        mentorId: pod.mentorId,
        detail: `${size} mentees, capacity ${capacity}`,
      });
    }
    if (newMentees === 0 && lockedMentees > 0 && size < minPodSize) {
      warnings.push({
        kind: 'locked-pod-under-minimum',
        mentorId: pod.mentorId,
        detail: `${size} locked mentees, no new one, minimum ${minPodSize}`,
      });
    }
    if (newMentees === 0 && size > capacity) {
      warnings.push({
        kind: 'locked-pod-over-capacity',
        mentorId: pod.mentorId,
        detail: `${size} locked mentees, capacity ${capacity}`,
      });
    }
  }

  for (const lock of context.pairings.locked) {
    if (podOf.get(lock.menteeId) !== lock.mentorId) {
      violations.push({
        rule: 'locked-pairing-dropped',
        mentorId: lock.mentorId,
        menteeId: lock.menteeId,
        detail: `locked until ${lock.lockedUntil}`,
      });
    }
  }

  const objective: ObjectiveValue = {
    value: context.coverageBonus * matched + pairScore - loadCost,
    matched,
    pairScore,
    loadCost,
    coverageBonus: context.coverageBonus,
  };
  return { objective, feasible: violations.length === 0, violations, warnings };
};

/** A mentor has one pod: listing them twice means the union of the lists. */
const mergeByMentor = (pods: readonly AssignmentPod[]): AssignmentPod[] => {
  const merged = new Map<string, string[]>();
  for (const pod of pods) {
    const menteeIds = merged.get(pod.mentorId) ?? [];
    menteeIds.push(...pod.menteeIds);
    merged.set(pod.mentorId, menteeIds);
  }
  return [...merged].map(([mentorId, menteeIds]) => ({ mentorId, menteeIds }));
};

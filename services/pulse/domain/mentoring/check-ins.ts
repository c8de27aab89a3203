/**
 * Monthly mentor check-ins. Only the mentee's current mentor records one; only its author and the
 * life coach ever read it (not the mentee, their manager, other mentors or admins). A high risk,
 * or engagement or role clarity down two points since the mentee's previous check-in, raises
 * Mentee.AtRisk in the same transaction.
 */
import { hasAnyRole, type Principal } from '../../../../shared/auth/principal';
import { MenteeAtRiskV1 } from '../../../../shared/contracts/pulse-events';
import { type PendingEvent, pendingEvent } from '../../../../shared/events/outbox';
import { InvalidInputError, NotEntitledError } from '../errors';
import { monthOf, previousMonth } from '../ids';
import type { PulseDependencies, WriteContext } from '../ports';
import type { CheckIn, CheckInInput, Goal } from './model';

/** A fall of this many points (1-5) since the previous check-in is a sharp drop. */
export const SHARP_DROP_POINTS = 2;

export const atRiskTrigger = (
  checkIn: Pick<CheckIn, 'performanceRisk' | 'engagement' | 'roleClarity'>,
  previous: CheckIn | undefined,
) => {
  const droppedMeasures: ('engagement' | 'role-clarity')[] = [];
  if (previous && previous.engagement - checkIn.engagement >= SHARP_DROP_POINTS) droppedMeasures.push('engagement');
  if (previous && previous.roleClarity - checkIn.roleClarity >= SHARP_DROP_POINTS) droppedMeasures.push('role-clarity');
  if (checkIn.performanceRisk === 'high') return { trigger: 'high-risk' as const, droppedMeasures };
  if (droppedMeasures.length > 0) return { trigger: 'sharp-drop' as const, droppedMeasures };
  return null;
};

export const recordCheckIn = async (
  deps: PulseDependencies,
  mentorId: string,
  input: CheckInInput,
  context: WriteContext,
): Promise<CheckIn> => {
  const now = deps.clock();
  const mentorship = await deps.directory.mentorshipOf(input.menteeId);
  if (!mentorship || mentorship.mentorId !== mentorId) {
    throw new NotEntitledError(`Only ${input.menteeId}'s current mentor records their check-ins.`);
  }
  const thisMonth = monthOf(now);
  const month = input.month ?? thisMonth;
  if (month !== thisMonth && month !== previousMonth(thisMonth)) {
    throw new InvalidInputError([
      { location: 'body.month', message: `must be ${thisMonth} or ${previousMonth(thisMonth)}` },
    ]);
  }

  const goals: { goal: Goal; expectedVersion: number }[] = [];
  const checkInId = `ci-${deps.newId()}`;
  const problems: { location: string; message: string }[] = [];
  for (const [index, review] of input.goalReviews.entries()) {
    const goal = await deps.mentoring.goal(review.goalId);
    if (!goal || goal.menteeId !== input.menteeId) {
      problems.push({ location: `body.goalReviews.${index}.goalId`, message: `is not a goal of ${input.menteeId}` });
      continue;
    }
    goals.push({
      expectedVersion: goal.version,
      goal: {
        ...goal,
        progress: review.progress,
        lastReview: { checkInId, month, ...(review.note ? { note: review.note } : {}) },
        updatedAt: now.toISOString(),
        version: goal.version + 1,
      },
    });
  }
  if (problems.length > 0) throw new InvalidInputError(problems);

  const [previous] = await deps.mentoring.checkInsOf(input.menteeId);
  const checkIn: CheckIn = {
    checkInId,
    menteeId: input.menteeId,
    mentorId,
    podId: mentorship.podId,
    month,
    performanceRisk: input.performanceRisk,
    engagement: input.engagement,
    roleClarity: input.roleClarity,
    notes: input.notes,
    goalReviews: input.goalReviews,
    recordedAt: now.toISOString(),
  };
  const atRisk = atRiskTrigger(checkIn, previous);
  const events: PendingEvent[] = atRisk
    ? [
        pendingEvent(MenteeAtRiskV1, {
          menteeId: input.menteeId,
          mentorId,
          podId: mentorship.podId,
          checkInId,
          risk: checkIn.performanceRisk,
          previousRisk: previous?.performanceRisk ?? null,
          trigger: atRisk.trigger,
          droppedMeasures: atRisk.droppedMeasures,
        }),
      ]
    : [];
  await deps.mentoring.recordCheckIn({ checkIn, goals, events }, context);
  return checkIn;
};

/** The life coach reads every check-in of a mentee; a mentor only the ones they wrote. */
export const checkInsFor = async (deps: PulseDependencies, caller: Principal, menteeId: string): Promise<CheckIn[]> => {
  const all = await deps.mentoring.checkInsOf(menteeId);
  if (hasAnyRole(caller, ['life-coach'])) return all;
  return all.filter((checkIn) => checkIn.mentorId === caller.personId);
};

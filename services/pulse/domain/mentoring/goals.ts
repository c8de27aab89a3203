/**
 * Growth goals of a mentee (a certification, a skill, a step on the career ladder), set by the
 * mentee with their mentor and reviewed at check-ins. The mentee and their current mentor write
 * them; those two and the life coach read them.
 */
import { hasAnyRole, type Principal } from '../../../../shared/auth/principal';
import { NotEntitledError, NotFoundError } from '../errors';
import type { PulseDependencies, WriteContext } from '../ports';
import type { Goal, GoalInput, GoalPatch } from './model';

const canWrite = async (deps: PulseDependencies, caller: Principal, menteeId: string) =>
  caller.personId === menteeId || (await deps.directory.mentorshipOf(menteeId))?.mentorId === caller.personId;

const canRead = async (deps: PulseDependencies, caller: Principal, menteeId: string) =>
  hasAnyRole(caller, ['life-coach']) || (await canWrite(deps, caller, menteeId));

export const goalsFor = async (deps: PulseDependencies, caller: Principal, menteeId: string): Promise<Goal[]> => {
  if (!(await canRead(deps, caller, menteeId))) {
    throw new NotEntitledError(`Only ${menteeId}, their mentor and the life coach see their goals.`);
  }
  return deps.mentoring.goalsOf(menteeId);
};

export const createGoal = async (
  deps: PulseDependencies,
  caller: Principal,
  input: GoalInput,
  context: WriteContext,
): Promise<Goal> => {
  const menteeId = input.menteeId ?? caller.personId;
  if (!(await canWrite(deps, caller, menteeId))) {
    throw new NotEntitledError(`Only ${menteeId} and their mentor set their goals.`);
  }
  const now = deps.clock().toISOString();
  const goal: Goal = {
    goalId: `gl-${deps.newId()}`,
    menteeId,
    kind: input.kind,
    title: input.title,
    targetDate: input.targetDate,
    progress: input.progress,
    status: 'active',
    createdBy: caller.personId,
    createdAt: now,
    updatedAt: now,
    lastReview: null,
    version: 1,
  };
  await deps.mentoring.createGoal(goal, context);
  return goal;
};

export const updateGoal = async (
  deps: PulseDependencies,
  caller: Principal,
  goalId: string,
  patch: GoalPatch,
): Promise<Goal> => {
  const goal = await deps.mentoring.goal(goalId);
  // Someone who may not read the goal learns nothing about it, not even that it exists.
  if (!goal || !(await canRead(deps, caller, goal.menteeId))) throw new NotFoundError(`No goal ${goalId}.`);
  if (!(await canWrite(deps, caller, goal.menteeId))) {
    throw new NotEntitledError(`Only ${goal.menteeId} and their mentor change their goals.`);
  }
  const updated: Goal = { ...goal, ...patch, updatedAt: deps.clock().toISOString(), version: goal.version + 1 };
  await deps.mentoring.updateGoal(updated, goal.version);
  return updated;
};

/**
 * The escalation use cases over the ports: raise (the pod from the directory, never from the
 * caller), read and list as each viewer may, and act (acknowledge, status, comment, reopen,
 * withdraw). A write that lost a race with another is redone on fresh data.
 */
import type { Principal } from '../../../../shared/auth/principal';
import type { Page } from '../../../../shared/pagination';
import { retry } from '../../../../shared/retry';
import { type Department, defaultLifeCoachDepartment, LIFE_COACH_DEPARTMENT } from '../departments';
import type { EscalationDependencies, PageQuery, WriteContext } from '../ports';
import { type RoutingDecision, routeEscalation } from '../routing';
import { ConcurrentEscalationChangeError, EscalationNotFoundError, NotEntitledError } from './errors';
import {
  acknowledge,
  addComment,
  changeStatus,
  type EscalationChange,
  openEscalation,
  reopen,
  type SettableStatus,
  withdraw,
} from './lifecycle';
import type { Escalation, EscalationComment, EscalationStatus, RaiseInput, SlaState } from './model';
import { commenterOf, reporterOf, type Viewer, viewerOf, workerOf } from './visibility';

export const withRetryOnConflict = <T>(attempt: () => Promise<T>, attempts = 4): Promise<T> =>
  retry(attempt, { attempts, retryable: (error) => error instanceof ConcurrentEscalationChangeError });

/**
 * The department a routing decision names, as it is now. The life coach works with a default
 * calendar until an admin stores the `life-coach` department; a department that has gone
 * missing (it cannot be deleted, so only by hand) sends the escalation to the life coach.
 */
export const owningDepartment = async (
  deps: Pick<EscalationDependencies, 'configuration' | 'clock'>,
  routing: RoutingDecision,
): Promise<{ department: Department; routing: RoutingDecision }> => {
  const found = await deps.configuration.department(routing.departmentId);
  if (found) return { department: found, routing };
  if (routing.departmentId !== LIFE_COACH_DEPARTMENT) {
    const lifeCoach = await deps.configuration.department(LIFE_COACH_DEPARTMENT);
    return {
      department: lifeCoach ?? defaultLifeCoachDepartment(deps.clock()),
      routing: {
        ...routing,
        departmentId: LIFE_COACH_DEPARTMENT,
        reason: `${routing.reason}; department ${routing.departmentId} does not exist, so the life coach`,
      },
    };
  }
  return { department: defaultLifeCoachDepartment(deps.clock()), routing };
};

/** A person raises an escalation: routed at once, its pod the caller's pod in the directory. */
export const raiseEscalation = async (
  deps: EscalationDependencies,
  principal: Principal,
  input: RaiseInput,
  context: WriteContext,
): Promise<Escalation> => {
  const membership = await deps.directory.podOf(principal.personId);
  const settings = await deps.configuration.routingSettings();
  const owner = await owningDepartment(deps, routeEscalation(settings, input));
  const change = openEscalation({
    escalationId: deps.newId(),
    origin: 'person',
    sourceEventId: null,
    reporterId: principal.personId,
    podId: membership?.podId ?? null,
    reporterPodRole: membership?.as ?? null,
    input,
    context: {},
    routing: owner.routing,
    department: owner.department,
    at: deps.clock(),
  });
  await deps.escalations.create(change, context);
  return change.escalation;
};

export interface VisibleEscalation {
  escalation: Escalation;
  viewer: Viewer;
  comments: EscalationComment[];
}

export const readEscalation = async (
  deps: EscalationDependencies,
  principal: Principal,
  escalationId: string,
): Promise<VisibleEscalation> => {
  const escalation = await deps.escalations.get(escalationId);
  const viewer = escalation ? viewerOf(escalation, principal) : null;
  if (!escalation || !viewer) throw new EscalationNotFoundError(escalationId);
  return { escalation, viewer, comments: await deps.escalations.comments(escalationId) };
};

export type EscalationAction =
  | { kind: 'acknowledge' }
  | { kind: 'status'; status: SettableStatus; comment: string }
  | { kind: 'comment'; body: string }
  | { kind: 'reopen'; comment?: string | undefined }
  | { kind: 'withdraw'; comment?: string | undefined };

const decide = (
  escalation: Escalation,
  principal: Principal,
  action: EscalationAction,
  commentId: string,
  at: Date,
) => {
  switch (action.kind) {
    case 'acknowledge': {
      if (!workerOf(escalation, principal))
        throw new NotEntitledError('Only the owning department acknowledges an escalation.');
      return acknowledge(escalation, at);
    }
    case 'status': {
      const worker = workerOf(escalation, principal);
      if (!worker) throw new NotEntitledError('Only the owning department changes the status of an escalation.');
      return changeStatus(escalation, worker, action.status, action.comment, commentId, at);
    }
    case 'comment': {
      const author = commenterOf(escalation, principal);
      if (!author) throw new NotEntitledError('Only the reporter, the owning department and the life coach comment.');
      return addComment(escalation, author, action.body, commentId, at);
    }
    case 'reopen': {
      const reporter = reporterOf(escalation, principal);
      if (!reporter) throw new NotEntitledError('Only the reporter reopens an escalation.');
      return reopen(escalation, reporter, action.comment, commentId, at);
    }
    case 'withdraw': {
      const reporter = reporterOf(escalation, principal);
      if (!reporter) throw new NotEntitledError('Only the reporter withdraws an escalation.');
      return withdraw(escalation, reporter, action.comment, commentId, at);
    }
  }
};

/**
 * Acts on an escalation the caller may see (else EscalationNotFoundError, as if it did not
 * exist): NotEntitledError when their part does not allow this action, IllegalTransitionError
 * when its status does not.
 */
export const actOnEscalation = (
  deps: EscalationDependencies,
  principal: Principal,
  escalationId: string,
  action: EscalationAction,
  context: WriteContext,
): Promise<EscalationChange & { viewer: Viewer }> =>
  withRetryOnConflict(async () => {
    const escalation = await deps.escalations.get(escalationId);
    const viewer = escalation ? viewerOf(escalation, principal) : null;
    if (!escalation || !viewer) throw new EscalationNotFoundError(escalationId);
    const change = decide(escalation, principal, action, deps.newId(), deps.clock());
    await deps.escalations.update(change, context);
    return { ...change, viewer };
  });

/** A department's queue: that department itself, or the life coach (who sees every queue). */
export const listDepartmentQueue = async (
  deps: EscalationDependencies,
  principal: Principal,
  departmentId: string,
  query: PageQuery & { status?: EscalationStatus | undefined },
): Promise<Page<Escalation> & { viewer: Viewer }> => {
  const ownQueue = principal.roles.has('department') && principal.departmentId === departmentId;
  if (!ownQueue && !principal.roles.has('life-coach')) {
    throw new NotEntitledError(`Only department ${departmentId} and the life coach see its escalations.`);
  }
  const page = await deps.escalations.listByDepartment({ ...query, departmentId });
  return { ...page, viewer: principal.roles.has('life-coach') ? 'life-coach' : 'department' };
};

export const listOwnEscalations = (
  deps: EscalationDependencies,
  principal: Principal,
  query: PageQuery,
): Promise<Page<Escalation>> => deps.escalations.listByReporter({ ...query, reporterId: principal.personId });

export const listAllEscalations = (
  deps: EscalationDependencies,
  query: PageQuery & { status?: EscalationStatus | undefined; slaState?: SlaState | undefined },
): Promise<Page<Escalation>> => deps.escalations.list(query);

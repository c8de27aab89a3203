import { timerChangingEvents } from '../../../shared/contracts/escalation-events';
import { parseBusEvent } from '../../../shared/events/consumer';
import type { BusEvent } from '../../../shared/events/envelope';
import { logger } from '../../../shared/observability';
import type { EscalationRepository, MilestoneSchedules } from '../domain/ports';
import { reconcileSchedules } from '../domain/sla/schedules';

/**
 * After each of our events that changes an escalation's timers, its one-time schedules are made
 * to match the timers as they are now (reading the escalation, not trusting the event's order).
 * Reconciling twice is reconciling once, so no consumed-event marker is needed.
 */
export const createSlaSchedulerConsumer =
  (deps: { escalations: Pick<EscalationRepository, 'get'>; schedules: MilestoneSchedules }) =>
  async (event: BusEvent): Promise<{ created: number; deleted: number }> => {
    const parsed = parseBusEvent(event, timerChangingEvents);
    const { metadata } = parsed.detail;
    const { escalationId } = parsed.detail.data as { escalationId: string };
    logger.appendKeys({ correlationId: metadata.correlationId, eventId: metadata.id, escalationId });
    const outcome = await reconcileSchedules(deps, escalationId);
    logger.info('Milestone schedules reconciled', { ...outcome });
    return outcome;
  };

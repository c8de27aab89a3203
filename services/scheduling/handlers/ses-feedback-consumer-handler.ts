import { UnacceptableEventError } from '../../../shared/events/consumer';
import type { BusEvent } from '../../../shared/events/envelope';
import { logger } from '../../../shared/observability';
import type { SchedulingDependencies } from '../domain/ports';
import { WriteConflictError } from '../domain/ports';
import { applyFeedback, SES_FEEDBACK_SOURCE, SesFeedbackSchema } from '../domain/suppressions';

/**
 * Bounces and complaints (not our envelope: SES's own event record in `detail`). Applied once per
 * EventBridge event id. An address suppressed by someone else at the same moment is a retry away
 * from being skipped; anything else is rethrown, so the bus retries and then dead-letters it.
 */
export const createSesFeedbackConsumer =
  (deps: SchedulingDependencies) =>
  async (event: BusEvent): Promise<void> => {
    const parsed = SesFeedbackSchema().safeParse(event.detail);
    if (event.source !== SES_FEEDBACK_SOURCE || !parsed.success) {
      throw new UnacceptableEventError(
        `Not SES bounce or complaint feedback: ${event.source} ${event['detail-type']} (${event.id})`,
      );
    }
    const correlationId = `ses-feedback:${event.id}`;
    logger.appendKeys({ correlationId, eventId: event.id });
    for (let attempt = 1; ; attempt++) {
      try {
        const suppressed = await applyFeedback(deps, parsed.data, { id: event.id, correlationId });
        logger.info('SES feedback applied', { suppressed: suppressed.map((entry) => entry.reason) });
        return;
      } catch (error) {
        if (!(error instanceof WriteConflictError) || attempt >= 3) throw error;
      }
    }
  };

import { EscalationRaisedV1 } from '../../../shared/contracts/escalation-events';
import { parseBusEvent } from '../../../shared/events/consumer';
import type { BusEvent } from '../../../shared/events/envelope';
import { logger } from '../../../shared/observability';
import { detectThemes, type SignalDependencies } from '../domain/signals';

/**
 * Each raised escalation is counted toward its themes; an improvement signal or a quality circle
 * is emitted when the counts call for it, once per theme and window. Counting the same
 * escalation again changes nothing, so no consumed-event marker is needed.
 */
export const createThemeDetector =
  (deps: SignalDependencies) =>
  async (event: BusEvent): Promise<{ signals: number; circles: number }> => {
    const parsed = parseBusEvent(event, [EscalationRaisedV1] as const);
    const { metadata, data } = parsed.detail;
    logger.appendKeys({ correlationId: metadata.correlationId, eventId: metadata.id });
    return detectThemes(deps, (data as { escalationId: string }).escalationId, {
      correlationId: metadata.correlationId,
    });
  };

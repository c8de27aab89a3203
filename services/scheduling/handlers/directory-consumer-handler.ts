import {
  MentorshipEndedV1,
  MentorshipStartedV1,
  PersonOffboardedV1,
  PersonRegisteredV1,
  PersonUpdatedV1,
  PodDissolvedV1,
  PodFormedV1,
} from '../../../shared/contracts/matching-events';
import { MenteeAtRiskV1 } from '../../../shared/contracts/pulse-events';
import { parseBusEvent } from '../../../shared/events/consumer';
import type { BusEvent, EventContract } from '../../../shared/events/envelope';
import { logger } from '../../../shared/observability';
import type * as z from '../../../shared/zod';
import {
  type Applied,
  applyMenteeAtRisk,
  applyMentorshipEnded,
  applyMentorshipStarted,
  applyPersonChanged,
  applyPersonOffboarded,
  applyPodDissolved,
  applyPodFormed,
} from '../domain/directory';
import type { SchedulingDependencies } from '../domain/ports';
import { deliverNow } from './deliver';

/** What the directory consumer reads: matching's people, pods and mentorships, and pulse's at-risk flags. */
export const directoryContracts = [
  PersonRegisteredV1,
  PersonUpdatedV1,
  PersonOffboardedV1,
  PodFormedV1,
  PodDissolvedV1,
  MentorshipStartedV1,
  MentorshipEndedV1,
  MenteeAtRiskV1,
] as const;

/** The data of the contract the event was parsed against (parseBusEvent has validated it). */
const dataOf = <TContract extends EventContract>(_contract: TContract, data: unknown) =>
  data as z.infer<TContract['data']>;

/**
 * Keeps the projection and acts on it (directory.ts), each event once, then delivers at once the
 * emails it made (pod introductions, cancellations). Errors are rethrown: the bus retries, then
 * dead-letters the event.
 */
export const createDirectoryConsumer =
  (deps: SchedulingDependencies) =>
  async (event: BusEvent): Promise<void> => {
    const parsed = parseBusEvent(event, directoryContracts);
    const { metadata } = parsed.detail;
    const consumed = { id: metadata.id, occurredAt: metadata.occurredAt, correlationId: metadata.correlationId };
    logger.appendKeys({ correlationId: metadata.correlationId, eventId: metadata.id });
    const data = parsed.detail.data;
    let applied: Applied;
    switch (parsed.contract) {
      case PersonRegisteredV1:
      case PersonUpdatedV1:
        applied = await applyPersonChanged(deps, dataOf(PersonRegisteredV1, data), consumed);
        break;
      case PersonOffboardedV1:
        applied = await applyPersonOffboarded(deps, dataOf(PersonOffboardedV1, data), consumed);
        break;
      case PodFormedV1:
        applied = await applyPodFormed(deps, dataOf(PodFormedV1, data), consumed);
        break;
      case PodDissolvedV1:
        applied = await applyPodDissolved(deps, dataOf(PodDissolvedV1, data), consumed);
        break;
      case MentorshipStartedV1:
        applied = await applyMentorshipStarted(deps, dataOf(MentorshipStartedV1, data), consumed);
        break;
      case MentorshipEndedV1:
        applied = await applyMentorshipEnded(deps, dataOf(MentorshipEndedV1, data), consumed);
        break;
      default:
        applied = await applyMenteeAtRisk(deps, dataOf(MenteeAtRiskV1, data), consumed);
    }
    await deliverNow(deps, applied.deliverNow, metadata.correlationId);
    logger.info('Directory event applied', {
      detailType: event['detail-type'],
      outcome: applied.outcome,
      cancelledSessions: applied.cancelledSessions,
    });
  };

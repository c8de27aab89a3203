import { parseBusEvent } from '../../../shared/events/consumer';
import type { BusEvent } from '../../../shared/events/envelope';
import { logger } from '../../../shared/observability';
import { emailsFor, type NotificationDependencies, notifiedContracts } from '../domain/notifications';
import type { ConsumedEvents, Mailer } from '../domain/ports';

export const NOTIFIER_CONSUMER = 'notifier';

/**
 * Our own events become emails. An email cannot be taken back, so the event is marked handled
 * after the emails went out: a crash in between sends them again (at least once), a handled
 * event sends nothing. A failed send is rethrown, so the bus retries and then dead-letters it.
 */
export const createNotifier =
  (deps: NotificationDependencies & { mailer: Mailer; consumedEvents: ConsumedEvents }) =>
  async (event: BusEvent): Promise<number> => {
    const parsed = parseBusEvent(event, notifiedContracts);
    const { metadata } = parsed.detail;
    logger.appendKeys({ correlationId: metadata.correlationId, eventId: metadata.id });
    if (await deps.consumedEvents.has(NOTIFIER_CONSUMER, metadata.id)) return 0;
    const emails = await emailsFor(deps, parsed);
    for (const email of emails) await deps.mailer.send(email);
    await deps.consumedEvents.mark(NOTIFIER_CONSUMER, metadata.id);
    logger.info('Notified', { detailType: parsed.contract.detailType, emails: emails.length });
    return emails.length;
  };

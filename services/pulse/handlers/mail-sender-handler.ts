import { logger } from '../../../shared/observability';
import { ScheduledInvocationSchema } from '../../../shared/schedules';
import { sendDueMail } from '../domain/mail/send-due';
import type { Mailer, PulseDependencies } from '../domain/ports';

/**
 * Sends the emails due at the firing's instant (each in its recipient's working hours). What
 * fails to send is put back for a later firing, with backoff.
 */
export const createMailSender =
  (deps: PulseDependencies, { mailer, publicApiUrl }: { mailer: Mailer; publicApiUrl?: string | undefined }) =>
  async (event: unknown) => {
    const firing = ScheduledInvocationSchema.parse(event);
    const at = new Date(firing.scheduledTime);
    const counts = await sendDueMail({ ...deps, clock: () => new Date(at) }, mailer, { publicApiUrl });
    logger.info('Pulse emails', { ...counts });
    return counts;
  };

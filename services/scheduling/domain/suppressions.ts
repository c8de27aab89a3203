/**
 * Bounces and complaints. SES publishes the configuration set's feedback to EventBridge (the
 * platform stack forwards it to the platform bus): a permanent bounce or a complaint suppresses
 * the address for every email of the platform (`EmailAddress.Suppressed`, which pulse follows
 * too). Transient bounces suppress nothing: SES itself retries those.
 */

import { EmailAddressSuppressedV1 } from '../../../shared/contracts/scheduling-events';
import { pendingEvent } from '../../../shared/events/outbox';
import { lazySchema } from '../../../shared/lazy-schema';
import * as z from '../../../shared/zod';
import type { Suppression } from './model';
import type { SchedulingDependencies, Write } from './ports';

/** SES's own source and detail-types of the feedback the service acts on (forwarded to the platform bus by the core stack). */
export const SES_FEEDBACK_SOURCE = 'aws.ses';
export const SES_FEEDBACK_DETAIL_TYPES = ['Email Bounced', 'Email Complaint Received'] as const;

const Recipient = lazySchema(() => z.looseObject({ emailAddress: z.string() }));

/** The part of SES's event records the service reads (they carry much more). */
export const SesFeedbackSchema = lazySchema(() =>
  z.discriminatedUnion('eventType', [
    z.looseObject({
      eventType: z.literal('Bounce'),
      bounce: z.looseObject({
        bounceType: z.string(),
        bounceSubType: z.optional(z.string()),
        bouncedRecipients: z.array(z.extend(Recipient(), { diagnosticCode: z.optional(z.string()) })),
        timestamp: z.string(),
      }),
    }),
    z.looseObject({
      eventType: z.literal('Complaint'),
      complaint: z.looseObject({
        complainedRecipients: z.array(Recipient()),
        complaintFeedbackType: z.optional(z.string()),
        timestamp: z.string(),
      }),
    }),
  ]),
);
export type SesFeedback = z.infer<ReturnType<typeof SesFeedbackSchema>>;

/** The addresses a feedback record suppresses, and why. */
export const suppressionsOf = (
  feedback: SesFeedback,
): { email: string; reason: 'bounce' | 'complaint'; detail: string }[] =>
  feedback.eventType === 'Bounce'
    ? feedback.bounce.bounceType === 'Permanent'
      ? feedback.bounce.bouncedRecipients.map((recipient) => ({
          email: recipient.emailAddress,
          reason: 'bounce' as const,
          detail: `${feedback.bounce.bounceSubType ?? 'Permanent'} bounce${recipient.diagnosticCode ? `: ${recipient.diagnosticCode}` : ''}`,
        }))
      : []
    : feedback.complaint.complainedRecipients.map((recipient) => ({
        email: recipient.emailAddress,
        reason: 'complaint' as const,
        detail: `Complaint${feedback.complaint.complaintFeedbackType ? ` (${feedback.complaint.complaintFeedbackType})` : ''}`,
      }));

/** Suppresses each address not suppressed yet, with its event, once per feedback event. */
export const applyFeedback = async (
  deps: SchedulingDependencies,
  feedback: SesFeedback,
  event: { id: string; correlationId: string },
): Promise<Suppression[]> => {
  const now = deps.clock().toISOString();
  const suppressed: Suppression[] = [];
  const writes: Write[] = [];
  const seen = new Set<string>();
  for (const found of suppressionsOf(feedback)) {
    const email = found.email.trim().toLowerCase();
    if (seen.has(email) || (await deps.store.getSuppression(email))) continue;
    seen.add(email);
    const owners = await deps.store.personIdsWithEmail(email);
    const suppression: Suppression = {
      email,
      personId: owners[0] ?? null,
      reason: found.reason,
      suppressedAt: now,
      detail: found.detail,
    };
    suppressed.push(suppression);
    writes.push({ type: 'suppression', suppression });
  }
  await deps.store.commit(
    {
      writes,
      events: suppressed.map((suppression) =>
        pendingEvent(EmailAddressSuppressedV1, {
          email: suppression.email,
          personId: suppression.personId,
          reason: suppression.reason,
        }),
      ),
    },
    { correlationId: event.correlationId, consumedEvent: { consumer: 'ses-feedback', eventId: event.id } },
  );
  return suppressed;
};

/**
 * Sends plain-text emails through SES SendRawEmail from the configured sender identity and
 * configuration set (the environment `functionEnvironment` gives functions with `sendEmail`).
 * Errors are thrown: a consumer's delivery is then retried and, in the end, dead-lettered.
 */
import { randomUUID } from 'node:crypto';
import { type SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import type { Clock } from '../ports';
import * as z from '../zod';
import { composeRawEmail } from './raw-email';

export const EmailConfigSchema = z.object({
  SENDER_EMAIL: z.string().check(z.minLength(3)),
  SES_CONFIGURATION_SET: z.string().check(z.minLength(1)),
});

export interface PlainEmail {
  to: readonly string[];
  subject: string;
  text: string;
  /** An HTML version of the same message, sent beside the text (multipart/alternative). */
  html?: string;
}

export interface SesMailerOptions {
  client: SESClient;
  senderEmail: string;
  configurationSet: string;
  clock?: Clock;
}

export const createSesMailer = (options: SesMailerOptions) => ({
  async send(email: PlainEmail): Promise<string | undefined> {
    const domain = options.senderEmail.split('@')[1] ?? 'localhost';
    const raw = composeRawEmail(
      {
        from: options.senderEmail,
        to: email.to,
        subject: email.subject,
        text: email.text,
        ...(email.html === undefined ? {} : { html: email.html }),
      },
      { messageId: `<${randomUUID()}@${domain}>`, date: (options.clock ?? (() => new Date()))() },
    );
    const sent = await options.client.send(
      new SendRawEmailCommand({
        RawMessage: { Data: Buffer.from(raw, 'utf8') },
        ConfigurationSetName: options.configurationSet,
      }),
    );
    return sent.MessageId;
  },
});

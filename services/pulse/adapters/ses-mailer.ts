/** Sends pulse's emails through SES (SendRawEmail), from the configured sender, with the configuration set. */
import { type SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import type { Mailer } from '../domain/ports';
import { buildMimeEmail } from './mime';

export interface SesMailerOptions {
  ses: SESClient;
  senderEmail: string;
  configurationSet: string;
  clock?: () => Date;
}

export const createSesMailer = (options: SesMailerOptions): Mailer => ({
  send: async (email) => {
    const raw = buildMimeEmail({ ...email, from: options.senderEmail, date: (options.clock ?? (() => new Date()))() });
    await options.ses.send(
      new SendRawEmailCommand({
        Source: options.senderEmail,
        Destinations: [email.to],
        RawMessage: { Data: Buffer.from(raw, 'utf8') },
        ConfigurationSetName: options.configurationSet,
      }),
    );
  },
});

/** The mailer on SES `SendRawEmail`, through the deployment's configuration set (bounces and complaints come back as events). */
import { type SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import type { Mailer } from '../domain/ports';
import { PermanentSendError } from '../domain/sweep';

/** SES errors no retry will get past: the message or the address is refused as it is. */
const PERMANENT_ERRORS = new Set(['MessageRejected', 'MailFromDomainNotVerifiedException', 'InvalidParameterValue']);

export const createSesMailer = (
  client: SESClient,
  settings: { senderEmail: string; configurationSet: string },
): Mailer => ({
  async send({ to, raw }) {
    try {
      const answer = await client.send(
        new SendRawEmailCommand({
          Source: settings.senderEmail,
          Destinations: [to],
          RawMessage: { Data: raw },
          ConfigurationSetName: settings.configurationSet,
        }),
      );
      if (!answer.MessageId) throw new Error('SES accepted the message without a message id');
      return answer.MessageId;
    } catch (error) {
      const name = (error as Error).name;
      if (PERMANENT_ERRORS.has(name))
        throw new PermanentSendError(`${name}: ${(error as Error).message}`, { cause: error });
      throw error;
    }
  },
});

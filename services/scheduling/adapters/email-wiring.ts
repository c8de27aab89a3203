/** The SES mailer of a function that sends email, from the sender identity the declaration gives it. */
import { SESClient } from '@aws-sdk/client-ses';
import { readConfig } from '../../../shared/config';
import { EmailConfigSchema } from '../../../shared/email/ses-mailer';
import type { Extras } from './dependencies';
import { createSesMailer } from './ses-mailer';

export const loadEmail = (env: Record<string, string | undefined> = process.env): NonNullable<Extras['email']> => {
  const config = readConfig(EmailConfigSchema, env);
  return {
    mailer: createSesMailer(new SESClient({}), {
      senderEmail: config.SENDER_EMAIL,
      configurationSet: config.SES_CONFIGURATION_SET,
    }),
    senderAddress: config.SENDER_EMAIL,
  };
};

/** Production wiring of the scheduling functions, built once per cold start from the declared environment. */
import { SESClient } from '@aws-sdk/client-ses';
import * as z from 'zod';
import { readConfig, ServiceConfigSchema } from '../../../shared/config';
import { createDocumentClient } from '../../../shared/dynamo/client';
import { randomId, systemClock } from '../../../shared/ports';
import { declaredSecret } from '../../../shared/secrets';
import { createLinkSigner } from '../domain/links';
import type { SchedulingDependencies } from '../domain/ports';
import { LINK_SIGNING_KEY, policyFromSettings, SettingsSchema } from '../settings';
import { createDynamoSchedulingStore } from './scheduling-store';
import { createSesMailer } from './ses-mailer';

const EmailConfigSchema = z.object({
  SENDER_EMAIL: z.email(),
  SES_CONFIGURATION_SET: z.string().min(1),
});

export interface LoadOptions {
  /** Functions that sign or check links read the key. */
  links?: boolean;
  /** Functions that send email read the sender identity (and, if they sign links, the API's public URL). */
  email?: boolean;
}

export const loadSchedulingDependencies = async (
  options: LoadOptions,
  env: Record<string, string | undefined> = process.env,
): Promise<SchedulingDependencies> => {
  const config = readConfig(ServiceConfigSchema.extend(SettingsSchema.shape), env);
  const email = options.email ? readConfig(EmailConfigSchema, env) : undefined;
  const publicApiUrl =
    options.links && options.email ? readConfig(z.object({ PUBLIC_API_URL: z.url() }), env).PUBLIC_API_URL : '';
  const readKey = options.links ? declaredSecret(LINK_SIGNING_KEY, env) : undefined;
  const policy = policyFromSettings(config);
  return {
    store: createDynamoSchedulingStore({
      db: createDocumentClient(),
      tableName: config.TABLE_NAME,
      service: config.SERVICE_NAME,
      clock: systemClock,
      newId: randomId,
    }),
    clock: systemClock,
    newId: randomId,
    policy,
    mailer: email
      ? createSesMailer(new SESClient({}), {
          senderEmail: email.SENDER_EMAIL,
          configurationSet: email.SES_CONFIGURATION_SET,
        })
      : {
          send: async () => {
            throw new Error('This function does not send email');
          },
        },
    sender: { address: email?.SENDER_EMAIL ?? 'nobody@mentoring.invalid', name: config.SENDER_NAME, publicApiUrl },
    ...(readKey ? { links: createLinkSigner(await readKey()) } : {}),
  };
};

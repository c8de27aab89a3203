/**
 * Production wiring of the scheduling functions, built once per cold start from the declared
 * environment. Each entry adds only what it uses (`email-wiring.ts`, `link-wiring.ts`), so a
 * function's bundle carries only the SDK clients it calls.
 */

import { readConfig, ServiceConfigSchema } from '../../../shared/config';
import { createDocumentClient } from '../../../shared/dynamo/client';
import { randomId, systemClock } from '../../../shared/ports';
import * as z from '../../../shared/zod';
import type { LinkSigner } from '../domain/links';
import type { Mailer, SchedulingDependencies } from '../domain/ports';
import { policyFromSettings, SettingsSchema } from '../settings';
import { createDynamoSchedulingStore } from './scheduling-store';

export interface Extras {
  /** For functions that send email: the mailer and the sender address (`email-wiring.ts`). */
  email?: { mailer: Mailer; senderAddress: string };
  /** For functions that sign or check links (`link-wiring.ts`). */
  links?: LinkSigner;
}

const refusingMailer: Mailer = {
  send: async () => {
    throw new Error('This function does not send email');
  },
};

export const loadSchedulingDependencies = (
  extras: Extras = {},
  env: Record<string, string | undefined> = process.env,
): SchedulingDependencies => {
  const config = readConfig(z.extend(ServiceConfigSchema, SettingsSchema.shape), env);
  // Links in emails point at the HTTP API: only a function that both signs links and emails needs it.
  const publicApiUrl =
    extras.links && extras.email ? readConfig(z.object({ PUBLIC_API_URL: z.url() }), env).PUBLIC_API_URL : '';
  return {
    store: createSchedulingStore(config),
    clock: systemClock,
    newId: randomId,
    policy: policyFromSettings(config),
    mailer: extras.email?.mailer ?? refusingMailer,
    sender: {
      address: extras.email?.senderAddress ?? 'nobody@mentoring.invalid',
      name: config.SENDER_NAME,
      publicApiUrl,
    },
    ...(extras.links ? { links: extras.links } : {}),
  };
};

const createSchedulingStore = (config: { TABLE_NAME: string; SERVICE_NAME: string }) =>
  createDynamoSchedulingStore({
    db: createDocumentClient(),
    tableName: config.TABLE_NAME,
    service: config.SERVICE_NAME,
    clock: systemClock,
    newId: randomId,
  });

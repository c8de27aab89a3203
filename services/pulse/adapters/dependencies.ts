/** Production wiring, built once per cold start from the environment the declaration sets; bad configuration fails here. */
import { randomBytes } from 'node:crypto';
import { SESClient } from '@aws-sdk/client-ses';
import { readConfig, ServiceConfigSchema } from '../../../shared/config';
import { createDocumentClient } from '../../../shared/dynamo/client';
import type { RepositoryOptions } from '../../../shared/dynamo/table';
import { createSesMailer, EmailConfigSchema } from '../../../shared/email/ses-mailer';
import { type Clock, randomId, systemClock } from '../../../shared/ports';
import * as z from '../../../shared/zod';
import type { Mailer, PulseDependencies } from '../domain/ports';
import { AnonymityThresholdSchema } from '../domain/settings';
import { createDynamoDirectoryRepository } from './dynamo-directory';
import { createDynamoMailRepository } from './dynamo-mail';
import { createDynamoMentoringRepository } from './dynamo-mentoring';
import { createDynamoSurveyRepository } from './dynamo-surveys';

export const PulseConfigSchema = z.extend(ServiceConfigSchema, { ANONYMITY_THRESHOLD: AnonymityThresholdSchema });

/** 32 random bytes, base64url: reply tokens and the keys of stored answers. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

export const loadPulseDependencies = (
  env: Record<string, string | undefined> = process.env,
  clock: Clock = systemClock,
): PulseDependencies => {
  const config = readConfig(PulseConfigSchema, env);
  const options: RepositoryOptions = {
    db: createDocumentClient(),
    tableName: config.TABLE_NAME,
    service: config.SERVICE_NAME,
    clock,
    newId: randomId,
  };
  return {
    clock,
    newId: randomId,
    randomToken,
    threshold: config.ANONYMITY_THRESHOLD,
    directory: createDynamoDirectoryRepository(options),
    surveys: createDynamoSurveyRepository(options),
    mail: createDynamoMailRepository(options),
    mentoring: createDynamoMentoringRepository(options),
  };
};

const MailConfigSchema = z.extend(EmailConfigSchema, { PUBLIC_API_URL: z.optional(z.url()) });

/** Pulse's emails through the shared SES mailer: one recipient, text and HTML. */
export const pulseMailer = (client: SESClient, senderEmail: string, configurationSet: string): Mailer => {
  const mailer = createSesMailer({ client, senderEmail, configurationSet });
  return {
    send: async (email) => {
      await mailer.send({ to: [email.to], subject: email.subject, text: email.text, html: email.html });
    },
  };
};

export const loadMailer = (
  env: Record<string, string | undefined> = process.env,
): { mailer: Mailer; publicApiUrl: string | undefined } => {
  const config = readConfig(MailConfigSchema, env);
  return {
    mailer: pulseMailer(new SESClient({}), config.SENDER_EMAIL, config.SES_CONFIGURATION_SET),
    publicApiUrl: config.PUBLIC_API_URL,
  };
};

/**
 * Production wiring, built once per cold start from the environment the declaration sets. The
 * SDK clients find their endpoints on their own (AWS, or AWS_ENDPOINT_URL_<SERVICE> locally).
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESClient } from '@aws-sdk/client-ses';
import { ApiDestinationConfigSchema, apiDestinationSettingsOf } from '../../../shared/api-destinations';
import { readConfig, ServiceConfigSchema } from '../../../shared/config';
import { createDocumentClient } from '../../../shared/dynamo/client';
import type { RepositoryOptions } from '../../../shared/dynamo/table';
import { createSesMailer, EmailConfigSchema } from '../../../shared/email/ses-mailer';
import { OneTimeScheduleConfigSchema, oneTimeScheduleSettingsOf } from '../../../shared/one-time-schedules';
import { randomId, systemClock } from '../../../shared/ports';
import type { ConfigurationDependencies } from '../domain/configuration';
import type { ConsumedEvents, EscalationDependencies, Mailer, MilestoneSchedules } from '../domain/ports';
import type { SignalDependencies } from '../domain/signals';
import { createDynamoConfigurationRepository } from './configuration-repository';
import { createDynamoConsumedEvents } from './consumed-events';
import { createDynamoDirectoryRepository } from './directory-repository';
import { createDynamoEscalationRepository } from './escalation-repository';
import { createSchedulerMilestones } from './scheduler-milestones';
import { createDynamoThemeRepository } from './theme-repository';
import { createEventBridgeWebhooks } from './webhook-deliveries';

type Env = Record<string, string | undefined>;

const repositoryOptions = (env: Env): RepositoryOptions => {
  const config = readConfig(ServiceConfigSchema, env);
  return {
    db: createDocumentClient(),
    tableName: config.TABLE_NAME,
    service: config.SERVICE_NAME,
    clock: systemClock,
    newId: randomId,
  };
};

export const loadEscalationDependencies = (env: Env = process.env): EscalationDependencies => {
  const options = repositoryOptions(env);
  return {
    escalations: createDynamoEscalationRepository(options),
    directory: createDynamoDirectoryRepository(options),
    configuration: createDynamoConfigurationRepository(options),
    clock: systemClock,
    newId: randomId,
  };
};

export const loadConfigurationDependencies = (env: Env = process.env): ConfigurationDependencies => {
  const options = repositoryOptions(env);
  return {
    configuration: createDynamoConfigurationRepository(options),
    webhooks: createEventBridgeWebhooks(
      new EventBridgeClient({}),
      apiDestinationSettingsOf(readConfig(ApiDestinationConfigSchema, env)),
    ),
    clock: systemClock,
  };
};

export const loadScheduleDependencies = (
  env: Env = process.env,
): EscalationDependencies & { schedules: MilestoneSchedules } => ({
  ...loadEscalationDependencies(env),
  schedules: createSchedulerMilestones(
    new SchedulerClient({}),
    oneTimeScheduleSettingsOf(readConfig(OneTimeScheduleConfigSchema, env)),
  ),
});

export const loadNotifierDependencies = (
  env: Env = process.env,
): EscalationDependencies & { mailer: Mailer; consumedEvents: ConsumedEvents } => {
  const options = repositoryOptions(env);
  const email = readConfig(EmailConfigSchema, env);
  const ses = createSesMailer({
    client: new SESClient({}),
    senderEmail: email.SENDER_EMAIL,
    configurationSet: email.SES_CONFIGURATION_SET,
  });
  return {
    ...loadEscalationDependencies(env),
    mailer: { send: async (message) => void (await ses.send(message)) },
    consumedEvents: createDynamoConsumedEvents(options),
  };
};

export const loadSignalDependencies = (env: Env = process.env): SignalDependencies & EscalationDependencies => {
  const options = repositoryOptions(env);
  return {
    ...loadEscalationDependencies(env),
    themes: createDynamoThemeRepository(options),
  };
};

/** Production wiring of `configuration-api`: the table and the EventBridge API for webhook deliveries. */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ApiDestinationConfigSchema, apiDestinationSettingsOf } from '../../../shared/api-destinations';
import { readConfig } from '../../../shared/config';
import { systemClock } from '../../../shared/ports';
import type { ConfigurationDependencies } from '../domain/configuration';
import { createDynamoConfigurationRepository } from './configuration-repository';
import { type Env, repositoryOptionsOf } from './escalation-dependencies';
import { createEventBridgeWebhooks } from './webhook-deliveries';

export const loadConfigurationDependencies = (env: Env = process.env): ConfigurationDependencies => ({
  configuration: createDynamoConfigurationRepository(repositoryOptionsOf(env)),
  webhooks: createEventBridgeWebhooks(
    new EventBridgeClient({}),
    apiDestinationSettingsOf(readConfig(ApiDestinationConfigSchema, env)),
  ),
  clock: systemClock,
});

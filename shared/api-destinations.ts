/**
 * Webhook deliveries a function sets up at run time: an EventBridge connection (the receiver's
 * credentials, kept by EventBridge), an API destination (the HTTPS endpoint) and a rule on the
 * platform bus whose target is that destination, with retries and a dead-letter queue. A
 * function declares `access: { apiDestinations: true }`; it may then manage only resources named
 * `<service>-webhook-*`, and `functionEnvironment` hands it these variables (set by the CDK stack
 * in AWS and by the local runtime, whose EventBridge serves the same API, locally).
 */
import * as z from './zod';

export const ApiDestinationConfigSchema = z.object({
  EVENT_BUS_NAME: z.string().check(z.minLength(1)),
  /** The role EventBridge assumes to invoke the API destinations. */
  WEBHOOK_ROLE_ARN: z.string().check(z.minLength(1)),
  /** Where an event goes when its delivery failed every retry (none locally: the local bus keeps its own). */
  WEBHOOK_DEAD_LETTER_ARN: z.optional(z.string().check(z.minLength(1))),
});

export interface ApiDestinationSettings {
  eventBusName: string;
  roleArn: string;
  deadLetterArn?: string;
}

export const apiDestinationSettingsOf = (
  config: z.infer<typeof ApiDestinationConfigSchema>,
): ApiDestinationSettings => ({
  eventBusName: config.EVENT_BUS_NAME,
  roleArn: config.WEBHOOK_ROLE_ARN,
  ...(config.WEBHOOK_DEAD_LETTER_ARN ? { deadLetterArn: config.WEBHOOK_DEAD_LETTER_ARN } : {}),
});

/** The one name a service's webhook uses for its connection, API destination and rule. */
export const webhookResourceName = (service: string, name: string): string => `${service}-webhook-${name}`;

/**
 * A department's tracker webhook as EventBridge resources, through `@aws-sdk/client-eventbridge`
 * (AWS, or the local EventBridge at AWS_ENDPOINT_URL_EVENTBRIDGE: the same calls):
 *   connection  escalation-webhook-<department>  API key header or basic auth (EventBridge keeps the secret)
 *   destination escalation-webhook-<department>  POST to the department's HTTPS endpoint
 *   rule        escalation-webhook-<department>  every `mentoring.escalation` event whose
 *               `detail.data.departmentId` is the department -> the destination, with retries and a DLQ
 * Each step creates or updates, so configuring twice is configuring once; removal deletes all three.
 */
import {
  CreateApiDestinationCommand,
  type CreateConnectionAuthRequestParameters,
  CreateConnectionCommand,
  DeleteApiDestinationCommand,
  DeleteConnectionCommand,
  DeleteRuleCommand,
  DescribeApiDestinationCommand,
  DescribeConnectionCommand,
  type EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceNotFoundException,
  UpdateApiDestinationCommand,
  UpdateConnectionCommand,
} from '@aws-sdk/client-eventbridge';
import { type ApiDestinationSettings, webhookResourceName } from '../../../shared/api-destinations';
import type { WebhookAuth } from '../domain/departments';
import type { WebhookDeliveries } from '../domain/ports';

const SERVICE = 'escalation';
const TARGET_ID = 'tracker';
/** EventBridge retries a failed delivery this often, for up to a day, then dead-letters it. */
const RETRY_POLICY = { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 24 * 3600 };
/** A tracker's inbound webhook is not built for floods; EventBridge queues what exceeds this. */
const INVOCATIONS_PER_SECOND = 10;

const authOf = (
  auth: WebhookAuth,
): { AuthorizationType: 'API_KEY' | 'BASIC'; AuthParameters: CreateConnectionAuthRequestParameters } =>
  auth.kind === 'api-key'
    ? {
        AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: auth.headerName, ApiKeyValue: auth.value } },
      }
    : {
        AuthorizationType: 'BASIC',
        AuthParameters: { BasicAuthParameters: { Username: auth.username, Password: auth.password } },
      };

/** The pattern of one department's events (also what another account's rule would use). */
export const departmentEventsPattern = (departmentId: string) => ({
  source: ['mentoring.escalation'],
  detail: { data: { departmentId: [departmentId] } },
});

const ignoreMissing = async (call: () => Promise<unknown>) => {
  try {
    await call();
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
};

const exists = async (call: () => Promise<unknown>) => {
  try {
    await call();
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
};

export const createEventBridgeWebhooks = (
  client: EventBridgeClient,
  settings: ApiDestinationSettings,
): WebhookDeliveries => ({
  async configure(departmentId, webhook) {
    const name = webhookResourceName(SERVICE, departmentId);
    if (!webhook) {
      await ignoreMissing(() =>
        client.send(new RemoveTargetsCommand({ Rule: name, EventBusName: settings.eventBusName, Ids: [TARGET_ID] })),
      );
      await ignoreMissing(() =>
        client.send(new DeleteRuleCommand({ Name: name, EventBusName: settings.eventBusName })),
      );
      await ignoreMissing(() => client.send(new DeleteApiDestinationCommand({ Name: name })));
      await ignoreMissing(() => client.send(new DeleteConnectionCommand({ Name: name })));
      return;
    }

    const connectionExists = await exists(() => client.send(new DescribeConnectionCommand({ Name: name })));
    if (webhook.auth) {
      const auth = authOf(webhook.auth);
      if (connectionExists) await client.send(new UpdateConnectionCommand({ Name: name, ...auth }));
      else
        await client.send(
          new CreateConnectionCommand({ Name: name, Description: `Tracker of department ${departmentId}`, ...auth }),
        );
    } else if (!connectionExists) {
      throw new Error(`Department ${departmentId} has no webhook connection to keep: its credentials are needed`);
    }
    const connection = await client.send(new DescribeConnectionCommand({ Name: name }));

    const destination = {
      Name: name,
      ConnectionArn: connection.ConnectionArn,
      InvocationEndpoint: webhook.url,
      HttpMethod: 'POST' as const,
      InvocationRateLimitPerSecond: INVOCATIONS_PER_SECOND,
    };
    const destinationExists = await exists(() => client.send(new DescribeApiDestinationCommand({ Name: name })));
    if (destinationExists) await client.send(new UpdateApiDestinationCommand(destination));
    else await client.send(new CreateApiDestinationCommand(destination));
    const { ApiDestinationArn } = await client.send(new DescribeApiDestinationCommand({ Name: name }));

    await client.send(
      new PutRuleCommand({
        Name: name,
        EventBusName: settings.eventBusName,
        Description: `Escalation events of department ${departmentId} to its tracker`,
        EventPattern: JSON.stringify(departmentEventsPattern(departmentId)),
        State: 'ENABLED',
      }),
    );
    const targets = await client.send(
      new PutTargetsCommand({
        Rule: name,
        EventBusName: settings.eventBusName,
        Targets: [
          {
            Id: TARGET_ID,
            Arn: ApiDestinationArn,
            RoleArn: settings.roleArn,
            RetryPolicy: RETRY_POLICY,
            ...(settings.deadLetterArn ? { DeadLetterConfig: { Arn: settings.deadLetterArn } } : {}),
          },
        ],
      }),
    );
    if (targets.FailedEntryCount) {
      const [failure] = targets.FailedEntries ?? [];
      throw new Error(`PutTargets refused the tracker target: ${failure?.ErrorCode} ${failure?.ErrorMessage}`);
    }
  },
});

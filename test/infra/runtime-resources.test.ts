/**
 * What functions create at run time, as the escalation service declares it: one-time schedules
 * (`oneTimeSchedules`) and webhook deliveries (`apiDestinations`), each with its role, its
 * dead-letter queue and least privilege; and the department machine clients of the core stack
 * (client credentials, one scope per department, accepted by the JWT authorizer).
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CONNECTION_SECRET_ACTIONS,
  ONE_TIME_SCHEDULE_ACTIONS,
  WEBHOOK_CONNECTION_ACTIONS,
  WEBHOOK_DESTINATION_ACTIONS,
  WEBHOOK_RULE_ACTIONS,
} from '../../infra/service-construct';
import { escalationService } from '../../services/escalation/declaration';
import {
  actionsOf,
  allowedActionsOf,
  type CfnResourceJson,
  logicalIdOf,
  mentions,
  propertyOf,
  resourcesOf,
  resourcesOfType,
  type SynthesizedPlatform,
  statementsOfFunction,
  statementsOfRole,
  synthesizePlatform,
} from './template-queries';

let platform: SynthesizedPlatform;

beforeAll(() => {
  platform = synthesizePlatform({
    services: [escalationService],
    eventContracts: [],
    context: { 'mentoring:departmentClients': ['it', 'facilities'] },
  });
}, 300_000);

const escalation = () => platform.serviceNamed('escalation');
const template = (): Template => escalation().template;
const functionId = (name: string) => logicalIdOf(escalation().construct.functionNamed(name, 'test'));
const environmentOf = (name: string) =>
  propertyOf<{ Variables: Record<string, unknown> }>(
    resourcesOfType(template(), 'AWS::Lambda::Function')[functionId(name)],
    'Environment',
  ).Variables;
const roleNamed = (fragment: string): [string, CfnResourceJson] => {
  const found = Object.entries(resourcesOfType(template(), 'AWS::IAM::Role')).find(([id]) => id.includes(fragment));
  if (!found) throw new Error(`no role ${fragment}`);
  return found;
};
const json = (value: unknown) => JSON.stringify(value);

it('passes cdk-nag with every run-time resource and two department clients', () => {
  expect(platform.unacknowledgedNagFindings).toEqual([]);
});

describe('one-time schedules', () => {
  it('have the service’s group, and a role only Scheduler of this account assumes, allowed to invoke the declared target alone', () => {
    const groups = Object.values(resourcesOfType(template(), 'AWS::Scheduler::ScheduleGroup'));
    expect(groups.map((group) => group.Properties?.Name)).toEqual(['mentoring-escalation']);
    const [roleId, role] = roleNamed('OneTimeScheduleRole');
    expect(json(role.Properties?.AssumeRolePolicyDocument)).toContain('scheduler.amazonaws.com');
    expect(json(role.Properties?.AssumeRolePolicyDocument)).toContain('aws:SourceAccount');
    const statements = statementsOfRole(template(), roleId);
    const invoke = statements.filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'));
    expect(invoke.flatMap(resourcesOf).every((resource) => mentions(resource, functionId('sla-timer')))).toBe(true);
    expect(invoke.flatMap(resourcesOf).some((resource) => json(resource).includes(':*'))).toBe(false);
    expect(allowedActionsOf(statements)).toContain('sqs:SendMessage');
  });

  it('are created only by the function that declares them, in the group, handing them only Scheduler’s role', () => {
    const statements = statementsOfFunction(template(), escalation().construct, 'sla-scheduler');
    const scheduling = statements.find((statement) => actionsOf(statement).includes('scheduler:CreateSchedule'));
    if (!scheduling) throw new Error('no scheduler statement');
    expect(actionsOf(scheduling).sort()).toEqual([...ONE_TIME_SCHEDULE_ACTIONS].sort());
    expect(json(scheduling?.Resource)).toContain(':schedule/mentoring-escalation/*');
    const passRole = statements.find((statement) => actionsOf(statement).includes('iam:PassRole'));
    expect(passRole?.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
    expect(mentions(passRole?.Resource, roleNamed('OneTimeScheduleRole')[0])).toBe(true);
    for (const other of ['escalation-api', 'configuration-api', 'event-consumer', 'sla-timer', 'notifier']) {
      const actions = allowedActionsOf(statementsOfFunction(template(), escalation().construct, other));
      expect(
        actions.filter((action) => action.startsWith('scheduler:')),
        other,
      ).toEqual([]);
    }
  });

  it('hand the creating function the group, the target, Scheduler’s role and the target’s dead-letter queue', () => {
    const environment = environmentOf('sla-scheduler');
    expect(environment.SCHEDULE_GROUP_NAME).toBeDefined();
    expect(mentions(environment.SCHEDULE_TARGET_ARN, functionId('sla-timer'))).toBe(true);
    expect(mentions(environment.SCHEDULE_ROLE_ARN, roleNamed('OneTimeScheduleRole')[0])).toBe(true);
    expect(json(environment.SCHEDULE_DEAD_LETTER_ARN)).toContain('SlaTimerDeadLetters');
    expect(environmentOf('notifier').SCHEDULE_GROUP_NAME).toBeUndefined();
    // A throwing target is retried by Lambda, then lands in the same queue.
    const invokeConfigs = Object.values(resourcesOfType(template(), 'AWS::Lambda::EventInvokeConfig'));
    expect(invokeConfigs.some((config) => mentions(config.Properties?.FunctionName, functionId('sla-timer')))).toBe(
      true,
    );
  });
});

describe('webhook deliveries', () => {
  it('let only the function that declares them manage rules, connections, destinations and their secrets named escalation-webhook-*', () => {
    const statements = statementsOfFunction(template(), escalation().construct, 'configuration-api');
    const resourceOf = (action: string) =>
      json(statements.find((statement) => actionsOf(statement).includes(action))?.Resource);
    for (const [actions, fragment] of [
      [WEBHOOK_RULE_ACTIONS, '/escalation-webhook-*'],
      [WEBHOOK_CONNECTION_ACTIONS, ':connection/escalation-webhook-*'],
      [WEBHOOK_DESTINATION_ACTIONS, ':api-destination/escalation-webhook-*'],
      [CONNECTION_SECRET_ACTIONS, ':secret:events!connection/escalation-webhook-*'],
    ] as const) {
      for (const action of actions) expect(resourceOf(action), action).toContain(fragment);
    }
    const passRole = statements.find((statement) => actionsOf(statement).includes('iam:PassRole'));
    expect(passRole?.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'events.amazonaws.com' } });
    for (const other of ['escalation-api', 'sla-scheduler', 'notifier']) {
      const actions = allowedActionsOf(statementsOfFunction(template(), escalation().construct, other));
      expect(
        actions.filter((action) => action.startsWith('events:Create') || action === 'events:PutTargets'),
        other,
      ).toEqual([]);
    }
  });

  it('are invoked by a role only EventBridge assumes, on the service’s API destinations alone; failures go to a queue only those rules may fill', () => {
    const [roleId, role] = roleNamed('WebhookDeliveryRole');
    expect(json(role.Properties?.AssumeRolePolicyDocument)).toContain('events.amazonaws.com');
    const statements = statementsOfRole(template(), roleId);
    expect(allowedActionsOf(statements)).toEqual(['events:InvokeApiDestination']);
    expect(json(statements[0]?.Resource)).toContain(':api-destination/escalation-webhook-*/*');
    const environment = environmentOf('configuration-api');
    expect(mentions(environment.WEBHOOK_ROLE_ARN, roleId)).toBe(true);
    const queuePolicies = Object.values(resourcesOfType(template(), 'AWS::SQS::QueuePolicy'));
    const webhookQueue = queuePolicies.find((policy) => json(policy).includes('events.amazonaws.com'));
    expect(json(webhookQueue)).toContain('/escalation-webhook-*');
    expect(json(webhookQueue)).toContain('aws:SourceArn');
  });
});

describe('department machine clients', () => {
  it('are one app client per department with the client-credentials grant and that department’s scope only', () => {
    const core = platform.coreTemplate;
    const servers = Object.values(resourcesOfType(core, 'AWS::Cognito::UserPoolResourceServer'));
    expect(servers.map((server) => server.Properties?.Identifier)).toEqual(['mentoring-departments']);
    expect(json(servers[0]?.Properties?.Scopes)).toContain('"ScopeName":"facilities"');
    const clients = Object.values(resourcesOfType(core, 'AWS::Cognito::UserPoolClient')).filter((client) =>
      (json(client.Properties?.AllowedOAuthFlows) ?? '').includes('client_credentials'),
    );
    expect(clients.map((client) => [client.Properties?.ClientName, client.Properties?.GenerateSecret])).toEqual([
      ['department-it', true],
      ['department-facilities', true],
    ]);
    // `<resource server identifier>/it`: the Ref of a resource server is its identifier.
    const [serverId] = Object.keys(resourcesOfType(core, 'AWS::Cognito::UserPoolResourceServer'));
    const scopesOfIt = json(clients[0]?.Properties?.AllowedOAuthScopes);
    expect(mentions(clients[0]?.Properties?.AllowedOAuthScopes, serverId ?? '')).toBe(true);
    expect(scopesOfIt).toContain('"/it"');
    expect(scopesOfIt).not.toContain('facilities');
    expect(Object.keys(resourcesOfType(core, 'AWS::Cognito::UserPoolDomain'))).toHaveLength(1);
  });

  it('are accepted by the JWT authorizer: their client ids are in its audience', () => {
    const authorizers = Object.values(resourcesOfType(platform.coreTemplate, 'AWS::ApiGatewayV2::Authorizer'));
    const audience = json(authorizers[0]?.Properties?.JwtConfiguration);
    for (const client of platform.core.departmentClients.values()) expect(audience).toContain(logicalIdOf(client));
    expect(platform.core.departmentClients.size).toBe(2);
  });
});

/**
 * The service construct on fixture declarations that use what the real services do not
 * yet: schedules, email, a read-only function, a service without a table.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { cdkJsonContext, createPlatformApp } from '../../infra/platform-app';
import { pascalCase, TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS, toCdkEventPattern } from '../../infra/service-construct';
import type { ServiceDeclaration } from '../../shared/declaration';
import {
  FIXTURE_SCHEDULE,
  FIXTURE_SETTING,
  FIXTURE_SUBSCRIPTION_PATTERN,
  fixtureService,
  tablelessFixtureService,
} from './fixtures/fixture-service';
import {
  actionsOf,
  allowedActionsOf,
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
  platform = synthesizePlatform({ services: [fixtureService, tablelessFixtureService], eventContracts: [] });
});

const fixture = () => {
  const service = platform.stack.services.find((candidate) => candidate.service.name === fixtureService.name);
  if (!service) throw new Error('fixture service missing');
  return service;
};
const functionId = (name: string) => logicalIdOf(fixture().functionNamed(name, 'test'));
const environmentOf = (name: string) =>
  propertyOf<{ Variables: Record<string, unknown> }>(
    resourcesOfType(platform.template, 'AWS::Lambda::Function')[functionId(name)],
    'Environment',
  ).Variables;

it('passes cdk-nag with schedules, email and a table-less service', () => {
  expect(platform.unacknowledgedNagFindings).toEqual([]);
});

it('makes a declared setting a stack parameter of whole numbers in range, handed to every function of the service', () => {
  const parameters = platform.template.toJSON().Parameters as Record<string, Record<string, unknown>>;
  expect(parameters.FixtureRemindersReminderBatchSize).toMatchObject({
    Type: 'Number',
    Default: FIXTURE_SETTING.default,
    AllowedValues: ['3', '4', '5', '6', '7', '8', '9', '10'],
  });
  for (const name of ['reader', 'reminder-sweep', 'relay']) {
    expect(environmentOf(name)[FIXTURE_SETTING.name]).toEqual({ Ref: 'FixtureRemindersReminderBatchSize' });
  }
});

describe('schedules', () => {
  it('run on EventBridge Scheduler with the declared expression and timezone, retries and a DLQ', () => {
    const dlq = fixture().deadLetterQueues.get(FIXTURE_SCHEDULE.function)?.queue;
    expect(dlq).toBeDefined();
    platform.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: FIXTURE_SCHEDULE.expression,
      ScheduleExpressionTimezone: FIXTURE_SCHEDULE.timezone,
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [functionId(FIXTURE_SCHEDULE.function), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: Match.anyValue(), MaximumEventAgeInSeconds: Match.anyValue() },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(dlq as never), 'Arn'] } },
        Input: JSON.stringify({ schedule: FIXTURE_SCHEDULE.name, scheduledTime: '<aws.scheduler.scheduled-time>' }),
      },
    });
  });

  it('invoke through a role that may call only the unqualified function and send only to the DLQ', () => {
    const schedule = Object.values(resourcesOfType(platform.template, 'AWS::Scheduler::Schedule'))[0];
    const roleId = propertyOf<{ RoleArn: { 'Fn::GetAtt': [string, string] } }>(schedule, 'Target').RoleArn[
      'Fn::GetAtt'
    ][0];
    const statements = statementsOfRole(platform.template, roleId);
    const invoke = statements.filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'));
    const functionArn = { 'Fn::GetAtt': [functionId(FIXTURE_SCHEDULE.function), 'Arn'] };
    // The unqualified ARN and $LATEST (the same code), never `<arn>:*` (every version and alias).
    const invoked = invoke.flatMap(resourcesOf);
    expect(invoked).toHaveLength(2);
    expect(invoked).toEqual(expect.arrayContaining([functionArn, { 'Fn::Join': ['', [functionArn, ':$LATEST']] }]));
    expect(allowedActionsOf(statements).sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    platform.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: Match.objectLike({ 'aws:SourceAccount': Match.anyValue() }) },
          }),
        ],
      },
    });
  });

  it('send what still fails after Lambda’s own retries to the same DLQ', () => {
    platform.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId(FIXTURE_SCHEDULE.function) },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });
});

describe('declared access', () => {
  it('gives a read-only function the read actions on its table and index, and nothing that writes', () => {
    const tableId = logicalIdOf(fixture().table as never);
    const statements = statementsOfFunction(platform.template, fixture(), 'reader');
    const tableStatements = statements.filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
    );
    expect(tableStatements).toHaveLength(1);
    expect(actionsOf(tableStatements[0] as never).sort()).toEqual([...TABLE_READ_ACTIONS].sort());
    expect(resourcesOf(tableStatements[0] as never)).toEqual([
      { 'Fn::GetAtt': [tableId, 'Arn'] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/index/gsi1']] },
    ]);
    for (const write of TABLE_WRITE_ACTIONS) expect(allowedActionsOf(statements)).not.toContain(write);
  });

  it('lets only the sending function send email, from the sender identity with the configuration set', () => {
    const statements = statementsOfFunction(platform.template, fixture(), FIXTURE_SCHEDULE.function);
    const sesStatements = statements.filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('ses:')),
    );
    expect(sesStatements).toHaveLength(1);
    expect(actionsOf(sesStatements[0] as never).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
    const resources = JSON.stringify(resourcesOf(sesStatements[0] as never));
    expect(resources).toContain(':identity/');
    expect(resources).toContain('{"Ref":"SenderEmail"}');
    expect(resources).toContain(':configuration-set/');
    expect(resources).not.toContain('"*"');

    expect(environmentOf(FIXTURE_SCHEDULE.function)).toMatchObject({
      SENDER_EMAIL: { Ref: 'SenderEmail' },
      SES_CONFIGURATION_SET: { Ref: expect.stringMatching(/^EmailConfigurationSet/) },
    });
    for (const other of ['reader', 'offboarding-consumer', 'relay']) {
      expect(environmentOf(other).SENDER_EMAIL, other).toBeUndefined();
      expect(
        allowedActionsOf(statementsOfFunction(platform.template, fixture(), other)).some((action) =>
          action.startsWith('ses:'),
        ),
        other,
      ).toBe(false);
    }
  });

  it('gives functions of a service without a table no table and no TABLE_NAME', () => {
    const stateless = platform.stack.services.find((service) => service.service.name === tablelessFixtureService.name);
    expect(stateless?.table).toBeUndefined();
    const pinger = stateless?.functionNamed('pinger', 'test');
    const variables = propertyOf<{ Variables: Record<string, unknown> }>(
      resourcesOfType(platform.template, 'AWS::Lambda::Function')[logicalIdOf(pinger as never)],
      'Environment',
    ).Variables;
    expect(variables.TABLE_NAME).toBeUndefined();
    const actions = allowedActionsOf(statementsOfFunction(platform.template, stateless as never, 'pinger'));
    expect(actions.filter((action) => !action.startsWith('logs:') && !action.startsWith('xray:'))).toEqual([]);
    platform.template.resourceCountIs('AWS::DynamoDB::Table', 1);
  });
});

describe('subscriptions and routes', () => {
  it('keeps content filters of a declared pattern exactly', () => {
    const rule = Object.values(resourcesOfType(platform.template, 'AWS::Events::Rule')).find((candidate) =>
      mentions(candidate.Properties?.Targets, functionId('offboarding-consumer')),
    );
    expect(rule?.Properties?.EventPattern).toEqual(FIXTURE_SUBSCRIPTION_PATTERN);
  });

  it('leaves only the public route without an authorizer', () => {
    const routes = Object.values(resourcesOfType(platform.template, 'AWS::ApiGatewayV2::Route'));
    expect(routes.map((route) => [route.Properties?.RouteKey, route.Properties?.AuthorizationType]).sort()).toEqual([
      ['GET /reminders/status', 'NONE'],
      ['GET /reminders/{reminderId}', 'JWT'],
    ]);
  });
});

describe('declarations that cannot be built', () => {
  // Bundling is skipped: these fail while the constructs are created, before any asset matters.
  const build = (services: readonly ServiceDeclaration[]) => () =>
    createPlatformApp({
      services,
      eventContracts: [],
      context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
    });
  const [reader] = fixtureService.functions;
  const [protectedRoute] = fixtureService.routes;
  const [subscription] = fixtureService.subscriptions;
  if (!reader || !protectedRoute || !subscription) throw new Error('fixture lacks a function, route or subscription');

  it('rejects a route, rule or schedule naming an undeclared function', () => {
    const brokenRoute = { ...fixtureService, routes: [{ ...protectedRoute, function: 'nope' }] };
    expect(build([brokenRoute])).toThrow(/undeclared function "nope"/);
    const brokenRule = { ...fixtureService, subscriptions: [{ ...subscription, function: 'nope' }] };
    expect(build([brokenRule])).toThrow(/undeclared function "nope"/);
    const brokenSchedule = { ...fixtureService, schedules: [{ ...FIXTURE_SCHEDULE, function: 'nope' }] };
    expect(build([brokenSchedule])).toThrow(/undeclared function "nope"/);
  });

  it('rejects table access or an outbox relay in a service without a table', () => {
    expect(build([{ ...tablelessFixtureService, functions: [reader] }])).toThrow(/declares table access/);
    expect(
      build([
        {
          ...tablelessFixtureService,
          functions: [{ ...reader, access: {}, trigger: { kind: 'outbox-stream' } }],
        },
      ]),
    ).toThrow(/relays an outbox but has no table/);
  });

  it('rejects duplicate function and service names', () => {
    expect(build([{ ...fixtureService, functions: [reader, reader] }])).toThrow(/twice/);
    expect(build([tablelessFixtureService, tablelessFixtureService])).toThrow(/Two services/);
  });
});

describe('naming helpers', () => {
  it('turns declaration names into construct ids', () => {
    expect(pascalCase('hr-directory-consumer')).toBe('HrDirectoryConsumer');
    expect(pascalCase('/people/{personId}')).toBe('PeoplePersonId');
  });

  it('renders a declared pattern back exactly', () => {
    const pattern = { source: ['a'], 'detail-type': ['B.Happened'], detail: { x: [1] } };
    expect(toCdkEventPattern(pattern)).toEqual({ source: ['a'], detailType: ['B.Happened'], detail: { x: [1] } });
  });
});

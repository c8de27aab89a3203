/**
 * The service construct on fixture declarations that use what the real services do not
 * yet: schedules, email, a read-only function, a service without a table.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { coreParameterName } from '../../infra/core-parameters';
import { CORE_STACK_NAME, cdkJsonContext, createPlatformApp } from '../../infra/platform-app';
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
  ssmParameterRef,
  statementsOfFunction,
  statementsOfRole,
  synthesizePlatform,
} from './template-queries';

let platform: SynthesizedPlatform;

beforeAll(() => {
  platform = synthesizePlatform({ services: [fixtureService, tablelessFixtureService], eventContracts: [] });
});

const fixture = () => platform.serviceNamed(fixtureService.name).construct;
/** The fixture service's own stack, where everything of it lives. */
const fixtureTemplate = (): Template => platform.serviceNamed(fixtureService.name).template;
const functionId = (name: string) => logicalIdOf(fixture().functionNamed(name, 'test'));
const environmentOf = (name: string) =>
  propertyOf<{ Variables: Record<string, unknown> }>(
    resourcesOfType(fixtureTemplate(), 'AWS::Lambda::Function')[functionId(name)],
    'Environment',
  ).Variables;
const coreValueIn = (template: Template, key: Parameters<typeof coreParameterName>[1]) =>
  ssmParameterRef(template, coreParameterName(CORE_STACK_NAME, key));

it('passes cdk-nag with schedules, email and a table-less service', () => {
  expect(platform.unacknowledgedNagFindings).toEqual([]);
});

it('makes a declared setting a stack parameter of whole numbers in range, handed to every function of the service', () => {
  const parameters = fixtureTemplate().toJSON().Parameters as Record<string, Record<string, unknown>>;
  expect(parameters.FixtureRemindersReminderBatchSize).toMatchObject({
    Type: 'Number',
    Default: FIXTURE_SETTING.default,
    AllowedValues: ['3', '4', '5', '6', '7', '8', '9', '10'],
  });
  for (const name of ['reader', 'reminder-sweep', 'relay']) {
    expect(environmentOf(name)[FIXTURE_SETTING.name]).toEqual({ Ref: 'FixtureRemindersReminderBatchSize' });
  }
});

it('generates each declared secret, gives its id to the functions that declare it, and lets only them read it', () => {
  const secrets = resourcesOfType(fixtureTemplate(), 'AWS::SecretsManager::Secret');
  const [secretId, secret] = Object.entries(secrets)[0] ?? [];
  expect(Object.keys(secrets)).toHaveLength(1);
  expect(secret?.Properties?.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
  expect(environmentOf('reminder-sweep').LINK_SIGNING_KEY_SECRET_ID).toEqual({ Ref: secretId });
  expect(environmentOf('reader').LINK_SIGNING_KEY_SECRET_ID).toBeUndefined();
  const readsSecret = (name: string) =>
    statementsOfFunction(fixtureTemplate(), fixture(), name).some(
      (statement) =>
        JSON.stringify(statement.Action).includes('secretsmanager:GetSecretValue') &&
        mentions(statement.Resource, secretId ?? ''),
    );
  expect(readsSecret('reminder-sweep')).toBe(true);
  expect(readsSecret('reader')).toBe(false);
});

it('tells functions that send email where people reach the API (the core stack’s URL), and no others', () => {
  expect(environmentOf('reminder-sweep').PUBLIC_API_URL).toEqual(coreValueIn(fixtureTemplate(), 'httpApiUrl'));
  expect(environmentOf('reader').PUBLIC_API_URL).toBeUndefined();
});

describe('schedules', () => {
  it('run on EventBridge Scheduler with the declared expression and timezone, retries and a DLQ', () => {
    const dlq = fixture().deadLetterQueues.get(FIXTURE_SCHEDULE.function)?.queue;
    expect(dlq).toBeDefined();
    fixtureTemplate().hasResourceProperties('AWS::Scheduler::Schedule', {
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
    const schedule = Object.values(resourcesOfType(fixtureTemplate(), 'AWS::Scheduler::Schedule'))[0];
    const roleId = propertyOf<{ RoleArn: { 'Fn::GetAtt': [string, string] } }>(schedule, 'Target').RoleArn[
      'Fn::GetAtt'
    ][0];
    const statements = statementsOfRole(fixtureTemplate(), roleId);
    const invoke = statements.filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'));
    // The unqualified ARN only: not `<arn>:$LATEST`, never `<arn>:*` (every version and alias).
    expect(invoke.flatMap(resourcesOf)).toEqual([{ 'Fn::GetAtt': [functionId(FIXTURE_SCHEDULE.function), 'Arn'] }]);
    expect(allowedActionsOf(statements).sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    fixtureTemplate().hasResourceProperties('AWS::IAM::Role', {
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
    fixtureTemplate().hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId(FIXTURE_SCHEDULE.function) },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });
});

describe('declared access', () => {
  it('gives a read-only function the read actions on its table and index, and nothing that writes', () => {
    const tableId = logicalIdOf(fixture().table as never);
    const statements = statementsOfFunction(fixtureTemplate(), fixture(), 'reader');
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
    const statements = statementsOfFunction(fixtureTemplate(), fixture(), FIXTURE_SCHEDULE.function);
    const sesStatements = statements.filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('ses:')),
    );
    expect(sesStatements).toHaveLength(1);
    expect(actionsOf(sesStatements[0] as never).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
    // The identity and configuration set the core stack names (ARNs built from SenderEmail there).
    const resources = resourcesOf(sesStatements[0] as never);
    expect(resources).toHaveLength(2);
    expect(resources).toEqual(
      expect.arrayContaining([
        coreValueIn(fixtureTemplate(), 'senderIdentityArn'),
        coreValueIn(fixtureTemplate(), 'configurationSetArn'),
      ]),
    );

    expect(environmentOf(FIXTURE_SCHEDULE.function)).toMatchObject({
      SENDER_EMAIL: coreValueIn(fixtureTemplate(), 'senderEmail'),
      SES_CONFIGURATION_SET: coreValueIn(fixtureTemplate(), 'configurationSetName'),
    });
    for (const other of ['reader', 'offboarding-consumer', 'relay']) {
      expect(environmentOf(other).SENDER_EMAIL, other).toBeUndefined();
      expect(
        allowedActionsOf(statementsOfFunction(fixtureTemplate(), fixture(), other)).some((action) =>
          action.startsWith('ses:'),
        ),
        other,
      ).toBe(false);
    }
  });

  it('gives functions of a service without a table no table and no TABLE_NAME', () => {
    const stateless = platform.serviceNamed(tablelessFixtureService.name);
    expect(stateless.construct.table).toBeUndefined();
    const pinger = stateless.construct.functionNamed('pinger', 'test');
    const variables = propertyOf<{ Variables: Record<string, unknown> }>(
      resourcesOfType(stateless.template, 'AWS::Lambda::Function')[logicalIdOf(pinger)],
      'Environment',
    ).Variables;
    expect(variables.TABLE_NAME).toBeUndefined();
    const actions = allowedActionsOf(statementsOfFunction(stateless.template, stateless.construct, 'pinger'));
    expect(actions.filter((action) => !action.startsWith('logs:') && !action.startsWith('xray:'))).toEqual([]);
    stateless.template.resourceCountIs('AWS::DynamoDB::Table', 0);
    fixtureTemplate().resourceCountIs('AWS::DynamoDB::Table', 1);
  });

  it('reads from the core stack only the parameters its service uses', () => {
    const readParameters = (template: Template) =>
      Object.values((template.toJSON().Parameters ?? {}) as Record<string, { Default?: string }>)
        .map((parameter) => parameter.Default)
        .filter((name) => name?.startsWith('/mentoring/'))
        .sort();
    const name = (key: Parameters<typeof coreParameterName>[1]) => coreParameterName(CORE_STACK_NAME, key);
    // No routes, no email, no subscriptions: the bus name (every function's environment) and the alarm topic.
    expect(readParameters(platform.serviceNamed(tablelessFixtureService.name).template)).toEqual(
      [name('alarmTopicArn'), name('eventBusName')].sort(),
    );
    expect(readParameters(fixtureTemplate())).toEqual(
      [
        name('alarmTopicArn'),
        name('eventBusName'),
        name('httpApiId'),
        name('jwtAuthorizerId'),
        name('senderEmail'),
        name('senderIdentityArn'),
        name('configurationSetName'),
        name('configurationSetArn'),
        // The sender of reminders puts links to the API in its emails.
        name('httpApiUrl'),
      ].sort(),
    );
  });
});

describe('subscriptions and routes', () => {
  it('keeps content filters of a declared pattern exactly', () => {
    const rule = Object.values(resourcesOfType(fixtureTemplate(), 'AWS::Events::Rule')).find((candidate) =>
      mentions(candidate.Properties?.Targets, functionId('offboarding-consumer')),
    );
    expect(rule?.Properties?.EventPattern).toEqual(FIXTURE_SUBSCRIPTION_PATTERN);
  });

  it('leaves only the public route without an authorizer', () => {
    const routes = Object.values(resourcesOfType(fixtureTemplate(), 'AWS::ApiGatewayV2::Route'));
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

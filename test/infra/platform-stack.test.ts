/**
 * The real app (`allServices`, the real event catalogue), synthesized once as `cdk synth`
 * does: cdk-nag attached and every function bundled by esbuild.
 */
import { isDeepStrictEqual } from 'node:util';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_WRITE_ACTIONS } from '../../infra/service-construct';
import { allServices } from '../../services/index';
import { roles } from '../../shared/auth/roles';
import { eventCatalog } from '../../shared/contracts/catalog';
import { registrySchemaNameOf } from '../../shared/contracts/json-schema';
import { OUTBOX_KEY_PREFIX } from '../../shared/events/outbox';
import {
  actionsOf,
  allowedActionsOf,
  logicalIdOf,
  mentions,
  type PolicyStatementJson,
  propertyOf,
  resourcesOf,
  resourcesOfType,
  type SynthesizedPlatform,
  statementsOfFunction,
  statementsOfPolicy,
  synthesizePlatform,
} from './template-queries';

let platform: SynthesizedPlatform;

beforeAll(() => {
  platform = synthesizePlatform();
});

const serviceNamed = (name: string) => {
  const service = platform.stack.services.find((candidate) => candidate.service.name === name);
  if (!service) throw new Error(`no service ${name}`);
  return service;
};

const declaredFunctions = allServices.flatMap((service) => service.functions.map((fn) => ({ service, fn })));
const declaredRoutes = allServices.flatMap((service) => service.routes.map((route) => ({ service, route })));
const declaredSubscriptions = allServices.flatMap((service) =>
  service.subscriptions.map((subscription) => ({ service, subscription })),
);
const declaredSchedules = allServices.flatMap((service) =>
  service.schedules.map((schedule) => ({ service, schedule })),
);

describe('cdk-nag AwsSolutions', () => {
  it('leaves no finding unacknowledged', () => {
    expect(platform.unacknowledgedNagFindings).toEqual([]);
  });

  it('leaves no error or warning annotation in the stack', () => {
    const annotations = Annotations.fromStack(platform.stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });
});

describe('event bus', () => {
  it('is one custom bus with an archive of every event kept 90 days', () => {
    platform.template.resourceCountIs('AWS::Events::EventBus', 1);
    platform.template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [logicalIdOf(platform.stack.eventBus), 'Arn'] },
      EventPattern: { source: [{ prefix: '' }] },
      RetentionDays: 90,
    });
  });

  it('has a registry with one draft-4 schema of the whole event per contract', () => {
    platform.template.resourceCountIs('AWS::EventSchemas::Registry', 1);
    const schemas = Object.values(resourcesOfType(platform.template, 'AWS::EventSchemas::Schema'));
    expect(schemas).toHaveLength(eventCatalog.length);
    for (const contract of eventCatalog) {
      const schema = schemas.find((candidate) => candidate.Properties?.SchemaName === registrySchemaNameOf(contract));
      expect(schema, registrySchemaNameOf(contract)).toBeDefined();
      expect(schema?.Properties?.Type).toBe('JSONSchemaDraft4');
      const content = JSON.parse(String(schema?.Properties?.Content));
      expect(content.$schema).toBe('http://json-schema.org/draft-04/schema#');
      expect(content.properties.source.enum).toEqual([contract.source]);
      expect(content.properties['detail-type'].enum).toEqual([contract.detailType]);
      expect(content.properties.detail.required).toEqual(['metadata', 'data']);
      expect(content.properties.detail.properties.metadata.properties.version.enum).toEqual([contract.version]);
    }
  });
});

describe('tables', () => {
  it('gives each declared table on-demand billing, PITR, TTL, encryption, deletion protection, retention and the outbox stream', () => {
    const tables = allServices.filter((service) => service.table);
    platform.template.resourceCountIs('AWS::DynamoDB::Table', tables.length);
    for (const service of tables) {
      const table = serviceNamed(service.name).table;
      expect(table).toBeDefined();
      if (!table) continue;
      const resource = resourcesOfType(platform.template, 'AWS::DynamoDB::Table')[logicalIdOf(table)];
      expect(resource?.DeletionPolicy).toBe('Retain');
      expect(resource?.UpdateReplacePolicy).toBe('Retain');
      expect(resource?.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: service.table?.timeToLiveAttribute, Enabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        GlobalSecondaryIndexes: service.table?.globalIndexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      });
    }
  });
});

describe('identity', () => {
  it('has one user-pool group per role', () => {
    const groups = Object.values(resourcesOfType(platform.template, 'AWS::Cognito::UserPoolGroup'));
    expect(groups.map((group) => group.Properties?.GroupName).sort()).toEqual([...roles].sort());
  });

  it('has a user pool with a strong password policy, optional TOTP MFA, Plus threat protection and the custom claims', () => {
    platform.template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: {
        PasswordPolicy: Match.objectLike({
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'personId', AttributeDataType: 'String' }),
        Match.objectLike({ Name: 'departmentId', AttributeDataType: 'String' }),
      ]),
    });
    const pool = Object.values(resourcesOfType(platform.template, 'AWS::Cognito::UserPool'))[0];
    const { PasswordPolicy: passwordPolicy } = propertyOf<{ PasswordPolicy: { MinimumLength: number } }>(
      pool,
      'Policies',
    );
    expect(passwordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
  });

  it('lets clients read but never write the personId and departmentId claims', () => {
    const client = Object.values(resourcesOfType(platform.template, 'AWS::Cognito::UserPoolClient'))[0];
    expect(client?.Properties?.ReadAttributes).toEqual(
      expect.arrayContaining(['custom:personId', 'custom:departmentId']),
    );
    expect(JSON.stringify(client?.Properties?.WriteAttributes)).not.toContain('custom:');
  });

  it('authorizes with a JWT authorizer whose issuer is the pool and whose audience is the app client', () => {
    platform.template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    platform.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::GetAtt': [logicalIdOf(platform.stack.userPool), 'ProviderURL'] },
        Audience: [{ Ref: logicalIdOf(platform.stack.userPoolClient) }],
      },
    });
  });
});

describe('HTTP API', () => {
  const routes = () => Object.values(resourcesOfType(platform.template, 'AWS::ApiGatewayV2::Route'));
  const authorizerId = () =>
    Object.keys(resourcesOfType(platform.template, 'AWS::ApiGatewayV2::Authorizer'))[0] ?? 'missing';

  it('has exactly the declared routes', () => {
    expect(
      routes()
        .map((route) => route.Properties?.RouteKey)
        .sort(),
    ).toEqual(declaredRoutes.map(({ route }) => `${route.method} ${route.path}`).sort());
  });

  it('puts the JWT authorizer on every non-public route and none on public ones', () => {
    for (const { route } of declaredRoutes) {
      const resource = routes().find((candidate) => candidate.Properties?.RouteKey === `${route.method} ${route.path}`);
      if (route.auth === 'public') {
        expect(resource?.Properties?.AuthorizationType, route.path).toBe('NONE');
        expect(resource?.Properties?.AuthorizerId, route.path).toBeUndefined();
      } else {
        expect(resource?.Properties?.AuthorizationType, route.path).toBe('JWT');
        expect(resource?.Properties?.AuthorizerId, route.path).toEqual({ Ref: authorizerId() });
      }
    }
  });

  it('integrates each route with its declared function, which API Gateway may invoke for that route', () => {
    const integrations = resourcesOfType(platform.template, 'AWS::ApiGatewayV2::Integration');
    const permissions = Object.values(resourcesOfType(platform.template, 'AWS::Lambda::Permission')).filter(
      (permission) => permission.Properties?.Principal === 'apigateway.amazonaws.com',
    );
    expect(permissions).toHaveLength(declaredRoutes.length);
    for (const { service, route } of declaredRoutes) {
      const fnId = logicalIdOf(serviceNamed(service.name).functionNamed(route.function, 'test'));
      const resource = routes().find((candidate) => candidate.Properties?.RouteKey === `${route.method} ${route.path}`);
      const integrationId = Object.keys(integrations).find((id) => mentions(resource?.Properties?.Target, id));
      expect(integrationId, route.path).toBeDefined();
      expect(mentions(integrations[integrationId ?? '']?.Properties?.IntegrationUri, fnId)).toBe(true);
      expect(
        permissions.some(
          (permission) =>
            mentions(permission.Properties?.FunctionName, fnId) &&
            JSON.stringify(permission.Properties?.SourceArn).includes(`/*/*${route.path}"`),
        ),
        `${route.method} ${route.path}`,
      ).toBe(true);
    }
  });

  it('throttles and access-logs the stage, and answers CORS preflights', () => {
    platform.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context\\.requestId') },
    });
    platform.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({
        AllowHeaders: Match.arrayWith(['authorization', 'content-type', 'x-correlation-id']),
      }),
    });
  });
});

describe('subscriptions', () => {
  const rules = () => Object.values(resourcesOfType(platform.template, 'AWS::Events::Rule'));

  it('puts a rule with exactly the declared pattern on the platform bus, with retries and a DLQ', () => {
    const busId = logicalIdOf(platform.stack.eventBus);
    for (const { service, subscription } of declaredSubscriptions) {
      const construct = serviceNamed(service.name);
      const fnId = logicalIdOf(construct.functionNamed(subscription.function, 'test'));
      const dlq = construct.deadLetterQueues.get(subscription.function)?.queue;
      expect(dlq, subscription.name).toBeDefined();
      // A function may have several subscriptions: the rule is the one on it with this pattern.
      const rule = rules().find((candidate) => {
        const targets = candidate.Properties?.Targets as { Arn: unknown }[];
        return (
          targets.some((target) => mentions(target.Arn, fnId)) &&
          isDeepStrictEqual(candidate.Properties?.EventPattern, subscription.pattern)
        );
      });
      expect(rule?.Properties?.EventPattern).toEqual(subscription.pattern);
      expect(rule?.Properties?.EventBusName).toEqual({ Ref: busId });
      const [target] = propertyOf<Record<string, unknown>[]>(rule, 'Targets');
      expect(target?.RetryPolicy).toEqual({
        MaximumRetryAttempts: expect.any(Number),
        MaximumEventAgeInSeconds: 86400,
      });
      expect(target?.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [logicalIdOf(dlq as never), 'Arn'] } });
    }
  });

  it('lets EventBridge send to each rule DLQ, and sends failed asynchronous invocations there too', () => {
    for (const { service, subscription } of declaredSubscriptions) {
      const construct = serviceNamed(service.name);
      const dlqId = logicalIdOf(construct.deadLetterQueues.get(subscription.function)?.queue as never);
      platform.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: dlqId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Action: 'sqs:SendMessage',
              Principal: { Service: 'events.amazonaws.com' },
              Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
            }),
          ]),
        },
      });
      platform.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalIdOf(construct.functionNamed(subscription.function, 'test')) },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
      });
    }
  });
});

describe('schedules', () => {
  it('puts one Scheduler schedule per declared schedule on its function, with retries, a DLQ and the firing as input', () => {
    const schedules = Object.values(resourcesOfType(platform.template, 'AWS::Scheduler::Schedule'));
    expect(schedules).toHaveLength(declaredSchedules.length);
    for (const { service, schedule } of declaredSchedules) {
      const construct = serviceNamed(service.name);
      const fnId = logicalIdOf(construct.functionNamed(schedule.function, 'test'));
      const dlqId = logicalIdOf(construct.deadLetterQueues.get(schedule.function)?.queue as never);
      platform.template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: schedule.expression,
        State: 'ENABLED',
        Target: {
          Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
          RoleArn: Match.anyValue(),
          RetryPolicy: { MaximumRetryAttempts: Match.anyValue(), MaximumEventAgeInSeconds: Match.anyValue() },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
          Input: JSON.stringify({ schedule: schedule.name, scheduledTime: '<aws.scheduler.scheduled-time>' }),
        },
      });
      platform.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fnId },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
      });
    }
  });
});

describe('outbox relay', () => {
  const relays = declaredFunctions.filter(({ fn }) => fn.trigger?.kind === 'outbox-stream');

  it('exists for every service with a table', () => {
    expect(relays.map(({ service }) => service.name).sort()).toEqual(
      allServices
        .filter((service) => service.table)
        .map((service) => service.name)
        .sort(),
    );
  });

  it('reads only new outbox records from its own table stream, reports partial failures, and dead-letters', () => {
    for (const { service, fn } of relays) {
      const construct = serviceNamed(service.name);
      const dlqId = logicalIdOf(construct.deadLetterQueues.get(fn.name)?.queue as never);
      platform.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalIdOf(construct.functionNamed(fn.name, 'test')) },
        EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(construct.table as never), 'StreamArn'] },
        StartingPosition: 'TRIM_HORIZON',
        FilterCriteria: {
          Filters: [
            {
              Pattern: JSON.stringify({
                eventName: ['INSERT'],
                dynamodb: { NewImage: { pk: { S: [{ prefix: OUTBOX_KEY_PREFIX }] } } },
              }),
            },
          ],
        },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: Match.anyValue(),
        MaximumRecordAgeInSeconds: Match.anyValue(),
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
      });
      const mapping = Object.values(resourcesOfType(platform.template, 'AWS::Lambda::EventSourceMapping'))[0];
      expect(mapping?.Properties?.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(mapping?.Properties?.MaximumRetryAttempts).toBeLessThanOrEqual(10);
    }
  });
});

describe('functions', () => {
  it('run Node.js 24 on arm64 with tracing, source maps, the declared size and the declared environment', () => {
    platform.template.resourceCountIs('AWS::Lambda::Function', declaredFunctions.length);
    for (const { service, fn } of declaredFunctions) {
      const construct = serviceNamed(service.name);
      const resource = resourcesOfType(platform.template, 'AWS::Lambda::Function')[
        logicalIdOf(construct.functionNamed(fn.name, 'test'))
      ];
      expect(resource?.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        MemorySize: fn.memoryMb,
        Timeout: fn.timeoutSeconds,
      });
      const { Variables: variables } = propertyOf<{ Variables: Record<string, unknown> }>(resource, 'Environment');
      expect(variables).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        SERVICE_NAME: service.name,
        POWERTOOLS_SERVICE_NAME: service.name,
        POWERTOOLS_METRICS_NAMESPACE: 'MentoringPlatform',
        EVENT_BUS_NAME: { Ref: logicalIdOf(platform.stack.eventBus) },
      });
      if (fn.access.table) {
        expect(variables.TABLE_NAME, fn.name).toEqual({ Ref: logicalIdOf(construct.table as never) });
      } else {
        expect(variables.TABLE_NAME, fn.name).toBeUndefined();
      }
      if (fn.access.sendEmail) {
        expect(variables.SENDER_EMAIL, fn.name).toEqual({ Ref: 'SenderEmail' });
      } else {
        expect(variables.SENDER_EMAIL, fn.name).toBeUndefined();
      }
    }
  });

  it('log to their own log group with a retention', () => {
    const logGroups = resourcesOfType(platform.template, 'AWS::Logs::LogGroup');
    for (const { service, fn } of declaredFunctions) {
      const resource = resourcesOfType(platform.template, 'AWS::Lambda::Function')[
        logicalIdOf(serviceNamed(service.name).functionNamed(fn.name, 'test'))
      ];
      const logGroupRef = propertyOf<{ LogGroup: { Ref: string } }>(resource, 'LoggingConfig').LogGroup.Ref;
      expect(logGroups[logGroupRef]?.Properties?.RetentionInDays, fn.name).toEqual(expect.any(Number));
    }
  });

  it('alarm on errors and throttles to the alarm topic', () => {
    const alarms = Object.values(resourcesOfType(platform.template, 'AWS::CloudWatch::Alarm'));
    const topicRef = { Ref: logicalIdOf(platform.stack.alarmTopic) };
    for (const { service, fn } of declaredFunctions) {
      const fnId = logicalIdOf(serviceNamed(service.name).functionNamed(fn.name, 'test'));
      for (const metric of ['Errors', 'Throttles']) {
        const alarm = alarms.find(
          (candidate) =>
            candidate.Properties?.MetricName === metric && mentions(candidate.Properties?.Dimensions, fnId),
        );
        expect(alarm, `${fn.name} ${metric}`).toBeDefined();
        expect(alarm?.Properties?.AlarmActions).toEqual([topicRef]);
      }
    }
  });
});

describe('least privilege', () => {
  const statementsOf = (serviceName: string, fnName: string) =>
    statementsOfFunction(platform.template, serviceNamed(serviceName), fnName);
  const allIdentityStatements = (): PolicyStatementJson[] =>
    Object.values(resourcesOfType(platform.template, 'AWS::IAM::Policy')).flatMap(statementsOfPolicy);

  it('grants no wildcard action, and Resource "*" only to actions that have no resource-level permissions', () => {
    for (const statement of allIdentityStatements()) {
      for (const action of actionsOf(statement)) expect(action).not.toContain('*');
      if (resourcesOf(statement).includes('*')) {
        expect(
          actionsOf(statement).every((action) =>
            ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'dynamodb:ListStreams'].includes(action),
          ),
        ).toBe(true);
      }
    }
  });

  it('never grants Scan', () => {
    expect(allIdentityStatements().flatMap(actionsOf)).not.toContain('dynamodb:Scan');
  });

  it('gives the outbox relay PutEvents on the platform bus only, and no table writes', () => {
    for (const { service, fn } of declaredFunctions.filter(({ fn }) => fn.trigger?.kind === 'outbox-stream')) {
      const statements = statementsOf(service.name, fn.name);
      const putEvents = statements.filter((statement) => actionsOf(statement).includes('events:PutEvents'));
      expect(putEvents).toHaveLength(1);
      expect(resourcesOf(putEvents[0] as PolicyStatementJson)).toEqual([
        { 'Fn::GetAtt': [logicalIdOf(platform.stack.eventBus), 'Arn'] },
      ]);
      const actions = allowedActionsOf(statements);
      for (const write of TABLE_WRITE_ACTIONS) expect(actions).not.toContain(write);
      expect(actions).not.toContain('dynamodb:GetItem');
    }
  });

  it('lets table functions touch only their own table and its indexes', () => {
    for (const { service, fn } of declaredFunctions.filter(({ fn }) => fn.access.table)) {
      const tableId = logicalIdOf(serviceNamed(service.name).table as never);
      const otherTables = Object.keys(resourcesOfType(platform.template, 'AWS::DynamoDB::Table')).filter(
        (id) => id !== tableId,
      );
      const tableStatements = statementsOf(service.name, fn.name).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
      );
      expect(tableStatements.length, fn.name).toBeGreaterThan(0);
      for (const statement of tableStatements) {
        for (const resource of resourcesOf(statement)) {
          expect(mentions(resource, tableId), `${fn.name}: ${JSON.stringify(resource)}`).toBe(true);
          for (const other of otherTables) expect(mentions(resource, other)).toBe(false);
        }
      }
      const actions = allowedActionsOf(statementsOf(service.name, fn.name));
      if (fn.access.table === 'read') {
        for (const write of TABLE_WRITE_ACTIONS) expect(actions, fn.name).not.toContain(write);
      } else {
        expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:ConditionCheckItem']));
      }
    }
  });

  it('gives PutEvents and SES actions only to functions that declare them', () => {
    for (const { service, fn } of declaredFunctions) {
      const actions = allowedActionsOf(statementsOf(service.name, fn.name));
      expect(actions.includes('events:PutEvents'), fn.name).toBe(fn.access.publishEvents === true);
      expect(
        actions.some((action) => action.startsWith('ses:')),
        fn.name,
      ).toBe(fn.access.sendEmail === true);
    }
  });
});

describe('dead-letter queues, alarms and the alarm topic', () => {
  it('encrypts every queue, demands TLS and alarms on its depth', () => {
    const queues = resourcesOfType(platform.template, 'AWS::SQS::Queue');
    const alarms = Object.values(resourcesOfType(platform.template, 'AWS::CloudWatch::Alarm'));
    expect(Object.keys(queues).length).toBeGreaterThan(0);
    for (const [queueId, queue] of Object.entries(queues)) {
      expect(queue.Properties?.SqsManagedSseEnabled, queueId).toBe(true);
      platform.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
      const depthAlarm = alarms.find(
        (alarm) =>
          alarm.Properties?.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          mentions(alarm.Properties?.Dimensions, queueId),
      );
      expect(depthAlarm?.Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    }
  });

  it('sends every alarm to one encrypted, TLS-only topic that CloudWatch may publish to', () => {
    const topicRef = { Ref: logicalIdOf(platform.stack.alarmTopic) };
    for (const alarm of Object.values(resourcesOfType(platform.template, 'AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties?.AlarmActions).toEqual([topicRef]);
    }
    platform.template.resourceCountIs('AWS::SNS::Topic', 1);
    platform.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    platform.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    platform.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
  });
});

describe('email', () => {
  it('takes the sender as a parameter and creates its identity only when asked', () => {
    platform.template.hasParameter('SenderEmail', { Type: 'String' });
    platform.template.hasParameter('CreateSenderIdentity', { AllowedValues: ['true', 'false'], Default: 'true' });
    platform.template.hasResource('AWS::SES::EmailIdentity', {
      Condition: 'ShouldCreateSenderIdentity',
      Properties: { EmailIdentity: { Ref: 'SenderEmail' } },
    });
  });

  it('sends bounces and complaints of its configuration set to EventBridge and forwards them to the platform bus', () => {
    platform.template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
        EventBridgeDestination: { EventBusArn: Match.anyValue() },
      },
    });
    platform.template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: 'default',
      EventPattern: Match.objectLike({
        source: ['aws.ses'],
        'detail-type': Match.arrayWith(['Email Bounced', 'Email Complaint Received']),
      }),
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf(platform.stack.eventBus), 'Arn'] },
          DeadLetterConfig: Match.anyValue(),
        }),
      ],
    });
  });
});

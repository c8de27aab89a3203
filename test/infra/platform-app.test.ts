/**
 * The real app (`allServices`, the real event catalogue), synthesized once as `cdk synth`
 * does: cdk-nag attached and every function bundled by esbuild. The core stack and each
 * service stack are checked on their own template.
 */
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CoreParameterKey, coreParameterName, coreParameterNames } from '../../infra/core-parameters';
import { CORE_STACK_NAME, serviceStackName } from '../../infra/platform-app';
import { pascalCase, TABLE_WRITE_ACTIONS } from '../../infra/service-construct';
import { allServices } from '../../services/index';
import { roles } from '../../shared/auth/roles';
import { eventCatalog } from '../../shared/contracts/catalog';
import { registrySchemaNameOf } from '../../shared/contracts/json-schema';
import type { ServiceDeclaration } from '../../shared/declaration';
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
  ssmParameterRef,
  stackDependenciesOf,
  statementsOfFunction,
  statementsOfPolicy,
  synthesizePlatform,
} from './template-queries';

let platform: SynthesizedPlatform;

beforeAll(() => {
  platform = synthesizePlatform();
});

const serviceNamed = (name: string) => platform.serviceNamed(name);
const templateOf = (service: ServiceDeclaration): Template => serviceNamed(service.name).template;
/** How a service stack refers to a core value: the template parameter that reads its SSM parameter. */
const coreValueIn = (template: Template, key: CoreParameterKey) =>
  ssmParameterRef(template, coreParameterName(CORE_STACK_NAME, key));

const declaredFunctions = allServices.flatMap((service) => service.functions.map((fn) => ({ service, fn })));
const declaredRoutes = allServices.flatMap((service) => service.routes.map((route) => ({ service, route })));
const declaredSubscriptions = allServices.flatMap((service) =>
  service.subscriptions.map((subscription) => ({ service, subscription })),
);
const declaredSchedules = allServices.flatMap((service) =>
  service.schedules.map((schedule) => ({ service, schedule })),
);

describe('stacks', () => {
  it('are the core stack and one stack per service, each service stack depending on the core stack only', () => {
    expect(platform.stacks.map(({ stack }) => stack.stackName)).toEqual([
      CORE_STACK_NAME,
      ...allServices.map(serviceStackName),
    ]);
    const assembly = platform.app.synth();
    expect(stackDependenciesOf(assembly, CORE_STACK_NAME)).toEqual([]);
    for (const service of allServices) {
      expect(stackDependenciesOf(assembly, serviceStackName(service)), service.name).toEqual([CORE_STACK_NAME]);
    }
  });

  it('stay under 200 resources each (CloudFormation allows 500 per stack)', () => {
    for (const { stack, template } of platform.stacks) {
      const resourceCount = Object.keys(template.toJSON().Resources ?? {}).length;
      expect(resourceCount, stack.stackName).toBeLessThan(200);
    }
  });

  it('share nothing through CloudFormation exports or references to another stack', () => {
    for (const { stack, template } of platform.stacks) {
      const json = template.toJSON() as { Outputs?: Record<string, { Export?: unknown }> };
      for (const [name, output] of Object.entries(json.Outputs ?? {})) {
        expect(output.Export, `${stack.stackName} output ${name}`).toBeUndefined();
      }
      const text = JSON.stringify(json);
      expect(text, stack.stackName).not.toContain('Fn::ImportValue');
      // The weak cross-stack reference (cdk.json: defaultCrossStackReferences "weak"): not wanted either.
      expect(text, stack.stackName).not.toContain('Fn::GetStackOutput');
    }
  });

  it('let a service stack deploy without parameters: it reads only SSM parameters the core stack writes', () => {
    const written = Object.values(resourcesOfType(platform.coreTemplate, 'AWS::SSM::Parameter')).map(
      (parameter) => parameter.Properties?.Name,
    );
    expect([...written].sort()).toEqual(
      coreParameterNames(CORE_STACK_NAME)
        .map(({ name }) => name)
        .sort(),
    );
    for (const { stack, template } of platform.services) {
      const parameters = Object.entries(
        (template.toJSON().Parameters ?? {}) as Record<string, { Type: string; Default?: string }>,
      ).filter(([id]) => id !== 'BootstrapVersion');
      expect(parameters.length, stack.stackName).toBeGreaterThan(0);
      // Besides the core's SSM parameters, only the service's declared settings, each with its default.
      const service = platform.services.find((candidate) => candidate.stack === stack)?.construct.service;
      const settings = new Map(
        (service?.settings ?? []).map((setting) => [
          `${pascalCase(service?.name ?? '')}${pascalCase(setting.name.toLowerCase())}`,
          setting,
        ]),
      );
      for (const [id, parameter] of parameters) {
        const setting = settings.get(id);
        if (setting) {
          expect(parameter.Default, `${stack.stackName} ${id}`).toBe(setting.default);
          continue;
        }
        expect(parameter.Type, `${stack.stackName} ${id}`).toBe('AWS::SSM::Parameter::Value<String>');
        expect(written, `${stack.stackName} ${id}`).toContain(parameter.Default);
      }
    }
  });

  it('write each core parameter from the resource it names', () => {
    const writtenValueOf = (key: CoreParameterKey) =>
      Object.values(resourcesOfType(platform.coreTemplate, 'AWS::SSM::Parameter')).find(
        (parameter) => parameter.Properties?.Name === coreParameterName(CORE_STACK_NAME, key),
      )?.Properties?.Value;
    const { core } = platform;
    expect(writtenValueOf('eventBusName')).toEqual({ Ref: logicalIdOf(core.eventBus) });
    expect(writtenValueOf('eventBusArn')).toEqual({ 'Fn::GetAtt': [logicalIdOf(core.eventBus), 'Arn'] });
    expect(writtenValueOf('httpApiId')).toEqual({ Ref: logicalIdOf(core.httpApi) });
    expect(writtenValueOf('jwtAuthorizerId')).toEqual({ Ref: logicalIdOf(core.jwtAuthorizer) });
    expect(writtenValueOf('alarmTopicArn')).toEqual({ Ref: logicalIdOf(core.alarmTopic) });
    expect(writtenValueOf('senderEmail')).toEqual({ Ref: 'SenderEmail' });
    expect(writtenValueOf('configurationSetName')).toEqual({ Ref: expect.stringMatching(/^EmailConfigurationSet/) });
    expect(JSON.stringify(writtenValueOf('senderIdentityArn'))).toContain(':identity/",{"Ref":"SenderEmail"}');
    expect(JSON.stringify(writtenValueOf('configurationSetArn'))).toContain(':configuration-set/');
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('leaves no finding unacknowledged in any stack', () => {
    expect(platform.unacknowledgedNagFindings).toEqual([]);
  });

  it('leaves no error or warning annotation in any stack', () => {
    for (const { stack } of platform.stacks) {
      const annotations = Annotations.fromStack(stack);
      expect(annotations.findError('*', Match.anyValue()), stack.stackName).toEqual([]);
      expect(annotations.findWarning('*', Match.anyValue()), stack.stackName).toEqual([]);
    }
  });
});

describe('event bus', () => {
  it('is one custom bus, in the core stack, with an archive of every event kept 90 days', () => {
    platform.coreTemplate.resourceCountIs('AWS::Events::EventBus', 1);
    for (const { template } of platform.services) template.resourceCountIs('AWS::Events::EventBus', 0);
    platform.coreTemplate.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [logicalIdOf(platform.core.eventBus), 'Arn'] },
      EventPattern: { source: [{ prefix: '' }] },
      RetentionDays: 90,
    });
  });

  it('has a registry with one draft-4 schema of the whole event per contract', () => {
    platform.coreTemplate.resourceCountIs('AWS::EventSchemas::Registry', 1);
    const schemas = Object.values(resourcesOfType(platform.coreTemplate, 'AWS::EventSchemas::Schema'));
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
  it('gives each declared table, in its service stack, on-demand billing, PITR, TTL, encryption, deletion protection, retention and the outbox stream', () => {
    platform.coreTemplate.resourceCountIs('AWS::DynamoDB::Table', 0);
    for (const service of allServices) {
      const template = templateOf(service);
      template.resourceCountIs('AWS::DynamoDB::Table', service.table ? 1 : 0);
      if (!service.table) continue;
      const table = serviceNamed(service.name).construct.table;
      expect(table).toBeDefined();
      if (!table) continue;
      const resource = resourcesOfType(template, 'AWS::DynamoDB::Table')[logicalIdOf(table)];
      expect(resource?.DeletionPolicy).toBe('Retain');
      expect(resource?.UpdateReplacePolicy).toBe('Retain');
      expect(resource?.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: service.table.timeToLiveAttribute, Enabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        GlobalSecondaryIndexes: service.table.globalIndexes.map((index) => ({
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
    const groups = Object.values(resourcesOfType(platform.coreTemplate, 'AWS::Cognito::UserPoolGroup'));
    expect(groups.map((group) => group.Properties?.GroupName).sort()).toEqual([...roles].sort());
  });

  it('has a user pool on the Essentials plan with a strong password policy, optional TOTP MFA and the custom claims', () => {
    platform.coreTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
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
      // Essentials: no per-user charge within the free tier; threat protection is a Plus feature.
      UserPoolTier: 'ESSENTIALS',
      UserPoolAddOns: Match.absent(),
      DeletionProtection: 'ACTIVE',
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'personId', AttributeDataType: 'String' }),
        Match.objectLike({ Name: 'departmentId', AttributeDataType: 'String' }),
      ]),
    });
    const pool = Object.values(resourcesOfType(platform.coreTemplate, 'AWS::Cognito::UserPool'))[0];
    const { PasswordPolicy: passwordPolicy } = propertyOf<{ PasswordPolicy: { MinimumLength: number } }>(
      pool,
      'Policies',
    );
    expect(passwordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
  });

  it('sends Cognito email from the sender identity through SES with the configuration set, once the address is verified', () => {
    platform.coreTemplate.hasParameter('CognitoEmailThroughSes', { AllowedValues: ['true', 'false'], Default: 'true' });
    const pool = Object.values(resourcesOfType(platform.coreTemplate, 'AWS::Cognito::UserPool'))[0];
    const [condition, throughSes, cognitoDefault] = propertyOf<{ 'Fn::If': [string, unknown, unknown] }>(
      pool,
      'EmailConfiguration',
    )['Fn::If'];
    expect(platform.coreTemplate.toJSON().Conditions[condition]).toEqual({
      'Fn::Equals': [{ Ref: 'CognitoEmailThroughSes' }, 'true'],
    });
    expect(throughSes).toEqual({
      EmailSendingAccount: 'DEVELOPER',
      From: { Ref: 'SenderEmail' },
      SourceArn: expect.anything(),
      ConfigurationSet: { Ref: expect.stringMatching(/^EmailConfigurationSet/) },
    });
    const { SourceArn: sourceArn } = throughSes as { SourceArn: unknown };
    expect(JSON.stringify(sourceArn)).toContain(':identity/",{"Ref":"SenderEmail"}');
    expect(cognitoDefault).toEqual({ EmailSendingAccount: 'COGNITO_DEFAULT' });
  });

  it('lets clients read but never write the personId and departmentId claims', () => {
    const client = Object.values(resourcesOfType(platform.coreTemplate, 'AWS::Cognito::UserPoolClient'))[0];
    expect(client?.Properties?.ReadAttributes).toEqual(
      expect.arrayContaining(['custom:personId', 'custom:departmentId']),
    );
    expect(JSON.stringify(client?.Properties?.WriteAttributes)).not.toContain('custom:');
  });

  it('authorizes with a JWT authorizer whose issuer is the pool and whose audience is the app client', () => {
    platform.coreTemplate.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    for (const { template } of platform.services) template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    platform.coreTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      ApiId: { Ref: logicalIdOf(platform.core.httpApi) },
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::GetAtt': [logicalIdOf(platform.core.userPool), 'ProviderURL'] },
        Audience: [{ Ref: logicalIdOf(platform.core.userPoolClient) }],
      },
    });
  });
});

describe('HTTP API', () => {
  const routesOf = (template: Template) => Object.values(resourcesOfType(template, 'AWS::ApiGatewayV2::Route'));
  const routeIn = (template: Template, key: string) =>
    routesOf(template).find((candidate) => candidate.Properties?.RouteKey === key);

  it('is one API in the core stack; each service stack adds exactly its declared routes to it', () => {
    platform.coreTemplate.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    platform.coreTemplate.resourceCountIs('AWS::ApiGatewayV2::Route', 0);
    for (const service of allServices) {
      const template = templateOf(service);
      template.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
      const routes = routesOf(template);
      expect(routes.map((route) => route.Properties?.RouteKey).sort(), service.name).toEqual(
        service.routes.map((route) => `${route.method} ${route.path}`).sort(),
      );
      if (routes.length === 0) continue;
      const apiId = coreValueIn(template, 'httpApiId');
      for (const route of routes) expect(route.Properties?.ApiId).toEqual(apiId);
      for (const integration of Object.values(resourcesOfType(template, 'AWS::ApiGatewayV2::Integration'))) {
        expect(integration.Properties?.ApiId).toEqual(apiId);
      }
    }
  });

  it('puts the core JWT authorizer on every non-public route and none on public ones', () => {
    for (const { service, route } of declaredRoutes) {
      const template = templateOf(service);
      const resource = routeIn(template, `${route.method} ${route.path}`);
      if (route.auth === 'public') {
        expect(resource?.Properties?.AuthorizationType, route.path).toBe('NONE');
        expect(resource?.Properties?.AuthorizerId, route.path).toBeUndefined();
      } else {
        expect(resource?.Properties?.AuthorizationType, route.path).toBe('JWT');
        expect(resource?.Properties?.AuthorizerId, route.path).toEqual(coreValueIn(template, 'jwtAuthorizerId'));
      }
    }
  });

  it('integrates each route with its declared function, which only this API may invoke, for that route', () => {
    for (const service of allServices) {
      const permissions = Object.values(resourcesOfType(templateOf(service), 'AWS::Lambda::Permission')).filter(
        (permission) => permission.Properties?.Principal === 'apigateway.amazonaws.com',
      );
      expect(permissions, service.name).toHaveLength(service.routes.length);
    }
    for (const { service, route } of declaredRoutes) {
      const template = templateOf(service);
      const apiId = coreValueIn(template, 'httpApiId');
      const integrations = resourcesOfType(template, 'AWS::ApiGatewayV2::Integration');
      const permissions = Object.values(resourcesOfType(template, 'AWS::Lambda::Permission')).filter(
        (permission) => permission.Properties?.Principal === 'apigateway.amazonaws.com',
      );
      const fnId = logicalIdOf(serviceNamed(service.name).construct.functionNamed(route.function, 'test'));
      const resource = routeIn(template, `${route.method} ${route.path}`);
      const integrationId = Object.keys(integrations).find((id) => mentions(resource?.Properties?.Target, id));
      expect(integrationId, route.path).toBeDefined();
      expect(mentions(integrations[integrationId ?? '']?.Properties?.IntegrationUri, fnId)).toBe(true);
      expect(
        permissions.some((permission) => {
          const sourceArn = permission.Properties?.SourceArn;
          return (
            mentions(permission.Properties?.FunctionName, fnId) &&
            // `arn:…:execute-api:<region>:<account>:<this API's id>/*/*<path>`
            JSON.stringify(sourceArn).includes(`${JSON.stringify(apiId)},"/*/*${route.path}"`)
          );
        }),
        `${route.method} ${route.path}`,
      ).toBe(true);
    }
  });

  it('throttles and access-logs the stage, and answers CORS preflights', () => {
    platform.coreTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context\\.requestId') },
    });
    platform.coreTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({
        AllowHeaders: Match.arrayWith(['authorization', 'content-type', 'x-correlation-id']),
      }),
    });
  });
});

describe('subscriptions', () => {
  it('puts a rule with exactly the declared pattern on the platform bus, with retries and a DLQ', () => {
    for (const { service, subscription } of declaredSubscriptions) {
      const template = templateOf(service);
      const { construct } = serviceNamed(service.name);
      const fnId = logicalIdOf(construct.functionNamed(subscription.function, 'test'));
      const dlq = construct.deadLetterQueues.get(subscription.function)?.queue;
      expect(dlq, subscription.name).toBeDefined();
      // A function may have several rules: the one of this subscription names it in its description.
      const rule = Object.values(resourcesOfType(template, 'AWS::Events::Rule')).find((candidate) => {
        const targets = candidate.Properties?.Targets as { Arn: unknown }[];
        const description = String(candidate.Properties?.Description ?? '');
        return (
          targets.some((target) => mentions(target.Arn, fnId)) &&
          description.startsWith(`${service.name}/${subscription.name}:`)
        );
      });
      expect(rule?.Properties?.EventPattern, subscription.name).toEqual(subscription.pattern);
      expect(rule?.Properties?.EventBusName).toEqual(coreValueIn(template, 'eventBusName'));
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
      const template = templateOf(service);
      const { construct } = serviceNamed(service.name);
      const dlqId = logicalIdOf(construct.deadLetterQueues.get(subscription.function)?.queue as never);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
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
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalIdOf(construct.functionNamed(subscription.function, 'test')) },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
      });
    }
  });
});

describe('schedules', () => {
  it('puts one Scheduler schedule per declared schedule on its function, with retries, a DLQ and the firing as input', () => {
    for (const service of allServices) {
      templateOf(service).resourceCountIs('AWS::Scheduler::Schedule', service.schedules.length);
    }
    for (const { service, schedule } of declaredSchedules) {
      const template = templateOf(service);
      const { construct } = serviceNamed(service.name);
      const fnId = logicalIdOf(construct.functionNamed(schedule.function, 'test'));
      const dlqId = logicalIdOf(construct.deadLetterQueues.get(schedule.function)?.queue as never);
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
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
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
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
      const template = templateOf(service);
      const { construct } = serviceNamed(service.name);
      const dlqId = logicalIdOf(construct.deadLetterQueues.get(fn.name)?.queue as never);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
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
      const mapping = Object.values(resourcesOfType(template, 'AWS::Lambda::EventSourceMapping'))[0];
      expect(mapping?.Properties?.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(mapping?.Properties?.MaximumRetryAttempts).toBeLessThanOrEqual(10);
    }
  });

  it('alarms when any stream mapping falls behind (IteratorAge), well before the stream’s 24 h retention', () => {
    const mappings = platform.services.flatMap(({ template }) =>
      Object.values(resourcesOfType(template, 'AWS::Lambda::EventSourceMapping')).map((mapping) => ({
        template,
        mapping,
      })),
    );
    expect(mappings).toHaveLength(relays.length);
    for (const { template, mapping } of mappings) {
      const functionName = mapping.Properties?.FunctionName;
      const iteratorAgeAlarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).filter(
        (alarm) =>
          alarm.Properties?.MetricName === 'IteratorAge' &&
          JSON.stringify(alarm.Properties?.Dimensions) ===
            JSON.stringify([{ Name: 'FunctionName', Value: functionName }]),
      );
      expect(iteratorAgeAlarms, JSON.stringify(functionName)).toHaveLength(1);
      expect(iteratorAgeAlarms[0]?.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        Statistic: 'Maximum',
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [coreValueIn(template, 'alarmTopicArn')],
      });
      const threshold = Number(iteratorAgeAlarms[0]?.Properties?.Threshold);
      expect(threshold).toBeGreaterThanOrEqual(60_000);
      expect(threshold).toBeLessThanOrEqual(60 * 60_000);
    }
  });
});

describe('functions', () => {
  it('run Node.js 24 on arm64 with tracing, source maps, the declared size and the declared environment', () => {
    platform.coreTemplate.resourceCountIs('AWS::Lambda::Function', 0);
    for (const service of allServices) {
      templateOf(service).resourceCountIs('AWS::Lambda::Function', service.functions.length);
    }
    for (const { service, fn } of declaredFunctions) {
      const template = templateOf(service);
      const { construct } = serviceNamed(service.name);
      const resource = resourcesOfType(template, 'AWS::Lambda::Function')[
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
        EVENT_BUS_NAME: coreValueIn(template, 'eventBusName'),
      });
      if (fn.access.table) {
        expect(variables.TABLE_NAME, fn.name).toEqual({ Ref: logicalIdOf(construct.table as never) });
      } else {
        expect(variables.TABLE_NAME, fn.name).toBeUndefined();
      }
      if (fn.access.sendEmail) {
        expect(variables.SENDER_EMAIL, fn.name).toEqual(coreValueIn(template, 'senderEmail'));
        expect(variables.SES_CONFIGURATION_SET, fn.name).toBeDefined();
      } else {
        expect(variables.SENDER_EMAIL, fn.name).toBeUndefined();
      }
    }
  });

  it('log to their own log group with a retention', () => {
    for (const { service, fn } of declaredFunctions) {
      const template = templateOf(service);
      const logGroups = resourcesOfType(template, 'AWS::Logs::LogGroup');
      const resource = resourcesOfType(template, 'AWS::Lambda::Function')[
        logicalIdOf(serviceNamed(service.name).construct.functionNamed(fn.name, 'test'))
      ];
      const logGroupRef = propertyOf<{ LogGroup: { Ref: string } }>(resource, 'LoggingConfig').LogGroup.Ref;
      expect(logGroups[logGroupRef]?.Properties?.RetentionInDays, fn.name).toEqual(expect.any(Number));
    }
  });

  it('alarm on errors and throttles to the alarm topic', () => {
    for (const { service, fn } of declaredFunctions) {
      const template = templateOf(service);
      const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm'));
      const fnId = logicalIdOf(serviceNamed(service.name).construct.functionNamed(fn.name, 'test'));
      for (const metric of ['Errors', 'Throttles']) {
        const alarm = alarms.find(
          (candidate) =>
            candidate.Properties?.MetricName === metric && mentions(candidate.Properties?.Dimensions, fnId),
        );
        expect(alarm, `${fn.name} ${metric}`).toBeDefined();
        expect(alarm?.Properties?.AlarmActions).toEqual([coreValueIn(template, 'alarmTopicArn')]);
      }
    }
  });
});

describe('least privilege', () => {
  const statementsOf = (serviceName: string, fnName: string) => {
    const { template, construct } = serviceNamed(serviceName);
    return statementsOfFunction(template, construct, fnName);
  };
  const allIdentityStatements = (): PolicyStatementJson[] =>
    platform.stacks.flatMap(({ template }) =>
      Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).flatMap(statementsOfPolicy),
    );

  it('grants no wildcard action, and Resource "*" only to actions that have no resource-level permissions', () => {
    const statements = allIdentityStatements();
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      for (const action of actionsOf(statement)) expect(action).not.toContain('*');
      if (resourcesOf(statement).includes('*')) {
        expect(
          actionsOf(statement).every((action) =>
            [
              'xray:PutTraceSegments',
              'xray:PutTelemetryRecords',
              'dynamodb:ListStreams',
              'scheduler:ListSchedules',
            ].includes(action),
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
      const resources = resourcesOf(putEvents[0] as PolicyStatementJson);
      expect(resources).toHaveLength(1);
      // `arn:…:events:<region>:<account>:event-bus/<the bus name the core stack wrote>`
      expect(JSON.stringify(resources[0])).toContain(
        `:event-bus/",${JSON.stringify(coreValueIn(templateOf(service), 'eventBusName'))}`,
      );
      const actions = allowedActionsOf(statements);
      for (const write of TABLE_WRITE_ACTIONS) expect(actions).not.toContain(write);
      expect(actions).not.toContain('dynamodb:GetItem');
    }
  });

  it('lets table functions touch only their own table and its indexes', () => {
    for (const { service, fn } of declaredFunctions.filter(({ fn }) => fn.access.table)) {
      const tableId = logicalIdOf(serviceNamed(service.name).construct.table as never);
      const tableStatements = statementsOf(service.name, fn.name).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
      );
      expect(tableStatements.length, fn.name).toBeGreaterThan(0);
      for (const statement of tableStatements) {
        for (const resource of resourcesOf(statement)) {
          // Its own table only: a reference to this stack's table (other tables live in other stacks).
          expect(mentions(resource, tableId), `${fn.name}: ${JSON.stringify(resource)}`).toBe(true);
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
    let queueCount = 0;
    for (const { template } of platform.stacks) {
      const queues = resourcesOfType(template, 'AWS::SQS::Queue');
      const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm'));
      queueCount += Object.keys(queues).length;
      for (const [queueId, queue] of Object.entries(queues)) {
        expect(queue.Properties?.SqsManagedSseEnabled, queueId).toBe(true);
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
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
    }
    expect(queueCount).toBeGreaterThan(0);
  });

  it('sends every alarm of every stack to one encrypted, TLS-only topic that CloudWatch may publish to', () => {
    const coreTopicRef = { Ref: logicalIdOf(platform.core.alarmTopic) };
    for (const alarm of Object.values(resourcesOfType(platform.coreTemplate, 'AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties?.AlarmActions).toEqual([coreTopicRef]);
    }
    for (const { template } of platform.services) {
      for (const alarm of Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm'))) {
        expect(alarm.Properties?.AlarmActions).toEqual([coreValueIn(template, 'alarmTopicArn')]);
      }
      template.resourceCountIs('AWS::SNS::Topic', 0);
    }
    platform.coreTemplate.resourceCountIs('AWS::SNS::Topic', 1);
    platform.coreTemplate.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    platform.coreTemplate.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    platform.coreTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
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
  it('takes the sender as a core-stack parameter and creates its identity only when asked', () => {
    platform.coreTemplate.hasParameter('SenderEmail', { Type: 'String' });
    platform.coreTemplate.hasParameter('CreateSenderIdentity', { AllowedValues: ['true', 'false'], Default: 'true' });
    platform.coreTemplate.hasResource('AWS::SES::EmailIdentity', {
      Condition: 'ShouldCreateSenderIdentity',
      Properties: { EmailIdentity: { Ref: 'SenderEmail' } },
    });
    for (const { template } of platform.services) {
      expect(Object.keys(template.toJSON().Parameters ?? {})).not.toContain('SenderEmail');
    }
  });

  it('sends bounces and complaints of its configuration set to EventBridge and forwards them to the platform bus', () => {
    platform.coreTemplate.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
        EventBridgeDestination: { EventBusArn: Match.anyValue() },
      },
    });
    platform.coreTemplate.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: 'default',
      EventPattern: Match.objectLike({
        source: ['aws.ses'],
        'detail-type': Match.arrayWith(['Email Bounced', 'Email Complaint Received']),
      }),
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf(platform.core.eventBus), 'Arn'] },
          DeadLetterConfig: Match.anyValue(),
        }),
      ],
    });
  });
});

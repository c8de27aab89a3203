import { join } from 'node:path';
import {
  ArnFormat,
  CfnOutput,
  CfnParameter,
  Duration,
  Lazy,
  RemovalPolicy,
  Stack,
  TimeZone,
  Validations,
} from 'aws-cdk-lib';
import {
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  type IHttpApi,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { type EventPattern, type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, type IFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleGroup,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { ScheduleTargetBase, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { webhookResourceName } from '../shared/api-destinations';
import {
  type EventPattern as DeclaredEventPattern,
  type FunctionDeclaration,
  functionEnvironment,
  type ServiceDeclaration,
} from '../shared/declaration';
import { OUTBOX_KEY_PREFIX } from '../shared/events/outbox';
import { oneTimeScheduleGroupOf } from '../shared/one-time-schedules';
import { DeadLetterQueue } from './dead-letter-queue';
import { PlatformFunction } from './platform-function';

/** How the functions send email: the sender identity and the configuration set every send uses. */
export interface EmailSettings {
  senderEmail: string;
  senderIdentityArn: string;
  configurationSetName: string;
  configurationSetArn: string;
}

/** What every service is given by the core stack (imported in its service stack); everything else a service builds itself. */
export interface SharedPlatformResources {
  repositoryRoot: string;
  eventBus: IEventBus;
  httpApi: IHttpApi;
  /** The JWT authorizer of every non-public route. */
  authorizer: IHttpRouteAuthorizer;
  email: EmailSettings;
  /** Where people reach the HTTP API: given to functions that send email, for the links in it. */
  publicApiUrl: string;
  alarmTopic: ITopic;
}

export interface ServiceConstructProps {
  service: ServiceDeclaration;
  shared: SharedPlatformResources;
}

/** Reads only: no Scan, which the architecture rules out on every path. */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;
/** TransactWriteItems has no IAM action of its own: it is authorized per item action, ConditionCheckItem included. */
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;
export const SEND_EMAIL_ACTIONS = ['ses:SendEmail', 'ses:SendRawEmail'] as const;
/** One-time schedules in the service's group; listing has no resource-level permission. */
export const ONE_TIME_SCHEDULE_ACTIONS = [
  'scheduler:CreateSchedule',
  'scheduler:UpdateSchedule',
  'scheduler:GetSchedule',
  'scheduler:DeleteSchedule',
] as const;
/** Webhook deliveries: rules, connections and API destinations named `<service>-webhook-*`. */
export const WEBHOOK_RULE_ACTIONS = [
  'events:PutRule',
  'events:DescribeRule',
  'events:DeleteRule',
  'events:PutTargets',
  'events:RemoveTargets',
] as const;
export const WEBHOOK_CONNECTION_ACTIONS = [
  'events:CreateConnection',
  'events:UpdateConnection',
  'events:DescribeConnection',
  'events:DeleteConnection',
] as const;
export const WEBHOOK_DESTINATION_ACTIONS = [
  'events:CreateApiDestination',
  'events:UpdateApiDestination',
  'events:DescribeApiDestination',
  'events:DeleteApiDestination',
] as const;
/** EventBridge keeps a connection's credentials in a secret it creates as the caller (`events!connection/<name>/...`). */
export const CONNECTION_SECRET_ACTIONS = [
  'secretsmanager:CreateSecret',
  'secretsmanager:UpdateSecret',
  'secretsmanager:DescribeSecret',
  'secretsmanager:DeleteSecret',
  'secretsmanager:GetSecretValue',
  'secretsmanager:PutSecretValue',
] as const;

/** EventBridge rules and Scheduler retry a failed delivery (throttling, a missing permission) this long. */
const DELIVERY_RETRY_ATTEMPTS = 8;
const DELIVERY_MAX_EVENT_AGE = Duration.hours(24);
/** Lambda's own retries once an asynchronous invocation has started and the function threw. */
const ASYNC_INVOKE_RETRY_ATTEMPTS = 2;
const ASYNC_INVOKE_MAX_EVENT_AGE = Duration.hours(6);
/** The stream keeps records 24 h; a batch that still fails after this goes to the DLQ (as a pointer). */
const OUTBOX_STREAM_RETRY_ATTEMPTS = 10;
const OUTBOX_STREAM_MAX_RECORD_AGE = Duration.hours(24);
/**
 * The relay normally publishes an outbox record within a second or two of the write. A record
 * still unread after 5 minutes means the relay is stuck on a failing batch or falling behind:
 * consumers (and the people waiting on them) already notice, and it is a day before the
 * stream's 24 h retention turns the delay into a dead-letter pointer. Short bursts of retries
 * (a PutEvents throttle) stay well under it.
 */
const OUTBOX_STREAM_ITERATOR_AGE_ALARM = Duration.minutes(5);

const XRAY_WILDCARD_REASON =
  'X-Ray PutTraceSegments/PutTelemetryRecords (added by Lambda active tracing) support no resource-level permissions, so they must name Resource "*".';
const STREAM_WILDCARD_REASON =
  'Besides X-Ray (no resource-level permissions), dynamodb:ListStreams — granted by the stream event source — supports no resource-level permissions either; the stream reads themselves are scoped to this table stream.';

/** `people-api` → `PeopleApi`: construct ids that read like the declaration. */
export const pascalCase = (kebab: string): string =>
  kebab
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join('');

/**
 * A declared pattern is written as EventBridge reads it (`detail-type`); the CDK's type spells
 * that key `detailType` and renames it back when rendering, so the template holds exactly the
 * declared pattern.
 */
export const toCdkEventPattern = (pattern: DeclaredEventPattern): EventPattern => {
  const { 'detail-type': detailType, ...rest } = pattern;
  return { ...rest, ...(detailType === undefined ? {} : { detailType }) } as EventPattern;
};

/**
 * Invokes the unqualified function, and may invoke nothing else. The stock `LambdaInvoke`
 * target grants `lambda:InvokeFunction` on `<arn>:*` (every version and alias), and
 * `grantInvokeLatestVersion` adds `<arn>:$LATEST`; the schedule calls neither.
 */
class InvokeUnqualifiedFunction extends ScheduleTargetBase {
  private readonly target: IFunction;

  constructor(target: IFunction, props: ScheduleTargetBaseProps) {
    super(props, target.functionArn);
    this.target = target;
  }

  protected addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.target.functionArn] }),
    );
  }
}

/**
 * One service, built from its declaration only: its table, its functions with exactly the
 * access they declare, its routes on the shared HTTP API, its rules on the shared bus, its
 * schedules, its outbox relay, and the dead-letter queues and alarms of all of them.
 */
export class ServiceConstruct extends Construct {
  readonly service: ServiceDeclaration;
  readonly table?: Table;
  readonly functions = new Map<string, PlatformFunction>();
  /** One per function that is started asynchronously (rules, schedules, the table stream). */
  readonly deadLetterQueues = new Map<string, DeadLetterQueue>();

  private readonly shared: SharedPlatformResources;
  /** The service's declared secrets, by declared name. */
  readonly secrets: ReadonlyMap<string, Secret>;
  /** Setting values as the functions receive them: references to the stack parameters. */
  private readonly settings: Record<string, string>;
  private readonly integrations = new Map<string, HttpLambdaIntegration>();
  private readonly asyncInvokeConfigured = new Set<string>();
  /** For functions that create one-time schedules: the service's schedule group and the role Scheduler assumes. */
  private oneTimeScheduling?: { group: ScheduleGroup; role: Role };
  /** For functions that set up webhook deliveries: the role EventBridge assumes, and where failed deliveries go. */
  private webhookDelivery?: { role: Role; deadLetters: DeadLetterQueue };

  constructor(scope: Construct, id: string, props: ServiceConstructProps) {
    super(scope, id);
    this.service = props.service;
    this.shared = props.shared;

    this.settings = this.createSettingParameters();
    this.secrets = this.createSecrets();
    if (this.service.table) this.table = this.createTable();
    if (this.service.functions.some((fn) => fn.access.oneTimeSchedules)) {
      this.oneTimeScheduling = this.createOneTimeScheduling();
    }
    if (this.service.functions.some((fn) => fn.access.apiDestinations))
      this.webhookDelivery = this.createWebhookDelivery();
    for (const declaration of this.service.functions) this.createFunction(declaration);
    this.letSchedulerInvokeTargets();
    for (const route of this.service.routes) this.createRoute(route);
    for (const subscription of this.service.subscriptions) this.createSubscription(subscription);
    for (const schedule of this.service.schedules) this.createSchedule(schedule);
  }

  /** The function a route, rule or schedule names; a typo fails the synth, not a deployment. */
  functionNamed(name: string, usedBy: string): PlatformFunction {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(`${this.service.name}: ${usedBy} names the undeclared function "${name}"`);
    return fn;
  }

  /** One stack parameter per declared setting, validated by CloudFormation at deployment. */
  private createSettingParameters(): Record<string, string> {
    const values: Record<string, string> = {};
    for (const setting of this.service.settings) {
      const name = `${pascalCase(this.service.name)}${pascalCase(setting.name.toLowerCase())}`;
      const range = setting.integerRange;
      const parameter = new CfnParameter(this, name, {
        description: `${this.service.name}: ${setting.description}`,
        default: setting.default,
        ...(range
          ? {
              type: 'Number',
              // Listed, so 4.5 is refused too (minValue/maxValue would let it through).
              allowedValues: Array.from({ length: range.max - range.min + 1 }, (_, index) => String(range.min + index)),
              constraintDescription: `a whole number from ${range.min} to ${range.max}`,
            }
          : { type: 'String' }),
      });
      // `PulseAnonymityThreshold`, as `cdk deploy --parameters` names it, not a hashed id.
      parameter.overrideLogicalId(name);
      values[setting.name] = parameter.valueAsString;
    }
    return values;
  }

  /**
   * One Secrets Manager secret per declared secret, its value generated by Secrets Manager at
   * creation: nobody ever sees or types it, and only the functions that list it may read it.
   */
  private createSecrets(): ReadonlyMap<string, Secret> {
    const secrets = new Map<string, Secret>();
    for (const declared of this.service.secrets) {
      const secret = new Secret(this, `${pascalCase(declared.name)}Secret`, {
        description: `${this.service.name}: ${declared.description}`,
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        // Losing it would invalidate everything it protects (signed links in sent emails).
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: `${declared.name} is a key the service alone uses (${declared.description}); rotating it would invalidate what it signed before the rotation (links in emails already sent) and needs a two-key verification the service does not have yet. It is generated by Secrets Manager and readable only by the functions that declare it.`,
      });
      secrets.set(declared.name, secret);
    }
    return secrets;
  }

  private createTable(): Table {
    const declaration = this.service.table;
    if (!declaration) throw new Error(`${this.service.name} declares no table`);
    const hasOutboxRelay = this.service.functions.some((fn) => fn.trigger?.kind === 'outbox-stream');
    const table = new Table(this, 'Table', {
      partitionKey: { name: declaration.partitionKey, type: AttributeType.STRING },
      sortKey: { name: declaration.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: declaration.timeToLiveAttribute,
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      // The data outlives the stack: deleting the stack must never delete the directory.
      removalPolicy: RemovalPolicy.RETAIN,
      // The relay needs only what was written (the outbox record), not what it replaced.
      ...(hasOutboxRelay ? { stream: StreamViewType.NEW_IMAGE } : {}),
    });
    for (const index of declaration.globalIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    const output = new CfnOutput(this, 'TableName', {
      value: table.tableName,
      description: `DynamoDB table of the ${this.service.name} service`,
    });
    // A readable output name (`MatchingTableName`) instead of one with a hash suffix.
    output.overrideLogicalId(`${pascalCase(this.service.name)}TableName`);
    return table;
  }

  private createFunction(declaration: FunctionDeclaration): void {
    if (this.functions.has(declaration.name)) {
      throw new Error(`${this.service.name} declares the function "${declaration.name}" twice`);
    }
    if (declaration.access.table && !this.table) {
      throw new Error(`${this.service.name}/${declaration.name} declares table access but the service has no table`);
    }
    // Read only by functions that send: a service stack then reads the email settings only if it sends.
    const email = declaration.access.sendEmail ? this.shared.email : undefined;
    const fn = new PlatformFunction(this, pascalCase(declaration.name), {
      entry: join(this.shared.repositoryRoot, declaration.entry),
      repositoryRoot: this.shared.repositoryRoot,
      description: `${this.service.name}/${declaration.name}: ${declaration.description}`,
      memoryMb: declaration.memoryMb,
      timeoutSeconds: declaration.timeoutSeconds,
      ...(declaration.packagesBesideBundle ? { packagesBesideBundle: declaration.packagesBesideBundle } : {}),
      environment: functionEnvironment(this.service, declaration, {
        eventBusName: this.shared.eventBus.eventBusName,
        ...(this.table ? { tableName: this.table.tableName } : {}),
        // `functionEnvironment` sets these only for functions that send email.
        senderEmail: email?.senderEmail ?? '',
        sesConfigurationSet: email?.configurationSetName ?? '',
        settings: this.settings,
        ...(email ? { publicApiUrl: this.shared.publicApiUrl } : {}),
        secretIds: Object.fromEntries(
          (declaration.access.secrets ?? []).map((name) => [name, this.secretNamed(name, declaration.name).secretArn]),
        ),
        ...this.runtimeResourcesOf(declaration),
      }),
    });
    this.functions.set(declaration.name, fn);
    this.grantDeclaredAccess(fn, declaration);
    this.alarmOnFunction(fn, declaration);
    if (declaration.trigger?.kind === 'outbox-stream') this.relayOutboxFromStream(fn, declaration);

    if (fn.role) {
      Validations.of(fn.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: declaration.trigger?.kind === 'outbox-stream' ? STREAM_WILDCARD_REASON : XRAY_WILDCARD_REASON,
      });
    }
  }

  private secretNamed(name: string, functionName: string): Secret {
    const secret = this.secrets.get(name);
    if (!secret) throw new Error(`${this.service.name}/${functionName} reads the undeclared secret "${name}"`);
    return secret;
  }

  /**
   * One-time schedules: the service's schedule group, and the role Scheduler assumes to invoke
   * the declared targets (granted in `letSchedulerInvokeTargets`, once they exist), only on
   * behalf of schedules of this account.
   */
  private createOneTimeScheduling(): { group: ScheduleGroup; role: Role } {
    const group = new ScheduleGroup(this, 'OneTimeScheduleGroup', {
      scheduleGroupName: oneTimeScheduleGroupOf(this.service),
      // Schedules come and go with the data (each escalation's milestones); they are not the stack's.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(this, 'OneTimeScheduleRole', {
      description: `${this.service.name}: assumed by EventBridge Scheduler to run the one-time schedules its functions create`,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    return { group, role };
  }

  /**
   * Webhook deliveries: the role EventBridge assumes to invoke the API destinations the
   * service's functions create (named `<service>-webhook-*`), and the dead-letter queue their
   * rules' targets name, which only those rules may send to.
   */
  private createWebhookDelivery(): { role: Role; deadLetters: DeadLetterQueue } {
    const stack = Stack.of(this);
    const prefix = webhookResourceName(this.service.name, '');
    const role = new Role(this, 'WebhookDeliveryRole', {
      description: `${this.service.name}: assumed by EventBridge to deliver events to the webhooks its functions set up`,
      assumedBy: new ServicePrincipal('events.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['events:InvokeApiDestination'],
        resources: [stack.formatArn({ service: 'events', resource: 'api-destination', resourceName: `${prefix}*/*` })],
      }),
    );
    const deadLetters = new DeadLetterQueue(this, 'WebhookDeliveriesDeadLetters', {
      purpose: `${this.service.name}/webhook deliveries`,
      alarmTopic: this.shared.alarmTopic,
    });
    deadLetters.queue.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [deadLetters.queue.queueArn],
        conditions: { ArnLike: { 'aws:SourceArn': this.webhookRuleArns() } },
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:api-destination/${prefix}*/*]`,
      reason: `The API destinations are created at run time, one per department that has a tracker webhook (data an admin manages), so their names are only known by prefix (${prefix}*); EventBridge adds a generated suffix to each ARN.`,
    });
    return { role, deadLetters };
  }

  /** `arn:...:rule/<bus>/<service>-webhook-*`: the rules the service's webhook deliveries use. */
  private webhookRuleArns(): string {
    return Stack.of(this).formatArn({
      service: 'events',
      resource: 'rule',
      resourceName: `${this.shared.eventBus.eventBusName}/${webhookResourceName(this.service.name, '')}*`,
    });
  }

  /** What `functionEnvironment` hands a function that creates schedules or webhook deliveries. */
  private runtimeResourcesOf(declaration: FunctionDeclaration) {
    const target = declaration.access.oneTimeSchedules?.target;
    return {
      ...(target && this.oneTimeScheduling
        ? {
            oneTimeSchedules: {
              groupName: this.oneTimeScheduling.group.scheduleGroupName,
              roleArn: this.oneTimeScheduling.role.roleArn,
              // The target may be declared after this function: resolved once every function exists.
              functionArn: (name: string) =>
                Lazy.string({
                  produce: () => this.functionNamed(name, `${declaration.name}'s one-time schedules`).functionArn,
                }),
              deadLetterArn: this.deadLetterQueueOf(target).queue.queueArn,
            },
          }
        : {}),
      ...(declaration.access.apiDestinations && this.webhookDelivery
        ? {
            apiDestinations: {
              roleArn: this.webhookDelivery.role.roleArn,
              deadLetterArn: this.webhookDelivery.deadLetters.queue.queueArn,
            },
          }
        : {}),
    };
  }

  /**
   * Each declared target of one-time schedules: Scheduler's role may invoke it (the unqualified
   * function only) and send what failed to its dead-letter queue; Lambda's own retries of a
   * throwing invocation end in the same queue.
   */
  private letSchedulerInvokeTargets(): void {
    const scheduling = this.oneTimeScheduling;
    if (!scheduling) return;
    const targets = new Set(
      this.service.functions.flatMap((fn) => (fn.access.oneTimeSchedules ? [fn.access.oneTimeSchedules.target] : [])),
    );
    for (const name of targets) {
      const target = this.functionNamed(name, 'one-time schedules');
      target.grantInvokeLatestVersion(scheduling.role);
      this.deadLetterQueueOf(name).queue.grantSendMessages(scheduling.role);
      this.configureAsyncFailures(target, name);
    }
  }

  /** Least privilege, from the declaration alone. */
  private grantDeclaredAccess(fn: PlatformFunction, declaration: FunctionDeclaration): void {
    const { access } = declaration;
    if (access.table && this.table) {
      const table = this.table;
      // Named indexes rather than `index/*`: a wildcard would also cover indexes added later.
      const resources = [
        table.tableArn,
        ...(this.service.table?.globalIndexes ?? []).map((index) => `${table.tableArn}/index/${index.name}`),
      ];
      const actions =
        access.table === 'read-write' ? [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS] : TABLE_READ_ACTIONS;
      fn.addToRolePolicy(new PolicyStatement({ actions: [...actions], resources }));
    }
    if (access.publishEvents) {
      this.shared.eventBus.grantPutEventsTo(fn);
    }
    for (const name of access.secrets ?? []) this.secretNamed(name, declaration.name).grantRead(fn);
    if (access.oneTimeSchedules && this.oneTimeScheduling) this.grantOneTimeSchedules(fn, this.oneTimeScheduling);
    if (access.apiDestinations && this.webhookDelivery) this.grantWebhookDeliveries(fn, this.webhookDelivery);
    if (access.sendEmail) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: [...SEND_EMAIL_ACTIONS],
          resources: [this.shared.email.senderIdentityArn, this.shared.email.configurationSetArn],
        }),
      );
    }
  }

  /** Create and delete schedules in the service's group only, handing them only Scheduler's role. */
  private grantOneTimeSchedules(fn: PlatformFunction, scheduling: { group: ScheduleGroup; role: Role }): void {
    const stack = Stack.of(this);
    const schedules = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${scheduling.group.scheduleGroupName}/*`,
    });
    fn.addToRolePolicy(new PolicyStatement({ actions: [...ONE_TIME_SCHEDULE_ACTIONS], resources: [schedules] }));
    // ListSchedules has no resource-level permission (IAM's service authorization reference).
    fn.addToRolePolicy(new PolicyStatement({ actions: ['scheduler:ListSchedules'], resources: ['*'] }));
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [scheduling.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    if (fn.role) {
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${oneTimeScheduleGroupOf(this.service)}/*]`,
        reason: `The one-time schedules are created at run time (one per SLA milestone), so they are named only by their group (${oneTimeScheduleGroupOf(this.service)}), which holds nothing else.`,
      });
    }
  }

  /** Rules, connections, API destinations (and the secrets EventBridge keeps for them) named `<service>-webhook-*` only. */
  private grantWebhookDeliveries(fn: PlatformFunction, delivery: { role: Role }): void {
    const stack = Stack.of(this);
    const prefix = webhookResourceName(this.service.name, '');
    const connections = stack.formatArn({ service: 'events', resource: 'connection', resourceName: `${prefix}*` });
    const destinations = stack.formatArn({
      service: 'events',
      resource: 'api-destination',
      resourceName: `${prefix}*`,
    });
    const secrets = stack.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `events!connection/${prefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    fn.addToRolePolicy(
      new PolicyStatement({ actions: [...WEBHOOK_RULE_ACTIONS], resources: [this.webhookRuleArns()] }),
    );
    fn.addToRolePolicy(new PolicyStatement({ actions: [...WEBHOOK_CONNECTION_ACTIONS], resources: [connections] }));
    fn.addToRolePolicy(new PolicyStatement({ actions: [...WEBHOOK_DESTINATION_ACTIONS], resources: [destinations] }));
    fn.addToRolePolicy(new PolicyStatement({ actions: [...CONNECTION_SECRET_ACTIONS], resources: [secrets] }));
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [delivery.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'events.amazonaws.com' } },
      }),
    );
    if (!fn.role) return;
    // cdk-nag names a reference by its logical id: the bus name is the core stack's SSM parameter.
    const busName = stack.resolve(this.shared.eventBus.eventBusName) as { Ref?: string } | string;
    const bus = typeof busName === 'object' && busName.Ref ? `<${busName.Ref}>` : String(busName);
    const arn = (service: string, resource: string) =>
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:${service}:<AWS::Region>:<AWS::AccountId>:${resource}]`;
    const reason = `Each department's tracker webhook is data an admin manages at run time, so its rule, connection, API destination and the secret EventBridge keeps for the connection are named only by the prefix ${prefix}; the function may touch nothing else.`;
    Validations.of(fn.role).acknowledge(
      { id: arn('events', `rule/${bus}/${prefix}*`), reason },
      { id: arn('events', `connection/${prefix}*`), reason },
      { id: arn('events', `api-destination/${prefix}*`), reason },
      { id: arn('secretsmanager', `secret:events!connection/${prefix}*`), reason },
    );
  }

  private alarmOnFunction(fn: PlatformFunction, declaration: FunctionDeclaration): void {
    const label = `${this.service.name}/${declaration.name}`;
    const period = Duration.minutes(5);
    const alarms = [
      new Alarm(fn, 'ErrorsAlarm', {
        alarmDescription: `${label}: invocations failed.`,
        metric: fn.metricErrors({ period, statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(fn, 'ThrottlesAlarm', {
        alarmDescription: `${label}: invocations throttled (account concurrency exhausted).`,
        metric: fn.metricThrottles({ period, statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
    for (const alarm of alarms) alarm.addAlarmAction(new SnsAction(this.shared.alarmTopic));
  }

  private deadLetterQueueOf(functionName: string): DeadLetterQueue {
    let deadLetterQueue = this.deadLetterQueues.get(functionName);
    if (!deadLetterQueue) {
      deadLetterQueue = new DeadLetterQueue(this, `${pascalCase(functionName)}DeadLetters`, {
        purpose: `${this.service.name}/${functionName}`,
        alarmTopic: this.shared.alarmTopic,
      });
      this.deadLetterQueues.set(functionName, deadLetterQueue);
    }
    return deadLetterQueue;
  }

  /**
   * EventBridge and Scheduler invoke Lambda asynchronously: their retry policy and DLQ cover
   * only the delivery. Once delivered, a throwing handler is retried by Lambda itself, and
   * what still fails must land somewhere too: the same dead-letter queue.
   */
  private configureAsyncFailures(fn: PlatformFunction, functionName: string): void {
    if (this.asyncInvokeConfigured.has(functionName)) return;
    this.asyncInvokeConfigured.add(functionName);
    fn.configureAsyncInvoke({
      retryAttempts: ASYNC_INVOKE_RETRY_ATTEMPTS,
      maxEventAge: ASYNC_INVOKE_MAX_EVENT_AGE,
      onFailure: new SqsDestination(this.deadLetterQueueOf(functionName).queue),
    });
  }

  private relayOutboxFromStream(fn: PlatformFunction, declaration: FunctionDeclaration): void {
    if (!this.table) throw new Error(`${this.service.name}/${declaration.name} relays an outbox but has no table`);
    fn.addEventSource(
      new DynamoEventSource(this.table, {
        // From the oldest record: records written before the mapping existed are relayed too.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        // Only new outbox records; state items and TTL deletions never wake the relay.
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { pk: { S: FilterRule.beginsWith(OUTBOX_KEY_PREFIX) } } },
          }),
        ],
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: OUTBOX_STREAM_RETRY_ATTEMPTS,
        maxRecordAge: OUTBOX_STREAM_MAX_RECORD_AGE,
        // The DLQ receives the failed batch's shard and sequence numbers; the outbox items
        // themselves stay in the table until their TTL, so they can be replayed from there.
        onFailure: new SqsDlq(this.deadLetterQueueOf(declaration.name).queue),
      }),
    );
    // The relay has exactly this one stream mapping, so its function's IteratorAge is the mapping's.
    const iteratorAge = new Alarm(fn, 'IteratorAgeAlarm', {
      alarmDescription: `${this.service.name}/${declaration.name}: outbox records wait on the table stream for more than ${OUTBOX_STREAM_ITERATOR_AGE_ALARM.toMinutes()} minutes (relay stuck or falling behind).`,
      metric: fn.metric('IteratorAge', { period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: OUTBOX_STREAM_ITERATOR_AGE_ALARM.toMilliseconds(),
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    iteratorAge.addAlarmAction(new SnsAction(this.shared.alarmTopic));
  }

  private integrationOf(functionName: string): HttpLambdaIntegration {
    let integration = this.integrations.get(functionName);
    if (!integration) {
      const fn = this.functionNamed(functionName, 'a route');
      // One integration per function, shared by its routes; the invoke permission is per route.
      integration = new HttpLambdaIntegration(`${pascalCase(functionName)}Integration`, fn);
      this.integrations.set(functionName, integration);
    }
    return integration;
  }

  private createRoute(route: ServiceDeclaration['routes'][number]): void {
    this.functionNamed(route.function, `the route ${route.method} ${route.path}`);
    const isPublic = route.auth === 'public';
    const httpRoute = new HttpRoute(this, `${route.method}${pascalCase(route.path) || 'Root'}Route`, {
      httpApi: this.shared.httpApi,
      routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
      integration: this.integrationOf(route.function),
      // Every route names its authorizer: a route can only be public by declaring it so.
      authorizer: isPublic ? new HttpNoneAuthorizer() : this.shared.authorizer,
    });
    if (isPublic) {
      Validations.of(httpRoute).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${route.method} ${route.path} is declared public (auth: 'public'): ${route.summary}.`,
      });
    }
  }

  private createSubscription(subscription: ServiceDeclaration['subscriptions'][number]): void {
    const fn = this.functionNamed(subscription.function, `the subscription ${subscription.name}`);
    this.configureAsyncFailures(fn, subscription.function);
    new Rule(this, `${pascalCase(subscription.name)}Rule`, {
      eventBus: this.shared.eventBus,
      description: `${this.service.name}/${subscription.name}: ${subscription.description}`.slice(0, 512),
      eventPattern: toCdkEventPattern(subscription.pattern),
      targets: [
        new LambdaFunction(fn, {
          retryAttempts: DELIVERY_RETRY_ATTEMPTS,
          maxEventAge: DELIVERY_MAX_EVENT_AGE,
          deadLetterQueue: this.deadLetterQueueOf(subscription.function).queue,
        }),
      ],
    });
  }

  private createSchedule(schedule: ServiceDeclaration['schedules'][number]): void {
    const fn = this.functionNamed(schedule.function, `the schedule ${schedule.name}`);
    this.configureAsyncFailures(fn, schedule.function);
    new Schedule(this, `${pascalCase(schedule.name)}Schedule`, {
      description: `${this.service.name}/${schedule.name}: ${schedule.description}`.slice(0, 512),
      schedule: ScheduleExpression.expression(
        schedule.expression,
        schedule.timezone ? TimeZone.of(schedule.timezone) : undefined,
      ),
      target: new InvokeUnqualifiedFunction(fn, {
        retryAttempts: DELIVERY_RETRY_ATTEMPTS,
        maxEventAge: DELIVERY_MAX_EVENT_AGE,
        deadLetterQueue: this.deadLetterQueueOf(schedule.function).queue,
        // The handler learns which schedule fired and for which instant (not when it ran).
        input: ScheduleTargetInput.fromObject({
          schedule: schedule.name,
          scheduledTime: ContextAttribute.scheduledTime,
        }),
      }),
    });
  }
}

import {
  CfnCondition,
  CfnOutput,
  CfnParameter,
  CfnResource,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { EventBus, type IEventBus, Match, Rule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import { CfnRegistry, CfnSchema } from 'aws-cdk-lib/aws-eventschemas';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { type Role, roles } from '../shared/auth/roles';
import { eventJsonSchema, registrySchemaNameOf } from '../shared/contracts/json-schema';
import type { ServiceDeclaration } from '../shared/declaration';
import type { EventContract } from '../shared/events/envelope';
import { apiCorsPolicy } from '../shared/http/cors';
import { DeadLetterQueue } from './dead-letter-queue';
import { type EmailSettings, pascalCase, ServiceConstruct } from './service-construct';

export interface MentoringPlatformStackProps extends StackProps {
  /** The deployed services (`allServices`): everything service-specific comes from these. */
  services: readonly ServiceDeclaration[];
  /** Every event contract on the bus (`eventCatalog`): one registry schema each. */
  eventContracts: readonly EventContract[];
  /** Absolute path of the repository: declared entries are relative to it. */
  repositoryRoot: string;
  /** Browser origins allowed to call the API. */
  corsAllowOrigins?: readonly string[];
}

/** What each JWT group (role) means; the groups themselves are the product's roles. */
const ROLE_DESCRIPTIONS: Record<Role, string> = {
  employee: 'Everyone in the programme; a mentee is an employee with a mentor.',
  mentor: 'Mentors of a pod.',
  'life-coach': 'The life coach who leads the programme.',
  admin: 'Programme operations.',
  department: 'Machine clients of one department (custom:departmentId says which).',
};

/** SES sends these to the default bus; they are forwarded to the platform bus. */
const SES_FEEDBACK_DETAIL_TYPES = [
  'Email Bounced',
  'Email Complaint Received',
  'Email Rejected',
  'Email Delivery Delayed',
  'Email Rendering Failed',
];

/** Sustained requests per second and burst for the whole API (per account and region, API Gateway caps at 10,000). */
const API_THROTTLE = { rateLimit: 100, burstLimit: 200 };

/** Replay window for the bus: long enough to rebuild a consumer's state after a bad release. */
const EVENT_ARCHIVE_RETENTION = Duration.days(90);

/** API access logs are the audit trail of who called what. */
const ACCESS_LOG_RETENTION = RetentionDays.ONE_YEAR;

/** The JSON access log line (HTTP API `$context` variables only; REST-only ones are rejected). */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  subject: '$context.authorizer.claims.sub',
});

/**
 * The whole platform in one stack (no cross-stack references to lock deployments): the
 * shared bus, API, identity, email and alarm resources, and one `ServiceConstruct` per
 * declared service.
 */
export class MentoringPlatformStack extends Stack {
  readonly eventBus: EventBus;
  readonly httpApi: HttpApi;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  readonly alarmTopic: Topic;
  readonly services: ServiceConstruct[];

  constructor(scope: Construct, id: string, props: MentoringPlatformStackProps) {
    super(scope, id, props);

    this.alarmTopic = this.createAlarmTopic();
    this.eventBus = this.createEventBus();
    this.createSchemaRegistry(props.eventContracts);
    const { userPool, client } = this.createUserPool();
    this.userPool = userPool;
    this.userPoolClient = client;
    const authorizer = new HttpJwtAuthorizer('CognitoJwtAuthorizer', userPool.userPoolProviderUrl, {
      // ID tokens carry `aud` = this client, the groups and the custom attributes.
      jwtAudience: [client.userPoolClientId],
    });
    this.httpApi = this.createHttpApi(authorizer, props.corsAllowOrigins ?? apiCorsPolicy.allowOrigins);
    const email = this.createEmailSending();

    const names = new Set<string>();
    this.services = props.services.map((service) => {
      if (names.has(service.name)) throw new Error(`Two services are named "${service.name}"`);
      names.add(service.name);
      return new ServiceConstruct(this, pascalCase(service.name), {
        service,
        shared: {
          repositoryRoot: props.repositoryRoot,
          eventBus: this.eventBus,
          httpApi: this.httpApi,
          authorizer,
          email,
          alarmTopic: this.alarmTopic,
        },
      });
    });
  }

  /** One topic for every alarm. CloudWatch can publish to an encrypted topic only with a customer key it may use. */
  private createAlarmTopic(): Topic {
    const key = new Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the mentoring platform alarm topic',
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    const topic = new Topic(this, 'AlarmTopic', {
      displayName: 'Mentoring platform alarms',
      masterKey: key,
      enforceSSL: true,
    });
    // The enforce-SSL topic policy replaces SNS's default policy, so CloudWatch is allowed explicitly.
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: { 'aws:SourceArn': this.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*' }) },
        },
      }),
    );
    new CfnOutput(this, 'AlarmTopicArn', {
      value: topic.topicArn,
      description: 'Subscribe the on-call address or chat integration here',
    });
    return topic;
  }

  private createEventBus(): EventBus {
    const bus = new EventBus(this, 'EventBus', {
      description: 'Mentoring platform events: every service publishes and subscribes here only.',
    });
    bus.archive('EventArchive', {
      description: 'Every event on the platform bus, for replay',
      // An empty prefix matches every event, including those other accounts send in.
      eventPattern: { source: Match.prefix('') },
      retention: EVENT_ARCHIVE_RETENTION,
    });
    new CfnOutput(this, 'EventBusName', { value: bus.eventBusName });
    new CfnOutput(this, 'EventBusArn', { value: bus.eventBusArn });
    return bus;
  }

  private createSchemaRegistry(contracts: readonly EventContract[]): void {
    const registry = new CfnRegistry(this, 'EventSchemaRegistry', {
      registryName: `${this.stackName}-events`,
      description: 'JSON Schema (draft 4) of every event on the mentoring platform bus, one per contract version.',
    });
    const names = new Set<string>();
    for (const contract of contracts) {
      const schemaName = registrySchemaNameOf(contract);
      if (names.has(schemaName)) throw new Error(`Two event contracts are named ${schemaName}`);
      names.add(schemaName);
      new CfnSchema(this, `EventSchema${pascalCase(schemaName)}`, {
        registryName: registry.attrRegistryName,
        schemaName,
        type: 'JSONSchemaDraft4',
        description: contract.description.slice(0, 256),
        content: JSON.stringify(eventJsonSchema(contract, 'draft-04')),
      });
    }
    new CfnOutput(this, 'EventSchemaRegistryName', { value: registry.attrRegistryName });
  }

  private createUserPool(): { userPool: UserPool; client: UserPoolClient } {
    const userPool = new UserPool(this, 'UserPool', {
      // People are provisioned by programme operations / HR, never self-registered.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      customAttributes: {
        // The person this login is in the directory; becomes the `custom:personId` claim.
        personId: new StringAttribute({ minLen: 1, maxLen: 128, mutable: true }),
        // For `department` machine clients: the department they act for.
        departmentId: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      // Plus: compromised-credential checks and adaptive (risk-based) authentication, enforced.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP) rather than required: `department` machine clients sign in as pool users and cannot answer a second factor. Human sign-ins are covered by the Plus plan threat protection in ENFORCED mode, which demands a second factor whenever a sign-in looks risky.',
    });

    for (const role of roles) {
      new UserPoolGroup(this, `${pascalCase(role)}Group`, {
        userPool,
        groupName: role,
        description: ROLE_DESCRIPTIONS[role],
      });
    }

    const client = userPool.addClient('ApiClient', {
      authFlows: { userSrp: true },
      // No hosted UI: clients sign in with SRP through the SDK, so no OAuth flows or callback URLs.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('personId', 'departmentId'),
      // Users must not be able to change who they are (personId) or whom they act for (departmentId).
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });

    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
    new CfnOutput(this, 'JwtIssuer', { value: userPool.userPoolProviderUrl });
    return { userPool, client };
  }

  private createHttpApi(authorizer: IHttpRouteAuthorizer, corsAllowOrigins: readonly string[]): HttpApi {
    const httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Mentoring platform HTTP API (routes come from the service declarations).',
      // A route without an explicit authorizer would get this one: nothing is public by omission.
      defaultAuthorizer: authorizer,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...corsAllowOrigins],
        allowMethods: apiCorsPolicy.allowMethods.map((method) => CorsHttpMethod[method]),
        // The same policy the handlers' CORS middleware and the local gateway use (API Gateway's answer wins).
        allowHeaders: [...apiCorsPolicy.allowHeaders],
        exposeHeaders: [...apiCorsPolicy.exposeHeaders],
        maxAge: Duration.seconds(apiCorsPolicy.maxAgeSeconds),
      },
    });

    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', { retention: ACCESS_LOG_RETENTION });
    const stage = new HttpStage(this, 'HttpApiDefaultStage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });

    const serverErrors = new Alarm(this, 'HttpApiServerErrorsAlarm', {
      alarmDescription: 'HTTP API: responses with a 5xx status (handlers answer problems as 4xx; 5xx is a fault).',
      metric: httpApi.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    serverErrors.addAlarmAction(new SnsAction(this.alarmTopic));

    new CfnOutput(this, 'HttpApiUrl', { value: stage.url });
    return httpApi;
  }

  /**
   * SES sending: the sender identity (a stack parameter), a configuration set every send
   * uses, and its bounce/complaint feedback. SES can publish feedback to EventBridge only
   * on the account's default bus, so a rule there forwards this configuration set's
   * feedback to the platform bus, where services subscribe like to any other event.
   */
  private createEmailSending(): EmailSettings {
    const senderEmail = new CfnParameter(this, 'SenderEmail', {
      type: 'String',
      description: 'The address reminders and invitations are sent from (an SES email identity).',
      allowedPattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
      constraintDescription: 'must be an email address',
    });
    const createSenderIdentity = new CfnParameter(this, 'CreateSenderIdentity', {
      type: 'String',
      description:
        'true: the stack creates the SES identity for SenderEmail (SES then emails a verification link). false: that address is already a verified identity in this account and region.',
      allowedValues: ['true', 'false'],
      default: 'true',
    });

    const configurationSet = new ConfigurationSet(this, 'EmailConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      // What people tell their mentor travels only over TLS to their mail server.
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
    });
    const defaultBus: IEventBus = EventBus.fromEventBusName(this, 'DefaultEventBus', 'default');
    configurationSet.addEventDestination('FeedbackToEventBridge', {
      destination: EventDestination.eventBus(defaultBus),
      events: [
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.REJECT,
        EmailSendingEvent.DELIVERY_DELAY,
        EmailSendingEvent.RENDERING_FAILURE,
      ],
    });

    const identity = new EmailIdentity(this, 'SenderIdentity', {
      identity: Identity.email(senderEmail.valueAsString),
      // Sends that name no configuration set still get this one (and its feedback events).
      configurationSet,
    });
    const shouldCreateIdentity = new CfnCondition(this, 'ShouldCreateSenderIdentity', {
      expression: Fn.conditionEquals(createSenderIdentity.valueAsString, 'true'),
    });
    const cfnIdentity = identity.node.defaultChild;
    if (!(cfnIdentity instanceof CfnResource)) throw new Error('EmailIdentity has no CloudFormation resource');
    cfnIdentity.cfnOptions.condition = shouldCreateIdentity;

    const forwardingDeadLetters = new DeadLetterQueue(this, 'SesFeedbackForwardingDeadLetters', {
      purpose: 'SES feedback forwarding (default bus to platform bus)',
      alarmTopic: this.alarmTopic,
    });
    new Rule(this, 'SesFeedbackForwardingRule', {
      eventBus: defaultBus,
      description:
        'Forwards bounces, complaints and other failures of the platform configuration set to the platform bus.',
      eventPattern: {
        source: ['aws.ses'],
        detailType: SES_FEEDBACK_DETAIL_TYPES,
        // Only this stack's sends: other applications in the account share the default bus.
        detail: { mail: { tags: { 'ses:configuration-set': [configurationSet.configurationSetName] } } },
      },
      targets: [
        new EventBusTarget(this.eventBus, {
          deadLetterQueue: forwardingDeadLetters.queue,
        }),
      ],
    });

    new CfnOutput(this, 'SesConfigurationSetName', { value: configurationSet.configurationSetName });
    return {
      senderEmail: senderEmail.valueAsString,
      // Identity ARN by name, not by reference: the identity resource may be conditionally absent.
      senderIdentityArn: this.formatArn({
        service: 'ses',
        resource: 'identity',
        resourceName: senderEmail.valueAsString,
      }),
      configurationSetName: configurationSet.configurationSetName,
      configurationSetArn: this.formatArn({
        service: 'ses',
        resource: 'configuration-set',
        resourceName: configurationSet.configurationSetName,
      }),
    };
  }
}

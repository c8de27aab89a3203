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
  HttpAuthorizer,
  HttpAuthorizerType,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  AccountRecovery,
  CfnUserPool,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolEmail,
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
import { DEPARTMENT_SCOPE_PREFIX } from '../shared/auth/principal';
import { type Role, roles } from '../shared/auth/roles';
import { eventJsonSchema, registrySchemaNameOf } from '../shared/contracts/json-schema';
import type { EventContract } from '../shared/events/envelope';
import { apiCorsPolicy } from '../shared/http/cors';
import { writeCoreParameters } from './core-parameters';
import { DeadLetterQueue } from './dead-letter-queue';
import { type EmailSettings, pascalCase } from './service-construct';

export interface CoreStackProps extends StackProps {
  /** Every event contract on the bus (`eventCatalog`): one registry schema each. */
  eventContracts: readonly EventContract[];
  /** Browser origins allowed to call the API. */
  corsAllowOrigins?: readonly string[];
  /**
   * Departments that call the API as machine clients (`mentoring:departmentClients` in
   * cdk.json): one app client each, with the client-credentials grant and its one scope.
   */
  departmentClients?: readonly string[];
}

/** Department ids as the escalation service names them (lower-case slugs). */
const DEPARTMENT_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

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
 * What every service shares: the bus (archive, schema registry), the HTTP API with its JWT
 * authorizer and the user pool behind it, SES sending, and the alarm topic. The service
 * stacks find these through the SSM parameters written at the end (`core-parameters.ts`),
 * never through CloudFormation exports, so no deployment of one stack waits on another.
 */
export class CoreStack extends Stack {
  readonly eventBus: EventBus;
  readonly httpApi: HttpApi;
  /** The default stage's URL: where people reach the API (links in emails). */
  httpApiUrl = '';
  readonly jwtAuthorizer: HttpAuthorizer;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  /** One app client per department machine client, by department id. */
  readonly departmentClients = new Map<string, UserPoolClient>();
  readonly alarmTopic: Topic;
  readonly email: EmailSettings;

  constructor(scope: Construct, id: string, props: CoreStackProps) {
    super(scope, id, props);

    this.alarmTopic = this.createAlarmTopic();
    this.eventBus = this.createEventBus();
    this.createSchemaRegistry(props.eventContracts);
    // Before the user pool: Cognito sends its invitations and codes through this identity.
    this.email = this.createEmailSending();
    const { userPool, client } = this.createUserPool(this.email);
    this.userPool = userPool;
    this.userPoolClient = client;
    this.createDepartmentClients(userPool, props.departmentClients ?? []);
    this.httpApi = this.createHttpApi(props.corsAllowOrigins ?? apiCorsPolicy.allowOrigins);
    this.jwtAuthorizer = new HttpAuthorizer(this, 'CognitoJwtAuthorizer', {
      httpApi: this.httpApi,
      type: HttpAuthorizerType.JWT,
      authorizerName: 'CognitoJwtAuthorizer',
      identitySource: ['$request.header.Authorization'],
      jwtIssuer: userPool.userPoolProviderUrl,
      // ID tokens carry `aud` = this client, the groups and the custom attributes; a department's
      // client-credentials access token carries `client_id` = its app client (checked as the audience).
      jwtAudience: [
        client.userPoolClientId,
        ...[...this.departmentClients.values()].map((item) => item.userPoolClientId),
      ],
    });

    writeCoreParameters(this, this.stackName, {
      eventBusName: this.eventBus.eventBusName,
      eventBusArn: this.eventBus.eventBusArn,
      httpApiId: this.httpApi.apiId,
      httpApiUrl: this.httpApiUrl,
      jwtAuthorizerId: this.jwtAuthorizer.authorizerId,
      alarmTopicArn: this.alarmTopic.topicArn,
      ...this.email,
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

  private createUserPool(email: EmailSettings): { userPool: UserPool; client: UserPoolClient } {
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
      // Essentials, not Plus: Plus has no free tier (about $0.02 per user-month, ~$200 a month
      // at 10,000 employees, nearly the whole bill) and its one feature this pool would use,
      // threat protection, is not worth that here (infra/README.md, "Why Essentials").
      featurePlan: FeaturePlan.ESSENTIALS,
      // Invitations and codes go through the platform's SES identity and configuration set:
      // Cognito's own sender allows only a few dozen emails a day, too few to onboard a company.
      email: UserPoolEmail.withSES({
        fromEmail: email.senderEmail,
        configurationSetName: email.configurationSetName,
        sesRegion: this.region,
      }),
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.sendCognitoEmailThroughSesOnlyWhenVerified(userPool);
    Validations.of(userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional (TOTP, offered to everyone) rather than required: `department` machine clients sign in as pool users and cannot answer a second factor. Without Plus there is no risk-based step-up; what guards password sign-ins is that no one can sign up (operations provision every account), the 14-character password policy with every character class, Cognito lockout after repeated failed attempts, and 1-hour tokens that can be revoked.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason:
          'The pool is on the Essentials plan, not Plus: Plus is billed from the first user (about $0.02 per user-month, ~$200 a month at 10,000 employees, ~97% of the platform bill) for threat protection (compromised-credential checks, adaptive authentication). With admin-only accounts, a strong password policy, optional TOTP and lockout, that is not worth it here; switching the plan back is one property if a customer needs it.',
      },
    );

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

  /**
   * Department machine clients (OAuth client credentials): a resource server
   * `mentoring-departments` with one scope per department, and per department an app client
   * (with a secret) allowed that scope only, so its access token carries
   * `scope: mentoring-departments/<id>` and `client_id`: the principal the services read
   * (shared/auth/principal.ts). The token endpoint needs a domain: the pool's Cognito domain.
   */
  private createDepartmentClients(userPool: UserPool, departmentIds: readonly string[]): void {
    if (departmentIds.length === 0) return;
    for (const id of departmentIds) {
      if (!DEPARTMENT_ID.test(id))
        throw new Error(`mentoring:departmentClients: "${id}" is not a department id (a-z, 0-9, -)`);
    }
    const scopes = departmentIds.map(
      (id) => new ResourceServerScope({ scopeName: id, scopeDescription: `Acts for department ${id}` }),
    );
    const resourceServer = userPool.addResourceServer('DepartmentsResourceServer', {
      identifier: DEPARTMENT_SCOPE_PREFIX.replace(/\/$/, ''),
      userPoolResourceServerName: 'Department machine clients',
      scopes,
    });
    const domain = userPool.addDomain('TokenEndpointDomain', {
      // One per account and region: the stack name and the account make it unique.
      cognitoDomain: { domainPrefix: Fn.join('-', [this.stackName.toLowerCase(), this.account]) },
    });
    departmentIds.forEach((id, index) => {
      const client = userPool.addClient(`DepartmentClient${pascalCase(id)}`, {
        userPoolClientName: `department-${id}`,
        generateSecret: true,
        authFlows: {},
        oAuth: {
          flows: { clientCredentials: true },
          scopes: [OAuthScope.resourceServer(resourceServer, scopes[index] as ResourceServerScope)],
        },
        accessTokenValidity: Duration.hours(1),
        enableTokenRevocation: true,
        preventUserExistenceErrors: true,
      });
      this.departmentClients.set(id, client);
      new CfnOutput(this, `DepartmentClientId${pascalCase(id)}`, {
        value: client.userPoolClientId,
        description: `App client of department ${id} (its secret: aws cognito-idp describe-user-pool-client)`,
      });
    });
    new CfnOutput(this, 'DepartmentTokenEndpoint', {
      value: `${domain.baseUrl()}/oauth2/token`,
      description: 'Where department machine clients get access tokens (grant_type=client_credentials)',
    });
  }

  /**
   * SES refuses a sender identity until someone clicks the link it emails, and CloudFormation
   * then fails to create or update a user pool that names it. So on the first deployment, when
   * this stack creates the identity, Cognito keeps its own sender (`CognitoEmailThroughSes=false`)
   * until the address is verified; the next deployment (`=true`, the default) switches to SES.
   */
  private sendCognitoEmailThroughSesOnlyWhenVerified(userPool: UserPool): void {
    const throughSes = new CfnParameter(this, 'CognitoEmailThroughSes', {
      type: 'String',
      description:
        'true: Cognito sends invitations and codes from SenderEmail through SES (the address must already be verified). false: Cognito uses its own sender, limited to a few dozen emails a day (only until SenderEmail is verified).',
      allowedValues: ['true', 'false'],
      default: 'true',
    });
    const sendsThroughSes = new CfnCondition(this, 'CognitoSendsThroughSes', {
      expression: Fn.conditionEquals(throughSes.valueAsString, 'true'),
    });
    const cfnUserPool = userPool.node.defaultChild;
    if (!(cfnUserPool instanceof CfnUserPool)) throw new Error('UserPool has no CloudFormation resource');
    const ses = cfnUserPool.emailConfiguration as CfnUserPool.EmailConfigurationProperty;
    // Inside Fn::If the CloudFormation property names are written as CloudFormation spells them.
    cfnUserPool.emailConfiguration = Fn.conditionIf(
      sendsThroughSes.logicalId,
      {
        EmailSendingAccount: ses.emailSendingAccount,
        From: ses.from,
        SourceArn: ses.sourceArn,
        ConfigurationSet: ses.configurationSet,
      },
      { EmailSendingAccount: 'COGNITO_DEFAULT' },
    );
  }

  /**
   * The API without routes: each service stack adds its declared routes to it, every one
   * naming the JWT authorizer or declared public (a default authorizer would only apply to
   * routes added in this stack, and there are none).
   */
  private createHttpApi(corsAllowOrigins: readonly string[]): HttpApi {
    const httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Mentoring platform HTTP API (routes come from the service declarations).',
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
    this.httpApiUrl = stage.url;
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

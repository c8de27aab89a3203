import { Stack, type StackProps } from 'aws-cdk-lib';
import {
  HttpApi,
  HttpAuthorizer,
  HttpAuthorizerType,
  type IHttpApi,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { ServiceDeclaration } from '../shared/declaration';
import { type CoreParameterKey, readCoreParameter } from './core-parameters';
import { type EmailSettings, pascalCase, ServiceConstruct, type SharedPlatformResources } from './service-construct';

export interface ServiceStackProps extends StackProps {
  service: ServiceDeclaration;
  /** The core stack whose SSM parameters this stack reads (`core-parameters.ts`). */
  coreStackName: string;
  /** Absolute path of the repository: declared entries are relative to it. */
  repositoryRoot: string;
}

/**
 * The core stack's resources as a service stack sees them: references imported from the core
 * stack's SSM parameters, each on first use, so a template reads only the parameters its
 * service uses (a service without protected routes never reads the authorizer id).
 */
class CoreResourcesFromParameters implements SharedPlatformResources {
  private importedEventBus?: IEventBus;
  private importedHttpApi?: IHttpApi;
  private importedAuthorizer?: IHttpRouteAuthorizer;
  private importedAlarmTopic?: ITopic;

  constructor(
    private readonly stack: Stack,
    private readonly coreStackName: string,
    readonly repositoryRoot: string,
  ) {}

  private read(key: CoreParameterKey): string {
    return readCoreParameter(this.stack, this.coreStackName, key);
  }

  get eventBus(): IEventBus {
    // By name, as every function's EVENT_BUS_NAME needs; the ARN is built from it in this account and region.
    this.importedEventBus ??= EventBus.fromEventBusName(this.stack, 'PlatformEventBus', this.read('eventBusName'));
    return this.importedEventBus;
  }

  get httpApi(): IHttpApi {
    this.importedHttpApi ??= HttpApi.fromHttpApiAttributes(this.stack, 'PlatformHttpApi', {
      httpApiId: this.read('httpApiId'),
    });
    return this.importedHttpApi;
  }

  get authorizer(): IHttpRouteAuthorizer {
    this.importedAuthorizer ??= HttpAuthorizer.fromHttpAuthorizerAttributes(this.stack, 'PlatformJwtAuthorizer', {
      authorizerId: this.read('jwtAuthorizerId'),
      authorizerType: HttpAuthorizerType.JWT,
    });
    return this.importedAuthorizer;
  }

  get email(): EmailSettings {
    return {
      senderEmail: this.read('senderEmail'),
      senderIdentityArn: this.read('senderIdentityArn'),
      configurationSetName: this.read('configurationSetName'),
      configurationSetArn: this.read('configurationSetArn'),
    };
  }

  get publicApiUrl(): string {
    return this.read('httpApiUrl');
  }

  get alarmTopic(): ITopic {
    this.importedAlarmTopic ??= Topic.fromTopicArn(this.stack, 'PlatformAlarmTopic', this.read('alarmTopicArn'));
    return this.importedAlarmTopic;
  }
}

/**
 * One service in its own stack: its `ServiceConstruct`, given the core resources as imported
 * references. Nothing here refers to a construct of another stack, so the template holds no
 * import and the stack deploys on its own once the core stack has written its parameters.
 */
export class ServiceStack extends Stack {
  readonly service: ServiceConstruct;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    this.service = new ServiceConstruct(this, pascalCase(props.service.name), {
      service: props.service,
      shared: new CoreResourcesFromParameters(this, props.coreStackName, props.repositoryRoot),
    });
  }
}

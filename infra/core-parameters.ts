/**
 * What the core stack shares with the service stacks: SSM String parameters under one
 * documented path, written by the core stack and read by each service stack when it deploys.
 *
 * Not CloudFormation exports: an exported value cannot change, and its stack cannot be
 * updated in ways that touch it, while another stack imports it; that locks deployments.
 * A service stack reads these parameters through SSM-typed template parameters instead,
 * resolved on every deployment of that stack, so the stacks deploy independently.
 */
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { pascalCase } from './service-construct';

/** Each shared value, by the key the code uses, with the path under the prefix and what it is. */
const CORE_PARAMETERS = {
  eventBusName: { path: 'event-bus/name', description: 'Name of the platform event bus' },
  eventBusArn: { path: 'event-bus/arn', description: 'ARN of the platform event bus' },
  httpApiId: { path: 'http-api/id', description: 'Id of the platform HTTP API (API Gateway v2)' },
  httpApiUrl: {
    path: 'http-api/url',
    description: 'Where people reach the platform HTTP API (the links in emails point here)',
  },
  jwtAuthorizerId: {
    path: 'http-api/jwt-authorizer-id',
    description: 'Id of the JWT authorizer (Cognito user pool) of the platform HTTP API',
  },
  alarmTopicArn: { path: 'alarm-topic/arn', description: 'ARN of the SNS topic every platform alarm notifies' },
  senderEmail: { path: 'email/sender-address', description: 'The From address of platform emails' },
  senderIdentityArn: {
    path: 'email/sender-identity-arn',
    description: 'ARN of the SES identity of the sender address',
  },
  configurationSetName: {
    path: 'email/configuration-set-name',
    description: 'Name of the SES configuration set every platform send uses',
  },
  configurationSetArn: {
    path: 'email/configuration-set-arn',
    description: 'ARN of the SES configuration set every platform send uses',
  },
} as const;

export type CoreParameterKey = keyof typeof CORE_PARAMETERS;

/** The shared values themselves (tokens in a template: references in the core stack, SSM reads elsewhere). */
export type CoreValues = Record<CoreParameterKey, string>;

const coreParameterKeys = Object.keys(CORE_PARAMETERS) as CoreParameterKey[];

/** `/mentoring/MentoringPlatform-Core`: one path per core stack, so two platforms in one account do not collide. */
export const coreParameterPrefix = (coreStackName: string): string => `/mentoring/${coreStackName}`;

/** `/mentoring/MentoringPlatform-Core/event-bus/arn`. */
export const coreParameterName = (coreStackName: string, key: CoreParameterKey): string =>
  `${coreParameterPrefix(coreStackName)}/${CORE_PARAMETERS[key].path}`;

/** Every parameter the core stack writes, name and meaning (for the README and tests). */
export const coreParameterNames = (coreStackName: string): { key: CoreParameterKey; name: string }[] =>
  coreParameterKeys.map((key) => ({ key, name: coreParameterName(coreStackName, key) }));

/** In the core stack: one `AWS::SSM::Parameter` (String, standard tier) per shared value. */
export const writeCoreParameters = (scope: Construct, coreStackName: string, values: CoreValues): void => {
  for (const key of coreParameterKeys) {
    new StringParameter(scope, `${pascalCase(key)}Parameter`, {
      parameterName: coreParameterName(coreStackName, key),
      stringValue: values[key],
      description: `${CORE_PARAMETERS[key].description} (written by ${coreStackName}, read by the service stacks)`,
    });
  }
};

/**
 * In a service stack: one shared value, as an SSM-typed template parameter whose default is
 * the parameter's name. CloudFormation resolves it whenever the service stack deploys: no
 * export, no import, nothing the core stack has to keep stable for this stack's sake. Reading
 * the same key twice reuses the template parameter.
 */
export const readCoreParameter = (scope: Construct, coreStackName: string, key: CoreParameterKey): string =>
  StringParameter.valueForStringParameter(scope, coreParameterName(coreStackName, key));

/**
 * The CDK app (`cdk.json`: `npx tsx infra/app.ts`): the core stack and one stack per service,
 * built from the service declarations, with cdk-nag's AwsSolutions checks on the whole app.
 */
import { createPlatformApp } from './platform-app';

createPlatformApp();

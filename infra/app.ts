/**
 * The CDK app (`cdk.json`: `npx tsx infra/app.ts`): one MentoringPlatformStack built from the
 * service declarations, with cdk-nag's AwsSolutions checks on the whole app.
 */
import { createPlatformApp } from './platform-app';

createPlatformApp();

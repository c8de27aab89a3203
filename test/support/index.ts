/** Helpers for tests against the local runtime (see local/README.md). */
export { startTestBus, type TestBus } from './bus';
export { createTestTable, type TestTable, testDynamoDbEndpoint, uniqueName } from './dynamodb';
export { alphaService, betaService, fixtureServices } from './fixtures/declarations';
export { type ApiRequest, startTestPlatform, type TestPlatform, type TestPlatformOptions } from './platform';
export { type ReceivedEmail, receivedEmails, type StoredEmail, startTestSes, storedEmails } from './ses';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceDeclaration } from '../shared/declaration';
import { alphaService, betaService } from '../test/support/fixtures/declarations';
import { startTestPlatform, type TestPlatform } from '../test/support/platform';

/** Two functions with a slow init, and one whose init fails (beta-needs-table: no table). */
const slowService: ServiceDeclaration = {
  name: 'slow',
  description: 'Fixture: inits that take a while.',
  functions: ['first', 'second'].map((name) => ({
    name,
    entry: 'test/support/fixtures/handlers/slow-init.ts',
    description: 'Sleeps INIT_DELAY_MS at init.',
    memoryMb: 128,
    timeoutSeconds: 3,
    access: {},
  })),
  routes: [],
  subscriptions: [],
  schedules: [],
  settings: [],
  secrets: [],
};

describe('local platform started warm (npm start)', () => {
  let platform: TestPlatform;
  const notices: string[] = [];

  beforeAll(async () => {
    platform = await startTestPlatform({
      services: [slowService, alphaService, betaService],
      warm: true,
      environmentOverrides: { INIT_DELAY_MS: '700' },
      onNotice: (message) => notices.push(message),
    });
  });
  afterAll(() => platform.stop());

  it('resolves (and npm start prints its banner) only once every function has finished its init', async () => {
    expect(platform.functions.stateOf('slow-first')).toBe('warm');
    expect(platform.functions.stateOf('slow-second')).toBe('warm');
    expect(platform.functions.stateOf('beta-probe')).toBe('warm');
    expect(platform.functions.stateOf('alpha-consumer')).toBe('warm');

    const outcomes = await Promise.all([
      platform.functions.invoke('slow-first', {}),
      platform.functions.invoke('slow-second', {}),
    ]);
    expect(outcomes).toEqual([
      expect.objectContaining({ ok: true, coldStart: false }),
      expect.objectContaining({ ok: true, coldStart: false }),
    ]);
  });

  it('names a function whose init failed during the warm-up, and reports it again at its first invocation', async () => {
    expect(notices).toEqual([
      expect.stringMatching(/^beta-needs-table failed its init: ConfigurationError: .*TABLE_NAME/),
    ]);
    expect(platform.functions.stateOf('beta-needs-table')).toBe('cold');
    expect(await platform.functions.invoke('beta-needs-table', {})).toMatchObject({
      ok: false,
      coldStart: true,
      error: { errorType: 'ConfigurationError' },
    });
  });
});

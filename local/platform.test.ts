import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineService, type ServiceDeclaration } from '../shared/declaration';
import { defineRoute } from '../shared/http/contract';
import { alphaService, betaService } from '../test/support/fixtures/declarations';
import { startTestPlatform, type TestPlatform } from '../test/support/platform';

/**
 * Two functions with a slow init, the first behind an HTTP route, the second not; with the
 * fixtures, one whose init fails (beta-needs-table: no table).
 */
const slowService: ServiceDeclaration = defineService({
  name: 'slow',
  description: 'Fixture: inits that take a while.',
  functions: ['first', 'second'].map((name) => ({
    name,
    entry: 'test/support/fixtures/handlers/slow-init.ts',
    description: 'Sleeps INIT_DELAY_MS at init.',
    memoryMb: 128,
    timeoutSeconds: 3,
    access: {},
    ...(name === 'first'
      ? {
          routes: [
            defineRoute({
              method: 'GET',
              path: '/slow',
              auth: 'public',
              summary: 'fixture',
              responses: { 200: { description: 'The request, echoed', schema: z.unknown() } },
            }),
          ],
        }
      : {}),
  })),
  subscriptions: [],
  schedules: [],
  settings: [],
  secrets: [],
});

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

  it('resolves (and npm start prints its banner) once every function behind a route has finished its init; the others warm in the background', async () => {
    expect(platform.warmedBeforeReady).toEqual(expect.arrayContaining(['slow-first', 'alpha-echo']));
    expect(platform.warmedBeforeReady).not.toContain('slow-second');
    expect(platform.functions.stateOf('slow-first')).toBe('warm');
    expect(platform.functions.stateOf('alpha-echo')).toBe('warm');
    // Its 700 ms init began when the platform was ready, not before.
    expect(platform.functions.stateOf('slow-second')).toBe('initializing');

    await vi.waitFor(
      () => {
        for (const key of ['slow-second', 'beta-probe', 'alpha-consumer']) {
          expect(platform.functions.stateOf(key)).toBe('warm');
        }
      },
      { timeout: 30_000, interval: 100 },
    );
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
    await vi.waitFor(() => expect(notices).toHaveLength(1), { timeout: 30_000, interval: 100 });
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

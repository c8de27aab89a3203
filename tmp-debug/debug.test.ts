import { it } from 'vitest';
import { startTestPlatform } from '../test/support/platform';
import { eventBridgeClientOf, putOnBus, busEvents, deadLetters } from '../test/e2e/dev-view';
import { personBody } from '../test/builders/people';
import { MentorshipStartedV1 } from '../shared/contracts/matching-events';

it('debug', async () => {
  const platform = await startTestPlatform({ warm: false });
  const admin = { sub: 'p-002', groups: ['admin', 'employee'] };
  for (const id of ['sm-1', 'se-2']) {
    const r = await platform.api(`/people/${id}`, { method: 'PUT', as: admin, json: personBody({ domain: 'sched', managerId: null, email: `${id}@example.com` }) });
    console.log(id, r.status);
  }
  await platform.whenIdle();
  const startedAt = new Date(Date.now() - 100 * 86400000).toISOString();
  await putOnBus(eventBridgeClientOf(platform), {
    source: MentorshipStartedV1.source,
    detailType: MentorshipStartedV1.detailType,
    detail: {
      metadata: { id: 'old-mentorship-1', version: 1, occurredAt: startedAt, correlationId: 'replay-1', service: 'matching' },
      data: { mentorshipId: 'old-ms-1', podId: 'old-pod', mentorId: 'sm-1', menteeId: 'se-2', domain: 'sched', startedAt, lockedUntil: startedAt, cause: 'matching-run', runId: null },
    },
  });
  await platform.whenIdle();
  const run = await fetch(`${platform.urls.devView}/schedules/scheduling/reminder-sweep/run`, { method: 'POST' });
  console.log('run', run.status, await run.text());
  await platform.whenIdle();
  console.log((await busEvents(platform)).map((e) => `${e.detailType} ${JSON.stringify(e.deliveries)}`).join('\n'));
  console.log(JSON.stringify(await deadLetters(platform)).slice(0, 2000));
  const inv = await fetch(`${platform.urls.devView}/invocations`);
  console.log(JSON.stringify(await inv.json()).slice(0, 3000));
  await platform.stop();
}, 300000);

import { it } from 'vitest';
import { startTestPlatform } from '../test/support/platform';

it('debug', async () => {
  const platform = await startTestPlatform({ warm: false });
  for (const path of ['/email-links/attendance/walk-1', '/email-links/unsubscribe/walk-1']) {
    const t = Date.now();
    const r1 = await fetch(`${platform.urls.api}${path}`);
    console.log(path, r1.status, Date.now() - t, (await r1.text()).slice(0, 200));
  }
  const inv = await fetch(`${platform.urls.devView}/invocations`);
  console.log(JSON.stringify(await inv.json()).slice(0, 1500));
  const t = Date.now();
  await platform.functions.warm();
  console.log('warm all', Date.now() - t);
  await platform.stop();
}, 300000);

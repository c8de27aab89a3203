/**
 * Matching runs through the HTTP API of the local platform, as the life coach asks for them:
 * `POST /matching/runs` answers 202 with the run's URL, the runner carries it out (whenIdle waits
 * for it), and the run and its paged results are read back.
 */
import { expect } from 'vitest';
import type { ApiRequest, TestPlatform } from '../support/platform';

type Caller = ApiRequest['as'];

/** Every item of a paged listing (`items`, `nextCursor`), read 100 at a time. */
export const itemsOfPages = async <T>(platform: TestPlatform, path: string, as: Caller): Promise<T[]> => {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const response = await platform.api(`${path}?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { as });
    expect(response.status).toBe(200);
    const page = (await response.json()) as { items: T[]; nextCursor?: string };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
};

/** Asks for a run (202, its URL), waits for the runner to carry it out, and reads it back. */
export const requestRun = async <View>(platform: TestPlatform, body: object, as: Caller): Promise<View> => {
  const asked = await platform.api('/matching/runs', { method: 'POST', as, json: body });
  expect(asked.status).toBe(202);
  const location = asked.headers.get('location') ?? '';
  expect(location).toMatch(/^\/matching\/runs\//);
  await platform.whenIdle();
  const read = await platform.api(location, { as });
  expect(read.status).toBe(200);
  return (await read.json()) as View;
};

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { demoDomains, seedDemo } from './demo';

const counts = { total: 66, applied: 66, created: 66, updated: 0, rehired: 0, unchanged: 0, rejected: 0 };
const job = { importId: 'imp-1', status: 'completed', counts, rejectedSample: [] };

describe('demo seed on a busy machine', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  const listen = async (created: Server) => {
    server = created;
    await new Promise<void>((done) => created.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(created.address() as AddressInfo).port}`;
  };

  /** The demo's domains are already set up; POST /people/imports answers the given statuses in turn (then 202). */
  const answerDomains = (request: IncomingMessage, response: ServerResponse) => {
    if (request.url !== '/domains') return false;
    response.writeHead(200, { 'content-type': 'application/json', etag: '"1"' });
    response.end(JSON.stringify({ version: 1, domains: demoDomains }));
    return true;
  };
  const api = async (statuses: number[]) => {
    const requests: string[] = [];
    const created = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (answerDomains(request, response)) return;
        requests.push(`${request.method} ${request.url} ${request.headers['content-type']}`);
        const status = statuses.shift() ?? 202;
        response.writeHead(status, { 'content-type': 'application/json', location: '/people/imports/imp-1' });
        response.end(JSON.stringify(status === 202 ? job : { message: 'Internal Server Error' }));
      });
    });
    return { url: await listen(created), requests };
  };

  it('tries a 5xx again, with backoff, until the import is accepted', async () => {
    const { url, requests } = await api([500, 503]);
    const retries: string[] = [];
    const report = await seedDemo(url, 'token', { firstBackoffMs: 10, onRetry: (message) => retries.push(message) });
    expect(report).toEqual({ importId: 'imp-1', resubmitted: false, ...counts, rows: [] });
    expect(requests).toEqual(Array(3).fill('POST /people/imports text/csv'));
    expect(retries).toEqual([
      expect.stringMatching(/answered 500.*trying again in 0.01 s \(attempt 2 of 6\)/),
      expect.stringMatching(/answered 503.*trying again in 0.02 s \(attempt 3 of 6\)/),
    ]);
  });

  it('tries an attempt that gets no answer in time again', async () => {
    let calls = 0;
    const stuckOnce = createServer((request, response) => {
      request.resume();
      if (answerDomains(request, response)) return;
      // The first attempt never gets an answer (a function stuck on a busy machine).
      if (++calls > 1)
        request.on('end', () => {
          response.writeHead(202, { 'content-type': 'application/json', location: '/people/imports/imp-1' });
          response.end(JSON.stringify(job));
        });
    });
    const url = await listen(stuckOnce);
    const retries: string[] = [];
    await expect(
      seedDemo(url, 'token', {
        attemptTimeoutMs: 200,
        firstBackoffMs: 10,
        onRetry: (message) => retries.push(message),
      }),
    ).resolves.toMatchObject({ importId: 'imp-1', created: 66 });
    expect(retries).toEqual([expect.stringContaining('did not answer')]);
    stuckOnce.closeAllConnections();
  });

  it('does not retry a 4xx, and gives up after the last attempt', async () => {
    const rejected = await api([403]);
    await expect(seedDemo(rejected.url, 'token', { firstBackoffMs: 10 })).rejects.toThrow(
      /^Seeding failed: POST \/people\/imports answered 403/,
    );
    expect(rejected.requests).toHaveLength(1);
    await new Promise<void>((done) => server?.close(() => done()));

    const failing = await api([500, 500, 500]);
    await expect(seedDemo(failing.url, 'token', { attempts: 3, firstBackoffMs: 10 })).rejects.toThrow(
      /^Seeding failed after 3 attempts: POST \/people\/imports answered 500/,
    );
    expect(failing.requests).toHaveLength(3);
  });
});

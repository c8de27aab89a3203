/**
 * A department's tracker as the webhook deliveries see it: an HTTPS server (with the test-only
 * self-signed certificate in fixtures/tls/, valid for localhost and 127.0.0.1) that records every
 * request and answers what the test says: 200 by default, or a status, or nothing at all (down).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const tls = (file: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'tls', file), 'utf8');

/** The certificate the receiver presents: give it to the platform as a trusted certificate. */
export const receiverCertificate = tls('localhost-cert.pem');

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedRequest[];
  /** The statuses of the next answers (then 200 again). */
  answerNext(...statuses: number[]): void;
  stop(): Promise<void>;
}

export const startWebhookReceiver = async (): Promise<WebhookReceiver> => {
  const received: ReceivedRequest[] = [];
  const planned: number[] = [];
  const server: Server = createServer(
    { key: tls('localhost-key.pem'), cert: receiverCertificate },
    (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        response.writeHead(planned.shift() ?? 200, { 'content-type': 'application/json' });
        response.end('{}');
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/rest/webhooks/escalations`,
    received,
    answerNext: (...statuses) => planned.push(...statuses),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

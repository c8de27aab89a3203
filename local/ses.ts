/**
 * SES: `aws-ses-v2-local` serves SES v1 (SendEmail, SendRawEmail) and v2, keeps every email
 * (attachments included) in memory, shows them in a web inbox at `/`, and returns them as
 * JSON from `GET /store`. It keeps only what it parsed out of a raw message, not the message
 * itself (no headers such as `List-Unsubscribe`, no MIME structure), so it runs behind a small
 * recording front: every request is passed through unchanged, and the raw MIME of each accepted
 * SendRawEmail is kept and served at `GET /raw-store` (`{ emails: [{ messageId, raw, at }] }`,
 * `raw` in base64), for tests that read an email exactly as a receiver would.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertPortFree } from './ports';

export interface SesEmulatorOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
}

export interface SesEmulator {
  /** The endpoint for the SDK (`AWS_ENDPOINT_URL_SES`). */
  endpoint: string;
  inboxUrl: string;
  storeUrl: string;
  /** The raw MIME of every SendRawEmail the emulator accepted, in order. */
  rawStoreUrl: string;
  port: number;
  /** Empties the inbox (the emulator's `POST /clear-store`) and the raw store. */
  clear(): Promise<void>;
  stop(): Promise<void>;
}

export interface RawEmail {
  messageId: string;
  /** The message as sent, base64. */
  raw: string;
  at: number;
}

type SesServer = (config?: { port?: number; host?: string }) => Promise<Server>;

/** The package is CommonJS with `exports.default`; from ESM that is `.default.default`. */
const loadSesServer = async (): Promise<SesServer> => {
  const module = (await import('aws-ses-v2-local')) as unknown as { default: SesServer | { default: SesServer } };
  return typeof module.default === 'function' ? module.default : module.default.default;
};

const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });

/** The raw message of a SendRawEmail query-protocol request, if that is what the body is. */
const rawMessageOf = (body: Buffer, contentType: string | undefined): string | undefined => {
  if (!(contentType ?? '').includes('application/x-www-form-urlencoded')) return undefined;
  const form = new URLSearchParams(body.toString('utf8'));
  return form.get('Action') === 'SendRawEmail' ? (form.get('RawMessage.Data') ?? undefined) : undefined;
};

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

export const startSesEmulator = async (options: SesEmulatorOptions = {}): Promise<SesEmulator> => {
  const serve = await loadSesServer();
  const requested = options.port ?? 8005;
  const host = options.host ?? '127.0.0.1';
  // The emulator's listen() never settles on EADDRINUSE, so the port is checked first.
  if (requested !== 0) await assertPortFree(requested, 'The SES emulator');
  const emulator = await serve({ port: 0, host: '127.0.0.1' });
  const emulatorPort = (emulator.address() as AddressInfo).port;
  const rawEmails: RawEmail[] = [];

  const forward = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    if (request.method === 'GET' && request.url === '/raw-store') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ emails: rawEmails }));
      return;
    }
    if (request.method === 'POST' && request.url === '/clear-store') rawEmails.length = 0;
    const raw = rawMessageOf(body, request.headers['content-type']);
    const upstream = httpRequest({
      host: '127.0.0.1',
      port: emulatorPort,
      method: request.method,
      path: request.url,
      headers: { ...request.headers, host: `127.0.0.1:${emulatorPort}`, 'content-length': String(body.length) },
    });
    upstream.on('response', async (answer) => {
      const answerBody = await readBody(answer);
      if (raw && answer.statusCode === 200) {
        const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(answerBody.toString('utf8'))?.[1];
        if (messageId) rawEmails.push({ messageId, raw, at: Date.now() });
      }
      response.writeHead(answer.statusCode ?? 502, answer.headers).end(answerBody);
    });
    upstream.on('error', (error) => response.destroy(error));
    upstream.end(body);
  };
  const front = createServer((request, response) => {
    forward(request, response).catch((error: unknown) =>
      response.destroy(error instanceof Error ? error : new Error(String(error))),
    );
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(requested, host, () => {
      front.off('error', reject);
      resolve();
    });
  });
  const port = (front.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    inboxUrl: `${endpoint}/`,
    storeUrl: `${endpoint}/store`,
    rawStoreUrl: `${endpoint}/raw-store`,
    port,
    clear: async () => {
      await fetch(`${endpoint}/clear-store`, { method: 'POST' });
    },
    stop: async () => {
      await close(front);
      await close(emulator);
    },
  };
};

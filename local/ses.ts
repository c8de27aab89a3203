/**
 * SES: `aws-ses-v2-local` serves SES v1 (SendEmail, SendRawEmail) and v2, keeps every email
 * (attachments included) in memory, shows them in a web inbox at `/`, and returns them as
 * JSON from `GET /store`.
 */
import type { Server } from 'node:http';
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
  port: number;
  /** Empties the inbox (the emulator's `POST /clear-store`). */
  clear(): Promise<void>;
  stop(): Promise<void>;
}

type SesServer = (config?: { port?: number; host?: string }) => Promise<Server>;

/** The package is CommonJS with `exports.default`; from ESM that is `.default.default`. */
const loadSesServer = async (): Promise<SesServer> => {
  const module = (await import('aws-ses-v2-local')) as unknown as { default: SesServer | { default: SesServer } };
  return typeof module.default === 'function' ? module.default : module.default.default;
};

export const startSesEmulator = async (options: SesEmulatorOptions = {}): Promise<SesEmulator> => {
  const serve = await loadSesServer();
  const requested = options.port ?? 8005;
  // The emulator's listen() never settles on EADDRINUSE, so the port is checked first.
  if (requested !== 0) await assertPortFree(requested, 'The SES emulator');
  const server = await serve({ port: requested, host: options.host ?? '127.0.0.1' });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    inboxUrl: `${endpoint}/`,
    storeUrl: `${endpoint}/store`,
    port,
    clear: async () => {
      await fetch(`${endpoint}/clear-store`, { method: 'POST' });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

import { createServer } from 'node:net';

/** A port the OS says is free right now (used where a child process needs a number up front). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/** Fails early, naming what wanted the port, instead of a cryptic error from a child process. */
export const assertPortFree = (port: number, what: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `${what} needs port ${port}, which is in use: is another \`npm start\` running?`
            : `${what} cannot listen on port ${port}: ${error.message}`,
        ),
      );
    });
    server.listen(port, () => server.close(() => resolve()));
  });

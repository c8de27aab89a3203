/**
 * The body of one function's worker thread: the local stand-in for a Lambda execution
 * environment. It imports the entry's bundle once (the cold start), then runs every
 * invocation the main thread sends, with a Lambda-like context.
 */
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import type { InvocationError, WorkerData, WorkerReply, WorkerRequest } from './function-protocol';

const data = workerData as WorkerData;
const port = parentPort;
if (!port) throw new Error('function-worker.ts runs only as a worker thread');

const errorOf = (error: unknown): InvocationError => {
  if (error instanceof Error) {
    return {
      errorType: error.name,
      errorMessage: error.message,
      stackTrace: (error.stack ?? '')
        .split('\n')
        .slice(1)
        .map((line) => line.trim()),
    };
  }
  return { errorType: 'Error', errorMessage: String(error) };
};

type Handler = (event: unknown, context: Context) => unknown;

const loadHandler = async (): Promise<Handler> => {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(data.modulePath).href)) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      throw Object.assign(new Error(`Cannot find module '${data.entry}'`), { name: 'Runtime.ImportModuleError' });
    }
    throw error;
  }
  const handler = module.handler;
  if (typeof handler !== 'function') {
    throw Object.assign(new Error(`${data.entry}.handler is undefined or not exported`), {
      name: 'Runtime.HandlerNotFound',
    });
  }
  return handler as Handler;
};

const reply = (message: WorkerReply) => port.postMessage(message);

let handler: Handler | undefined;
try {
  handler = await loadHandler();
  reply({ type: 'ready' });
} catch (error) {
  reply({ type: 'init-error', error: errorOf(error) });
}

const contextOf = (request: WorkerRequest): Context =>
  ({
    callbackWaitsForEmptyEventLoop: true,
    functionName: data.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: data.functionArn,
    memoryLimitInMB: String(data.memoryMb),
    awsRequestId: request.requestId,
    logGroupName: `/aws/lambda/${data.functionName}`,
    logStreamName: data.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, request.deadline - Date.now()),
    // The nodejs24.x runtime removed callback-style completion (done/succeed/fail); so does this.
  }) as Context;

port.on('message', async (request: WorkerRequest) => {
  if (!handler) return;
  try {
    const result = await handler(JSON.parse(request.event), contextOf(request));
    // Lambda returns the JSON serialisation of the result; `undefined` becomes `null`.
    reply({ type: 'result', id: request.id, ok: true, payload: JSON.stringify(result ?? null) });
  } catch (error) {
    reply({ type: 'result', id: request.id, ok: false, error: errorOf(error) });
  }
});

/** Messages between the main thread (functions.ts) and a function's worker (function-worker.ts). */

/** How Lambda reports a failed invocation: `errorType`, `errorMessage`, `stackTrace`. */
export interface InvocationError {
  errorType: string;
  errorMessage: string;
  stackTrace?: string[];
}

export interface WorkerData {
  /** As declared (relative to the repository root), for error messages. */
  entry: string;
  /** Absolute path of the entry's bundle, the module the worker imports. */
  modulePath: string;
  functionName: string;
  functionArn: string;
  memoryMb: number;
  logStreamName: string;
}

export interface WorkerRequest {
  id: number;
  requestId: string;
  /** JSON text: the handler gets a fresh parse, as from Lambda's wire format. */
  event: string;
  /** Epoch ms after which the invocation has timed out. */
  deadline: number;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'init-error'; error: InvocationError }
  | { type: 'result'; id: number; ok: true; payload: string }
  | { type: 'result'; id: number; ok: false; error: InvocationError };

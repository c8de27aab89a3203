import { InvalidCursorError } from '../pagination';
import type { Problem } from './problem';

export interface FieldError {
  /** Where the wrong value is: `body.email`, `path.personId`, `query.limit`, `line 4`. */
  location: string;
  message: string;
}

/**
 * An error that is meant for the caller: it becomes an RFC 9457 problem response.
 * Anything else that escapes a handler becomes a generic 500 with no detail.
 */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: readonly FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }

  toProblem(instance?: string): Problem {
    return {
      type: `https://mentoring.example/problems/${this.status}`,
      title: this.title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(instance ? { instance } : {}),
      ...(this.errors?.length ? { errors: [...this.errors] } : {}),
    };
  }
}

export const badRequest = (detail: string, errors?: readonly FieldError[]) =>
  new HttpProblem(400, 'Bad Request', detail, errors);
export const unauthorized = (detail = 'A valid bearer token is required.') =>
  new HttpProblem(401, 'Unauthorized', detail, undefined, { 'www-authenticate': 'Bearer' });
export const forbidden = (detail = 'Your roles do not allow this.') => new HttpProblem(403, 'Forbidden', detail);
export const notFound = (detail = 'No such resource.') => new HttpProblem(404, 'Not Found', detail);
export const conflict = (detail: string, errors?: readonly FieldError[]) =>
  new HttpProblem(409, 'Conflict', detail, errors);
export const preconditionFailed = (detail: string) => new HttpProblem(412, 'Precondition Failed', detail);
export const payloadTooLarge = (limitBytes: number) =>
  new HttpProblem(413, 'Payload Too Large', `The request body is larger than ${limitBytes} bytes.`);
export const unsupportedMediaType = (expected: string) =>
  new HttpProblem(415, 'Unsupported Media Type', `The request body must be ${expected}.`);
export const unprocessable = (detail: string, errors?: readonly FieldError[]) =>
  new HttpProblem(422, 'Unprocessable Content', detail, errors);
export const serviceUnavailable = (detail: string, retryAfterSeconds = 2) =>
  new HttpProblem(503, 'Service Unavailable', detail, undefined, { 'retry-after': String(retryAfterSeconds) });

/** How one kind of domain error is answered over HTTP. */
export interface ErrorRule {
  type: abstract new (...args: never[]) => Error;
  toProblem: (error: never) => HttpProblem;
}

/** A service's domain errors and their HTTP answers, first match wins: data, not a ladder of `instanceof`. */
export type ErrorTable = readonly ErrorRule[];

/** One row of an error table, typed so `toProblem` sees the error's own fields. */
export const answer = <TError extends Error>(
  type: abstract new (...args: never[]) => TError,
  toProblem: (error: TError) => HttpProblem,
): ErrorRule => ({ type, toProblem });

/** The problem an error is answered with: itself if it is one, else through the table. */
export const problemOf = (error: unknown, table: ErrorTable): HttpProblem | undefined => {
  if (error instanceof HttpProblem) return error;
  const rule = table.find((candidate) => error instanceof candidate.type);
  return rule ? (rule.toProblem as (error: unknown) => HttpProblem)(error) : undefined;
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  503: 'Service Unavailable',
};

/** A problem with the standard title of its status. */
export const problemWithStatus = (status: number, detail: string, errors?: readonly FieldError[]) =>
  new HttpProblem(status, TITLES[status] ?? 'Error', detail, errors);

/** Errors of the shared kit that every service answers alike; each service's table starts with these. */
export const commonErrors: ErrorTable = [
  answer(InvalidCursorError, (error) =>
    badRequest(error.message, [{ location: 'query.cursor', message: error.message }]),
  ),
];

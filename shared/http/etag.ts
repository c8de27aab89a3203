/**
 * Entity tags from record versions, for optimistic concurrency over HTTP (RFC 9110): GET answers
 * `ETag: "3"`, a client sends `If-Match: "3"` and gets 412 if the record moved on.
 */
import { badRequest } from './errors';

export const etagOf = (version: number): string => `"${version}"`;

/**
 * A precondition header as a version: `"3"`, `W/"3"` or `3`; `*` for any. Absent: undefined.
 * Several tags, or a tag that is not a version we issued, is the caller's mistake (400).
 */
export const versionFromPrecondition = (
  header: string | undefined,
  name: 'if-match' | 'if-none-match',
): number | '*' | undefined => {
  if (header === undefined || header.trim() === '') return undefined;
  const value = header.trim();
  if (value === '*') return '*';
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(value);
  if (!match) {
    const message = 'must be one entity tag this API issued (an ETag such as "3"), or *';
    throw badRequest(`The ${name} header is not valid.`, [{ location: `header.${name}`, message }]);
  }
  return Number(match[1]);
};

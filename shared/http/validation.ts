import type * as z from '../zod';
import type { FieldError } from './errors';

type RawIssue = Parameters<z.core.$ZodErrorMap>[0];

const plural = (count: number | bigint, one: string, many: string) => `${count} ${Number(count) === 1 ? one : many}`;

const typeWords: Record<string, string> = {
  string: 'must be text',
  number: 'must be a number',
  int: 'must be a whole number',
  boolean: 'must be true or false',
  array: 'must be a list',
  object: 'must be an object with named fields',
  tuple: 'must be a list',
  record: 'must be an object with named fields',
  date: 'must be a date',
  null: 'must be null',
};

const formatWords: Record<string, string> = {
  email: 'must be an email address such as ada@example.com',
  datetime: 'must be a date and time such as 2026-11-24T10:00:00Z',
  date: 'must be a date such as 2026-11-24',
  time: 'must be a time such as 09:30',
  url: 'must be a web address such as https://example.com',
  uuid: 'must be a UUID',
};

const quoted = (value: unknown) => (typeof value === 'string' ? `"${value}"` : String(value));

/**
 * What is wrong with a value, in words a person understands ("is required", "must be a whole
 * number", "must be at most 200 characters"). Messages a schema sets itself are kept as they are;
 * zod's default text ("Invalid input: expected string, received undefined") never reaches a caller.
 * Pass it to `safeParse(input, { error: humaneIssue })`.
 */
export const humaneIssue = (issue: RawIssue): string | undefined => {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is required';
      if (typeof issue.input === 'number' && Number.isNaN(issue.input)) {
        return issue.expected === 'int' ? 'must be a whole number' : 'must be a number';
      }
      return typeWords[issue.expected] ?? `must be ${issue.expected}`;
    }
    case 'too_small': {
      const { origin, minimum } = issue;
      if (origin === 'string') {
        return Number(minimum) <= 1
          ? 'must not be empty'
          : `must be at least ${plural(minimum, 'character', 'characters')}`;
      }
      if (origin === 'array' || origin === 'set') {
        return Number(minimum) <= 1
          ? 'must have at least one item'
          : `must have at least ${plural(minimum, 'item', 'items')}`;
      }
      return issue.inclusive === false ? `must be more than ${minimum}` : `must be at least ${minimum}`;
    }
    case 'too_big': {
      const { origin, maximum } = issue;
      if (origin === 'string') return `must be at most ${plural(maximum, 'character', 'characters')}`;
      if (origin === 'array' || origin === 'set') return `must have at most ${plural(maximum, 'item', 'items')}`;
      return issue.inclusive === false ? `must be less than ${maximum}` : `must be at most ${maximum}`;
    }
    case 'invalid_format':
      return formatWords[issue.format] ?? 'is not in the expected format';
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${quoted(issue.values[0])}`
        : `must be one of: ${issue.values.map(quoted).join(', ')}`;
    case 'invalid_union':
      return issue.discriminator ? `has an unknown ${issue.discriminator}` : 'does not match any of the accepted forms';
    case 'invalid_key':
      return 'has a key that is not allowed';
    case 'invalid_element':
      return 'has a value that is not allowed';
    case 'unrecognized_keys':
      return 'is not a known field';
    default:
      return 'is not valid';
  }
};

/** The options to parse caller input with: humane messages for every issue. */
export const humaneParse = { error: humaneIssue } as const;

/** One line per issue for a report (a CSV row, an HR event): `level: must be at most 10`. */
export const describeIssues = (error: z.core.$ZodError, fallback = 'value'): string[] =>
  fieldErrorsOf(error, '').map((field) => `${field.location || fallback}: ${field.message}`);

/** Zod issues as caller-facing field errors: `body.email: must be an email address ...`. */
export const fieldErrorsOf = (error: z.core.$ZodError, prefix: string): FieldError[] =>
  error.issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        location: base ? `${base}.${key}` : key,
        message: 'is not a known field',
      }));
    }
    return [{ location: base || prefix, message: issue.message }];
  });

/**
 * EventBridge event patterns: validation (what PutRule / TestEventPattern reject) and
 * matching (what a rule on a bus selects), following AWS's documented content filtering
 * and the behaviour of AWS's own matcher (aws/event-ruler) where the documentation is silent.
 *
 * A pattern is validated and compiled once into a small tree of matchers; matching then walks
 * the tree against the event. Semantics worth knowing (see README.md for the full list):
 * - fields are ANDed, the values of one field are ORed, `$or` ORs whole sub-patterns;
 * - an event field that is an array matches when any element matches (arrays are flattened,
 *   objects inside arrays are matched one at a time, never mixed across elements);
 * - only leaf values (string, number, boolean, null) are values: a field holding an object or
 *   an empty array "does not exist" for `exists` and matches no value;
 * - a pattern field missing from the event never matches, except `exists: false`;
 *   `anything-but` needs the field to be present (null counts as present);
 * - numbers compare numerically (300 equals 300.0), as AWS does in practice.
 */
import { BlockList, isIP } from 'node:net';

/** A validated event pattern: a JSON object whose leaves are arrays of values or operators. */
export type EventPattern = Record<string, unknown>;

/** AWS answers an invalid pattern with `InvalidEventPatternException` and this message shape. */
const MESSAGE_PREFIX = 'Event pattern is not valid. Reason: ';

export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternError';
  /** The reason alone, without AWS's "Event pattern is not valid. Reason: " prefix. */
  readonly reason: string;

  constructor(reason: string) {
    super(`${MESSAGE_PREFIX}${reason}`);
    this.reason = reason;
  }
}

type Scalar = string | number | boolean | null;

/** One alternative in a field's value array. */
type ValueMatcher =
  | { kind: 'exact'; value: Scalar }
  | { kind: 'prefix'; value: string; ignoreCase: boolean }
  | { kind: 'suffix'; value: string; ignoreCase: boolean }
  | { kind: 'equals-ignore-case'; value: string }
  | { kind: 'wildcard'; regex: RegExp }
  | { kind: 'numeric'; lower?: Bound; upper?: Bound }
  | { kind: 'cidr'; blockList: BlockList; family: 'ipv4' | 'ipv6' }
  | { kind: 'exists'; exists: boolean }
  /** Matches a present value that matches none of `excluded`. */
  | { kind: 'anything-but'; excluded: ValueMatcher[] };

interface Bound {
  value: number;
  inclusive: boolean;
}

interface LeafNode {
  kind: 'leaf';
  matchers: ValueMatcher[];
}

interface ObjectNode {
  kind: 'object';
  fields: [string, LeafNode | ObjectNode][];
  /** Each entry is one `$or`: at least one of its branches must match. */
  ors: ObjectNode[][];
}

export interface CompiledEventPattern {
  readonly pattern: EventPattern;
  matches(event: unknown): boolean;
}

const OR_KEY = '$or';

/** Operator names; inside `$or` they cannot be field names (AWS rejects them there). */
const OPERATORS = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
]);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isScalar = (value: unknown): value is Scalar =>
  value === null ||
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value));

const display = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

const fail = (reason: string): never => {
  throw new InvalidEventPatternError(reason);
};

// ---------------------------------------------------------------------------------------------
// Validation and compilation
// ---------------------------------------------------------------------------------------------

/** Parses and validates a pattern given as JSON text (the form PutRule and TestEventPattern take). */
export const parseEventPattern = (patternJson: string): EventPattern => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(patternJson);
  } catch (error) {
    // AWS quotes its JSON parser's message here; ours is Node's.
    return fail(error instanceof Error ? error.message : String(error));
  }
  return validateEventPattern(parsed);
};

/** Validates an already parsed pattern; returns it typed, or throws InvalidEventPatternError. */
export const validateEventPattern = (pattern: unknown): EventPattern => compileEventPattern(pattern).pattern;

/** Validates once and returns a matcher to run against many events (the bus keeps one per rule). */
export const compileEventPattern = (pattern: unknown): CompiledEventPattern => {
  if (!isPlainObject(pattern)) fail('Filter is not an object');
  const root = compileObject(pattern as Record<string, unknown>, false);
  return {
    pattern: pattern as EventPattern,
    matches: (event: unknown) => matchObject(root, isPlainObject(event) ? event : EMPTY_OBJECT),
  };
};

/**
 * True when `event` (a parsed EventBridge event, e.g. `{ source, 'detail-type', detail, ... }`)
 * matches `pattern`. Throws InvalidEventPatternError when the pattern itself is invalid, so a
 * typo in a pattern fails loudly instead of silently matching nothing.
 */
export const matchesEventPattern = (pattern: unknown, event: unknown): boolean =>
  compileEventPattern(pattern).matches(event);

const compileObject = (pattern: Record<string, unknown>, insideOr: boolean): ObjectNode => {
  const keys = Object.keys(pattern);
  if (keys.length === 0) fail('Empty objects are not allowed');
  const node: ObjectNode = { kind: 'object', fields: [], ors: [] };
  for (const key of keys) {
    const value = pattern[key];
    if (key === OR_KEY) {
      node.ors.push(compileOr(value));
      continue;
    }
    if (insideOr && OPERATORS.has(key)) {
      fail(`${key} is Ruler reserved fieldName which cannot be used inside ${OR_KEY}.`);
    }
    if (Array.isArray(value)) {
      node.fields.push([key, compileLeaf(value)]);
    } else if (isPlainObject(value)) {
      node.fields.push([key, compileObject(value, insideOr)]);
    } else {
      fail(`"${key}" must be an object or an array`);
    }
  }
  return node;
};

const compileOr = (value: unknown): ObjectNode[] => {
  if (!Array.isArray(value)) return fail(`It must be an Array followed with ${OR_KEY}.`);
  const branches = value.map((branch) => {
    if (!isPlainObject(branch)) return fail(`Only JSON object is allowed in array of ${OR_KEY} relationship.`);
    return compileObject(branch, true);
  });
  if (branches.length < 2) fail(`There must have at least 2 Objects in ${OR_KEY} relationship.`);
  return branches;
};

const compileLeaf = (values: unknown[]): LeafNode => {
  if (values.length === 0) fail('Empty arrays are not allowed');
  const matchers = values.map((value): ValueMatcher => {
    if (isPlainObject(value)) return compileMatchExpression(value);
    if (!isScalar(value)) return fail('Match value must be String, number, true, false, or null');
    return { kind: 'exact', value };
  });
  return { kind: 'leaf', matchers };
};

/** `{ "<operator>": <operand> }`: exactly one operator per object. */
const compileMatchExpression = (expression: Record<string, unknown>): ValueMatcher => {
  const keys = Object.keys(expression);
  if (keys.length === 0) return fail('Match expression name not found');
  if (keys.length > 1) return fail('Only one key allowed in match expression');
  const operator = keys[0] as string;
  const operand = expression[operator];
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return compilePrefixOrSuffix(operator, operand);
    case 'equals-ignore-case':
      if (typeof operand !== 'string') return fail('equals-ignore-case match pattern must be a string');
      return { kind: 'equals-ignore-case', value: operand };
    case 'wildcard':
      if (typeof operand !== 'string') return fail('wildcard match pattern must be a string');
      return { kind: 'wildcard', regex: compileWildcard(operand) };
    case 'numeric':
      return compileNumeric(operand);
    case 'exists':
      if (typeof operand !== 'boolean') return fail('exists match pattern must be either true or false.');
      return { kind: 'exists', exists: operand };
    case 'cidr':
      // AWS really says "prefix" here (its compiler reuses the message).
      if (typeof operand !== 'string') return fail('prefix match pattern must be a string');
      return compileCidr(operand);
    case 'anything-but':
      return compileAnythingBut(operand);
    default:
      return fail(`Unrecognized match type ${operator}`);
  }
};

const compilePrefixOrSuffix = (operator: 'prefix' | 'suffix', operand: unknown): ValueMatcher => {
  if (typeof operand === 'string') return { kind: operator, value: operand, ignoreCase: false };
  // The only nested form AWS accepts: { "prefix": { "equals-ignore-case": "..." } }.
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    const name = operator === 'prefix' ? 'Prefix' : 'Suffix';
    if (keys.length === 0) return fail(`${name} expression name not found`);
    if (keys.length > 1) return fail('Only one key allowed in match expression');
    if (keys[0] !== 'equals-ignore-case') return fail(`Unsupported ${operator} pattern: ${keys[0]}`);
    const value = operand['equals-ignore-case'];
    if (typeof value !== 'string') return fail('equals-ignore-case match pattern must be a string');
    return { kind: operator, value, ignoreCase: true };
  }
  return fail(`${operator} match pattern must be a string`);
};

/**
 * `*` matches any run of characters (including none); `\*` is a literal asterisk and `\\` a
 * literal backslash. Like AWS, `**` and any other escape are rejected; positions count UTF-8
 * bytes from the opening quote of the JSON string, as AWS's messages do.
 */
const compileWildcard = (text: string): RegExp => {
  let source = '';
  let position = 1;
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string;
    if (char === '*') {
      if (chars[i + 1] === '*') fail(`Consecutive wildcard characters at pos ${position}`);
      source += '.*';
    } else if (char === '\\') {
      const next = chars[i + 1];
      if (next !== '*' && next !== '\\') fail(`Invalid escape character at pos ${position}`);
      source += escapeRegExp(next as string);
      position += 1;
      i++;
    } else {
      source += escapeRegExp(char);
    }
    position += Buffer.byteLength(char);
  }
  // `s`: a wildcard also spans newlines; `u`: match by code point, like the byte-wise original.
  return new RegExp(`^${source}$`, 'su');
};

// Only syntax characters are escaped: the `u` flag rejects needless escapes such as `\-`.
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

/** `["=", 5]`, `["<", 10]`, `[">=", 0]`, or a range `[">", 0, "<=", 5]` (lower bound first). */
const compileNumeric = (operand: unknown): ValueMatcher => {
  if (!Array.isArray(operand)) return fail('Value of numeric must be an array.');
  if (operand.length === 0) return fail('Value of numeric must not be empty');
  const [operator, value, secondOperator, secondValue] = operand as unknown[];
  if (typeof operator !== 'string') return fail(`Invalid member in numeric match: ${display(operator)}`);
  if (!NUMERIC_OPERATORS.has(operator)) return fail(`Unrecognized numeric range operator: ${operator}`);
  if (typeof value !== 'number') return fail(`Value of ${operator === '=' ? 'equals' : operator} must be numeric`);
  const bound = (inclusive: boolean): Bound => ({ value, inclusive });

  if (operator === '=' || operator === '<' || operator === '<=') {
    if (operand.length > 2) return fail('Too many elements in numeric expression');
    if (operator === '=') return { kind: 'numeric', lower: bound(true), upper: bound(true) };
    return { kind: 'numeric', upper: bound(operator === '<=') };
  }
  const lower = bound(operator === '>=');
  if (operand.length === 2) return { kind: 'numeric', lower };

  if (typeof secondOperator !== 'string') return fail(`Bad value in numeric range: ${display(secondOperator)}`);
  if (secondOperator !== '<' && secondOperator !== '<=') return fail(`Bad numeric range operator: ${secondOperator}`);
  if (typeof secondValue !== 'number') return fail(`Value of ${secondOperator} must be numeric`);
  if (operand.length > 4) return fail('Too many terms in numeric range expression');
  if (!(value < secondValue)) return fail('Bottom must be less than top');
  return { kind: 'numeric', lower, upper: { value: secondValue, inclusive: secondOperator === '<=' } };
};

const compileCidr = (cidr: string): ValueMatcher => {
  const parts = cidr.split('/');
  if (parts.length !== 2) return fail("Malformed CIDR, one '/' required");
  const [address, bits] = parts as [string, string];
  const version = isIP(address);
  if (version === 0) return fail(`Nonstandard IP address: ${address}`);
  if (!/^\d+$/.test(bits)) return fail('Malformed CIDR, mask bits must be an integer');
  const maxBits = version === 4 ? 32 : 128;
  const prefixLength = Number(bits);
  if (prefixLength > maxBits) return fail(`Malformed CIDR, mask bits must be between 0 and ${maxBits}`);
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const blockList = new BlockList();
  blockList.addSubnet(address, prefixLength, family);
  return { kind: 'cidr', blockList, family };
};

/**
 * Forms: a string, a number, a list of all strings or all numbers, or an object with one of
 * prefix / suffix / equals-ignore-case / wildcard holding a string or a list of strings.
 */
const compileAnythingBut = (operand: unknown): ValueMatcher => {
  const anythingBut = (excluded: ValueMatcher[]): ValueMatcher => ({ kind: 'anything-but', excluded });

  if (typeof operand === 'string' || typeof operand === 'number') {
    return anythingBut([{ kind: 'exact', value: operand }]);
  }
  if (Array.isArray(operand)) {
    if (operand.some((value) => typeof value !== 'string' && typeof value !== 'number')) {
      return fail('Inside anything but list, start|null|boolean is not supported.');
    }
    const allStrings = operand.every((value) => typeof value === 'string');
    const allNumbers = operand.every((value) => typeof value === 'number');
    if (operand.length === 0 || (!allStrings && !allNumbers)) {
      return fail('Inside anything but list, either all values are number or string, mixed type is not supported');
    }
    return anythingBut(operand.map((value) => ({ kind: 'exact', value: value as string | number })));
  }
  if (!isPlainObject(operand)) {
    return fail('Value of anything-but must be an array or single string/number value.');
  }

  const keys = Object.keys(operand);
  if (keys.length === 0) return fail('Anything-But expression name not found');
  if (keys.length > 1) return fail('Only one key allowed in match expression');
  const operator = keys[0] as string;
  if (!['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(operator)) {
    return fail(`Unsupported anything-but pattern: ${operator}`);
  }
  const inner = operand[operator];
  if (!Array.isArray(inner) && typeof inner !== 'string' && typeof inner !== 'number') {
    return fail('Value of anything-but must be an array or single string/number value.');
  }
  const values = Array.isArray(inner) ? inner : [inner];
  const wrongType =
    operator === 'equals-ignore-case'
      ? 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'
      : operator === 'wildcard'
        ? 'wildcard match pattern must be a string'
        : 'prefix/suffix match pattern must be a string';
  const excluded = values.map((value): ValueMatcher => {
    if (typeof value !== 'string') return fail(wrongType);
    switch (operator) {
      case 'prefix':
      case 'suffix':
        // An empty prefix would exclude every string, which AWS refuses.
        if (value === '') return fail('Null prefix/suffix not allowed');
        return { kind: operator, value, ignoreCase: false };
      case 'wildcard':
        return { kind: 'wildcard', regex: compileWildcard(value) };
      default:
        return { kind: 'equals-ignore-case', value };
    }
  });
  return anythingBut(excluded);
};

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

const EMPTY_OBJECT: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

const matchObject = (node: ObjectNode, event: Record<string, unknown>): boolean => {
  for (const [key, child] of node.fields) {
    const present = Object.hasOwn(event, key);
    if (!matchField(child, present, present ? event[key] : undefined)) return false;
  }
  return node.ors.every((branches) => branches.some((branch) => matchObject(branch, event)));
};

const matchField = (child: LeafNode | ObjectNode, present: boolean, value: unknown): boolean => {
  if (child.kind === 'leaf') {
    const leaves = present ? leafValuesOf(value) : [];
    return child.matchers.some((matcher) =>
      matcher.kind === 'exists'
        ? matcher.exists === leaves.length > 0
        : leaves.some((leaf) => matchValue(matcher, leaf)),
    );
  }
  // A nested pattern looks into an object, or into each object of an array separately (so two
  // fields can never be satisfied by different array elements). Where there is no object the
  // nested fields are all missing: only `exists: false` can match there.
  const objects = present ? objectsOf(value) : [];
  if (objects.length === 0) return matchObject(child, EMPTY_OBJECT);
  return objects.some((object) => matchObject(child, object));
};

/** The leaf values of a field: itself, or the scalars of a (nested) array; objects are not leaves. */
const leafValuesOf = (value: unknown): Scalar[] => {
  if (Array.isArray(value)) return value.flatMap(leafValuesOf);
  if (isPlainObject(value) || value === undefined) return [];
  return [value as Scalar];
};

const objectsOf = (value: unknown): Record<string, unknown>[] => {
  if (Array.isArray(value)) return value.flatMap(objectsOf);
  return isPlainObject(value) ? [value] : [];
};

const matchValue = (matcher: ValueMatcher, value: Scalar): boolean => {
  switch (matcher.kind) {
    case 'exact':
      // Strict equality: types must agree ("5" is not 5) and numbers compare by value.
      return value === matcher.value;
    case 'prefix':
      if (typeof value !== 'string') return false;
      return matcher.ignoreCase
        ? value.toLowerCase().startsWith(matcher.value.toLowerCase())
        : value.startsWith(matcher.value);
    case 'suffix':
      if (typeof value !== 'string') return false;
      return matcher.ignoreCase
        ? value.toLowerCase().endsWith(matcher.value.toLowerCase())
        : value.endsWith(matcher.value);
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === matcher.value.toLowerCase();
    case 'wildcard':
      return typeof value === 'string' && matcher.regex.test(value);
    case 'numeric':
      return typeof value === 'number' && withinBounds(value, matcher.lower, matcher.upper);
    case 'cidr': {
      if (typeof value !== 'string') return false;
      const version = isIP(value);
      if (version === 0 || (version === 4) !== (matcher.family === 'ipv4')) return false;
      return matcher.blockList.check(value, matcher.family);
    }
    case 'anything-but':
      return !matcher.excluded.some((excluded) => matchValue(excluded, value));
    case 'exists':
      // Handled per field in matchField: existence is not a property of one value.
      return false;
  }
};

const withinBounds = (value: number, lower: Bound | undefined, upper: Bound | undefined): boolean => {
  if (lower && !(lower.inclusive ? value >= lower.value : value > lower.value)) return false;
  if (upper && !(upper.inclusive ? value <= upper.value : value < upper.value)) return false;
  return true;
};

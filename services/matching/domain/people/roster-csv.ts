import { describeIssues, humaneParse } from '../../../../shared/http/validation';
import { InvalidRosterError } from './errors';
import { PersonIdSchema, type PersonInput, PersonInputSchema } from './person';

/** The roster's columns; list cells separate their values with `;`. */
export const rosterColumns = [
  'personId',
  'name',
  'email',
  'timezone',
  'domain',
  'level',
  'projectIds',
  'managerId',
  'skills',
  'growthGoals',
  'languages',
  'roles',
  'mentorCapacity',
  'workingHoursStart',
  'workingHoursEnd',
  'yearsOfExperience',
  'acceptingMentees',
  'rehire',
] as const;
type RosterColumn = (typeof rosterColumns)[number];
const requiredColumns: readonly RosterColumn[] = ['personId', 'name', 'email', 'timezone', 'domain', 'level'];
const listColumns = new Set<RosterColumn>(['projectIds', 'skills', 'growthGoals', 'languages', 'roles']);

/** Rows per import (an import is a job, applied in batches: 50,000 rows is a normal roster). */
export const MAX_ROSTER_ROWS = 100_000;

export interface CsvRecord {
  /** 1-based line of the file where the record starts (the header is line 1). */
  line: number;
  cells: string[];
}

/** RFC 4180: quoted cells may hold commas, doubled quotes and line breaks. */
export const parseCsv = (text: string): CsvRecord[] => {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;

  const endCell = () => {
    cells.push(cell);
    cell = '';
  };
  const endRecord = () => {
    endCell();
    if (!(cells.length === 1 && cells[0]?.trim() === '')) records.push({ line: recordLine, cells });
    cells = [];
  };

  for (let index = 0; index < input.length; index++) {
    const char = input[index];
    if (quoted) {
      if (char === '"' && input[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === '\n') line++;
        cell += char;
      }
    } else if (char === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (char === ',') {
      endCell();
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && input[index + 1] === '\n') index++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      cell += char;
    }
  }
  if (quoted) throw new InvalidRosterError(`Unterminated quoted cell starting on line ${recordLine}`);
  if (cell !== '' || cells.length > 0) endRecord();
  return records;
};

export type RosterRow =
  | { line: number; personId: string; input: PersonInput; rehire: boolean; ok: true }
  | { line: number; personId?: string; errors: string[]; ok: false };

const toList = (value: string): string[] =>
  value
    .split(';')
    .map((item) => item.trim())
    .filter(Boolean);

const toNumberOrText = (value: string): number | string => (/^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value);

const toBooleanOrText = (value: string): boolean | string => {
  const lowered = value.toLowerCase();
  if (['true', 'yes', '1'].includes(lowered)) return true;
  if (['false', 'no', '0'].includes(lowered)) return false;
  return value;
};

/** A row's cells as the people API's input: an empty cell is left out (a new person gets the default, an existing one keeps the value). */
const rowToInput = (row: Partial<Record<RosterColumn, string>>): Record<string, unknown> => {
  const input: Record<string, unknown> = {};
  for (const [column, raw] of Object.entries(row) as [RosterColumn, string][]) {
    const value = raw.trim();
    if (
      value === '' ||
      column === 'personId' ||
      column === 'rehire' ||
      column === 'workingHoursStart' ||
      column === 'workingHoursEnd'
    ) {
      continue;
    }
    if (listColumns.has(column)) input[column] = toList(value);
    else if (column === 'level' || column === 'mentorCapacity' || column === 'yearsOfExperience') {
      input[column] = toNumberOrText(value);
    } else if (column === 'acceptingMentees') input[column] = toBooleanOrText(value);
    else input[column] = value;
  }
  const start = row.workingHoursStart?.trim();
  const end = row.workingHoursEnd?.trim();
  if (start || end) input.workingHours = { start: start ?? '', end: end ?? '' };
  return input;
};

/** The header's columns, checked: none unknown or repeated, every required one present. */
const checkedColumns = (header: CsvRecord | undefined): string[] => {
  if (!header) throw new InvalidRosterError('The roster is empty: a header row is required');
  const columns = header.cells.map((name) => name.trim());
  const repeated = [...new Set(columns.filter((name, index) => columns.indexOf(name) !== index))];
  if (repeated.length > 0) {
    throw new InvalidRosterError(`Columns appear more than once in the header: ${repeated.join(', ')}`);
  }
  const unknown = columns.filter((name) => !(rosterColumns as readonly string[]).includes(name));
  if (unknown.length > 0) throw new InvalidRosterError(`Unknown columns: ${unknown.join(', ')}`);
  const missing = requiredColumns.filter((name) => !columns.includes(name));
  if (missing.length > 0) throw new InvalidRosterError(`Missing required columns: ${missing.join(', ')}`);
  return columns;
};

const checkedCount = (records: readonly CsvRecord[]) => {
  if (records.length > MAX_ROSTER_ROWS) {
    throw new InvalidRosterError(`At most ${MAX_ROSTER_ROWS} rows per import, got ${records.length}`);
  }
};

/** What can be said of a roster without reading its rows: it is one (InvalidRosterError if not), of so many rows. */
export const inspectRoster = (text: string): { rows: number } => {
  const [header, ...records] = parseCsv(text);
  checkedColumns(header);
  checkedCount(records);
  return { rows: records.length };
};

/**
 * Reads a roster: every data row comes back valid (with its PersonInput) or rejected (with
 * its line and every reason). Only an unreadable file (no header, unknown, repeated or missing
 * columns, too many rows) is an error for the whole request.
 */
export const readRoster = (text: string): RosterRow[] => {
  const [header, ...records] = parseCsv(text);
  const columns = checkedColumns(header);
  checkedCount(records);

  const firstLineOf = new Map<string, number>();
  const firstLineOfEmail = new Map<string, number>();
  return records.map((record): RosterRow => {
    if (record.cells.length !== columns.length) {
      return {
        line: record.line,
        ok: false,
        errors: [`has ${record.cells.length} cells, the header has ${columns.length}`],
      };
    }
    const row = Object.fromEntries(columns.map((column, index) => [column, record.cells[index] ?? '']));
    const personId = PersonIdSchema().safeParse(row.personId?.trim(), humaneParse);
    const input = PersonInputSchema().safeParse(rowToInput(row), humaneParse);
    const errors = [
      ...(personId.success ? [] : describeIssues(personId.error, 'personId')),
      ...(input.success ? [] : describeIssues(input.error, 'row')),
    ];
    if (personId.success) {
      const earlier = firstLineOf.get(personId.data);
      if (earlier !== undefined) errors.push(`personId ${personId.data} already appears on line ${earlier}`);
      else firstLineOf.set(personId.data, record.line);
    }
    if (input.success) {
      const email = input.data.email.toLowerCase();
      const earlier = firstLineOfEmail.get(email);
      if (earlier !== undefined) errors.push(`email: ${input.data.email} is already the address on line ${earlier}`);
      else firstLineOfEmail.set(email, record.line);
    }
    if (errors.length > 0 || !personId.success || !input.success) {
      return { line: record.line, ok: false, errors, ...(personId.success ? { personId: personId.data } : {}) };
    }
    const rehire = toBooleanOrText(row.rehire?.trim() ?? '');
    if (typeof rehire === 'string' && rehire !== '') {
      return { line: record.line, ok: false, errors: ['rehire: must be yes or no'], personId: personId.data };
    }
    return { line: record.line, ok: true, personId: personId.data, input: input.data, rehire: rehire === true };
  });
};

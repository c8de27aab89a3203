import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rosterHeader } from '../../../../test/builders/people';
import { InvalidRosterError } from './errors';
import { parseCsv, readRoster } from './roster-csv';

const quote = (cell: string) =>
  /[",\n\r]/.test(cell) || cell.trim() !== cell ? `"${cell.replaceAll('"', '""')}"` : cell;

describe('parseCsv', () => {
  it('reads quoted cells with commas, doubled quotes and line breaks, and counts lines', () => {
    const records = parseCsv('a,b\r\n"x, y","say ""hi"""\n"two\nlines",z\n\n');
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 3, cells: ['two\nlines', 'z'] },
    ]);
  });

  it('round-trips any table written with RFC 4180 quoting', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\n', 'é', ';') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const width = rows[0]?.length ?? 2;
        const table = rows.map((row) => Array.from({ length: width }, (_, index) => row[index] ?? 'x'));
        const text = table.map((row) => row.map(quote).join(',')).join('\n');
        const parsed = parseCsv(text).map((record) => record.cells);
        // A row of one empty cell is a blank line, which the parser skips by design.
        expect(parsed).toEqual(table.filter((row) => !(row.length === 1 && row[0]?.trim() === '')));
      }),
    );
  });

  it('refuses an unterminated quote', () => {
    expect(() => parseCsv('a,b\n"open,x')).toThrow(InvalidRosterError);
  });
});

describe('readRoster', () => {
  it('turns a valid row into API input with lists, numbers, booleans and working hours', () => {
    const [row] = readRoster(
      `${rosterHeader}\nc1,Carla,carla@example.com,America/New_York,data,7,zeus;hera,m1,aws; go ,ml,en;es,employee;mentor,4,08:00,16:00,12,no`,
    );
    expect(row).toEqual({
      line: 2,
      ok: true,
      personId: 'c1',
      rehire: false,
      input: expect.objectContaining({
        projectIds: ['zeus', 'hera'],
        skills: ['aws', 'go'],
        languages: ['en', 'es'],
        roles: ['employee', 'mentor'],
        mentorCapacity: 4,
        yearsOfExperience: 12,
        acceptingMentees: false,
        workingHours: { start: '08:00', end: '16:00' },
        managerId: 'm1',
      }),
    });
  });

  it('reports a short row, a bad id and bad values with their line', () => {
    const rows = readRoster(
      [
        'personId,name,email,timezone,domain,level',
        'ok1,Ana,ana@example.com,Europe/Lisbon,backend,3',
        'short,Bo',
        'bad id,Cy,cy@example.com,Nowhere/City,backend,0',
      ].join('\n'),
    );
    expect(rows.map((row) => [row.line, row.ok])).toEqual([
      [2, true],
      [3, false],
      [4, false],
    ]);
    const bad = rows[2];
    expect(bad?.ok).toBe(false);
    if (bad && !bad.ok) {
      expect(bad.errors.join('|')).toMatch(/personId/);
      expect(bad.errors.join('|')).toMatch(/timezone/);
      expect(bad.errors.join('|')).toMatch(/level/);
      // In words, naming the field: never the validator's own text.
      expect(bad.errors).toContain('level: must be at least 1');
      expect(bad.errors.join('|')).not.toMatch(/Too small|Invalid input|expected/);
    }
  });

  it('refuses a file without a header, with unknown columns, or missing required ones', () => {
    expect(() => readRoster('')).toThrow(/header row is required/);
    expect(() => readRoster('personId,name,favouriteColour')).toThrow(/Unknown columns: favouriteColour/);
    expect(() => readRoster('personId,name')).toThrow(/Missing required columns: email, timezone, domain, level/);
  });
});

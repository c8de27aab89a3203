import { lazySchema } from '../../../shared/lazy-schema';
import * as z from '../../../shared/zod';

/** Ids in paths and keys: short, URL-safe, none of the separators our keys use (`#`). */
export const IdSchema = lazySchema(() =>
  z
    .string()
    .check(
      z.regex(/^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/, 'must be 1-128 characters: letters, digits, ".", "_", "~" or "-"'),
    ),
);

/** A calendar date, `2026-11-24`. */
export const IsoDateSchema = lazySchema(() => z.iso.date());

/** A calendar month, `2026-11`. */
export const MonthSchema = lazySchema(() =>
  z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month "YYYY-MM"')),
);

export const monthOf = (instant: Date): string => instant.toISOString().slice(0, 7);
export const dayOf = (instant: Date): string => instant.toISOString().slice(0, 10);

/** The month before `month` (`2026-01` → `2025-12`). */
export const previousMonth = (month: string): string => {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return monthNumber === 1 ? `${year - 1}-12` : `${year}-${String(monthNumber - 1).padStart(2, '0')}`;
};

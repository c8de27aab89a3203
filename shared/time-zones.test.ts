import { describe, expect, it } from 'vitest';
import { instantOfWallTime, wallClockAt } from './time-zones';

const wall = (text: string) => {
  const [date = '', time = ''] = text.split('T');
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute, second] = time.split(':').map(Number);
  return {
    year: year ?? 0,
    month: month ?? 1,
    day: day ?? 1,
    hour: hour ?? 0,
    minute: minute ?? 0,
    second: second ?? 0,
  };
};
const iso = (instant: number) => new Date(instant).toISOString();

describe('instantOfWallTime', () => {
  it('reads ordinary wall times with the zone’s offset, to the second', () => {
    expect(iso(instantOfWallTime(wall('2026-07-01T09:30:15'), 'America/New_York'))).toBe('2026-07-01T13:30:15.000Z');
    expect(iso(instantOfWallTime(wall('2026-01-19T10:00:00'), 'Asia/Kolkata'))).toBe('2026-01-19T04:30:00.000Z');
    expect(iso(instantOfWallTime(wall('2026-01-19T24:00:00'), 'UTC'))).toBe('2026-01-20T00:00:00.000Z');
  });

  it('puts a time skipped by spring-forward after the gap, and a repeated one at its first occurrence', () => {
    // New York 2026-03-08: 02:00 -> 03:00; 02:30 reads as 03:30 EDT.
    expect(iso(instantOfWallTime(wall('2026-03-08T02:30:00'), 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    // New York 2026-11-01: 01:30 happens twice; the first is EDT (-04:00).
    expect(iso(instantOfWallTime(wall('2026-11-01T01:30:00'), 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('is the inverse of wallClockAt away from skipped and repeated hours', () => {
    for (const instant of [
      Date.parse('2026-03-29T00:59:59Z'),
      Date.parse('2026-10-25T02:00:00Z'),
      Date.parse('2026-06-15T12:34:56Z'),
    ]) {
      expect(instantOfWallTime(wallClockAt(instant, 'Europe/Berlin'), 'Europe/Berlin')).toBe(instant);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { deliveryTime, reminderBase, roundWindow, scheduleProblems } from './calendar';

const iso = (date: Date | null | undefined) => date?.toISOString();

describe('round windows', () => {
  it('a once-off survey opens at 00:00 UTC of its first day and closes at 24:00 of its last', () => {
    const window = roundWindow({ kind: 'once', opensOn: '2026-11-24', closesOn: '2026-11-27' }, 1);
    expect(iso(window?.opensAt)).toBe('2026-11-24T00:00:00.000Z');
    expect(iso(window?.closesAt)).toBe('2026-11-28T00:00:00.000Z');
    expect(roundWindow({ kind: 'once', opensOn: '2026-11-24', closesOn: '2026-11-27' }, 2)).toBeNull();
  });

  it('a recurring pulse opens a round each period, monthly on the same day (or the month’s last), until it ends', () => {
    const weekly = { kind: 'recurring' as const, cadence: 'weekly' as const, startsOn: '2026-11-23' };
    expect(iso(roundWindow(weekly, 3)?.opensAt)).toBe('2026-12-07T00:00:00.000Z');
    expect(iso(roundWindow(weekly, 3)?.closesAt)).toBe('2026-12-12T00:00:00.000Z');
    const monthly = {
      kind: 'recurring' as const,
      cadence: 'monthly' as const,
      startsOn: '2027-01-31',
      endsOn: '2027-04-30',
    };
    expect(iso(roundWindow(monthly, 2)?.opensAt)).toBe('2027-02-28T00:00:00.000Z');
    expect(iso(roundWindow(monthly, 4)?.opensAt)).toBe('2027-04-30T00:00:00.000Z');
    expect(roundWindow(monthly, 5)).toBeNull();
  });

  it('names what makes a schedule unusable', () => {
    const now = new Date('2026-11-24T10:00:00Z');
    expect(scheduleProblems({ kind: 'once', opensOn: '2026-11-01', closesOn: '2026-11-23' }, now)).toEqual([
      { field: 'schedule.closesOn', message: 'is in the past' },
    ]);
    expect(
      scheduleProblems({ kind: 'recurring', cadence: 'weekly', startsOn: '2026-11-30', roundDays: 9 }, now),
    ).toEqual([{ field: 'schedule.roundDays', message: 'must be at most 7 for a weekly pulse' }]);
  });
});

describe('emails', () => {
  it('remind two days before closing, never in the first day, and not at all in a round too short', () => {
    const opensAt = new Date('2026-11-23T00:00:00Z');
    expect(iso(reminderBase({ opensAt, closesAt: new Date('2026-11-28T00:00:00Z') }))).toBe('2026-11-26T00:00:00.000Z');
    expect(iso(reminderBase({ opensAt, closesAt: new Date('2026-11-25T00:00:00Z') }))).toBe('2026-11-24T00:00:00.000Z');
    expect(reminderBase({ opensAt, closesAt: new Date('2026-11-24T00:00:00Z') })).toBeNull();
  });

  it('wait for the recipient’s working hours, and are dropped when the round would be closed by then', () => {
    const tokyo = { timezone: 'Asia/Tokyo', workingHours: { start: '09:00', end: '17:00' } };
    // Saturday 28 November: Tokyo's next working moment is Monday 09:00 (00:00 UTC).
    expect(iso(deliveryTime(new Date('2026-11-28T03:00:00Z'), tokyo, new Date('2026-12-05T00:00:00Z')))).toBe(
      '2026-11-30T00:00:00.000Z',
    );
    expect(deliveryTime(new Date('2026-11-28T03:00:00Z'), tokyo, new Date('2026-11-29T00:00:00Z'))).toBeNull();
  });
});

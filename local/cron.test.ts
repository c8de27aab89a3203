import { describe, expect, it } from 'vitest';
import {
  type CronSchedule,
  nextCronFire,
  nextFireTimes,
  parseScheduleExpression,
  ScheduleExpressionError,
} from './cron';

const next = (expression: string, after: string, timeZone = 'UTC') =>
  nextCronFire(parseScheduleExpression(expression) as CronSchedule, new Date(after), timeZone)?.toISOString();

describe('cron() next fire times', () => {
  it.each([
    ['cron(0/15 * * * ? *)', '2026-11-24T10:07:00Z', 'UTC', '2026-11-24T10:15:00.000Z'],
    ['cron(0 9 ? * MON-FRI *)', '2026-11-27T10:00:00Z', 'UTC', '2026-11-30T09:00:00.000Z'],
    ['cron(0 12 L * ? *)', '2026-02-01T00:00:00Z', 'UTC', '2026-02-28T12:00:00.000Z'],
    ['cron(0 12 L-2 * ? *)', '2026-02-01T00:00:00Z', 'UTC', '2026-02-26T12:00:00.000Z'],
    ['cron(0 0 ? * 6L *)', '2026-11-01T00:00:00Z', 'UTC', '2026-11-27T00:00:00.000Z'],
    ['cron(0 0 ? * 2#1 *)', '2026-11-24T00:00:00Z', 'UTC', '2026-12-07T00:00:00.000Z'],
    ['cron(0 0 ? * MON#1 *)', '2026-11-24T00:00:00Z', 'UTC', '2026-12-07T00:00:00.000Z'],
    ['cron(0 0 15W * ? *)', '2026-11-01T00:00:00Z', 'UTC', '2026-11-16T00:00:00.000Z'],
    ['cron(0 0 LW * ? *)', '2026-05-01T00:00:00Z', 'UTC', '2026-05-29T00:00:00.000Z'],
    ['cron(0 0 1 JAN ? 2030)', '2026-11-24T00:00:00Z', 'UTC', '2030-01-01T00:00:00.000Z'],
    ['cron(5,35 14 * * ? *)', '2026-11-24T14:05:00Z', 'UTC', '2026-11-24T14:35:00.000Z'],
    ['cron(0 8 * * ? *)', '2026-11-24T00:00:00Z', 'Asia/Tokyo', '2026-11-24T23:00:00.000Z'],
    ['cron(0 7 * * ? *)', '2026-11-24T00:00:00Z', 'America/New_York', '2026-11-24T12:00:00.000Z'],
  ])('%s after %s in %s is %s', (expression, after, timeZone, expected) => {
    expect(next(expression, after, timeZone)).toBe(expected);
  });

  describe('daylight saving time (EventBridge Scheduler semantics)', () => {
    it('fires at a local time that exists on the spring-forward day at its new offset', () => {
      // Paris, 2026-03-29: 02:00 CET becomes 03:00 CEST.
      expect(next('cron(0 3 * * ? *)', '2026-03-28T12:00:00Z', 'Europe/Paris')).toBe('2026-03-29T01:00:00.000Z');
    });

    it('skips a local time that does not exist (spring forward)', () => {
      expect(next('cron(30 2 * * ? *)', '2026-03-28T12:00:00Z', 'Europe/Paris')).toBe('2026-03-30T00:30:00.000Z');
      // New York, 2026-03-08: 02:00 EST becomes 03:00 EDT.
      expect(next('cron(30 2 ? * SUN *)', '2026-03-01T12:00:00Z', 'America/New_York')).toBe('2026-03-15T06:30:00.000Z');
    });

    it('fires once at a local time that happens twice (fall back)', () => {
      // Paris, 2026-10-25: 03:00 CEST becomes 02:00 CET; 02:30 happens at 00:30Z and 01:30Z.
      const times = nextFireTimes('cron(30 2 * * ? *)', new Date('2026-10-24T12:00:00Z'), 2, 'Europe/Paris');
      expect(times.map((time) => time.toISOString())).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);

      const hourly = nextFireTimes('cron(0 * * * ? *)', new Date('2026-10-24T23:30:00Z'), 4, 'Europe/Paris');
      expect(hourly.map((time) => time.toISOString())).toEqual([
        '2026-10-25T00:00:00.000Z', // 02:00 CEST
        '2026-10-25T02:00:00.000Z', // 03:00 CET (02:00 CET, the repeat, does not fire again)
        '2026-10-25T03:00:00.000Z',
        '2026-10-25T04:00:00.000Z',
      ]);
    });
  });

  it('reads rate() expressions', () => {
    expect(parseScheduleExpression('rate(15 minutes)')).toEqual({ kind: 'rate', intervalMs: 900_000 });
    expect(parseScheduleExpression('rate(1 hour)')).toEqual({ kind: 'rate', intervalMs: 3_600_000 });
    expect(parseScheduleExpression('rate(2 days)')).toEqual({ kind: 'rate', intervalMs: 172_800_000 });
    expect(
      nextFireTimes('rate(5 minutes)', new Date('2026-11-24T10:00:00Z'), 2).map((time) => time.toISOString()),
    ).toEqual(['2026-11-24T10:05:00.000Z', '2026-11-24T10:10:00.000Z']);
  });

  it.each([
    'cron(0 3 * * * *)', // both day fields set
    'cron(0 3 ? * ? *)', // neither
    'cron(0 3 * * ?)', // five fields
    'cron(60 3 * * ? *)',
    'cron(0 3 * 13 ? *)',
    'cron(0 3 ? * FRI-MON *)', // wrap-around ranges are not supported
    'cron(0 3 ? * 2#6 *)',
    'rate(0 minutes)',
    'rate(5 weeks)',
    'at(2026-12-01T10:00:00)',
    'every day',
  ])('rejects %s', (expression) => {
    expect(() => parseScheduleExpression(expression)).toThrow(ScheduleExpressionError);
  });
});

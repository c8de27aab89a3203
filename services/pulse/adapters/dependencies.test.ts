import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../shared/config';
import { pulseService } from '../declaration';
import { loadPulseDependencies } from './dependencies';

const environment = (threshold?: string) => ({
  SERVICE_NAME: 'pulse',
  TABLE_NAME: 'mentoring-pulse',
  EVENT_BUS_NAME: 'mentoring-platform',
  ...(threshold === undefined ? {} : { ANONYMITY_THRESHOLD: threshold }),
});

describe('the anonymity threshold, per deployment', () => {
  it('is read once at cold start: a whole number from 3 to 10', () => {
    expect(loadPulseDependencies(environment('3')).threshold).toBe(3);
    expect(loadPulseDependencies(environment('10')).threshold).toBe(10);
  });

  it('fails fast, naming the variable, when it is missing or out of range', () => {
    for (const value of [undefined, '2', '11', '4.5', 'five']) {
      expect(() => loadPulseDependencies(environment(value))).toThrow(ConfigurationError);
    }
    expect(() => loadPulseDependencies(environment('2'))).toThrow(/ANONYMITY_THRESHOLD/);
  });

  it('is declared with the same default and range, so CloudFormation refuses anything else at deployment', () => {
    expect(pulseService.settings).toEqual([
      expect.objectContaining({ name: 'ANONYMITY_THRESHOLD', default: '5', integerRange: { min: 3, max: 10 } }),
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { publishedSchemaViolations } from './event-schema';

const atRisk = (data: Record<string, unknown>) => ({
  source: 'mentoring.pulse',
  detailType: 'Mentee.AtRisk',
  detail: {
    metadata: { id: 'e-1', version: 1, occurredAt: '2026-11-24T10:00:00.000Z', correlationId: 'c-1', service: 'pulse' },
    data,
  },
});

describe('events held against their published JSON Schema', () => {
  const valid = {
    menteeId: 'p-1',
    mentorId: 'p-2',
    podId: null,
    checkInId: 'ci-1',
    risk: 'high',
    previousRisk: null,
    trigger: 'high-risk',
    droppedMeasures: [],
  };

  it('accepts an event as the catalogue describes it', () => {
    expect(publishedSchemaViolations(atRisk(valid))).toEqual([]);
  });

  it('names what an event gets wrong', () => {
    const violations = publishedSchemaViolations(atRisk({ ...valid, risk: 'extreme', trigger: undefined }));
    expect(violations.join('\n')).toMatch(/detail\.data\.risk/);
    expect(violations.join('\n')).toMatch(/detail\.data\.trigger/);
  });
});

import { describe, expect, it } from 'vitest';
import { assertMatchesPublishedSchema } from './event-schemas';

const routed = {
  version: '0',
  id: 'e-1',
  source: 'mentoring.escalation',
  'detail-type': 'Escalation.Acknowledged',
  account: '000000000000',
  time: '2026-01-19T10:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: {
    metadata: {
      id: 'm-1',
      version: 1,
      occurredAt: '2026-01-19T10:00:00.000Z',
      correlationId: 'c',
      service: 'escalation',
    },
    data: {
      escalationId: 'esc-1',
      departmentId: 'it',
      acknowledgedAt: '2026-01-19T10:00:00.000Z',
      firstResponseBusinessMinutes: 12,
      withinTarget: true,
    },
  },
};

describe('assertMatchesPublishedSchema', () => {
  it('accepts an event as published and refuses one its schema does not describe', () => {
    expect(() => assertMatchesPublishedSchema(routed)).not.toThrow();
    const extra = structuredClone(routed);
    (extra.detail.data as Record<string, unknown>).reporterId = 'e1';
    expect(() => assertMatchesPublishedSchema(extra)).toThrow(/must NOT have additional properties|additional/);
    const badDate = structuredClone(routed);
    badDate.detail.data.acknowledgedAt = 'yesterday';
    expect(() => assertMatchesPublishedSchema(badDate)).toThrow(/acknowledgedAt/);
  });
});

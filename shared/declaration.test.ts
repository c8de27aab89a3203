/** What a declaration of run-time resources gives a function, and what it refuses. */
import { describe, expect, it } from 'vitest';
import { defineService, type FunctionDeclaration, functionEnvironment, standardTable } from './declaration';

const fn = (name: string, access: FunctionDeclaration['access']): FunctionDeclaration => ({
  name,
  entry: `handlers/${name}.ts`,
  description: name,
  memoryMb: 256,
  timeoutSeconds: 30,
  access,
});

const resources = {
  eventBusName: 'bus',
  tableName: 'table',
  senderEmail: 'sender@example.com',
  sesConfigurationSet: 'set',
  oneTimeSchedules: {
    groupName: 'mentoring-svc',
    roleArn: 'arn:role/scheduler',
    functionArn: (name: string) => `arn:function:svc-${name}`,
    deadLetterArn: 'arn:queue/dlq',
  },
  apiDestinations: { roleArn: 'arn:role/webhooks', deadLetterArn: 'arn:queue/webhooks' },
};

describe('run-time resources in a declaration', () => {
  it('hand the schedule group, target, role and dead letters only to the functions that declare them', () => {
    const planner = fn('planner', { table: 'read', oneTimeSchedules: { target: 'timer' } });
    expect(functionEnvironment({ name: 'svc' }, planner, resources)).toMatchObject({
      SCHEDULE_GROUP_NAME: 'mentoring-svc',
      SCHEDULE_TARGET_ARN: 'arn:function:svc-timer',
      SCHEDULE_ROLE_ARN: 'arn:role/scheduler',
      SCHEDULE_DEAD_LETTER_ARN: 'arn:queue/dlq',
    });
    const configurer = fn('configurer', { apiDestinations: true });
    expect(functionEnvironment({ name: 'svc' }, configurer, resources)).toMatchObject({
      WEBHOOK_ROLE_ARN: 'arn:role/webhooks',
      WEBHOOK_DEAD_LETTER_ARN: 'arn:queue/webhooks',
    });
    const plain = functionEnvironment({ name: 'svc' }, fn('plain', { table: 'read' }), resources);
    expect(Object.keys(plain).filter((name) => name.startsWith('SCHEDULE_') || name.startsWith('WEBHOOK_'))).toEqual(
      [],
    );
  });

  it('refuse one-time schedules aimed at a function the service does not declare', () => {
    expect(() =>
      defineService({
        name: 'svc',
        description: 'svc',
        table: standardTable,
        functions: [
          fn('planner', { table: 'read', oneTimeSchedules: { target: 'timr' } }),
          fn('timer', { table: 'read' }),
        ],
      }),
    ).toThrow('svc: planner schedules the undeclared function "timr"');
  });
});

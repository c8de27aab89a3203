import { EscalationRaisedV1, timerChangingEvents } from '../../shared/contracts/escalation-events';
import { defineService, standardTable } from '../../shared/declaration';
import { patternFor } from '../../shared/events/envelope';
import { automaticContracts } from './domain/automatic';
import { directoryContracts } from './domain/directory';
import { notifiedContracts } from './domain/notifications';
import { configurationRoutes } from './routes/configuration';
import { escalationRoutes } from './routes/escalations';

/** Escalation routing: department backlogs, business-hours SLAs, improvement signals, quality circles. */
export const escalationService = defineService({
  name: 'escalation',
  description: 'Escalation routing: department backlogs, business-hours SLAs, improvement signals, quality circles.',
  table: standardTable,
  functions: [
    {
      name: 'escalation-api',
      entry: 'services/escalation/handlers/escalation-api.ts',
      description: 'Escalations HTTP API: raise, read, list, acknowledge, status, comments, reopen, withdraw.',
      memoryMb: 512,
      timeoutSeconds: 29,
      access: { table: 'read-write' },
      routes: escalationRoutes,
    },
    {
      name: 'configuration-api',
      entry: 'services/escalation/handlers/configuration-api.ts',
      description: 'Departments (with their tracker webhooks) and the versioned routing rules, with a dry run.',
      memoryMb: 256,
      timeoutSeconds: 29,
      access: { table: 'read-write', apiDestinations: true },
      routes: configurationRoutes,
    },
    {
      name: 'event-consumer',
      entry: 'services/escalation/handlers/event-consumer.ts',
      description:
        'Raises escalations from other services events, keeps the directory, counts themes of raised escalations.',
      memoryMb: 256,
      timeoutSeconds: 30,
      access: { table: 'read-write' },
    },
    {
      name: 'sla-scheduler',
      entry: 'services/escalation/handlers/sla-scheduler.ts',
      description: 'Keeps the one-time milestone schedules of each escalation in step with its SLA timers.',
      memoryMb: 256,
      timeoutSeconds: 30,
      access: { table: 'read', oneTimeSchedules: { target: 'sla-timer' } },
    },
    {
      name: 'sla-timer',
      entry: 'services/escalation/handlers/sla-timer.ts',
      description: 'Target of the milestone schedules: an SLA warning or breach happens at its instant.',
      memoryMb: 256,
      // Waits out up to 70 s when Scheduler fires early in the minute.
      timeoutSeconds: 120,
      access: { table: 'read-write' },
    },
    {
      name: 'notifier',
      entry: 'services/escalation/handlers/notifier.ts',
      description: 'Emails reporters, department leads, the life coach and mentors about what happened.',
      memoryMb: 256,
      timeoutSeconds: 30,
      access: { table: 'read-write', sendEmail: true },
    },
  ],
  subscriptions: [
    {
      name: 'automatic-sources',
      function: 'event-consumer',
      pattern: patternFor(...automaticContracts),
      description: 'pulse Mentee.AtRisk, PulseScore.Dropped; scheduling OneOnOne.Overdue (v1).',
    },
    {
      name: 'directory',
      function: 'event-consumer',
      pattern: patternFor(...directoryContracts),
      description: 'matching Person.*, Pod.*, Mentorship.* (v1): who is who, in which pod.',
    },
    {
      name: 'timer-changes',
      function: 'sla-scheduler',
      pattern: patternFor(...timerChangingEvents),
      description: 'Our own Escalation.Routed, Acknowledged, StatusChanged, Resolved, Reopened, Withdrawn (v1).',
    },
    {
      name: 'notifications',
      function: 'notifier',
      pattern: patternFor(...notifiedContracts),
      description: 'Our own events that someone is emailed about (v1).',
    },
    {
      name: 'raised-escalations',
      function: 'event-consumer',
      pattern: patternFor(EscalationRaisedV1),
      description: 'Our own Escalation.Raised (v1): count it toward its themes.',
    },
  ],
});

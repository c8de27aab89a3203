import {
  MentorshipEndedV1,
  MentorshipStartedV1,
  PersonOffboardedV1,
  PersonRegisteredV1,
  PersonUpdatedV1,
  PodDissolvedV1,
  PodFormedV1,
} from '../../shared/contracts/matching-events';
import { MenteeAtRiskV1 } from '../../shared/contracts/pulse-events';
import { defineService, standardTable } from '../../shared/declaration';
import { patternFor } from '../../shared/events/envelope';
import { SES_FEEDBACK_DETAIL_TYPES, SES_FEEDBACK_SOURCE } from './domain/suppressions';
import { emailLinkRoutes } from './routes/email-links';
import { programmeRoutes } from './routes/programme';
import { sessionRoutes } from './routes/sessions';
import { LINK_SIGNING_KEY, schedulingSettings } from './settings';

/** 1:1 cadences, sessions, skip-level plans and every email the platform sends: functions, routes, subscriptions, schedule, table. */
export const schedulingService = defineService({
  name: 'scheduling',
  description: 'Monthly 1:1s, pod sessions and skip-levels; reminders and calendar invites by email.',
  table: standardTable,
  settings: schedulingSettings,
  secrets: [{ name: LINK_SIGNING_KEY, description: 'Signs the links in emails ("did it happen?", unsubscribe).' }],
  functions: [
    {
      name: 'scheduling-api',
      entry: 'services/scheduling/handlers/scheduling-api.ts',
      description:
        'Sessions, slot suggestions, cadences, skip-level plans, the preferences of the caller, suppressed addresses.',
      memoryMb: 512,
      timeoutSeconds: 29,
      // Invites go out right after the write (the sweep sends whatever did not).
      access: { table: 'read-write', sendEmail: true },
      routes: [...sessionRoutes, ...programmeRoutes],
    },
    {
      name: 'email-links',
      entry: 'services/scheduling/handlers/email-links.ts',
      description: 'The public pages of the signed links in emails: "did it happen?" and one-click unsubscribe.',
      memoryMb: 256,
      timeoutSeconds: 10,
      access: { table: 'read-write', secrets: [LINK_SIGNING_KEY] },
      routes: emailLinkRoutes,
    },
    {
      name: 'directory-consumer',
      entry: 'services/scheduling/handlers/directory-consumer.ts',
      description:
        'Keeps the projection of people, pods and mentorships; starts and ends cadences, cancels sessions of ended pairs and leavers, introduces new pods.',
      memoryMb: 512,
      timeoutSeconds: 60,
      access: { table: 'read-write', sendEmail: true },
    },
    {
      name: 'ses-feedback-consumer',
      entry: 'services/scheduling/handlers/ses-feedback-consumer.ts',
      description: 'Suppresses addresses that hard-bounced or complained.',
      memoryMb: 256,
      timeoutSeconds: 30,
      access: { table: 'read-write' },
    },
    {
      name: 'reminder-sweep',
      entry: 'services/scheduling/handlers/reminder-sweep.ts',
      description:
        'Sends what is due: reminders, "did it happen?" questions, inactivity warnings, overdue events, invites left behind.',
      memoryMb: 512,
      timeoutSeconds: 300,
      access: { table: 'read-write', sendEmail: true, secrets: [LINK_SIGNING_KEY] },
    },
  ],
  subscriptions: [
    {
      name: 'matching-directory',
      function: 'directory-consumer',
      pattern: patternFor(
        PersonRegisteredV1,
        PersonUpdatedV1,
        PersonOffboardedV1,
        PodFormedV1,
        PodDissolvedV1,
        MentorshipStartedV1,
        MentorshipEndedV1,
      ),
      description:
        'Matching: Person.*, Pod.*, Mentorship.* (v1): the projection, cadences, cancellations, introductions.',
    },
    {
      name: 'mentees-at-risk',
      function: 'directory-consumer',
      pattern: patternFor(MenteeAtRiskV1),
      description: 'Pulse: Mentee.AtRisk (v1): plan their skip-level first.',
    },
    {
      name: 'email-feedback',
      function: 'ses-feedback-consumer',
      pattern: { source: [SES_FEEDBACK_SOURCE], 'detail-type': [...SES_FEEDBACK_DETAIL_TYPES] },
      description: 'SES configuration-set feedback forwarded by the core stack: hard bounces and complaints.',
    },
  ],
  schedules: [
    {
      name: 'reminder-sweep',
      function: 'reminder-sweep',
      // Reminders go out at 08:00 local; every 15 minutes keeps them within a quarter of an hour
      // of it in every zone (all offsets are whole quarter hours).
      expression: 'rate(15 minutes)',
      description: 'Send the notices that are due.',
    },
  ],
});

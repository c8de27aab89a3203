import { matchingEvents } from '../../shared/contracts/matching-events';
import { PulseSurveyClosedV1 } from '../../shared/contracts/pulse-events';
import {
  EmailAddressSuppressedV1,
  NotificationPreferencesChangedV1,
  SessionCompletedV1,
} from '../../shared/contracts/scheduling-events';
import { defineService, standardTable } from '../../shared/declaration';
import { patternFor } from '../../shared/events/envelope';
import { ANONYMITY_THRESHOLD } from './domain/settings';
import { CHECK_IN_REMINDERS_SCHEDULE, MAIL_SCHEDULE, SURVEY_ROUNDS_SCHEDULE } from './handlers/schedule-names';
import { mentoringRoutes } from './routes/mentoring';
import { surveyRoutes } from './routes/surveys';

const directoryEvents = matchingEvents.filter((contract) => /^(Person|Pod|Mentorship)\./.test(contract.detailType));

/** Anonymous pulse surveys, mentor check-ins, growth goals, 1:1 ratings, at-risk and trend signals. */
export const pulseService = defineService({
  name: 'pulse',
  description: 'Anonymous pulse surveys, mentor check-ins, growth goals, 1:1 ratings, at-risk and trend signals.',
  table: standardTable,
  settings: [
    {
      name: 'ANONYMITY_THRESHOLD',
      description:
        'The smallest group any pulse figure may describe (3-10): results, trends, comments and mentor ratings are only shown for groups at least this large.',
      default: String(ANONYMITY_THRESHOLD.default),
      integerRange: { min: ANONYMITY_THRESHOLD.min, max: ANONYMITY_THRESHOLD.max },
    },
  ],
  functions: [
    {
      name: 'pulse-api',
      entry: 'services/pulse/handlers/pulse-api.ts',
      description: 'Surveys HTTP API: create, list, close, answer, results, CSV export, trends, anonymous replies.',
      memoryMb: 1024,
      timeoutSeconds: 29,
      access: { table: 'read-write' },
      routes: surveyRoutes,
    },
    {
      name: 'mentoring-api',
      entry: 'services/pulse/handlers/mentoring-api.ts',
      description: 'Mentor check-ins, growth goals and 1:1 ratings HTTP API.',
      memoryMb: 512,
      timeoutSeconds: 29,
      access: { table: 'read-write' },
      routes: mentoringRoutes,
    },
    {
      name: 'projection-consumer',
      entry: 'services/pulse/handlers/projection-consumer.ts',
      description:
        "Keeps pulse's view of people, pods, mentorships, email preferences and completed 1:1s from other services' events.",
      memoryMb: 256,
      timeoutSeconds: 30,
      access: { table: 'read-write' },
    },
    {
      name: 'results-releaser',
      entry: 'services/pulse/handlers/results-releaser.ts',
      description: "Decides what a closed round's results may show, stores them, raises score drops.",
      memoryMb: 1024,
      // Reads the round's responses and everyone's signatures, writes the audience's: not bound to the API's 29 s.
      timeoutSeconds: 300,
      access: { table: 'read-write' },
    },
    {
      name: 'sweeper',
      entry: 'services/pulse/handlers/pulse-sweeper.ts',
      description: 'Opens and closes survey rounds on their dates; queues reminders of missed check-ins.',
      memoryMb: 1024,
      // Opening a round writes its whole audience and their emails.
      timeoutSeconds: 300,
      access: { table: 'read-write' },
    },
    {
      name: 'mail-sender',
      entry: 'services/pulse/handlers/mail-sender.ts',
      description: "Sends due survey invitations and reminders and check-in reminders, in recipients' working hours.",
      memoryMb: 512,
      timeoutSeconds: 120,
      access: { table: 'read-write', sendEmail: true },
    },
  ],
  subscriptions: [
    {
      name: 'organisation',
      function: 'projection-consumer',
      pattern: patternFor(...directoryEvents),
      description: 'matching: Person.*, Pod.*, Mentorship.* (v1): who is who, in which domain and pod.',
    },
    {
      name: 'email-and-sessions',
      function: 'projection-consumer',
      pattern: patternFor(NotificationPreferencesChangedV1, EmailAddressSuppressedV1, SessionCompletedV1),
      description:
        'scheduling: NotificationPreferences.Changed, EmailAddress.Suppressed (whom not to email), Session.Completed (1:1s to rate) (v1).',
    },
    {
      name: 'closed-rounds',
      function: 'results-releaser',
      pattern: patternFor(PulseSurveyClosedV1),
      description: 'Our own PulseSurvey.Closed (v1): prepare the round’s results.',
    },
  ],
  schedules: [
    {
      name: SURVEY_ROUNDS_SCHEDULE,
      function: 'sweeper',
      expression: 'rate(15 minutes)',
      description: 'Open and close the survey rounds that are due.',
    },
    {
      name: CHECK_IN_REMINDERS_SCHEDULE,
      function: 'sweeper',
      expression: 'cron(0 5 * * ? *)',
      description: 'Queue one reminder per mentor who missed last month’s check-ins (sent in their working hours).',
    },
    {
      name: MAIL_SCHEDULE,
      function: 'mail-sender',
      expression: 'rate(15 minutes)',
      description: 'Send the emails that are due (each in its recipient’s working hours).',
    },
  ],
});

/**
 * Who is emailed, and what they read, for each of our own events:
 *
 *   Escalation.Acknowledged, Escalation.Resolved       the reporter
 *   Escalation.StatusChanged / CommentAdded by the department or the life coach (an answer): the reporter
 *   Escalation.SlaBreached level 1                      the department lead (the life coach for their own)
 *   Escalation.SlaBreached level 2                      the life coach
 *   ImprovementSignal.Detected                          the department lead
 *   QualityCircle.Suggested                             the mentor of each pod named
 *
 * Automatic escalations have no reporter to email. A breach email never names the reporter or
 * their pod; a comment's text goes to the reporter only.
 */
import {
  EscalationAcknowledgedV1,
  EscalationCommentAddedV1,
  EscalationResolvedV1,
  EscalationSlaBreachedV1,
  EscalationStatusChangedV1,
  ImprovementSignalDetectedV1,
  QualityCircleSuggestedV1,
} from '../../../shared/contracts/escalation-events';
import type { ParsedEvent } from '../../../shared/events/consumer';
import { wallClockAt } from '../../../shared/time-zones';
import { type Department, defaultLifeCoachDepartment, LIFE_COACH_DEPARTMENT } from './departments';
import type { Escalation, EscalationComment } from './escalations/model';
import type {
  ConfigurationRepository,
  DirectoryPerson,
  DirectoryRepository,
  Email,
  EscalationRepository,
} from './ports';
import { breachDueAt } from './sla/timers';

export const notifiedContracts = [
  EscalationAcknowledgedV1,
  EscalationResolvedV1,
  EscalationStatusChangedV1,
  EscalationCommentAddedV1,
  EscalationSlaBreachedV1,
  ImprovementSignalDetectedV1,
  QualityCircleSuggestedV1,
] as const;

export type NotifiedEvent = ParsedEvent<typeof notifiedContracts>;

export interface NotificationDependencies {
  escalations: Pick<EscalationRepository, 'get' | 'comments'>;
  directory: Pick<DirectoryRepository, 'person' | 'lifeCoaches' | 'mentorOfPod'>;
  configuration: Pick<ConfigurationRepository, 'department'>;
  clock: () => Date;
}

/** `2026-01-21 13:00 Europe/Berlin`: an instant as the reader's wall clock shows it. */
export const formatInstant = (iso: string | null, timeZone: string): string => {
  if (!iso) return 'no date';
  const wall = wallClockAt(Date.parse(iso), timeZone);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${wall.year}-${two(wall.month)}-${two(wall.day)} ${two(wall.hour)}:${two(wall.minute)} ${timeZone}`;
};

const timerName = { 'first-response': 'first response', resolution: 'resolution' } as const;

const lines = (...parts: (string | false | null | undefined)[]) =>
  parts.filter((part) => typeof part === 'string').join('\n');

const reporterEmail = (
  reporter: DirectoryPerson,
  escalation: Escalation,
  subject: string,
  body: (string | false)[],
): Email => ({
  to: [reporter.email],
  subject: `${subject}: ${escalation.summary}`,
  text: lines(
    `Hello ${reporter.name},`,
    '',
    ...body,
    '',
    `Your escalation: ${escalation.summary} (${escalation.escalationId})`,
    `Read it and answer: GET /escalations/${escalation.escalationId}`,
  ),
});

const quoted = (comment: EscalationComment | undefined) =>
  comment ? ['', ...comment.body.split('\n').map((line) => `> ${line}`)] : [];

/** The addresses of the life coach: the directory's people with that role, else the stored department's lead. */
const lifeCoachAddresses = async (deps: NotificationDependencies): Promise<string[]> => {
  const people = (await deps.directory.lifeCoaches()).filter((person) => person.active).map((person) => person.email);
  if (people.length > 0) return people;
  const stored = await deps.configuration.department(LIFE_COACH_DEPARTMENT);
  return stored ? [stored.leadEmail] : [];
};

/** The department lead: the stored department's, or (for the life coach's own escalations) the life coach. */
const leadAddresses = async (deps: NotificationDependencies, stored: Department | undefined, departmentId: string) => {
  if (stored) return [stored.leadEmail];
  return departmentId === LIFE_COACH_DEPARTMENT ? lifeCoachAddresses(deps) : [];
};

/** The emails an event calls for (none when there is nobody to write to). */
export const emailsFor = async (deps: NotificationDependencies, event: NotifiedEvent): Promise<Email[]> => {
  const data = event.detail.data as Record<string, unknown>;
  if (event.contract === QualityCircleSuggestedV1) {
    const circle = data as { tag: string; podIds: string[]; window: { days: number } };
    const emails: Email[] = [];
    for (const podId of circle.podIds) {
      const mentorId = await deps.directory.mentorOfPod(podId);
      const mentor = mentorId ? await deps.directory.person(mentorId) : undefined;
      if (!mentor?.active) continue;
      emails.push({
        to: [mentor.email],
        subject: `A quality circle on "${circle.tag}"?`,
        text: lines(
          `Hello ${mentor.name},`,
          '',
          `In the last ${circle.window.days} days, mentees of your pod and of ${circle.podIds.length - 1} other pod${circle.podIds.length > 2 ? 's' : ''} raised the same technical impediment: "${circle.tag}".`,
          'Mentees of different pods who share a problem can solve it together in a quality circle.',
          'If it suits them, invite your mentees to form one with the mentees of the other pods (their mentors received this email too).',
        ),
      });
    }
    return emails;
  }
  const departmentId = String(data.departmentId);
  const department = await deps.configuration.department(departmentId);
  const departmentName =
    department?.name ??
    (departmentId === LIFE_COACH_DEPARTMENT ? defaultLifeCoachDepartment(deps.clock()).name : departmentId);

  if (event.contract === ImprovementSignalDetectedV1) {
    const signal = data as {
      theme: { kind: string; value: string };
      escalations: number;
      distinctPods: number;
      distinctReporters: number;
      window: { days: number };
    };
    const to = await leadAddresses(deps, department, departmentId);
    return to.length === 0
      ? []
      : [
          {
            to,
            subject: `Improvement signal: ${signal.theme.kind} "${signal.theme.value}"`,
            text: lines(
              `Hello ${departmentName},`,
              '',
              `In the last ${signal.window.days} days, ${signal.escalations} escalations about the ${signal.theme.kind} "${signal.theme.value}" came from ${signal.distinctPods} different pods and ${signal.distinctReporters} different people.`,
              'A problem this common is a sign that an improvement programme is needed, rather than case-by-case answers.',
              `Your escalations: GET /departments/${departmentId}/escalations`,
            ),
          },
        ];
  }

  const escalation = await deps.escalations.get(String(data.escalationId));
  if (!escalation) return [];

  if (event.contract === EscalationSlaBreachedV1) {
    const breach = data as {
      level: 1 | 2;
      timer: 'first-response' | 'resolution';
      breachedAt: string;
      targetMinutes: number;
    };
    const to =
      breach.level === 1 ? await leadAddresses(deps, department, departmentId) : await lifeCoachAddresses(deps);
    if (to.length === 0) return [];
    const zone = escalation.calendar.timeZone;
    return [
      {
        to,
        subject: `${breach.level === 1 ? 'SLA breached' : 'SLA breached twice over'}: ${timerName[breach.timer]} of a ${escalation.severity} escalation (${departmentName})`,
        text: lines(
          breach.level === 1 ? `Hello ${departmentName},` : 'Hello,',
          '',
          breach.level === 1
            ? `The ${timerName[breach.timer]} target of ${breach.targetMinutes} business minutes for this escalation passed at ${formatInstant(breach.breachedAt, zone)}.`
            : `The ${timerName[breach.timer]} of this escalation owned by ${departmentName} has now taken twice its target of ${breach.targetMinutes} business minutes (since ${formatInstant(breach.breachedAt, zone)}).`,
          '',
          `Escalation ${escalation.escalationId}: ${escalation.summary}`,
          `Category ${escalation.category}, severity ${escalation.severity}, status ${escalation.status}.`,
          `GET /escalations/${escalation.escalationId}`,
        ),
      },
    ];
  }

  if (!escalation.reporterId) return [];
  const reporter = await deps.directory.person(escalation.reporterId);
  if (!reporter?.active) return [];
  const commentOf = async (commentId: unknown) =>
    typeof commentId === 'string'
      ? (await deps.escalations.comments(escalation.escalationId)).find((comment) => comment.commentId === commentId)
      : undefined;

  if (event.contract === EscalationAcknowledgedV1) {
    return [
      reporterEmail(reporter, escalation, 'Your escalation was acknowledged', [
        `${departmentName} acknowledged your escalation on ${formatInstant(String(data.acknowledgedAt), escalation.calendar.timeZone)}.`,
        `They aim to resolve it by ${formatInstant(breachDueAt(escalation.timers.resolution, escalation.calendar), escalation.calendar.timeZone)} (their business hours).`,
      ]),
    ];
  }
  if (event.contract === EscalationResolvedV1) {
    const note = await commentOf(data.commentId);
    return [
      reporterEmail(reporter, escalation, 'Your escalation was resolved', [
        `${departmentName} resolved your escalation:`,
        ...quoted(note),
        '',
        `Not solved? Reopen it: POST /escalations/${escalation.escalationId}/reopen`,
      ]),
    ];
  }
  const by = data.by ?? data.authorRole;
  if (by !== 'department' && by !== 'life-coach') return [];
  const answer = await commentOf(data.commentId);
  const asksReporter = event.contract === EscalationStatusChangedV1 && data.to === 'waiting-on-reporter';
  const who = by === 'life-coach' ? 'The life coach' : departmentName;
  return [
    reporterEmail(reporter, escalation, asksReporter ? `${who} needs your answer` : `${who} answered your escalation`, [
      asksReporter ? `${who} needs your answer to go on with your escalation:` : `${who} wrote:`,
      ...quoted(answer),
      asksReporter && '',
      asksReporter && `Answer with a comment: POST /escalations/${escalation.escalationId}/comments`,
    ]),
  ];
};

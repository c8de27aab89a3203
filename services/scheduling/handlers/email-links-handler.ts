import { routesAnswering, serveRoutes } from '../../../shared/http/route';
import { answerAttendance, attendancePage, unsubscribe, unsubscribePage } from '../domain/email-links';
import type { SchedulingDependencies } from '../domain/ports';
import { formatInZone } from '../domain/working-time';
import {
  answerAttendance as answerAttendanceRoute,
  attendancePage as attendancePageRoute,
  unsubscribePage as unsubscribePageRoute,
  unsubscribe as unsubscribeRoute,
} from '../routes/email-links';
import { schedulingErrors } from './http-errors';
import { attendanceQuestionPage, messagePage, unsubscribeQuestionPage } from './pages';

const route = routesAnswering(schedulingErrors);

const KIND_NAMES: Record<string, string> = {
  'one-on-one-due': '1:1 due',
  'session-tomorrow': 'session reminder',
  'did-it-happen': 'did it happen?',
  'inactivity-warning': 'no 1:1 for a while',
};

/** Where a page posts to: its own path (relative, so it works behind any host name and stage). */
const selfAction = (token: string, answer?: 'yes' | 'no') =>
  `${encodeURIComponent(token)}${answer ? `?answer=${answer}` : ''}`;

export const createEmailLinksHandler = (deps: SchedulingDependencies) =>
  serveRoutes(
    route(attendancePageRoute).handle(async ({ params, query }) => {
      const found = await attendancePage(deps, params.token);
      const body =
        found.state === 'ask'
          ? attendanceQuestionPage({
              sessionTitle: found.sessionTitle,
              when: formatInZone(Date.parse(found.session.startsAt), found.readerTimezone),
              action: (answer) => selfAction(params.token, answer),
              ...(query.answer ? { preselected: query.answer } : {}),
            })
          : found.state === 'answered'
            ? messagePage(
                'Already answered',
                `${found.sessionTitle} is recorded as ${found.session.status}. Thank you.`,
              )
            : found.state === 'cancelled'
              ? messagePage('Cancelled', `${found.sessionTitle} was cancelled; there is nothing to answer.`)
              : found.state === 'used'
                ? messagePage('Already answered', 'This link was used already. Thank you.')
                : found.state === 'expired'
                  ? messagePage('Link expired', 'This link has expired. You can still record the session in the app.')
                  : messagePage(
                      'Link not valid',
                      'This link is not one the mentoring platform sent, or it was cut short.',
                    );
      return { status: 200, body };
    }),

    route(answerAttendanceRoute).handle(async ({ params, query, correlationId }) => {
      const session = await answerAttendance(deps, params.token, query.answer === 'yes', { correlationId });
      return {
        status: 200,
        body: messagePage(
          'Thank you',
          session.status === 'completed'
            ? 'Recorded: the session took place.'
            : 'Recorded: the session did not take place.',
        ),
      };
    }),

    route(unsubscribePageRoute).handle(async ({ params }) => {
      const found = await unsubscribePage(deps, params.token);
      return {
        status: 200,
        body:
          found.state === 'ask'
            ? unsubscribeQuestionPage({
                name: found.name,
                kind: KIND_NAMES[found.kind] ?? found.kind,
                action: selfAction(params.token),
              })
            : messagePage('Link not valid', 'This link is not one the mentoring platform sent, or it was cut short.'),
      };
    }),

    route(unsubscribeRoute).handle(async ({ params, correlationId }) => {
      const claims = await unsubscribe(deps, params.token, { correlationId });
      return {
        status: 200,
        body: messagePage(
          'Unsubscribed',
          `You will no longer get "${KIND_NAMES[claims.kind] ?? claims.kind}" emails. Change this any time in your notification preferences.`,
        ),
      };
    }),
  );

import { routesAnswering, serveRoutes } from '../../../shared/http/route';
import type { PulseDependencies } from '../domain/ports';
import { answerThread, replyToComment, threadsOfToken } from '../domain/surveys/conversations';
import { closeSurvey, createSurvey } from '../domain/surveys/lifecycle';
import { questionSets } from '../domain/surveys/question-sets';
import { listSurveys, resultsCsv, resultsView, surveyView, trendView } from '../domain/surveys/reading';
import { submitResponse } from '../domain/surveys/responses';
import {
  answerReplyRoute,
  closeSurveyRoute,
  createSurveyRoute,
  exportResultsRoute,
  getSurveyRoute,
  listSurveysRoute,
  questionSetsRoute,
  readRepliesRoute,
  replyToCommentRoute,
  resultsRoute,
  submitResponseRoute,
  trendsRoute,
} from '../routes/surveys';
import { pulseErrors } from './http-errors';

const route = routesAnswering(pulseErrors);

/** The header that carries a respondent's reply token (never a query parameter: URLs end up in logs). */
export const REPLY_TOKEN_HEADER = 'x-reply-token';

export const createPulseApiHandler = (deps: PulseDependencies) =>
  serveRoutes(
    route(createSurveyRoute).handle(async ({ body, principal, correlationId }) => {
      const { survey } = await createSurvey(deps, body, principal.personId, { correlationId });
      return { status: 201, body: await surveyView(deps, survey.surveyId, principal) };
    }),

    route(listSurveysRoute).handle(async ({ query, principal }) => ({
      status: 200,
      body: await listSurveys(deps, principal, query),
    })),

    route(getSurveyRoute).handle(async ({ params, principal }) => ({
      status: 200,
      body: await surveyView(deps, params.surveyId, principal),
    })),

    route(closeSurveyRoute).handle(async ({ params, principal, correlationId }) => {
      await closeSurvey(deps, params.surveyId, { correlationId });
      return { status: 200, body: await surveyView(deps, params.surveyId, principal) };
    }),

    // Logs nothing and carries the caller's identity nowhere past the participation record.
    route(submitResponseRoute).handle(async ({ params, body, principal }) => {
      const { replyToken } = await submitResponse(deps, params.surveyId, principal.personId, body);
      return { status: 201, body: { recorded: true, replyToken } };
    }),

    route(resultsRoute).handle(async ({ params, query, principal }) => ({
      status: 200,
      body: await resultsView(deps, params.surveyId, query.round, principal),
    })),

    route(exportResultsRoute).handle(async ({ params, query, principal }) => {
      const view = await resultsView(deps, params.surveyId, query.round, principal);
      return {
        status: 200,
        body: resultsCsv(view),
        headers: { 'content-disposition': `attachment; filename="${view.roundId}-results.csv"` },
      };
    }),

    route(trendsRoute).handle(async ({ query }) => ({
      status: 200,
      body: await trendView(deps, query.topic, query.domain),
    })),

    route(questionSetsRoute).handle(async () => ({ status: 200, body: { items: [...questionSets] } })),

    route(replyToCommentRoute).handle(async ({ params, body }) => ({
      status: 201,
      body: await replyToComment(deps, params.commentId, body.text),
    })),

    route(readRepliesRoute).handle(async ({ headers }) => ({
      status: 200,
      body: { items: await threadsOfToken(deps, headers[REPLY_TOKEN_HEADER]) },
    })),

    route(answerReplyRoute).handle(async ({ headers, body }) => ({
      status: 201,
      body: await answerThread(deps, headers[REPLY_TOKEN_HEADER], body.commentId, body.text),
    })),
  );

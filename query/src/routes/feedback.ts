import { z } from 'zod';
import { listFeedback, type Database } from '@faultline/storage';
import { checkRangeOrder, limitParam, timeParam } from '../params.ts';
import { route, type Route } from '../router.ts';
import { loadIssue } from './issues.ts';

// What users wrote through Sentry's feedback widget, `captureFeedback` or the crash-report dialog
// (docs/errors.md "User feedback"), per project and per issue.

const feedbackSchema = z.object({
  id: z.string(),
  timestamp: z.string().meta({ description: 'ISO-8601' }),
  eventId: z.string().meta({ description: "the error event it is about ('' for general feedback)" }),
  issueId: z.string().nullable().meta({ description: "that event's issue; null for general feedback or until the event has arrived" }),
  name: z.string(),
  email: z.string(),
  message: z.string(),
  url: z.string().meta({ description: 'the page the user was on' }),
  source: z.string().meta({ description: '`user_report` (crash-report dialog) or what the SDK reports (`widget`, `api`, …)' }),
  release: z.string(),
  environment: z.string(),
  userId: z.string(),
  traceId: z.string(),
  tags: z.record(z.string(), z.string()),
});

const response = z.object({ feedback: z.array(feedbackSchema) });

const listQuery = z.object({ start: timeParam.optional(), end: timeParam.optional(), limit: limitParam(500, 50) });

export function feedbackRoutes(db: Database): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/feedback',
      summary: 'User feedback, newest first (optionally within `start`–`end`), each with the issue of the error it is about.',
      access: 'read',
      query: listQuery,
      response,
      async handler({ project, query }) {
        checkRangeOrder(query.start, query.end);
        return {
          body: { feedback: await listFeedback(db, { projectId: project.id, startMs: query.start, endMs: query.end, limit: query.limit }) },
        };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/issues/{issueId}/feedback',
      summary: "User feedback about the issue's events, newest first.",
      access: 'read',
      query: z.object({ limit: limitParam(500, 50) }),
      response,
      async handler({ project, params, query }) {
        const issue = await loadIssue(db, project, params.issueId);
        return { body: { feedback: await listFeedback(db, { projectId: project.id, issueId: issue.id, limit: query.limit }) } };
      },
    }),
  ];
}

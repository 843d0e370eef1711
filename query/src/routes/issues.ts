import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import {
  assigneeChange,
  InvalidEventCursorError,
  getEvent,
  issueSeries,
  issueStates,
  issueSortKeyCount,
  issueSortKeys,
  issueTags,
  listIssueEvents,
  listIssues,
  setIssueStatus,
  type Database,
  type IssueState,
  type IssueSummary,
  type Project,
  type StatusChange,
  NEXT_RELEASE_PREFIX,
} from '@faultline/storage';
import { requireWrite } from '../auth.ts';
import { badRequest, notFound } from '../http.ts';
import { MAX_KEY_FILTERS, checkRangeOrder, limitParam, msRange, stepParam, tagFilters, timeParam } from '../params.ts';
import { route, type Route } from '../router.ts';
import { parseIssueSearch } from '../issue-query.ts';
import { eventOut, withTraceBreadcrumbs } from './event-out.ts';
import { loadIssue, searchedIssue, shortId } from './issue-lookup.ts';
import { checkKnownRelease, nextReleaseBase, resolutionOut } from './resolve-release.ts';
import { activitySchema, eventSchema, issueSchema } from './issue-schemas.ts';
import { ACTIVITY_PAGE_DEFAULT, ACTIVITY_PAGE_MAX, namedActivity } from './issue-activity.ts';

const eventIdParam = z.string().regex(/^[0-9a-fA-F]{32}$|^[0-9a-fA-F-]{36}$/, 'must be 32 hexadecimal characters');

function issueOut(project: Project, issue: IssueSummary) {
  const { latestEventId: _latest, fingerprint: _fp, ...rest } = issue;
  return { ...rest, ...resolutionOut(issue.resolvedInRelease), shortId: shortId(project, issue.id), project: project.slug };
}

const listQuery = z.object({
  status: z.enum(['unresolved', 'resolved', 'ignored', 'all']).default('unresolved'),
  query: z
    .string()
    .max(500)
    .optional()
    .meta({ description: 'search box in Sentry\'s syntax: `is:<status>`, `release:`, `environment:` (`env:`), `level:`, `assigned:<name>`, `has:<key>`, `first-release:`, `times_seen:>N`, `age:-24h`, `lastSeen:+7d`, event fields (`user.id:`, `transaction:`, `error.type:` …) and tags (`*` wildcards), a short id or event id alone; quotes keep spaces; the rest is text in title and culprit (docs/api.md)' }),
  release: z.string().max(250).optional(),
  environment: z.string().max(250).optional(),
  level: z.enum(['fatal', 'error', 'warning', 'info', 'debug']).optional(),
  sort: z.enum(['lastSeen', 'firstSeen', 'events', 'users']).default('lastSeen'),
  limit: limitParam(500, 50),
  cursor: z
    .string()
    .max(200)
    .transform((raw, ctx) => decodeIssueCursor(raw) ?? (ctx.addIssue({ code: 'custom', message: 'is not one this API returned' }), z.NEVER))
    .optional()
    .meta({ description: '`nextCursor` of the previous page (same filters and sort)', type: 'string' }),
  start: timeParam.optional().meta({
    description: "Sentry's time range, with `end` (default now): only issues with events in the range, and `count` / `userCount` are the range's (first and last seen stay the issue's)",
  }),
  end: timeParam.optional().meta({ description: 'end of the time range (needs no `start`: events up to it)' }),
  /** Adds an event count series per issue over the last `statsPeriod` (sparklines): hourly buckets for 24h, daily for 14d, the first starting at or before the period (25 and 15 buckets). */
  statsPeriod: z.enum(['24h', '14d']).optional(),
});

/** An issue list cursor: the sort keys and id of the page's last issue, opaque to clients. */
function encodeIssueCursor(c: { keys: number[]; id: string }): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeIssueCursor(raw: string): { keys: number[]; id: string } | null {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { keys?: unknown; id?: unknown };
    const keys = Array.isArray(c.keys) && c.keys.length >= 1 && c.keys.length <= 2 && c.keys.every((k) => Number.isSafeInteger(k)) ? (c.keys as number[]) : null;
    return keys && typeof c.id === 'string' && /^[0-9a-f]{16}$/.test(c.id) ? { keys, id: c.id } : null;
  } catch {
    return null;
  }
}

const PERIODS = { '24h': { ms: 86_400_000, step: 3600 }, '14d': { ms: 14 * 86_400_000, step: 86_400 } } as const;

const MAX_IGNORE_MINUTES = 366 * 24 * 60;

const patchBody = z
  .object({
    status: z.enum(['resolved', 'unresolved', 'ignored']).optional().meta({ description: 'left out: the status stays (e.g. to change only the assignee)' }),
    resolvedInRelease: z.string().min(1).max(250).optional().meta({ description: 'a release the project has seen: its events and newer ones regress' }),
    resolvedInNextRelease: z.boolean().optional().meta({ description: "resolved in the release after the newest one of the issue's package: only newer releases regress" }),
    ignoreUntilEvents: z.number().int().min(1).optional().meta({ description: 'ignore until the issue has this many events in total' }),
    ignoreUntilUsers: z.number().int().min(1).optional().meta({ description: 'ignore until this many users in total are affected' }),
    ignoreDurationMinutes: z.number().int().min(1).max(MAX_IGNORE_MINUTES).optional().meta({ description: 'ignore for this long (at most a year)' }),
    assignee: z.string().max(250).optional(),
  })
  .refine((b) => b.resolvedInRelease === undefined || b.status === 'resolved', { message: 'resolvedInRelease needs status "resolved"', path: ['resolvedInRelease'] })
  .refine((b) => !b.resolvedInNextRelease || b.status === 'resolved', { message: 'resolvedInNextRelease needs status "resolved"', path: ['resolvedInNextRelease'] })
  .refine((b) => !b.resolvedInNextRelease || b.resolvedInRelease === undefined, { message: 'give resolvedInRelease or resolvedInNextRelease, not both', path: ['resolvedInNextRelease'] })
  .refine((b) => b.ignoreUntilEvents === undefined || b.status === 'ignored', { message: 'ignoreUntilEvents needs status "ignored"', path: ['ignoreUntilEvents'] })
  .refine((b) => b.ignoreUntilUsers === undefined || b.status === 'ignored', { message: 'ignoreUntilUsers needs status "ignored"', path: ['ignoreUntilUsers'] })
  .refine((b) => b.ignoreDurationMinutes === undefined || b.status === 'ignored', { message: 'ignoreDurationMinutes needs status "ignored"', path: ['ignoreDurationMinutes'] })
  .refine((b) => b.status !== undefined || b.assignee !== undefined, { message: 'give "status" or "assignee" (or both)', path: ['status'] });

/**
 * The workflow change a PATCH body asks for over the stored state: a duration becomes the time the ignore ends, an
 * assignee left out stays, and without a status only the assignee changes (recorded as `assigned`).
 */
function statusChange(body: z.infer<typeof patchBody>, current: IssueState | undefined): { change: StatusChange; activity?: { kind: 'assigned'; activityId: string; data: Record<string, unknown> } } {
  const { ignoreDurationMinutes, status, resolvedInNextRelease: _next, ...rest } = body;
  const assignee = body.assignee ?? current?.assignee ?? '';
  if (status === undefined) {
    return { change: assigneeChange(current, assignee), activity: { kind: 'assigned', activityId: `assigned:${randomUUID()}`, data: { assignee } } };
  }
  const change: StatusChange = { ...rest, status, assignee };
  return { change: ignoreDurationMinutes ? { ...change, ignoreUntilMs: Date.now() + ignoreDurationMinutes * 60_000 } : change };
}

export function issueRoutes(db: Database): Route[] {
  const load = (project: Project, rawId: string | undefined) => loadIssue(db, project, rawId);

  return [
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/issues',
      summary: 'Issues with counts, users and workflow state. `tag.<key>=<value>` (repeatable) keeps issues with an event carrying every such tag (release, environment, service and level included).',
      access: 'read',
      query: listQuery,
      extraQuery: [{ name: 'tag.<key>', description: 'Issues with an event carrying this tag value (SDK tags, release, environment, service, level); repeatable, up to 20.' }],
      response: z.object({
        issues: z.array(
          issueSchema.extend({
            stats: z.array(z.number()).optional().meta({ description: 'events per bucket over `statsPeriod` (only with it)' }),
          }),
        ),
        nextCursor: z.string().nullable().meta({ description: 'the next page (same filters and sort), null after the last' }),
      }),
      async handler({ project, query, searchParams }) {
        // The search box's own filters (`is:resolved level:error browser:Chrome`) win over the separate parameters.
        const search = parseIssueSearch(query.query ?? '');
        // A short id or an event id alone in the box finds that issue, whatever its status (Sentry jumps to it).
        const target = await searchedIssue(db, project, search.text);
        const status = target ? 'all' : (search.status ?? query.status);
        const tags = [...tagFilters(searchParams), ...search.tags];
        if (tags.length > MAX_KEY_FILTERS) throw badRequest(`at most ${MAX_KEY_FILTERS} tag filters`);
        checkRangeOrder(query.start, query.end);
        if (query.cursor && query.cursor.keys.length !== issueSortKeyCount(query.sort)) {
          throw badRequest('query parameter "cursor": belongs to another sort; start again without it');
        }
        const ranged = query.start !== undefined || query.end !== undefined;
        const issues = await listIssues(db, {
          // an issue named by its id is shown whatever the range
          period: ranged && !target ? { startMs: query.start ?? 0, endMs: query.end ?? Date.now() } : undefined,
          projectId: project.id,
          status: status === 'all' ? undefined : status,
          tags,
          text: target ? undefined : search.text || undefined,
          idPrefix: target?.prefix,
          issueIds: target?.ids,
          has: search.has,
          firstRelease: search.firstRelease,
          timesSeen: search.timesSeen,
          firstSeen: search.firstSeen,
          lastSeen: search.lastSeen,
          release: search.release ?? query.release,
          environment: search.environment ?? query.environment,
          level: search.level ?? query.level,
          assignee: search.assignee,
          sort: query.sort,
          limit: query.limit + 1,
          after: query.cursor,
        });
        const page = issues.slice(0, query.limit);
        const last = page[page.length - 1];
        const nextCursor = issues.length > query.limit && last ? encodeIssueCursor({ keys: issueSortKeys(last, query.sort), id: last.id }) : null;
        const out = page.map((i) => issueOut(project, i));
        if (!query.statsPeriod || page.length === 0) return { body: { issues: out, nextCursor } };
        const period = PERIODS[query.statsPeriod];
        const now = Date.now();
        const series = await issueSeries(db, project.id, page.map((i) => i.id), now - period.ms, now, period.step);
        return { body: { issues: out.map((i) => ({ ...i, stats: (series.get(i.id) ?? []).map((b) => b.events) })), nextCursor } };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/issues/{issueId}',
      summary: 'One issue with its latest event and its newest activity (`activityLimit` entries, oldest of them first; `…/activity?cursor=<activityNextCursor>` pages on to older ones).',
      access: 'read',
      query: z.object({ activityLimit: limitParam(ACTIVITY_PAGE_MAX, ACTIVITY_PAGE_DEFAULT).meta({ description: 'newest activity entries in the answer' }) }),
      response: issueSchema.extend({
        latestEvent: eventSchema.nullable(),
        activity: z.array(activitySchema).meta({ description: 'the newest `activityLimit` entries, oldest of them first' }),
        activityTotal: z.number().meta({ description: "entries of the issue's activity in all (more than `activity` holds when older ones were left out)" }),
        activityNextCursor: z.string().nullable().meta({ description: '`cursor` of `…/activity` for the older entries; null when `activity` holds them all' }),
      }),
      async handler({ project, params, query }) {
        const issue = await load(project, params.issueId);
        const [latest, recent] = await Promise.all([getEvent(db, project.id, issue.latestEventId), namedActivity(db, project.id, issue.id, query.activityLimit)]);
        const latestEvent = latest ? eventOut(await withTraceBreadcrumbs(db, project.id, latest)) : null;
        // Oldest first, as this answer always listed it: clients read the newest entry as the last one.
        const activity = recent.activity.reverse();
        return { body: { ...issueOut(project, issue), latestEvent, activity, activityTotal: recent.total, activityNextCursor: recent.nextCursor } };
      },
    }),
    route({
      method: 'PATCH',
      path: '/api/v1/projects/{project}/issues/{issueId}',
      summary: 'Change the workflow state: resolve (optionally in a release), ignore (optionally until N events or users, or for a while), reopen; and/or the assignee (left out, it stays).',
      access: 'admin',
      body: patchBody,
      response: issueSchema,
      async handler({ project, params, body, token }) {
        if (token) requireWrite(token);
        const issue = await load(project, params.issueId);
        if (body.resolvedInRelease !== undefined) await checkKnownRelease(db, project.id, body.resolvedInRelease);
        const resolution = body.resolvedInNextRelease ? { ...body, resolvedInRelease: NEXT_RELEASE_PREFIX + (await nextReleaseBase(db, project.id, issue)) } : body;
        const { change, activity } = statusChange(resolution, (await issueStates(db, project.id, [issue.id])).get(issue.id));
        await setIssueStatus(db, project.id, issue.id, change, token ? `token:${token.id}` : 'unknown', activity);
        const updated = await load(project, issue.id);
        return { body: issueOut(project, updated) };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/issues/{issueId}/stats',
      summary: 'Event and user counts of an issue over time (default: last 24 hours by hour).',
      access: 'read',
      query: z.object({ start: timeParam.optional(), end: timeParam.optional(), step: stepParam(z.coerce.number().int().min(3600).multipleOf(3600).default(3600)) }),
      response: z.object({
        issueId: z.string(),
        step: z.number(),
        series: z.array(z.object({ time: z.string(), events: z.number(), users: z.number() })),
      }),
      async handler({ project, params, query }) {
        const issue = await load(project, params.issueId);
        const { startMs: start, endMs: end } = msRange(query.start, query.end, 86_400_000);
        if ((end - start) / 1000 / query.step > 2000) throw badRequest('query parameter "step": too small for this range (at most 2000 buckets)');
        const series = await issueSeries(db, project.id, [issue.id], start, end, query.step);
        return { body: { issueId: issue.id, step: query.step, series: series.get(issue.id) ?? [] } };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/issues/{issueId}/tags',
      summary: 'Tag distribution of an issue: top values per tag key (release, environment, service, level included).',
      access: 'read',
      query: z.object({ limit: limitParam(50, 10) }),
      response: z.object({
        tags: z.array(
          z.object({ key: z.string(), total: z.number(), values: z.array(z.object({ value: z.string(), count: z.number() })) }),
        ),
      }),
      async handler({ project, params, query }) {
        const issue = await load(project, params.issueId);
        return { body: { tags: await issueTags(db, project.id, issue.id, query.limit) } };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/issues/{issueId}/events',
      summary: 'Events of an issue, newest first; `nextCursor` pages on.',
      access: 'read',
      query: z.object({ limit: limitParam(500, 50), cursor: z.string().max(100).optional().meta({ description: '`nextCursor` of the previous page' }) }),
      response: z.object({ events: z.array(eventSchema), nextCursor: z.string().nullable() }),
      async handler({ project, params, query }) {
        const issue = await load(project, params.issueId);
        try {
          const page = await listIssueEvents(db, project.id, issue.id, query.limit, query.cursor);
          return { body: { events: page.events.map(eventOut), nextCursor: page.nextCursor } };
        } catch (err) {
          if (err instanceof InvalidEventCursorError) throw badRequest(`query parameter "cursor": ${err.message}`);
          throw err;
        }
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/events/{eventId}',
      summary: 'One error event with exception chain, frames, breadcrumbs, contexts, user and trace link.',
      access: 'read',
      response: eventSchema,
      async handler({ project, params }) {
        const parsed = eventIdParam.safeParse(params.eventId);
        if (!parsed.success) throw badRequest('path parameter "eventId": must be 32 hexadecimal characters');
        const event = await getEvent(db, project.id, parsed.data.replace(/-/g, '').toLowerCase());
        if (!event) throw notFound(`event ${parsed.data}`);
        return { body: eventOut(await withTraceBreadcrumbs(db, project.id, event)) };
      },
    }),
  ];
}

export { loadIssue, shortId } from './issue-lookup.ts';

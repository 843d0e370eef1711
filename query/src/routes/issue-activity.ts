import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { activityPage, countActivity, insertActivity, InvalidActivityCursorError, tokenLabels, type Database, type Project } from '@faultline/storage';
import { requireWrite } from '../auth.ts';
import { ApiError, badRequest } from '../http.ts';
import { limitParam } from '../params.ts';
import { route, type Route } from '../router.ts';
import { loadIssue } from './issue-lookup.ts';
import { activitySchema } from './issue-schemas.ts';

/** A note is a message to colleagues, not a document. */
const MAX_NOTE = 5_000;
/** Activity entries in one answer: status changes, regressions and notes pile up over an issue's life. */
export const ACTIVITY_PAGE_MAX = 1_000;
export const ACTIVITY_PAGE_DEFAULT = 100;

const cursorParam = z.string().max(400).optional().meta({ description: '`nextCursor` (or the issue\'s `activityNextCursor`) of the previous page' });

/**
 * One page of an issue's activity (newest first), each entry with the label of the token that acted (`actor` is
 * `token:<id>`), and how many entries the issue has in all.
 */
export async function namedActivity(db: Database, projectId: number, issueId: string, limit: number, cursor?: string) {
  try {
    const [page, total] = await Promise.all([activityPage(db, projectId, issueId, limit, cursor), countActivity(db, projectId, issueId)]);
    const tokenIds = [...new Set(page.activity.flatMap((a) => (a.actor.startsWith('token:') ? [a.actor.slice(6)] : [])))];
    const labels = await tokenLabels(db, tokenIds);
    const activity = page.activity.map((a) => ({ ...a, actorName: a.actor.startsWith('token:') ? (labels.get(a.actor.slice(6)) ?? '') : '' }));
    return { activity, nextCursor: page.nextCursor, total };
  } catch (err) {
    if (err instanceof InvalidActivityCursorError) throw badRequest(`query parameter "cursor": ${err.message}`);
    throw err;
  }
}

/** `maxNotes`: notes one issue keeps (FAULTLINE_MAX_NOTES_PER_ISSUE). */
export function issueActivityRoutes(db: Database, maxNotes: number): Route[] {
  const load = (project: Project, rawId: string | undefined) => loadIssue(db, project, rawId);

  return [
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/issues/{issueId}/activity',
      summary: "An issue's activity, newest first, a page at a time (the issue's own answer holds only the newest entries); `nextCursor` pages on to older ones.",
      access: 'read',
      query: z.object({ limit: limitParam(ACTIVITY_PAGE_MAX, ACTIVITY_PAGE_DEFAULT), cursor: cursorParam }),
      response: z.object({
        activity: z.array(activitySchema).meta({ description: 'newest first' }),
        total: z.number().meta({ description: "entries of the issue's activity in all" }),
        nextCursor: z.string().nullable().meta({ description: 'the next (older) page, null after the last' }),
      }),
      async handler({ project, params, query }) {
        const issue = await load(project, params.issueId);
        return { body: await namedActivity(db, project.id, issue.id, query.limit, query.cursor) };
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/projects/{project}/issues/{issueId}/comments',
      summary: `Add a note to the issue's activity (what was tried, who is on it), signed with the token's label. An issue keeps at most FAULTLINE_MAX_NOTES_PER_ISSUE notes (default 1,000): past it, 409 limit_reached.`,
      access: 'admin',
      body: z.object({ text: z.string().trim().min(1, 'must not be empty').max(MAX_NOTE, `must be at most ${MAX_NOTE} characters`) }).strict(),
      response: activitySchema,
      async handler({ project, params, body, token }) {
        if (token) requireWrite(token);
        const issue = await load(project, params.issueId);
        // Counted before the insert, not under a lock: notes posted at the same moment (on one or several query
        // processes) may each see room and pass the cap by a few. It bounds growth, not an exact count.
        if ((await countActivity(db, project.id, issue.id, 'note')) >= maxNotes) {
          throw new ApiError(409, 'limit_reached', `an issue keeps at most ${maxNotes} notes (notes cannot be deleted); raise FAULTLINE_MAX_NOTES_PER_ISSUE to add more`);
        }
        const actor = token ? `token:${token.id}` : 'unknown';
        const note = { issueId: issue.id, activityId: `note:${randomUUID()}`, kind: 'note' as const, timestampMs: Date.now(), actor, data: { text: body.text } };
        await insertActivity(db, project.id, [note]);
        const actorName = token ? ((await tokenLabels(db, [token.id])).get(token.id) ?? '') : '';
        return { status: 201, body: { id: note.activityId, kind: 'note', timestamp: new Date(note.timestampMs).toISOString(), actor, actorName, data: note.data } };
      },
    }),
  ];
}

import { z } from 'zod';
import { getEvent, getIssue, listIssues, type Database, type IssueSummary, type Project } from '@faultline/storage';
import { ApiError, badRequest, notFound } from '../http.ts';

// How a path or the search box names an issue: its id, its short id (what people paste from the UI or a
// notification), or (search only) one of its event ids.

// Any case, like trace, span and event ids (answers name it in lower case).
const issueIdParam = z
  .string()
  .regex(/^[0-9a-fA-F]{16}$/, 'must be 16 hexadecimal characters')
  .transform((s) => s.toLowerCase());

/** The shape of any project's short id: a slug, a dash, up to 7 base-36 digits. */
const SHORT_ID = /^[a-z0-9][a-z0-9_-]*-[0-9a-z]{1,7}$/i;

/** Sentry-style short id: project slug + a base-36 number taken from the (stable) issue id. */
export function shortId(project: Project, issueId: string): string {
  return `${project.slug.toUpperCase()}-${parseInt(issueId.slice(0, 8), 16).toString(36).toUpperCase()}`;
}

/** The issue id prefix a short id of this project stands for (`DEFAULT-1PUU7C3` → 8 hex digits), else null. */
export function shortIdPrefix(project: Project, raw: string): string | null {
  const dash = raw.lastIndexOf('-');
  if (dash <= 0 || raw.slice(0, dash).toLowerCase() !== project.slug.toLowerCase()) return null;
  const digits = raw.slice(dash + 1);
  if (!/^[0-9a-z]{1,7}$/i.test(digits)) return null;
  const n = parseInt(digits, 36);
  return n <= 0xffffffff ? n.toString(16).padStart(8, '0') : null;
}

/** The issue a path names: 400 for an id that is not one, 404 outside the project. */
export async function loadIssue(db: Database, project: Project, rawId: string | undefined): Promise<IssueSummary> {
  // A short id (what people paste from the UI or a notification) names the same issue.
  const prefix = shortIdPrefix(project, rawId ?? '');
  if (prefix) {
    // A short id holds 32 bits of the id: two issues may share them (rarely), and a change must not pick one.
    const found = await listIssues(db, { projectId: project.id, idPrefix: prefix, sort: 'lastSeen', limit: 2 });
    if (found.length > 1) throw new ApiError(409, 'ambiguous_short_id', `short id ${rawId ?? ''} names more than one issue; use the issue id`);
    const [issue] = found;
    if (!issue) throw notFound(`issue ${rawId ?? ''}`);
    return issue;
  }
  const parsed = issueIdParam.safeParse(rawId);
  // Another project's short id is a well-formed name for an issue that is not here: unknown, like a foreign id.
  if (!parsed.success && SHORT_ID.test(rawId ?? '')) throw notFound(`issue ${rawId ?? ''}`);
  if (!parsed.success) throw badRequest('path parameter "issueId": must be 16 hexadecimal characters or a short id');
  const issue = await getIssue(db, project.id, parsed.data);
  if (!issue) throw notFound(`issue ${parsed.data}`);
  return issue;
}

/**
 * The issue a search box holding only a short id or an event id names; null for any other text — also for a word
 * that merely looks like a short id (`checkout-failed` in project `checkout`) when no issue has it.
 */
export async function searchedIssue(db: Database, project: Project, text: string): Promise<{ prefix?: string; ids?: string[] } | null> {
  const prefix = shortIdPrefix(project, text);
  if (prefix) {
    const found = await listIssues(db, { projectId: project.id, idPrefix: prefix, sort: 'lastSeen', limit: 1 });
    return found.length > 0 ? { prefix } : null;
  }
  if (!/^[0-9a-f]{32}$/i.test(text.replaceAll('-', '')) || text.length > 36) return null;
  const event = await getEvent(db, project.id, text.replaceAll('-', '').toLowerCase());
  return event ? { ids: [event.issueId] } : null;
}

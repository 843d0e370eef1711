// Activity-history lines. Pure; `data` is untrusted and only read for known string/number fields.
import type { ApiActivity } from '../api/types.ts';
import { formatLocalMs } from '../format/time.ts';
import { ignoreLimits } from './ignore.ts';

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const s = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
/** A stored resolution release: `next:<release>` is "the release after <release>". */
const release = (v: unknown): string => (s(v).startsWith('next:') ? `the release after ${s(v).slice(5)}` : s(v));

export function describeActivity(a: ApiActivity): string {
  const d = a.data && typeof a.data === 'object' ? a.data : {};
  switch (a.kind) {
    case 'first_seen':
      return s(d.release) ? `First seen in release ${s(d.release)}` : 'First seen';
    case 'regression': {
      const rel = s(d.release);
      const fixed = release(d.resolvedInRelease);
      let text = rel ? `Regressed in release ${rel}` : 'Regressed';
      if (fixed) text += ` (was resolved in ${fixed})`;
      return text;
    }
    case 'unignored':
      if (s(d.events)) return `Unignored after ${s(d.events)} events`;
      if (s(d.users)) return `Unignored after ${s(d.users)} users`;
      return typeof d.untilMs === 'number' ? `Unignored: ignored until ${formatLocalMs(d.untilMs)}` : 'Unignored';
    case 'note':
      return 'Note';
    case 'assigned':
      return s(d.assignee) ? `Assigned to ${s(d.assignee)}` : 'Unassigned';
    case 'status_change':
      switch (d.status) {
        case 'resolved':
          return s(d.resolvedInRelease) ? `Resolved in ${s(d.resolvedInRelease).startsWith('next:') ? '' : 'release '}${release(d.resolvedInRelease)}` : 'Resolved';
        case 'ignored': {
          const limits = ignoreLimits({ untilMs: num(d.ignoreUntilMs), events: num(d.ignoreUntilEvents), users: num(d.ignoreUntilUsers) });
          return limits ? `Ignored ${limits}` : 'Ignored';
        }
        case 'unresolved':
          return 'Reopened';
        default:
          return s(d.status) ? `Status changed to ${s(d.status)}` : 'Status changed';
      }
    default:
      return a.kind ? a.kind.replace(/_/g, ' ') : 'Activity';
  }
}

/** "system", the acting token's label, or its id ("token:3" → "token 3"). */
export function actorLabel(actor: string, name = ''): string {
  if (name) return name;
  if (!actor) return 'unknown';
  return actor.replace(/^token:/, 'token ');
}

/** The text of a note (shown as text under its line), '' for other kinds. */
export function noteText(a: ApiActivity): string {
  const d = a.data && typeof a.data === 'object' ? a.data : {};
  return a.kind === 'note' ? s(d.text) : '';
}

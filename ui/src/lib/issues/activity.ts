// Activity-history lines. Pure; `data` is untrusted and only read for known string/number fields.
import type { ApiActivity } from '../api/types.ts';

const s = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export function describeActivity(a: ApiActivity): string {
  const d = a.data && typeof a.data === 'object' ? a.data : {};
  switch (a.kind) {
    case 'first_seen':
      return s(d.release) ? `First seen in release ${s(d.release)}` : 'First seen';
    case 'regression': {
      const rel = s(d.release);
      const fixed = s(d.resolvedInRelease);
      let text = rel ? `Regressed in release ${rel}` : 'Regressed';
      if (fixed) text += ` (was resolved in ${fixed})`;
      return text;
    }
    case 'unignored':
      return s(d.events) ? `Unignored after ${s(d.events)} events` : 'Unignored';
    case 'status_change':
      switch (d.status) {
        case 'resolved':
          return s(d.resolvedInRelease) ? `Resolved in release ${s(d.resolvedInRelease)}` : 'Resolved';
        case 'ignored':
          return s(d.ignoreUntilEvents) ? `Ignored until ${s(d.ignoreUntilEvents)} events` : 'Ignored';
        case 'unresolved':
          return 'Reopened';
        default:
          return s(d.status) ? `Status changed to ${s(d.status)}` : 'Status changed';
      }
    default:
      return a.kind ? a.kind.replace(/_/g, ' ') : 'Activity';
  }
}

/** "system", or the token / user that acted ("token:3" → "token 3"). */
export function actorLabel(actor: string): string {
  if (!actor) return 'unknown';
  return actor.replace(/^token:/, 'token ');
}

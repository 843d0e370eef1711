// Event sections as plain key/value data (contexts, user, facts, breadcrumbs). Pure.
import type { ApiBreadcrumb, ApiEvent, ApiEventRequest, ApiEventUser, AttributeValue, Attributes } from '../api/types.ts';
import { breadcrumbMs, formatClockMs } from '../format/time.ts';

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

const byKey = <T>([a]: [string, T], [b]: [string, T]): number => (a < b ? -1 : a > b ? 1 : 0);

export interface ContextSection {
  name: string;
  attributes: Attributes;
}

/**
 * One section per context (sorted by name) without empty fields; sections left empty are dropped.
 * Nested objects stay values: AttributeTable renders them as JSON text.
 */
export function contextSections(contexts: Record<string, unknown>): ContextSection[] {
  const out: ContextSection[] = [];
  for (const [name, value] of Object.entries(contexts).sort(byKey)) {
    if (isEmpty(value)) continue;
    const attributes: Attributes = {};
    if (typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (!isEmpty(v)) attributes[k] = v as AttributeValue;
      }
    } else {
      attributes.value = value as AttributeValue;
    }
    if (Object.keys(attributes).length > 0) out.push({ name, attributes });
  }
  return out;
}

export interface RequestView {
  /** `POST https://api.example.com/orders/17`: method and URL, either may be missing. */
  line: string;
  /** Query parameters in order; a repeated name shows its values joined by ', '. */
  query: Attributes;
  headers: Attributes;
  /** The body as text (a structured body as indented JSON); '' without one. */
  body: string;
}

/** What the "HTTP request" section shows; null when the event has no request. */
export function requestView(request: ApiEventRequest | null): RequestView | null {
  if (!request) return null;
  // No prototype: a parameter named `constructor` or `__proto__` is a parameter like any other.
  const query = Object.create(null) as Attributes;
  if (request.queryString) {
    for (const [k, v] of new URLSearchParams(request.queryString)) query[k] = Object.hasOwn(query, k) ? `${String(query[k])}, ${v}` : v;
  }
  const body = isEmpty(request.data) ? '' : typeof request.data === 'string' ? request.data : JSON.stringify(request.data, null, 2);
  return { line: [request.method, request.url].filter(Boolean).join(' '), query, headers: { ...request.headers }, body };
}

/** The user's non-empty fields, labelled. */
export function userAttributes(user: ApiEventUser): Attributes {
  const out: Attributes = {};
  if (user.id) out.id = user.id;
  if (user.email) out.email = user.email;
  if (user.username) out.username = user.username;
  if (user.ipAddress) out.ip_address = user.ipAddress;
  return out;
}

/** How each grouping strategy reads on the page (docs/grouping.md). */
const GROUPED_BY: Record<string, string> = {
  fingerprint: 'custom fingerprint',
  in_app: 'in-app stack frames',
  all_frames: 'all stack frames',
  message: 'exception / message',
};

/** Labelled event facts worth a glance (release, environment, service …), empty ones left out. */
export function eventFacts(event: ApiEvent): [label: string, value: string][] {
  const sdk = [event.sdk.name, event.sdk.version].filter(Boolean).join(' ');
  const strategy = event.grouping.strategy;
  const facts: [string, string][] = [
    ['Release', event.release],
    ['Environment', event.environment],
    ['Service', event.serviceName],
    ['Server', event.serverName],
    ['Transaction', event.transaction],
    ['Platform', event.platform],
    ['SDK', sdk],
    ['Source', event.source],
    ['Grouped by', GROUPED_BY[strategy] ?? strategy],
  ];
  return facts.filter(([, v]) => v !== '');
}

/** Breadcrumb `data` as one line of text ('' when there is none). */
export function dataText(data: unknown): string {
  if (isEmpty(data)) return '';
  if (typeof data === 'string') return data;
  try {
    return JSON.stringify(data);
  } catch {
    return String(data);
  }
}

export interface BreadcrumbRow {
  key: number;
  time: string;
  ms: number;
  category: string;
  level: string;
  message: string;
  data: string;
}

/** Breadcrumbs in the order sent (oldest first) with printable time and data. */
export function breadcrumbRows(crumbs: readonly ApiBreadcrumb[]): BreadcrumbRow[] {
  return crumbs.map((b, key) => {
    const ms = breadcrumbMs(b.timestampMs);
    return {
      key,
      ms,
      time: formatClockMs(ms),
      category: b.category || b.type || 'default',
      level: b.level || 'info',
      message: b.message,
      data: dataText(b.data),
    };
  });
}

/** Index of `eventId` in a newest-first list; -1 when absent. */
export function eventIndex(events: readonly { eventId: string }[], eventId: string): number {
  return events.findIndex((e) => e.eventId === eventId);
}

/**
 * "3 of 91": where the shown event sits among the events. `loaded` newest events were
 * listed, `more` when the list stopped at its limit; `count` is the total (when known), so
 * a truncated list still reads "1 of 91" rather than "1 of 50+". Older than the loaded ones:
 * "older than the 50 most recent".
 */
export function eventPosition(index: number, loaded: number, more: boolean, count: number | null | undefined): string {
  if (index < 0) return `older than the ${loaded} most recent`;
  const known = typeof count === 'number' && Number.isFinite(count) ? Math.floor(count) : 0;
  // the list can be ahead of the counter (a just-ingested event): never "51 of 50"
  if (known >= loaded && known > index) return `${index + 1} of ${known}`;
  return `${index + 1} of ${loaded}${more ? '+' : ''}`;
}

/**
 * User feedback from Sentry SDKs: the `feedback` item (an event whose `contexts.feedback` holds the message, sent by
 * `captureFeedback` and the feedback widget) and the older `user_report` item (`captureUserFeedback`, the crash-report
 * dialog: `{event_id, name, email, comments}`). Both become one `UserFeedback`.
 */
import { randomUUID } from 'node:crypto';
import { SentryFormatError } from './errors.ts';
import { timestampMs } from './time.ts';
import { eventIdOf, hexId, isObject, objectOr, readTags, str, type Obj } from './values.ts';

/** Longer messages are cut here (Sentry's own widget stops at a few thousand characters). */
export const MAX_FEEDBACK_MESSAGE = 8192;
/** Name, email and URL are cut here. */
const MAX_FIELD = 1024;

export interface UserFeedback {
  /** Lower-case 32-hex id of this feedback (the feedback event's id, or the crash report's event id). */
  feedbackId: string;
  timestampMs: number;
  /** The error event the feedback is about, lower-case 32 hex; '' for feedback not tied to an error. */
  associatedEventId: string;
  name: string;
  email: string;
  message: string;
  /** The page the user was on. */
  url: string;
  /** `user_report`, or what the SDK says (`widget`, `api`, `crash_report_embed_form`, …). */
  source: string;
  release: string;
  environment: string;
  userId: string;
  traceId: string;
  tags: Record<string, string>;
}

function cut(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}

function requireObject(payload: unknown, what: string): Obj {
  if (!isObject(payload))
    throw new SentryFormatError(`${what} must be a JSON object, got ${Array.isArray(payload) ? 'an array' : typeof payload}`);
  return payload;
}

function associated(v: unknown, what: string): string {
  if (v === undefined || v === null || v === '') return '';
  const id = eventIdOf(v);
  if (id === null) throw new SentryFormatError(`${what} ${JSON.stringify(v).slice(0, 80)} is not an event id`);
  return id;
}

function message(v: unknown, what: string): string {
  const text = str(v).trim();
  if (text === '') throw new SentryFormatError(`${what} is empty: feedback needs a message`);
  return cut(text, MAX_FEEDBACK_MESSAGE);
}

/** A `feedback` item: an event with `contexts.feedback`. Throws SentryFormatError when it has no message. */
export function parseFeedbackItem(payload: unknown, receivedAtMs: number): UserFeedback {
  const e = requireObject(payload, 'feedback');
  const contexts = objectOr(e.contexts);
  const f = objectOr(contexts.feedback);
  const user = objectOr(e.user);
  return {
    feedbackId: eventIdOf(e.event_id) ?? randomUUID().replace(/-/g, ''),
    timestampMs: timestampMs(e.timestamp) ?? receivedAtMs,
    associatedEventId: associated(f.associated_event_id, 'contexts.feedback.associated_event_id'),
    name: cut(str(f.name) || str(user.username), MAX_FIELD),
    email: cut(str(f.contact_email) || str(user.email), MAX_FIELD),
    message: message(f.message, 'contexts.feedback.message'),
    // The feedback widget leaves `url` out and the SDK sends the page as the event's `request.url` instead.
    url: cut(str(f.url) || str(objectOr(e.request).url), MAX_FIELD),
    source: cut(str(f.source), 64) || 'feedback',
    release: str(e.release),
    environment: str(e.environment),
    userId: str(user.id),
    traceId: hexId(objectOr(contexts.trace).trace_id, 32),
    tags: readTags(e.tags),
  };
}

/**
 * A `user_report` item (or the body of the legacy user-feedback endpoint): `{event_id, name, email, comments}`,
 * always about the error event `event_id`. Throws SentryFormatError without an event id or comments.
 */
export function parseUserReportItem(payload: unknown, receivedAtMs: number): UserFeedback {
  const r = requireObject(payload, 'user_report');
  const eventId = associated(r.event_id, 'user_report event_id');
  if (eventId === '') throw new SentryFormatError('user_report has no event_id: it must name the event the user reports on');
  return {
    // One report per event, as Sentry keeps it: a resend replaces the earlier one instead of adding a second.
    feedbackId: eventId,
    timestampMs: timestampMs(r.timestamp) ?? receivedAtMs,
    associatedEventId: eventId,
    name: cut(str(r.name), MAX_FIELD),
    email: cut(str(r.email), MAX_FIELD),
    message: message(r.comments, 'user_report comments'),
    url: '',
    source: 'user_report',
    release: '',
    environment: '',
    userId: '',
    traceId: '',
    tags: {},
  };
}

/** Sentry SDK ingest formats (envelopes, events, transactions, sessions, /store/ bodies) as pure parsers. */
export { SentryFormatError } from './errors.ts';
export {
  parseEnvelope,
  parseEnvelopeHeader,
  parseItemJson,
  type EnvelopeHeader,
  type EnvelopeItem,
  type EnvelopeLimits,
  type ParsedEnvelope,
} from './envelope.ts';
export { sentryEventToErrorEvent, MAX_BREADCRUMBS } from './event.ts';
export { sentryTransactionToSpans, type TransactionOptions } from './transaction.ts';
export { parseSessionItem, parseSessionsItem, type SessionStatus, type SessionUpdate } from './session.ts';
export { parseSentryAuth, projectIdFromDsn, publicKeyFromDsn, type SentryAuth, type SentryAuthHeaders } from './auth.ts';
export { parseStoreBody, type StoreLimits } from './store.ts';
export { sentrySpansV2ToSpans, type SpanV2Options } from './span-v2.ts';
export { parseFeedbackItem, parseUserReportItem, MAX_FEEDBACK_MESSAGE, type UserFeedback } from './feedback.ts';

/** A Sentry payload (envelope, event, session, store body) that cannot be used at all; the message says why. */
export class SentryFormatError extends Error {
  override name = 'SentryFormatError';
}

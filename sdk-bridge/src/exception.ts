/**
 * What an exception event carries, the same in Node and the browser: the OTel `exception.*` attributes,
 * the breadcrumbs, the user (semantic-convention `user.*` keys) and an optional custom fingerprint.
 */

export interface User {
  id?: string;
  email?: string;
  username?: string;
}

export type TagValue = string | number | boolean;

export interface CaptureOptions {
  /** Overrides the user set with `setUser` for this event. */
  user?: User;
  /** Extra attributes on the exception event (the collector turns known keys such as `http.route` into tags). */
  tags?: Record<string, TagValue>;
  /** Replaces the default grouping; `'{{ default }}'` inside it stands for the default grouping. */
  fingerprint?: string[];
}

export type AttributeValue = string | number | boolean | string[];
export type EventAttributes = Record<string, AttributeValue>;

export interface DescribedError {
  type: string;
  message: string;
  stacktrace: string;
}

const MAX_CAUSES = 5;

function isErrorLike(value: unknown): value is Error {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Error).message === 'string' &&
    ('stack' in value || value instanceof Error)
  );
}

function typeOf(err: Error): string {
  const name = typeof err.name === 'string' && err.name !== '' ? err.name : 'Error';
  // `class PaymentError extends Error {}` keeps name "Error"; its class name says more.
  const ctor = (err as { constructor?: { name?: unknown } }).constructor?.name;
  return name === 'Error' && typeof ctor === 'string' && ctor !== '' && ctor !== 'Object' ? ctor : name;
}

/**
 * The stack text, with `Error.cause` chains appended the way Node's `util.inspect` prints them
 * (`[cause]: …`), which the collector's V8 parser reads as a chain. Only V8 stacks get causes appended:
 * Firefox and Safari stacks have no header line to anchor them.
 */
function ownStack(err: Error): string {
  return typeof err.stack === 'string' && err.stack !== '' ? err.stack : `${typeOf(err)}: ${err.message}`;
}

function stackOf(err: Error): string {
  let text = ownStack(err);
  if (!/\n\s+at /.test(text)) return text;
  let cause: unknown = (err as { cause?: unknown }).cause;
  for (let depth = 1; depth <= MAX_CAUSES && isErrorLike(cause); depth++) {
    const indent = '  '.repeat(depth);
    const lines = ownStack(cause).split('\n');
    text += `\n${indent}[cause]: ${lines.shift() ?? ''}${lines.map((l) => `\n${indent}${l}`).join('')}`;
    cause = (cause as { cause?: unknown }).cause;
  }
  return text;
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Type, message and stack of anything that can be thrown (strings and plain objects included). */
export function describeError(err: unknown): DescribedError {
  if (isErrorLike(err)) return { type: typeOf(err), message: err.message, stacktrace: stackOf(err) };
  return { type: 'Error', message: stringify(err), stacktrace: '' };
}

export function userAttributes(user: User | null | undefined): EventAttributes {
  const out: EventAttributes = {};
  if (!user) return out;
  if (user.id !== undefined && user.id !== '') out['user.id'] = String(user.id);
  if (user.email !== undefined && user.email !== '') out['user.email'] = String(user.email);
  if (user.username !== undefined && user.username !== '') out['user.name'] = String(user.username);
  return out;
}

/** Attributes of one `exception` span event. */
export function exceptionAttributes(
  err: unknown,
  breadcrumbsJson: string,
  user: User | null | undefined,
  options: CaptureOptions = {},
): EventAttributes {
  const { type, message, stacktrace } = describeError(err);
  const attrs: EventAttributes = {};
  for (const [key, value] of Object.entries(options.tags ?? {})) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') attrs[key] = value;
  }
  Object.assign(attrs, userAttributes(options.user ?? user));
  attrs['exception.type'] = type;
  attrs['exception.message'] = message;
  if (stacktrace !== '') attrs['exception.stacktrace'] = stacktrace;
  attrs['faultline.breadcrumbs'] = breadcrumbsJson;
  if (options.fingerprint && options.fingerprint.length > 0) attrs['faultline.fingerprint'] = options.fingerprint.map(String);
  return attrs;
}

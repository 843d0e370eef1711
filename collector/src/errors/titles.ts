/**
 * What an issue is called in lists: a title (`TypeError: x is undefined`) and a culprit (where it was
 * thrown). Like Sentry, both come from the exception that was caught — the last one of the chain — since
 * that is what the application saw; the root cause is one click away in the event.
 */
import type { ErrorEvent, ExceptionValue, StackFrame } from '@faultline/proto';

export interface IssueTitle {
  /** `Type: value` (value cut to ~100 characters), or the message of a message-only event. */
  title: string;
  /** The in-app frame closest to the throw; '' when no frame is known. */
  culprit: string;
  type: string;
  /** The full first line of the exception value (or message), untruncated. */
  value: string;
}

const MAX_TITLE_VALUE = 100;
const MAX_CULPRIT = 200;

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.replace(/\s+/g, ' ').trim();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** A short location for JS-style culprits: the URL path, or the last two segments of a file path. */
function shortLocation(frame: StackFrame): string {
  const raw = (frame.absPath || frame.filename).replace(/[?#].*$/, '');
  const url = /^[a-z][\w+.-]*:\/\/[^/]*\/(.*)$/i.exec(raw);
  if (url) return url[1] || raw;
  const segments = raw.split(/[/\\]/).filter((s) => s !== '');
  return segments.slice(-2).join('/');
}

/** Files whose frames read best as `function(file)`, the way JavaScript developers see them in devtools. */
const JS_LOCATION = /\.[cm]?[jt]sx?$|^[a-z][\w+.-]*:\/\/|^node:/i;

/**
 * Culprit formats:
 * - frames with a module (Python, Java, Go, JS dependencies): `module in function`, as Sentry shows them
 *   (`shop.orders in place_order`, `com.acme.CheckoutService in charge`);
 * - JavaScript application frames: `function(location)` with a short location (`handleCheckout(routes/checkout.js)`,
 *   `initCart(static/js/main.3f2a1c9b.js)`), also when a Sentry SDK sent a module made from the path;
 * - other frames without a module (a Python file outside any package): `location in function`.
 * `?` stands for an anonymous function.
 */
export function culpritOf(frame: StackFrame): string {
  // V8 names a method called through another name `Timeout.explode [as _onTimeout]`: the first part is the code.
  const fn = frame.function.replace(/^async\s+/, '').replace(/\s+\[as [^\]]*\]$/, '') || '?';
  const location = shortLocation(frame);
  const javascript = location !== '' && (JS_LOCATION.test(location) || JS_LOCATION.test(frame.absPath));
  let culprit: string;
  // Sentry's JavaScript SDKs derive a module from an application file's path (`app1`, `lib`): the file says more.
  if (javascript && frame.inApp) culprit = `${fn}(${location})`;
  else if (frame.module !== '') culprit = `${frame.module} in ${fn}`;
  else if (location === '') culprit = fn;
  else if (javascript) culprit = `${fn}(${location})`;
  else culprit = `${location} in ${fn}`;
  return truncate(culprit, MAX_CULPRIT);
}

/** The caught exception's frames, or the nearest cause's when it has none. */
function culpritFrame(exceptions: ExceptionValue[]): StackFrame | null {
  for (let i = exceptions.length - 1; i >= 0; i--) {
    const frames = exceptions[i]?.frames ?? [];
    if (frames.length === 0) continue;
    return frames.findLast((frame) => frame.inApp) ?? frames[frames.length - 1] ?? null;
  }
  return null;
}

export function issueTitle(event: Pick<ErrorEvent, 'exceptions' | 'message'>): IssueTitle {
  const exceptions = event.exceptions ?? [];
  const frame = culpritFrame(exceptions);
  const culprit = frame ? culpritOf(frame) : '';
  const caught = exceptions[exceptions.length - 1];
  const message = firstLine(event.message ?? '');
  // Sentry SDKs send a message with attachStacktrace as an exception without a type (its value is the message).
  if (!caught || (caught.type.trim() === '' && message !== '')) {
    return { title: truncate(message, MAX_TITLE_VALUE) || '<unlabeled event>', culprit, type: '', value: message };
  }
  const type = caught.type.trim() || 'Error';
  const value = firstLine(caught.value) || message;
  const title = value === '' ? type : `${type}: ${truncate(value, MAX_TITLE_VALUE)}`;
  return { title, culprit, type, value };
}

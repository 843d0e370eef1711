/**
 * Issue grouping: which events are "the same error". Follows the order Sentry documents — an explicit
 * fingerprint first, then the stack trace (in-app frames if there are any, else all frames), then the
 * exception, then the message — with our own normalisation. docs/grouping.md explains the choices.
 *
 * The components are part of the contract: changing what goes into them regroups every project, so any
 * change here must be deliberate (and would need a versioned strategy, as Sentry does).
 */
import { createHash } from 'node:crypto';
import type { ErrorEvent, ExceptionValue, StackFrame } from '@faultline/proto';
import { normalizeFilename, normalizeFunction, normalizeMessage, normalizeModule } from './normalize.ts';

export type GroupingStrategy = 'fingerprint' | 'in_app' | 'all_frames' | 'message';

export interface GroupingKey {
  /** 32 lower-case hex characters; equal for events that belong to one issue. */
  fingerprint: string;
  /** The readable inputs that were hashed, in order (`type=…`, `frame=…`, `message=…`, `fingerprint=…`). */
  components: string[];
  strategy: GroupingStrategy;
}

export type GroupingInput = Pick<ErrorEvent, 'exceptions' | 'message' | 'fingerprint'>;

/** Sentry's variable for "the default grouping" inside a custom fingerprint, spaces and case optional. */
const DEFAULT_VARIABLE = /^\{\{\s*default\s*\}\}$/i;

/** First 32 hex characters of sha256 over the components; NUL separates them and cannot occur inside one. */
export function hashComponents(components: string[]): string {
  const text = components.map((c) => c.replaceAll('\u0000', '')).join('\u0000');
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
}

/** Names longer than this are cut before normalising: they are generated, and the cost must stay bounded. */
const MAX_NAME = 256;

/** `module|function` of one frame for hashing; never line or column, which move with every edit. */
function frameComponent(frame: StackFrame): string | null {
  const fn = normalizeFunction(frame.function.slice(0, MAX_NAME));
  const where =
    frame.module !== ''
      ? normalizeModule(frame.module.slice(0, MAX_NAME))
      : normalizeFilename((frame.filename || frame.absPath).slice(-MAX_NAME));
  // Frames with neither a function nor a file (`at <anonymous>`, `[native code]`) say nothing stable.
  if (fn === '' && where === '') return null;
  return `frame=${where}|${fn}`;
}

/** Frame components with direct recursion collapsed, so the recursion depth does not split issues. */
function collapse(components: (string | null)[]): string[] {
  const out: string[] = [];
  for (const component of components) {
    if (component !== null && component !== out[out.length - 1]) out.push(component);
  }
  return out;
}

interface ExceptionParts {
  type: string;
  inApp: string[];
  all: string[];
}

/** What SDKs write for a function without a name (after normalizeFunction). */
const ANONYMOUS = new Set(['', '?', 'anonymous', '<unknown>']);

function exceptionParts(exception: ExceptionValue): ExceptionParts {
  const components = exception.frames.map((frame) => ({ inApp: frame.inApp, component: frameComponent(frame) }));
  const inAppFrames = exception.frames.filter((f) => f.inApp);
  // In-app frames that are all anonymous functions only say which files threw: every error raised in those files
  // would be one issue. Their message (normalised: ids and numbers do not split) tells them apart, as it does
  // for errors without frames. Lines are not used: they move with every edit, and the issue would split per deploy.
  const anonymous = inAppFrames.length > 0 && inAppFrames.every((f) => ANONYMOUS.has(normalizeFunction(f.function.slice(0, MAX_NAME))));
  const inApp = collapse(components.filter((c) => c.inApp).map((c) => c.component));
  return {
    type: `type=${exception.type.trim()}`,
    inApp: anonymous && inApp.length > 0 ? [...inApp, `value=${normalizeMessage(exception.value)}`] : inApp,
    all: collapse(components.map((c) => c.component)),
  };
}

/** The grouping Sentry would apply without a custom fingerprint. */
export function defaultGrouping(event: Omit<GroupingInput, 'fingerprint'>): Omit<GroupingKey, 'fingerprint'> {
  const exceptions = event.exceptions ?? [];
  const parts = exceptions.map(exceptionParts);
  if (parts.some((p) => p.inApp.length > 0)) return { strategy: 'in_app', components: parts.flatMap((p) => [p.type, ...p.inApp]) };
  if (parts.some((p) => p.all.length > 0)) return { strategy: 'all_frames', components: parts.flatMap((p) => [p.type, ...p.all]) };
  // Without frames the message is all there is; it is normalised so ids and counts do not split issues.
  const described = exceptions.filter((e) => e.type.trim() !== '' || e.value.trim() !== '');
  if (described.length > 0) {
    const components = described.flatMap((e) => [`type=${e.type.trim()}`, `value=${normalizeMessage(e.value)}`]);
    return { strategy: 'message', components };
  }
  return { strategy: 'message', components: [`message=${normalizeMessage(event.message ?? '')}`] };
}

/**
 * The issue key of an event. An explicit fingerprint replaces the default grouping; inside it,
 * `{{ default }}` stands for the default components, so `['{{ default }}']` groups exactly as no
 * fingerprint would and `['{{ default }}', tenant]` splits default issues by tenant.
 */
export function groupingKey(event: GroupingInput): GroupingKey {
  const fingerprint = event.fingerprint ?? [];
  const base = defaultGrouping(event);
  if (fingerprint.length === 0) return { fingerprint: hashComponents(base.components), ...base };
  const components = fingerprint.flatMap((entry) => (DEFAULT_VARIABLE.test(entry.trim()) ? base.components : [`fingerprint=${entry}`]));
  return { fingerprint: hashComponents(components), components, strategy: 'fingerprint' };
}

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

/** `module|function` of one frame for hashing; never line or column, which move with every edit. */
function frameComponent(frame: StackFrame): string | null {
  const fn = normalizeFunction(frame.function);
  const where = frame.module !== '' ? normalizeModule(frame.module) : normalizeFilename(frame.filename || frame.absPath);
  // Frames with neither a function nor a file (`at <anonymous>`, `[native code]`) say nothing stable.
  if (fn === '' && where === '') return null;
  return `frame=${where}|${fn}`;
}

/** Frame components with direct recursion collapsed, so the recursion depth does not split issues. */
function framesComponents(frames: StackFrame[]): string[] {
  const out: string[] = [];
  for (const frame of frames) {
    const component = frameComponent(frame);
    if (component !== null && component !== out[out.length - 1]) out.push(component);
  }
  return out;
}

function typeComponent(exception: ExceptionValue): string {
  return `type=${exception.type.trim()}`;
}

/** Stack-trace grouping over every exception of the chain, keeping only the frames `keep` selects. */
function stackComponents(exceptions: ExceptionValue[], keep: (frame: StackFrame) => boolean): string[] {
  return exceptions.flatMap((exception) => [typeComponent(exception), ...framesComponents(exception.frames.filter(keep))]);
}

function hasFrames(exceptions: ExceptionValue[], keep: (frame: StackFrame) => boolean): boolean {
  return exceptions.some((exception) => framesComponents(exception.frames.filter(keep)).length > 0);
}

/** The grouping Sentry would apply without a custom fingerprint. */
export function defaultGrouping(event: Omit<GroupingInput, 'fingerprint'>): Omit<GroupingKey, 'fingerprint'> {
  const exceptions = event.exceptions ?? [];
  const inApp = (frame: StackFrame): boolean => frame.inApp;
  const any = (): boolean => true;
  if (hasFrames(exceptions, inApp)) return { strategy: 'in_app', components: stackComponents(exceptions, inApp) };
  if (hasFrames(exceptions, any)) return { strategy: 'all_frames', components: stackComponents(exceptions, any) };
  // Without frames the message is all there is; it is normalised so ids and counts do not split issues.
  const described = exceptions.filter((e) => e.type.trim() !== '' || e.value.trim() !== '');
  if (described.length > 0) {
    const components = described.flatMap((e) => [typeComponent(e), `value=${normalizeMessage(e.value)}`]);
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

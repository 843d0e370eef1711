/**
 * A minimal tracer for the browser: W3C ids, spans, and an "active span" that lasts until the next task.
 * The OTel web SDK needs zone.js to follow async work; instead, an interaction (click, route change) is
 * active for the rest of the task that dispatched it, and a fetch/XHR re-activates its parent when it
 * completes, so the common `onclick → await fetch() → handle result` chain stays in one trace.
 */
import type { AttributeValue } from '../exception.ts';

export const SpanKind = { INTERNAL: 1, SERVER: 2, CLIENT: 3 } as const;
export type SpanKindValue = (typeof SpanKind)[keyof typeof SpanKind];
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export interface SpanEvent {
  name: string;
  /** Epoch milliseconds, fractional. */
  time: number;
  attributes: Record<string, AttributeValue>;
}

export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: SpanKindValue;
  start: number;
  end: number;
  attributes: Record<string, AttributeValue>;
  events: SpanEvent[];
  status: { code: number; message: string };
  ended: boolean;
  /** Children (requests) and re-activations that keep the span open after end() was asked for. */
  holds: number;
  endRequested: number | null;
}

/** A parent that lives elsewhere: a server-rendered `<meta name="traceparent">`. */
export interface RemoteParent {
  traceId: string;
  spanId: string;
  traceState: string;
}

export interface StartOptions {
  kind?: SpanKindValue;
  /** Default: the active span. `null` starts a new trace. */
  parent?: SpanRecord | RemoteParent | null;
  attributes?: Record<string, AttributeValue>;
  start?: number;
}

let onEnd: (span: SpanRecord) => void = () => {};
const stack: SpanRecord[] = [];
let clearScheduled = false;

/** Where ended spans go (the exporter). */
export function setSpanSink(sink: (span: SpanRecord) => void): void {
  onEnd = sink;
}

/** Wall-clock milliseconds with sub-millisecond precision, monotonic within the page. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

function randomHex(bytes: number): string {
  const buf = new Uint8Array(bytes);
  // All-zero ids are invalid in W3C Trace Context; the loop runs again with probability 2^-64 or less.
  do crypto.getRandomValues(buf);
  while (buf.every((b) => b === 0));
  let out = '';
  for (const b of buf) out += b.toString(16).padStart(2, '0');
  return out;
}

export const newTraceId = (): string => randomHex(16);
export const newSpanId = (): string => randomHex(8);

export function startSpan(name: string, options: StartOptions = {}): SpanRecord {
  const parent = options.parent === undefined ? activeSpan() : options.parent;
  return {
    traceId: parent ? parent.traceId : newTraceId(),
    spanId: newSpanId(),
    parentSpanId: parent ? parent.spanId : '',
    traceState: parent ? parent.traceState : '',
    name,
    kind: options.kind ?? SpanKind.INTERNAL,
    start: options.start ?? now(),
    end: 0,
    attributes: { ...options.attributes },
    events: [],
    status: { code: StatusCode.UNSET, message: '' },
    ended: false,
    holds: 0,
    endRequested: null,
  };
}

function finish(span: SpanRecord, time: number): void {
  if (span.ended) return;
  span.ended = true;
  span.end = Math.max(time, span.start);
  onEnd(span);
}

/** Ends the span, or, while something still holds it, as soon as the last hold is released. */
export function endSpan(span: SpanRecord, time: number = now()): void {
  if (span.ended) return;
  if (span.holds > 0) {
    span.endRequested = time;
    return;
  }
  finish(span, time);
}

export function hold(span: SpanRecord): void {
  if (!span.ended) span.holds++;
}

export function release(span: SpanRecord): void {
  if (span.ended || span.holds === 0) return;
  span.holds--;
  // A held span ends when its last child does, never earlier than its own end() call.
  if (span.holds === 0 && span.endRequested !== null) finish(span, Math.max(span.endRequested, now()));
}

/** The innermost span activated during this task that is still open, or null. */
export function activeSpan(): SpanRecord | null {
  for (let i = stack.length - 1; i >= 0; i--) {
    const span = stack[i];
    if (span && !span.ended) return span;
  }
  return null;
}

/**
 * Makes `span` active until the current task ends (its microtasks included), holding it open meanwhile.
 * Every activation of a task is dropped together, so nested activations cannot restore a stale parent.
 */
export function activateForTask(span: SpanRecord): void {
  if (span.ended) return;
  hold(span);
  stack.push(span);
  if (clearScheduled) return;
  clearScheduled = true;
  setTimeout(() => {
    clearScheduled = false;
    for (const released of stack.splice(0)) release(released);
  }, 0);
}

export function addEvent(span: SpanRecord, name: string, attributes: Record<string, AttributeValue> = {}, time: number = now()): void {
  if (!span.ended) span.events.push({ name, time, attributes });
}

export function setError(span: SpanRecord, message: string): void {
  span.status = { code: StatusCode.ERROR, message };
}

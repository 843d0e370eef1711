import type * as OtelApi from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { formatTraceparent, formatTracestate, parseTraceparent, parseTracestate } from '../traceparent.ts';

const TRACEPARENT = 'traceparent';
const TRACESTATE = 'tracestate';

type PropagationApi = Pick<typeof OtelApi, 'trace' | 'isSpanContextValid' | 'createTraceState'>;

/**
 * W3C Trace Context with the rules in `traceparent.ts`, so Node and the browser accept and reject exactly
 * the same headers (e.g. a `tracestate` with one bad member is dropped whole, as the W3C test suite expects).
 */
export class TraceContextPropagator implements TextMapPropagator {
  private readonly api: PropagationApi;
  private readonly isTracingSuppressed: (context: Context) => boolean;

  /** The application's API and its SDK's `isTracingSuppressed`: see otel.ts for why they are passed in. */
  constructor(api: PropagationApi, isTracingSuppressed: (context: Context) => boolean) {
    this.api = api;
    this.isTracingSuppressed = isTracingSuppressed;
  }

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const span = this.api.trace.getSpanContext(context);
    if (!span || this.isTracingSuppressed(context) || !this.api.isSpanContextValid(span)) return;
    setter.set(carrier, TRACEPARENT, formatTraceparent({ traceId: span.traceId, spanId: span.spanId, flags: span.traceFlags }));
    const state = span.traceState ? formatTracestate(parseTracestate(span.traceState.serialize())) : '';
    if (state !== '') setter.set(carrier, TRACESTATE, state);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const parent = parseTraceparent(getter.get(carrier, TRACEPARENT));
    if (!parent) return context;
    const state = formatTracestate(parseTracestate(getter.get(carrier, TRACESTATE)));
    return this.api.trace.setSpanContext(context, {
      traceId: parent.traceId,
      spanId: parent.spanId,
      // TraceFlags.SAMPLED: the only flag defined in version 00.
      traceFlags: parent.flags & 1,
      isRemote: true,
      ...(state !== '' ? { traceState: this.api.createTraceState(state) } : {}),
    });
  }

  fields(): string[] {
    return [TRACEPARENT, TRACESTATE];
  }
}

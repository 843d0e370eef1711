import {
  createTraceState,
  isSpanContextValid,
  trace,
  TraceFlags,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { core } from '@opentelemetry/sdk-node';
import { formatTraceparent, formatTracestate, parseTraceparent, parseTracestate } from '../traceparent.ts';

const TRACEPARENT = 'traceparent';
const TRACESTATE = 'tracestate';

/**
 * W3C Trace Context with the rules in `traceparent.ts`, so Node and the browser accept and reject exactly
 * the same headers (e.g. a `tracestate` with one bad member is dropped whole, as the W3C test suite expects).
 */
export class TraceContextPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const span = trace.getSpanContext(context);
    if (!span || core.isTracingSuppressed(context) || !isSpanContextValid(span)) return;
    setter.set(carrier, TRACEPARENT, formatTraceparent({ traceId: span.traceId, spanId: span.spanId, flags: span.traceFlags }));
    const state = span.traceState ? formatTracestate(parseTracestate(span.traceState.serialize())) : '';
    if (state !== '') setter.set(carrier, TRACESTATE, state);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const parent = parseTraceparent(getter.get(carrier, TRACEPARENT));
    if (!parent) return context;
    const state = formatTracestate(parseTracestate(getter.get(carrier, TRACESTATE)));
    return trace.setSpanContext(context, {
      traceId: parent.traceId,
      spanId: parent.spanId,
      traceFlags: parent.flags & TraceFlags.SAMPLED,
      isRemote: true,
      ...(state !== '' ? { traceState: createTraceState(state) } : {}),
    });
  }

  fields(): string[] {
    return [TRACEPARENT, TRACESTATE];
  }
}

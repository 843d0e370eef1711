import type { Span, SpanContext } from '@opentelemetry/api';

/** The part of an undici request (the `undici:request:create` message) the bridge touches. */
export interface UndiciRequest {
  /** `[name, value, …]` in undici 6+ (Node 20+); one `name: value\r\n` string in undici 5. */
  headers: string | Array<string | string[]>;
}

/** The hook of @opentelemetry/instrumentation-undici's config the bridge uses (the same in 0.33 and 0.34+). */
export interface UndiciHooks {
  requestHook?: (span: Span, request: UndiciRequest) => void;
}

const PROPAGATED = /^(traceparent|tracestate)$/i;

function withoutPropagated(headers: UndiciRequest['headers']): UndiciRequest['headers'] {
  if (typeof headers === 'string') {
    return headers
      .split('\r\n')
      .filter((line) => !PROPAGATED.test(line.slice(0, line.indexOf(':')).trim()))
      .join('\r\n');
  }
  const kept: Array<string | string[]> = [];
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i];
    if (typeof name === 'string' && PROPAGATED.test(name)) continue;
    kept.push(name ?? '', headers[i + 1] ?? '');
  }
  return kept;
}

/**
 * undici's instrumentation appends the propagated headers rather than setting them, so a `traceparent` the
 * application wrote itself would go out twice, and the receiver has to discard the pair as invalid: the trace
 * breaks. Removing hand-written `traceparent`/`tracestate` just before the injection (the instrumentation calls
 * `requestHook` right before it) gives fetch what node:http does, where the injected value overwrites.
 * Only when something will be injected: with tracing suppressed or no span (`requireParentforSpans`) the span is
 * invalid, nothing is injected, and the application's own headers must stay.
 */
export function undiciHooks(isSpanContextValid: (context: SpanContext) => boolean): UndiciHooks {
  return {
    requestHook(span, request) {
      if (!isSpanContextValid(span.spanContext())) return;
      const headers = withoutPropagated(request.headers);
      if (headers.length !== request.headers.length) request.headers = headers;
    },
  };
}

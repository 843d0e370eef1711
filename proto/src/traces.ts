import { type ResourceInfo, readItemAttributes, readResource, readScope } from './attributes.ts';
import { type Node, type WireFormat, each, within } from './codec.ts';
import { type DecodeContext, type DecodeLimits, type DecodeStats, createContext, nextItem } from './context.ts';
import { toDecodeError } from './errors.ts';
import { optionalId, optionalIdProblem, requiredIdProblem } from './ids.ts';
import type {
  Decoded,
  InstrumentationScope,
  Rejection,
  Span,
  SpanEvent,
  SpanKindValue,
  SpanLink,
  StatusCodeValue,
} from './model.ts';
import { readRequest } from './request.ts';
import { otlpSchema } from './schema.ts';

/**
 * Decodes an ExportTraceServiceRequest (protobuf or OTLP/JSON) into spans. Spans that break the
 * OTLP rules are returned in `rejected` (partial success); a body that is not a request throws
 * DecodeError, and more than maxItemsPerRequest spans throws TooManyItemsError.
 */
export function decodeTraces(
  body: Uint8Array,
  format: WireFormat,
  limits?: DecodeLimits,
): Decoded<Span> & { stats: DecodeStats } {
  const ctx = createContext(format, limits);
  const schema = otlpSchema();
  const request = readRequest(body, format, schema.traceRequest);
  const items: Span[] = [];
  const rejected: Rejection[] = [];
  try {
    each(ctx.c, request, 'resourceSpans', (rs) => {
      const resource = readResource(ctx, rs);
      each(ctx.c, rs, 'scopeSpans', (ss) => {
        const scope = readScope(ctx, ss);
        each(ctx.c, ss, 'spans', (node) => {
          const index = nextItem(ctx, 'spans');
          const span = readSpan(ctx, node, resource, scope);
          if (typeof span === 'string') rejected.push({ index, reason: `span ${index}: ${span}` });
          else items.push(span);
        });
      });
    });
  } catch (err) {
    throw toDecodeError(err, format);
  }
  return { items, rejected, stats: ctx.stats };
}

/** Why a span must be rejected, or '' when it is acceptable. */
function spanProblem(
  traceId: string | null,
  spanId: string | null,
  parentSpanId: string | null,
  start: bigint,
  end: bigint,
): string {
  return (
    requiredIdProblem(traceId, 16, 'trace_id') ||
    requiredIdProblem(spanId, 8, 'span_id') ||
    optionalIdProblem(parentSpanId, 8, 'parent_span_id') ||
    (start === 0n ? 'start_time_unix_nano is 0' : '') ||
    (end < start ? `end_time_unix_nano ${end} is before start_time_unix_nano ${start}` : '')
  );
}

/** A span in model form, or the reason it is rejected. */
function readSpan(ctx: DecodeContext, node: Node, res: ResourceInfo, scope: InstrumentationScope): Span | string {
  const c = ctx.c;
  const traceId = c.id(node, 'traceId');
  const spanId = c.id(node, 'spanId');
  const parentSpanId = c.id(node, 'parentSpanId');
  const start = c.time(node, 'startTimeUnixNano');
  const end = c.time(node, 'endTimeUnixNano');
  const problem = spanProblem(traceId, spanId, parentSpanId, start, end);
  if (problem !== '') return problem;
  const { attributes, dropped } = readItemAttributes(ctx, node);
  const status = within(c, node, 'status', (s) => ({
    code: c.enumValue(s, 'code', otlpSchema().enums.statusCode),
    message: c.str(s, 'message'),
  }));
  return {
    traceId: traceId as string,
    spanId: spanId as string,
    parentSpanId: optionalId(parentSpanId, 8),
    traceState: c.str(node, 'traceState'),
    flags: c.uint32(node, 'flags'),
    name: c.str(node, 'name'),
    kind: spanKind(c.enumValue(node, 'kind', otlpSchema().enums.spanKind)),
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    attributes,
    droppedAttributesCount: c.uint32(node, 'droppedAttributesCount') + dropped,
    events: readEvents(ctx, node),
    droppedEventsCount: c.uint32(node, 'droppedEventsCount'),
    links: readLinks(ctx, node),
    droppedLinksCount: c.uint32(node, 'droppedLinksCount'),
    statusCode: statusCode(status.code),
    statusMessage: status.message,
    serviceName: res.serviceName,
    resource: res.resource,
    scope,
  };
}

// Enums are open in proto3; values this version does not know read as the zero value.
function spanKind(n: number): SpanKindValue {
  return n >= 0 && n <= 5 ? (n as SpanKindValue) : 0;
}

function statusCode(n: number): StatusCodeValue {
  return n >= 0 && n <= 2 ? (n as StatusCodeValue) : 0;
}

function readEvents(ctx: DecodeContext, span: Node): SpanEvent[] {
  const c = ctx.c;
  const events: SpanEvent[] = [];
  each(c, span, 'events', (e) => {
    const { attributes, dropped } = readItemAttributes(ctx, e);
    events.push({
      timeUnixNano: c.time(e, 'timeUnixNano'),
      name: c.str(e, 'name'),
      attributes,
      droppedAttributesCount: c.uint32(e, 'droppedAttributesCount') + dropped,
    });
  });
  return events;
}

/** Links are kept even with odd ids: they only point elsewhere, and the span itself is valid. */
function readLinks(ctx: DecodeContext, span: Node): SpanLink[] {
  const c = ctx.c;
  const links: SpanLink[] = [];
  each(c, span, 'links', (l) => {
    const { attributes, dropped } = readItemAttributes(ctx, l);
    links.push({
      traceId: c.id(l, 'traceId') ?? '',
      spanId: c.id(l, 'spanId') ?? '',
      traceState: c.str(l, 'traceState'),
      attributes,
      droppedAttributesCount: c.uint32(l, 'droppedAttributesCount') + dropped,
    });
  });
  return links;
}

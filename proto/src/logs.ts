import { type ResourceInfo, anyValue, readItemAttributes, readResource, readScope } from './attributes.ts';
import { type Node, type WireFormat, each } from './codec.ts';
import { type DecodeContext, type DecodeLimits, type DecodeStats, createContext, nextItem } from './context.ts';
import { toDecodeError, withPath } from './errors.ts';
import { optionalId, optionalIdProblem } from './ids.ts';
import type { Decoded, InstrumentationScope, LogRecord, Rejection } from './model.ts';
import { readRequest } from './request.ts';
import { otlpSchema } from './schema.ts';

/**
 * Decodes an ExportLogsServiceRequest (protobuf or OTLP/JSON) into log records. Records whose
 * trace_id / span_id have the wrong length are rejected (partial success); a body that is not a
 * request throws DecodeError, and more than maxItemsPerRequest records throws TooManyItemsError.
 */
export function decodeLogs(
  body: Uint8Array,
  format: WireFormat,
  limits?: DecodeLimits,
): Decoded<LogRecord> & { stats: DecodeStats } {
  const ctx = createContext(format, limits);
  const request = readRequest(body, format, otlpSchema().logsRequest);
  const items: LogRecord[] = [];
  const rejected: Rejection[] = [];
  try {
    each(ctx.c, request, 'resourceLogs', (rl) => {
      const resource = readResource(ctx, rl);
      each(ctx.c, rl, 'scopeLogs', (sl) => {
        const scope = readScope(ctx, sl);
        each(ctx.c, sl, 'logRecords', (node) => {
          const index = nextItem(ctx, 'log records');
          const record = readLogRecord(ctx, node, resource, scope);
          if (typeof record === 'string') rejected.push({ index, reason: `log record ${index}: ${record}` });
          else items.push(record);
        });
      });
    });
  } catch (err) {
    throw toDecodeError(err, format);
  }
  return { items, rejected, stats: ctx.stats };
}

/** A log record in model form, or the reason it is rejected. */
function readLogRecord(
  ctx: DecodeContext,
  node: Node,
  res: ResourceInfo,
  scope: InstrumentationScope,
): LogRecord | string {
  const c = ctx.c;
  const traceId = c.id(node, 'traceId');
  const spanId = c.id(node, 'spanId');
  const problem = optionalIdProblem(traceId, 16, 'trace_id') || optionalIdProblem(spanId, 8, 'span_id');
  if (problem !== '') return problem;
  const { attributes, dropped } = readItemAttributes(ctx, node);
  const severityText = c.str(node, 'severityText');
  return {
    timeUnixNano: c.time(node, 'timeUnixNano'),
    observedTimeUnixNano: c.time(node, 'observedTimeUnixNano'),
    severityNumber: severity(c.enumValue(node, 'severityNumber', otlpSchema().enums.severityNumber)) || severityFromText(severityText),
    severityText,
    body: readBody(ctx, node),
    attributes,
    droppedAttributesCount: c.uint32(node, 'droppedAttributesCount') + dropped,
    flags: c.uint32(node, 'flags'),
    traceId: optionalId(traceId, 16),
    spanId: optionalId(spanId, 8),
    eventName: c.str(node, 'eventName'),
    serviceName: res.serviceName,
    resource: res.resource,
    scope,
  };
}

// Enums are open in proto3; numbers this version does not define read as UNSPECIFIED.
function severity(n: number): number {
  return n >= 0 && n <= 24 ? n : 0;
}

/** The usual level names and the first number of their OTLP range (TRACE 1, DEBUG 5, INFO 9, WARN 13, ERROR 17, FATAL 21). */
const TEXT_SEVERITY: Record<string, number> = {
  trace: 1,
  debug: 5,
  info: 9,
  information: 9,
  notice: 10,
  warn: 13,
  warning: 13,
  error: 17,
  err: 17,
  fatal: 21,
  critical: 21,
  crit: 21,
  alert: 22,
  emergency: 23,
  panic: 21,
};

/**
 * A record with only a severity text (severity_number 0, "unspecified": loggers bridged without a level mapping) is
 * filed under the level its text names, so level filters and colours find it; the text itself is kept as sent.
 */
function severityFromText(text: string): number {
  return TEXT_SEVERITY[text.trim().toLowerCase()] ?? 0;
}

/** The body is not an attribute, so maxAttributeValueLength does not cut it. */
function readBody(ctx: DecodeContext, node: Node): LogRecord['body'] {
  // msg() names the field itself; only errors from inside the value need the prefix.
  const body = ctx.c.msg(node, 'body');
  try {
    return anyValue(ctx, body, false);
  } catch (err) {
    throw withPath(err, 'body');
  }
}

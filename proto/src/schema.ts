import { join } from 'node:path';
import protobuf from 'protobufjs';

/** Directory holding the OTLP `.proto` files, laid out by package so that their imports resolve. */
export const PROTO_DIR = join(import.meta.dirname, '..', 'proto');

const FILES = [
  'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  'opentelemetry/proto/collector/logs/v1/logs_service.proto',
  'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
];

/** Enum name → number, as OTLP/JSON senders may spell enums either way. */
export type EnumValues = Readonly<Record<string, number>>;

export interface OtlpSchema {
  root: protobuf.Root;
  traceRequest: protobuf.Type;
  traceResponse: protobuf.Type;
  logsRequest: protobuf.Type;
  logsResponse: protobuf.Type;
  metricsRequest: protobuf.Type;
  metricsResponse: protobuf.Type;
  enums: {
    spanKind: EnumValues;
    statusCode: EnumValues;
    severityNumber: EnumValues;
    aggregationTemporality: EnumValues;
  };
}

let cached: OtlpSchema | undefined;

/** The OTLP message types, parsed from the `.proto` files on first use and shared afterwards. */
export function otlpSchema(): OtlpSchema {
  cached ??= load();
  return cached;
}

function load(): OtlpSchema {
  const root = new protobuf.Root();
  // Imports are written relative to the proto root (as upstream does), not to the importing file.
  root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
  root.loadSync(FILES, { keepCase: false });
  root.resolveAll();
  const collector = 'opentelemetry.proto.collector';
  const type = (name: string): protobuf.Type => root.lookupType(`${collector}.${name}`);
  const values = (name: string): EnumValues => root.lookupEnum(`opentelemetry.proto.${name}`).values;
  return {
    root,
    traceRequest: type('trace.v1.ExportTraceServiceRequest'),
    traceResponse: type('trace.v1.ExportTraceServiceResponse'),
    logsRequest: type('logs.v1.ExportLogsServiceRequest'),
    logsResponse: type('logs.v1.ExportLogsServiceResponse'),
    metricsRequest: type('metrics.v1.ExportMetricsServiceRequest'),
    metricsResponse: type('metrics.v1.ExportMetricsServiceResponse'),
    enums: {
      spanKind: values('trace.v1.Span.SpanKind'),
      statusCode: values('trace.v1.Status.StatusCode'),
      severityNumber: values('logs.v1.SeverityNumber'),
      aggregationTemporality: values('metrics.v1.AggregationTemporality'),
    },
  };
}

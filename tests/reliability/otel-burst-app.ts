/**
 * An app on @opentelemetry/sdk-node exporting with @opentelemetry/exporter-trace-otlp-http, run as its own
 * process by otel-sdk-retry.reliability.ts. argv: <endpoint> <key> <spans>. Makes one trace of <spans> children
 * at once (more than the rate limit admits), exports through the SDK's own retrying transport and prints
 * {"traceId", "results": [{ "code", "spans" }], "elapsedMs"} after shutdown has flushed everything.
 */
import { trace, context } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK, core, tracing } from '@opentelemetry/sdk-node';

const [endpoint = '', key = '', count = '300'] = process.argv.slice(2);
const results: Array<{ code: number; spans: number; error?: string }> = [];
const inner = new OTLPTraceExporter({ url: `${endpoint}/v1/traces`, headers: { authorization: `Bearer ${key}` } });

/** Records what the SDK finally concluded for each batch (after its retries). */
const recording: tracing.SpanExporter = {
  export(spans, done) {
    inner.export(spans, (result: core.ExportResult) => {
      results.push({ code: result.code, spans: spans.length, ...(result.error ? { error: result.error.message } : {}) });
      done(result);
    });
  },
  shutdown: () => inner.shutdown(),
  forceFlush: () => inner.forceFlush(),
};

const sdk = new NodeSDK({
  resource: resourceFromAttributes({ 'service.name': 'burst-app' }),
  spanProcessors: [
    new tracing.BatchSpanProcessor(recording, {
      maxExportBatchSize: 100,
      maxQueueSize: 10_000,
      scheduledDelayMillis: 50,
      exportTimeoutMillis: 30_000,
    }),
  ],
  instrumentations: [],
});
sdk.start();

const started = Date.now();
const tracer = trace.getTracer('burst-app');
const root = tracer.startSpan('burst');
context.with(trace.setSpan(context.active(), root), () => {
  for (let i = 0; i < Number(count); i++) tracer.startSpan(`child-${i}`).end();
});
root.end();
await sdk.shutdown();
process.stdout.write(JSON.stringify({ traceId: root.spanContext().traceId, results, elapsedMs: Date.now() - started }) + '\n');

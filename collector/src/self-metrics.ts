/**
 * A tiny Prometheus registry for Faultline's own metrics: labelled counters, gauges read at scrape time,
 * and fixed-bucket histograms. Enough for /metrics without a dependency.
 */
type Labels = Record<string, string | number>;

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

export class Counter {
  readonly values = new Map<string, number>();
  readonly name: string;
  readonly help: string;
  constructor(name: string, help: string) {
    this.name = name;
    this.help = help;
  }
  inc(labels: Labels = {}, by = 1): void {
    if (by === 0) return;
    const key = labelText(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels)) ?? 0;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [labels, value] of this.values) lines.push(`${this.name}${labels} ${value}`);
    return lines.join('\n');
  }
}

export class Gauge {
  readonly name: string;
  readonly help: string;
  private readonly read: () => number;
  constructor(name: string, help: string, read: () => number) {
    this.name = name;
    this.help = help;
    this.read = read;
  }
  render(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, `${this.name} ${this.read()}`].join('\n');
  }
}

export class Histogram {
  readonly name: string;
  readonly help: string;
  private readonly bounds: number[];
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(name: string, help: string, bounds: number[]) {
    this.name = name;
    this.help = help;
    this.bounds = bounds;
    this.counts = bounds.map(() => 0);
  }
  observe(value: number): void {
    this.sum += value;
    this.count++;
    this.bounds.forEach((b, i) => {
      if (value <= b) this.counts[i] = (this.counts[i] ?? 0) + 1;
    });
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.bounds.forEach((b, i) => lines.push(`${this.name}_bucket{le="${b}"} ${this.counts[i] ?? 0}`));
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return lines.join('\n');
  }
}

export class Registry {
  private readonly metrics: Array<Counter | Gauge | Histogram> = [];
  add<T extends Counter | Gauge | Histogram>(metric: T): T {
    this.metrics.push(metric);
    return metric;
  }
  render(): string {
    return this.metrics.map((m) => m.render()).join('\n') + '\n';
  }
}

/** The collector's metrics; one instance per process, shared by both transports. */
export function createCollectorMetrics(registry: Registry) {
  return {
    received: registry.add(new Counter('faultline_ingest_items_received_total', 'Items (spans, log records) received, by signal, transport and project.')),
    accepted: registry.add(new Counter('faultline_ingest_items_accepted_total', 'Items written to storage and acknowledged.')),
    rejected: registry.add(new Counter('faultline_ingest_items_rejected_total', 'Items rejected as invalid (partial success).')),
    refused: registry.add(new Counter('faultline_ingest_items_refused_total', 'Items refused with a retryable answer (overload, storage down, rate limit).')),
    requests: registry.add(new Counter('faultline_ingest_requests_total', 'Export requests by signal, transport and outcome.')),
    truncated: registry.add(new Counter('faultline_ingest_truncated_values_total', 'Attribute values truncated to the configured length.')),
    droppedAttributes: registry.add(
      new Counter('faultline_ingest_dropped_attributes_total', 'Attributes dropped past FAULTLINE_MAX_ATTRIBUTES_PER_ITEM (of items and of resources).'),
    ),
    insertSeconds: registry.add(new Histogram('faultline_storage_insert_seconds', 'Duration of batched inserts.', [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])),
    batchRows: registry.add(new Histogram('faultline_storage_batch_rows', 'Rows per batched insert.', [10, 100, 500, 1000, 5000, 10000, 50000])),
  };
}
export type CollectorMetrics = ReturnType<typeof createCollectorMetrics>;

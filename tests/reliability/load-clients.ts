/**
 * Load clients that keep books: every span id sent, how often, and whether the request carrying it was
 * acknowledged. The durability assertions compare these books with what storage holds.
 */
import { RawGrpcClient } from '../fuzz/transport.ts';
import { encodeProtobuf } from '../fuzz/otlp-requests.ts';

export interface Batch {
  spanIds: string[];
  body: Buffer;
}

/** A request of `size` spans with ids unique per (client, seq): client 2 bytes, seq 4 bytes, index 2 bytes. */
export function spanBatch(service: string, client: number, seq: number, size: number): Batch {
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  const spanIds = Array.from({ length: size }, (_, i) => `${hex(client, 4)}${hex(seq, 8)}${hex(i, 4)}`);
  const start = BigInt(Date.now()) * 1_000_000n;
  const spans = spanIds.map((spanId) => ({
    traceId: `${hex(client, 4)}${hex(seq, 8)}`.padEnd(32, 'a'),
    spanId,
    name: 'load',
    kind: 2,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 1_000_000n),
  }));
  const request = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{ scope: { name: 'load' }, spans }],
      },
    ],
  };
  return { spanIds, body: encodeProtobuf('traces', request) };
}

export type AnswerKind = 'ack' | 'retryable' | 'fatal' | 'network';

export interface Answer {
  kind: AnswerKind;
  /** e.g. `http 503`, `grpc 14`, `http network`: tallied for the report. */
  label: string;
  /** For retryable answers: whether the server said when to retry (Retry-After / RetryInfo). */
  toldWhen: boolean;
  detail: string;
}

export type Sender = (body: Buffer) => Promise<Answer>;

export function httpSender(base: string, key: string): Sender {
  return async (body) => {
    try {
      const res = await fetch(`${base}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${key}` },
        body: Buffer.from(body),
        signal: AbortSignal.timeout(15_000),
      });
      const detail = await res.text();
      const kind: AnswerKind = res.status === 200 ? 'ack' : res.status === 503 || res.status === 429 ? 'retryable' : 'fatal';
      return { kind, label: `http ${res.status}`, toldWhen: res.headers.get('retry-after') !== null, detail };
    } catch (err) {
      return { kind: 'network', label: 'http network', toldWhen: false, detail: String((err as Error).cause ?? err) };
    }
  };
}

const UNAVAILABLE = 14;
const RESOURCE_EXHAUSTED = 8;
const DEADLINE_EXCEEDED = 4;

export function grpcSender(address: string, key: string): { send: Sender; close(): void } {
  // Reconnect quickly after a restart instead of grpc-js' default backoff of up to two minutes.
  const client = new RawGrpcClient(address, key, { 'grpc.initial_reconnect_backoff_ms': 100, 'grpc.max_reconnect_backoff_ms': 500 });
  const send: Sender = async (body) => {
    const r = await client.export('traces', body, 15_000);
    if (r.code === 0) return { kind: 'ack', label: 'grpc 0', toldWhen: false, detail: '' };
    // The server's refusals carry RetryInfo; a refused connection is UNAVAILABLE without it.
    const serverRefusal = (r.code === UNAVAILABLE || r.code === RESOURCE_EXHAUSTED) && r.hasStatusDetails;
    const kind: AnswerKind = serverRefusal ? 'retryable' : r.code === UNAVAILABLE || r.code === DEADLINE_EXCEEDED ? 'network' : 'fatal';
    return { kind, label: `grpc ${r.code}`, toldWhen: r.hasStatusDetails, detail: r.details };
  };
  return { send, close: () => client.close() };
}

export class Ledger {
  /** Span id → requests that carried it. */
  readonly attempts = new Map<string, number>();
  readonly acked = new Set<string>();
  readonly answers = new Map<string, number>();
  readonly fatal: string[] = [];
  /** Retryable answers that did not say when to retry. */
  untimedRefusals = 0;
  batches = 0;
  ackedBatches = 0;
  retriedBatches = 0;
  droppedBatches = 0;

  record(batch: Batch, answer: Answer): void {
    for (const id of batch.spanIds) this.attempts.set(id, (this.attempts.get(id) ?? 0) + 1);
    this.answers.set(answer.label, (this.answers.get(answer.label) ?? 0) + 1);
    if (answer.kind === 'ack') for (const id of batch.spanIds) this.acked.add(id);
    if (answer.kind === 'retryable' && !answer.toldWhen) this.untimedRefusals++;
    if (answer.kind === 'fatal' && this.fatal.length < 20) this.fatal.push(`${answer.label}: ${answer.detail.slice(0, 200)}`);
  }

  summary(): string {
    const answers = [...this.answers].map(([k, v]) => `${k}×${v}`).join(', ');
    return `batches ${this.batches} (acked ${this.ackedBatches}, retried ${this.retriedBatches}, dropped ${this.droppedBatches}); spans sent ${this.attempts.size}, acked ${this.acked.size}; answers: ${answers}`;
  }
}

export interface ClientPlan {
  client: number;
  service: string;
  spansPerBatch: number;
  send: Sender;
  ledger: Ledger;
  /** Keep starting new batches while this is true. */
  running: () => boolean;
  /** Resend an unacknowledged batch (as an SDK would) until this time; false = drop it and move on. */
  retryUntil: (() => number) | false;
  /** Pause after a refusal or a network error, ms. */
  backoffMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One client: sequential batches, each retried per plan. Resolves when `running()` turns false. */
export async function runClient(plan: ClientPlan): Promise<void> {
  const { ledger } = plan;
  for (let seq = 0; plan.running(); seq++) {
    const batch = spanBatch(plan.service, plan.client, seq, plan.spansPerBatch);
    ledger.batches++;
    for (let attempt = 0; ; attempt++) {
      if (attempt === 1) ledger.retriedBatches++;
      const answer = await plan.send(batch.body);
      ledger.record(batch, answer);
      if (answer.kind === 'ack') {
        ledger.ackedBatches++;
        break;
      }
      // Pause before the next batch too, so refused clients do not spin.
      await sleep(plan.backoffMs);
      if (answer.kind === 'fatal' || plan.retryUntil === false || Date.now() > plan.retryUntil()) {
        ledger.droppedBatches++;
        break;
      }
    }
  }
}

/**
 * Breadcrumbs per unit of work. A Node server handles many requests at once, so one process-wide ring
 * would hand a request's exception the console lines and HTTP calls of its neighbours. Instead, every span
 * that starts work in this process — a SERVER or CONSUMER span without a local parent, e.g. an incoming
 * HTTP request — opens a scope that its descendant spans share; breadcrumbs recorded while one of those
 * spans is active (in OTel's async context, which follows awaits and callbacks) go to that scope. Breadcrumbs
 * recorded outside any scope (start-up, timers, top-level scripts) are process-level. An exception carries
 * the process-level breadcrumbs plus those of its own scope, merged in the order they were recorded.
 */
import type * as OtelApi from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';
import { BreadcrumbBuffer, serializeBreadcrumbs, type Breadcrumb, type BreadcrumbInput } from '../breadcrumbs.ts';
import type { ProcessedSpan, SpanProcessor } from './otel.ts';

// SpanKind values, the same in every API version.
const SERVER = 1;
const CONSUMER = 4;

interface Scope {
  /** Created on the first breadcrumb: most requests never record one. */
  buffer: BreadcrumbBuffer | null;
}

export type AddBreadcrumb = (crumb: BreadcrumbInput) => void;

export class BreadcrumbScopes {
  private process: BreadcrumbBuffer;
  private api: Pick<typeof OtelApi, 'trace' | 'context'> | null = null;
  /** Open spans (by span id) that belong to a scope; an entry goes when its span ends. */
  private readonly bySpan = new Map<string, Scope>();
  /** Recording order across buffers, so merged lists keep it even within one millisecond. */
  private readonly order = new WeakMap<Breadcrumb, number>();
  private sequence = 0;

  constructor(capacity?: number) {
    this.process = new BreadcrumbBuffer(capacity);
  }

  get capacity(): number {
    return this.process.capacity;
  }

  /** Starts following the active span of this API; until then every breadcrumb is process-level. */
  attach(api: Pick<typeof OtelApi, 'trace' | 'context'> | null, capacity: number = this.capacity): void {
    this.api = api;
    this.bySpan.clear();
    if (capacity !== this.process.capacity) this.process = this.process.resized(capacity);
  }

  /** Registered with the tracer provider, which calls it synchronously for every span start and end. */
  readonly processor: SpanProcessor = {
    onStart: (span: ProcessedSpan, parentContext: Context) => {
      const parent = this.api?.trace.getSpanContext(parentContext);
      const inherited = parent && !parent.isRemote ? this.bySpan.get(parent.spanId) : undefined;
      const scope = inherited ?? (span.kind === SERVER || span.kind === CONSUMER ? { buffer: null } : undefined);
      if (scope) this.bySpan.set(span.spanContext().spanId, scope);
    },
    onEnd: (span: ProcessedSpan) => {
      this.bySpan.delete(span.spanContext().spanId);
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => {
      this.bySpan.clear();
      return Promise.resolve();
    },
  };

  private scopeOf(span: Span | undefined): Scope | undefined {
    return span ? this.bySpan.get(span.spanContext().spanId) : undefined;
  }

  private activeScope(): Scope | undefined {
    return this.api ? this.scopeOf(this.api.trace.getSpan(this.api.context.active())) : undefined;
  }

  private addTo(scope: Scope | undefined, input: BreadcrumbInput): void {
    let buffer = this.process;
    if (scope) buffer = scope.buffer ??= new BreadcrumbBuffer(this.process.capacity);
    this.order.set(buffer.add(input), this.sequence++);
  }

  /** Records into the active scope, or process-wide outside one. */
  add(input: BreadcrumbInput): void {
    this.addTo(this.activeScope(), input);
  }

  /**
   * A recorder bound to the scope `span` is in now: HTTP hooks run when a response arrives or a socket
   * closes, possibly after the span ended, and must still record into the request that made the call.
   */
  sinkFor(span: Span): AddBreadcrumb {
    const scope = this.scopeOf(span);
    return (input) => this.addTo(scope, input);
  }

  /** Process-level breadcrumbs plus the active scope's, oldest first, at most `capacity` of them. */
  list(): Breadcrumb[] {
    const own = this.activeScope()?.buffer?.list() ?? [];
    const merged = [...this.process.list(), ...own];
    if (own.length > 0) merged.sort((a, b) => (this.order.get(a) ?? 0) - (this.order.get(b) ?? 0));
    return merged.slice(-this.process.capacity);
  }

  /** The JSON for `faultline.breadcrumbs` of an exception recorded now. */
  serialize(): string {
    return serializeBreadcrumbs(this.list());
  }
}

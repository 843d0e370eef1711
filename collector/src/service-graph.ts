import type { Span } from '@faultline/proto';
import { nanosToDateTime64 } from '@faultline/storage';

/**
 * Service map edges at ingest time (no batch job). A child span whose parent belongs to another service is
 * a call between the two; a client span naming its peer (`peer.service`, `db.system`, `messaging.system`)
 * is a call to that peer. Parents and children of one trace often arrive in different requests and either
 * order, so recent span → service pairs and orphaned children wait in bounded maps. With several collector
 * instances an edge is only seen when both ends reach the same one (route by trace id to make it exact).
 */
export interface EdgeCall {
  ProjectId: number;
  Source: string;
  Target: string;
  TargetKind: 'service' | 'peer';
  Timestamp: string;
  Duration: string;
  Error: boolean;
}

interface Child {
  service: string;
  start: bigint;
  duration: bigint;
  error: boolean;
}

const PEER_KEYS = ['peer.service', 'db.system.name', 'db.system', 'messaging.system'];

function bounded<K, V>(map: Map<K, V>, max: number): void {
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done) return;
    map.delete(oldest.value);
  }
}

export class ServiceGraph {
  private readonly services = new Map<string, string>();
  private readonly waiting = new Map<string, Child[]>();
  private readonly maxSpans: number;

  constructor(maxSpans = 200_000) {
    this.maxSpans = maxSpans;
  }

  observe(projectId: number, spans: readonly Span[]): EdgeCall[] {
    const edges: EdgeCall[] = [];
    const edge = (source: string, target: string, kind: EdgeCall['TargetKind'], c: Child): void => {
      edges.push({ ProjectId: projectId, Source: source, Target: target, TargetKind: kind, Timestamp: nanosToDateTime64(c.start), Duration: c.duration.toString(), Error: c.error });
    };
    for (const span of spans) {
      const key = `${projectId}:${span.traceId}:${span.spanId}`;
      const self: Child = { service: span.serviceName, start: span.startTimeUnixNano, duration: span.endTimeUnixNano - span.startTimeUnixNano, error: span.statusCode === 2 };
      this.services.set(key, span.serviceName);
      for (const child of this.waiting.get(key) ?? []) if (child.service !== span.serviceName) edge(span.serviceName, child.service, 'service', child);
      this.waiting.delete(key);
      if (span.parentSpanId) {
        const parentKey = `${projectId}:${span.traceId}:${span.parentSpanId}`;
        const parentService = this.services.get(parentKey);
        if (parentService === undefined) {
          const list = this.waiting.get(parentKey) ?? [];
          if (list.length < 64) list.push(self);
          this.waiting.set(parentKey, list);
        } else if (parentService !== span.serviceName) {
          edge(parentService, span.serviceName, 'service', self);
        }
      }
      if (span.kind === 3 || span.kind === 4) {
        for (const k of PEER_KEYS) {
          const peer = span.attributes[k];
          if (typeof peer === 'string' && peer !== '' && peer !== span.serviceName) {
            edge(span.serviceName, peer, 'peer', self);
            break;
          }
        }
      }
    }
    bounded(this.services, this.maxSpans);
    bounded(this.waiting, this.maxSpans / 4);
    return edges;
  }
}

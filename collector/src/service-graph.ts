import type { Span } from '@faultline/proto';
import { nanosToDateTime64 } from '@faultline/storage';
import { calledHost } from './peer-host.ts';

/**
 * Service map edges at ingest time (no batch job). A child span whose parent belongs to another service is
 * a call between the two; a client span naming its peer (`peer.service`, `db.system`, `messaging.system`)
 * is a call to that peer. Parents and children of one trace often arrive in different requests and either
 * order, so recent spans and orphaned children wait in bounded maps. With several collector instances an edge
 * is only seen when both ends reach the same one (route by trace id to make it exact).
 *
 * One call is one edge observation, seen from the caller: a CLIENT span is the call (its duration and status,
 * counted once however it is found: by the peer it names, or by its child in another service), so a client span
 * naming `peer.service=B` whose child is B's SERVER span counts once, not once per way of finding it. Only when
 * the caller has no CLIENT span for the call (an uninstrumented HTTP client, whose SERVER or INTERNAL span is the
 * callee's parent; a message from a PRODUCER span) does the callee's span stand for it (the parent's covers more
 * than the call). `TargetKind` says how the target was found ('peer': named by the caller; it may still be a
 * service that sends spans): readers merge the kinds of a pair. A client span naming another peer than its child's
 * service (`peer.service` an alias of the callee's `service.name`) shows on both edges: a row once written stays.
 *
 * A CLIENT span naming no peer but the host it called (`server.address`, … see peer-host.ts) is a call to that host
 * (an external API), unless it reaches an instrumented service: then its child in that service is the call. A child
 * seen before the client span or in the same batch means no host edge; one arriving later (another exporter's batch) cannot unwrite
 * the host row, so the call is counted at the service and a 'retracted' row for the host, with the same timestamp,
 * duration and status, tells readers to subtract it (storage/src/metrics-reader.ts): the pair's calls and errors
 * stay exact per minute; its percentiles still hold the retracted call (a t-digest cannot take one out). When the
 * client span is gone from memory (restart, another collector) the child links nothing and the host row stands:
 * still one call.
 */
export interface EdgeCall {
  ProjectId: number;
  Source: string;
  Target: string;
  /** 'retracted': not a call; subtract it from the pair's 'peer' calls (a host call later found to reach a service). */
  TargetKind: 'service' | 'peer' | 'retracted';
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

/** A span seen recently: its service, and for a CLIENT span the call it stands for. */
interface Seen {
  service: string;
  /** The call, for CLIENT spans only. */
  call?: Child;
  /** The peer the span named (its call already counted towards it). */
  peer?: string;
  /** The peer is only the host the span called: its call moves to the service a child is found in. */
  host?: true;
  /** A child in another service was counted as this client span's call. */
  linked: boolean;
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
  private readonly seen = new Map<string, Seen>();
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
    /** A parent and its child in another service: the client span's call once, else the child. */
    const link = (parent: Seen, child: Child): void => {
      // (Already counted when the parent named the child's service as its peer.)
      if (child.service === parent.service || parent.peer === child.service) return;
      if (parent.call === undefined) return edge(parent.service, child.service, 'service', child);
      if (parent.linked) return;
      parent.linked = true;
      edge(parent.service, child.service, 'service', parent.call);
      if (parent.host && parent.peer !== undefined) edge(parent.service, parent.peer, 'retracted', parent.call);
    };
    /** Host-named client spans: decided after the whole batch, whose children (an OTel Collector's mixed batch) come first. */
    const hosts: Array<{ seen: Seen; host: string }> = [];
    for (const span of spans) {
      const key = `${projectId}:${span.traceId}:${span.spanId}`;
      const self: Child = { service: span.serviceName, start: span.startTimeUnixNano, duration: span.endTimeUnixNano - span.startTimeUnixNano, error: span.statusCode === 2 };
      const seen: Seen = { service: span.serviceName, linked: false };
      if (span.kind === 3) seen.call = self;
      if (span.kind === 3 || span.kind === 4) {
        for (const k of PEER_KEYS) {
          const peer = span.attributes[k];
          if (typeof peer === 'string' && peer !== '' && peer !== span.serviceName) {
            seen.peer = peer;
            edge(span.serviceName, peer, 'peer', self);
            break;
          }
        }
      }
      this.seen.set(key, seen);
      for (const child of this.waiting.get(key) ?? []) link(seen, child);
      this.waiting.delete(key);
      if (span.kind === 3 && seen.peer === undefined) {
        const host = calledHost(span.attributes);
        if (host !== undefined && host !== span.serviceName) hosts.push({ seen, host });
      }
      if (span.parentSpanId) {
        const parentKey = `${projectId}:${span.traceId}:${span.parentSpanId}`;
        const parent = this.seen.get(parentKey);
        if (parent === undefined) {
          const list = this.waiting.get(parentKey) ?? [];
          if (list.length < 64) list.push(self);
          this.waiting.set(parentKey, list);
        } else {
          link(parent, self);
        }
      }
    }
    // A child in another service, waiting or in this batch, is the call: the host gets none.
    for (const { seen, host } of hosts) {
      if (seen.linked || seen.call === undefined) continue;
      seen.peer = host;
      seen.host = true;
      edge(seen.service, host, 'peer', seen.call);
    }
    bounded(this.seen, this.maxSpans);
    bounded(this.waiting, this.maxSpans / 4);
    return edges;
  }
}

// Layout of the minimap: every row of the trace squeezed into a small canvas, bars batched by
// colour so the canvas switches fill style once per service instead of once per span. Pure.
import type { WSpan } from './model.ts';
import type { Row } from './tree.ts';

export interface MinimapBatch {
  /** Service name, or '' for the error overlay batch. */
  key: string;
  /** x, y, width, height per bar, in CSS pixels. */
  rects: Float32Array;
  count: number;
}

export interface MinimapLayout {
  services: MinimapBatch[];
  errors: MinimapBatch;
  /**
   * x (whole CSS pixels, ascending, one per pixel column) of each error span's start: red ticks in a strip
   * of their own, because in a big trace a row is under a pixel tall and its error bar is lost among the rest.
   */
  errorTicks: number[];
}

function batch(key: string, capacity: number): MinimapBatch {
  return { key, rects: new Float32Array(capacity * 4), count: 0 };
}

export function layoutMinimap(
  rows: readonly Row<WSpan>[],
  durationNs: number,
  widthPx: number,
  heightPx: number,
): MinimapLayout {
  const n = rows.length;
  const ticks = new Set<number>();
  const perService = new Map<string, number>();
  let errorCount = 0;
  for (const r of rows) {
    perService.set(r.span.serviceName, (perService.get(r.span.serviceName) ?? 0) + 1);
    if (r.span.isError) errorCount++;
  }
  const batches = new Map<string, MinimapBatch>();
  for (const [service, count] of perService) batches.set(service, batch(service, count));
  const errors = batch('', errorCount);

  const xPerNs = widthPx / Math.max(1, durationNs);
  const rowH = heightPx / Math.max(1, n);
  const barH = Math.max(1, rowH - (rowH > 3 ? 1 : 0));
  for (let i = 0; i < n; i++) {
    const s = rows[i]!.span;
    const x = Math.min(widthPx - 1, s.startNs * xPerNs);
    const w = Math.max(1, s.durationNs * xPerNs);
    const y = Math.min(heightPx - barH, i * rowH);
    if (s.isError) ticks.add(Math.floor(x));
    const target = s.isError ? [batches.get(s.serviceName)!, errors] : [batches.get(s.serviceName)!];
    for (const b of target) {
      b.rects.set([x, y, w, barH], b.count * 4);
      b.count++;
    }
  }
  return { services: [...batches.values()], errors, errorTicks: [...ticks].sort((a, b) => a - b) };
}

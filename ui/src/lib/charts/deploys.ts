// Deploy markers on the RED charts: which releases of a service fall inside a chart's time domain
// and where. Pure; the chart component only renders the numbers computed here.
import type { Release } from '../releases/model.ts';

export interface Deploy {
  version: string;
  /** The release's firstSeen, unix ms. */
  time: number;
}

export interface DeployMarker extends Deploy {
  /** Pixel position along the chart's x axis (inner coordinates). */
  x: number;
  /** Whether its version is written beside it: not when it would run into the previous label (the tooltip stays). */
  labelled: boolean;
}

/** Rough width of a marker label, px: 6.5 px per character of the 11 px label font, plus a gap. */
const labelWidth = (version: string): number => version.length * 6.5 + 8;

/** The releases carried by `service` with a parseable firstSeen, oldest first. */
export function serviceDeploys(releases: readonly Release[], service: string): Deploy[] {
  return releases
    .filter((r) => r.version !== '' && r.services.includes(service))
    .map((r) => ({ version: r.version, time: Date.parse(r.firstSeen) }))
    .filter((d) => Number.isFinite(d.time))
    .sort((a, b) => a.time - b.time || a.version.localeCompare(b.version));
}

/** The deploys inside `[start, end]` (inclusive) with their x position by `x` (e.g. the chart's time scale). */
export function deployMarkers(deploys: readonly Deploy[], domain: readonly [number, number], x: (time: number) => number): DeployMarker[] {
  const [start, end] = domain;
  let free = -Infinity;
  return deploys
    .filter((d) => d.time >= start && d.time <= end)
    .map((d) => {
      const at = x(d.time);
      const labelled = at >= free;
      if (labelled) free = at + labelWidth(d.version);
      return { ...d, x: at, labelled };
    });
}

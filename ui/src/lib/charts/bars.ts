// Horizontal grouped bars "current vs previous" (release comparison): d3 band and linear scales,
// pure geometry. One row per group, two bars per row.
import { max, scaleBand, scaleLinear } from 'd3';

export interface BarGroup {
  key: string;
  label: string;
  current: number | null;
  previous: number | null;
}

export type BarSeries = 'current' | 'previous';

export interface Bar {
  group: string;
  series: BarSeries;
  x: number;
  y: number;
  width: number;
  height: number;
  value: number | null;
  text: string;
}

export interface BarsModel {
  width: number;
  height: number;
  labelWidth: number;
  rows: { key: string; label: string; title: string; y: number; height: number }[];
  bars: Bar[];
}

export const ROW_HEIGHT = 34;
const VALUE_ROOM = 70;

/** Cuts `s` to `n` characters with an ellipsis. */
export function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, Math.max(1, n - 1))}…`;
}

export function barsModel(
  groups: readonly BarGroup[],
  width: number,
  format: (v: number) => string,
  labelWidth = 170,
): BarsModel {
  const height = Math.max(1, groups.length) * ROW_HEIGHT;
  const band = scaleBand<string>()
    .domain(groups.map((g) => g.key))
    .range([0, height])
    .paddingInner(0.25)
    .paddingOuter(0.1);
  const inner = scaleBand<BarSeries>().domain(['current', 'previous']).range([0, band.bandwidth()]).padding(0.1);
  const top = max(groups.flatMap((g) => [g.current ?? 0, g.previous ?? 0])) ?? 0;
  const x = scaleLinear()
    .domain([0, top > 0 ? top : 1])
    .range([0, Math.max(10, width - labelWidth - VALUE_ROOM)]);
  const charsFit = Math.max(4, Math.floor((labelWidth - 8) / 7));
  const rows = groups.map((g) => ({
    key: g.key,
    label: truncate(g.label, charsFit),
    title: g.label,
    y: band(g.key) ?? 0,
    height: band.bandwidth(),
  }));
  const bars: Bar[] = [];
  for (const g of groups) {
    for (const series of ['current', 'previous'] as const) {
      const value = g[series];
      bars.push({
        group: g.key,
        series,
        x: labelWidth,
        y: (band(g.key) ?? 0) + (inner(series) ?? 0),
        width: value === null ? 0 : Math.max(value > 0 ? 1 : 0, x(value)),
        height: inner.bandwidth(),
        value,
        text: value === null ? '—' : format(value),
      });
    }
  }
  return { width, height, labelWidth, rows, bars };
}

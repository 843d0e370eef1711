// Sizes of the trace page's resizable parts (the logs drawer under the waterfall, the span-name
// column) and the remembered choices for them. Pure: storage is passed in by the caller.

/** localStorage key of the logs drawer's open/closed choice and height. */
export const DRAWER_KEY = 'faultline.trace.logsDrawer';
/** localStorage key of the span-name column's width. */
export const LABEL_WIDTH_KEY = 'faultline.trace.labelWidth';

/** Drawer heights (px), header included. */
export const DRAWER_MIN = 120;
export const DRAWER_DEFAULT = 260;
/** What the waterfall pane (toolbar, minimap, axis and a few rows) keeps when the drawer grows. */
export const WATERFALL_MIN = 240;

/** Span-name column widths (px). */
export const LABEL_MIN = 160;
export const LABEL_DEFAULT = 340;
/** What the time track keeps when the column grows. */
export const TRACK_MIN = 240;

export interface DrawerPrefs {
  /** The user's last open/closed choice; null until they make one. */
  open: boolean | null;
  height: number;
}

/** `value` within [min, max]; `min` wins when the range is empty (a tiny window). */
export function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, max));
}

const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** The stored drawer choice; anything unreadable is "no choice yet" at the default height. */
export function parseDrawerPrefs(raw: string | null): DrawerPrefs {
  let v: unknown = null;
  try {
    v = JSON.parse(raw ?? 'null');
  } catch {
    // a hand-edited or foreign value: start over
  }
  if (typeof v !== 'object' || v === null) return { open: null, height: DRAWER_DEFAULT };
  const { open, height } = v as Record<string, unknown>;
  return {
    open: typeof open === 'boolean' ? open : null,
    height: positive(height) ? Math.round(height) : DRAWER_DEFAULT,
  };
}

export function serializeDrawerPrefs(prefs: DrawerPrefs): string {
  return JSON.stringify({ open: prefs.open, height: Math.round(prefs.height) });
}

/**
 * Whether the drawer starts open: never for a trace without logs (it would only say so, taking room
 * from the waterfall), and for one with logs only when the user left it open last time. Closed, the
 * drawer is its header with the record count: one click away. A trace without spans has no waterfall to
 * make room for: its logs are most of what there is, so they start open.
 */
export function drawerOpenOnLoad(prefs: DrawerPrefs, logCount: number, spanless = false): boolean {
  return logCount > 0 && (spanless || prefs.open === true);
}

/** The tallest the drawer may be in a page body (waterfall pane plus drawer) this tall. */
export function drawerMax(bodyHeight: number): number {
  return Math.max(DRAWER_MIN, Math.round(bodyHeight - WATERFALL_MIN));
}

/** The stored column width, or the default. */
export function parseLabelWidth(raw: string | null): number {
  const n = raw === null ? NaN : Number(raw);
  return positive(n) ? Math.round(n) : LABEL_DEFAULT;
}

/** The widest the span-name column may be in a waterfall this wide. */
export function labelMax(width: number): number {
  return Math.max(LABEL_MIN, Math.round(width - TRACK_MIN));
}

export interface SplitterRange {
  min: number;
  max: number;
  /** Arrow-key step, px; PageUp/PageDown move four steps. */
  step: number;
  /** The value grows as the splitter moves up or left (it sizes the pane after it, like the drawer). */
  invert?: boolean;
}

/** The value after dragging the splitter from `fromPx` to `toPx` (clientY or clientX). */
export function dragValue(start: number, fromPx: number, toPx: number, r: SplitterRange): number {
  const delta = toPx - fromPx;
  return clamp(Math.round(start + (r.invert ? -delta : delta)), r.min, r.max);
}

/**
 * The value after a key press on a splitter, or null for a key it leaves alone. The arrows move the
 * splitter itself (↑/← up or left, ↓/→ down or right), whichever pane that grows; Home and End
 * jump to the smallest and largest value.
 */
export function splitterKey(key: string, value: number, r: SplitterRange): number | null {
  const sign = r.invert ? -1 : 1;
  let next: number;
  switch (key) {
    case 'ArrowUp':
    case 'ArrowLeft':
      next = value - sign * r.step;
      break;
    case 'ArrowDown':
    case 'ArrowRight':
      next = value + sign * r.step;
      break;
    case 'PageUp':
      next = value - sign * r.step * 4;
      break;
    case 'PageDown':
      next = value + sign * r.step * 4;
      break;
    case 'Home':
      next = r.min;
      break;
    case 'End':
      next = r.max;
      break;
    default:
      return null;
  }
  return clamp(next, r.min, r.max);
}

/** Reads a stored value; null when storage is unavailable (disabled, private mode, no window). */
export function readStored(key: string, storage?: Pick<Storage, 'getItem'>): string | null {
  try {
    // reading globalThis.localStorage itself throws where storage is blocked
    return (storage ?? globalThis.localStorage)?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Stores a value; silently not remembered when storage is unavailable or full. */
export function writeStored(key: string, value: string, storage?: Pick<Storage, 'setItem'>): void {
  try {
    (storage ?? globalThis.localStorage)?.setItem(key, value);
  } catch {
    // still applied, just not remembered
  }
}

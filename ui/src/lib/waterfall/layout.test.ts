import { describe, expect, it } from 'vitest';
import {
  DRAWER_DEFAULT,
  DRAWER_MIN,
  LABEL_DEFAULT,
  LABEL_MIN,
  clamp,
  dragValue,
  drawerMax,
  drawerOpenOnLoad,
  labelMax,
  parseDrawerPrefs,
  parseLabelWidth,
  readStored,
  serializeDrawerPrefs,
  splitterKey,
  writeStored,
} from './layout.ts';

describe('logs drawer prefs', () => {
  it('starts with no choice at the default height', () => {
    expect(parseDrawerPrefs(null)).toEqual({ open: null, height: DRAWER_DEFAULT });
  });

  it('round-trips a choice', () => {
    const prefs = { open: true, height: 312.4 };
    expect(parseDrawerPrefs(serializeDrawerPrefs(prefs))).toEqual({ open: true, height: 312 });
    expect(parseDrawerPrefs(serializeDrawerPrefs({ open: false, height: 200 }))).toEqual({ open: false, height: 200 });
  });

  it('ignores unreadable or foreign values', () => {
    for (const raw of ['{', '42', '"open"', '[]', 'null', '{"open":"yes","height":-5}', '{"height":"tall"}']) {
      expect(parseDrawerPrefs(raw)).toEqual({ open: null, height: DRAWER_DEFAULT });
    }
    expect(parseDrawerPrefs('{"open":false,"height":0}')).toEqual({ open: false, height: DRAWER_DEFAULT });
  });

  it('opens only on traces with logs, and only when the user left it open', () => {
    expect(drawerOpenOnLoad({ open: null, height: 200 }, 0)).toBe(false);
    expect(drawerOpenOnLoad({ open: true, height: 200 }, 0)).toBe(false);
    expect(drawerOpenOnLoad({ open: null, height: 200 }, 3)).toBe(false);
    expect(drawerOpenOnLoad({ open: false, height: 200 }, 3)).toBe(false);
    expect(drawerOpenOnLoad({ open: true, height: 200 }, 3)).toBe(true);
  });

  it('opens on a trace without spans that has logs, whatever was left', () => {
    expect(drawerOpenOnLoad({ open: false, height: 200 }, 3, true)).toBe(true);
    expect(drawerOpenOnLoad({ open: null, height: 200 }, 0, true)).toBe(false);
  });

  it('leaves the waterfall room, but never goes below the minimum', () => {
    expect(drawerMax(800)).toBe(560);
    expect(drawerMax(100)).toBe(DRAWER_MIN);
  });
});

describe('span-name column width', () => {
  it('reads a stored width or the default', () => {
    expect(parseLabelWidth(null)).toBe(LABEL_DEFAULT);
    expect(parseLabelWidth('420')).toBe(420);
    expect(parseLabelWidth('wide')).toBe(LABEL_DEFAULT);
    expect(parseLabelWidth('-3')).toBe(LABEL_DEFAULT);
  });

  it('leaves the time track room', () => {
    expect(labelMax(1200)).toBe(960);
    expect(labelMax(300)).toBe(LABEL_MIN);
  });
});

describe('splitters', () => {
  it('clamps, the minimum winning an empty range', () => {
    expect(clamp(5, 0, 10)).toBe(5);
    expect(clamp(-1, 0, 10)).toBe(0);
    expect(clamp(11, 0, 10)).toBe(10);
    expect(clamp(50, 100, 80)).toBe(100);
  });

  it('follows a drag, inverted for a pane below the splitter', () => {
    const column = { min: 100, max: 500, step: 16 };
    expect(dragValue(300, 50, 90, column)).toBe(340);
    expect(dragValue(300, 50, 900, column)).toBe(500);
    const drawer = { min: 100, max: 500, step: 16, invert: true };
    // dragging up (clientY shrinks) grows the drawer
    expect(dragValue(200, 600, 540, drawer)).toBe(260);
    expect(dragValue(200, 600, 700, drawer)).toBe(100);
  });

  it('moves with the arrow keys, PageUp/PageDown in bigger steps, Home/End to the ends', () => {
    const column = { min: 100, max: 500, step: 16 };
    expect(splitterKey('ArrowRight', 300, column)).toBe(316);
    expect(splitterKey('ArrowLeft', 300, column)).toBe(284);
    expect(splitterKey('PageDown', 300, column)).toBe(364);
    expect(splitterKey('Home', 300, column)).toBe(100);
    expect(splitterKey('End', 300, column)).toBe(500);
    expect(splitterKey('ArrowRight', 495, column)).toBe(500);
    expect(splitterKey('Enter', 300, column)).toBeNull();
    expect(splitterKey('a', 300, column)).toBeNull();
    const drawer = { min: 100, max: 500, step: 24, invert: true };
    // ↑ moves the splitter up: the drawer below it grows
    expect(splitterKey('ArrowUp', 200, drawer)).toBe(224);
    expect(splitterKey('ArrowDown', 200, drawer)).toBe(176);
    expect(splitterKey('PageUp', 200, drawer)).toBe(296);
    expect(splitterKey('ArrowDown', 110, drawer)).toBe(100);
  });
});

describe('stored values', () => {
  it('reads and writes through the given storage', () => {
    const map = new Map<string, string>();
    const storage = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
    expect(readStored('k', storage)).toBeNull();
    writeStored('k', 'v', storage);
    expect(readStored('k', storage)).toBe('v');
  });

  it('treats failing storage as empty and forgets silently', () => {
    const broken = {
      getItem: (): string | null => {
        throw new Error('SecurityError');
      },
      setItem: (): void => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(readStored('k', broken)).toBeNull();
    expect(() => writeStored('k', 'v', broken)).not.toThrow();
  });
});

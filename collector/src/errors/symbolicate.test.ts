import { describe, expect, test, vi } from 'vitest';
import type { ErrorEvent } from '@faultline/proto';
import type { SourceFileContent, SourceFileKind } from '@faultline/storage';
import { exceptionsOf } from './fixtures/helpers.ts';
import { ORIGINAL, bundle, stackOf } from './fixtures/minified-bundle.ts';
import { groupingKey } from './grouping.ts';
import { Symbolicator, type SymbolicatorOptions } from './symbolicate.ts';

function eventOf(stack: string, release = '1.0.0'): ErrorEvent {
  return { exceptions: exceptionsOf(stack), release, message: '', fingerprint: [] } as unknown as ErrorEvent;
}

type Files = Record<string, { kind: SourceFileKind; content: string }>;

function setup(files: Files, opts: Partial<SymbolicatorOptions> & { withList?: boolean } = {}) {
  const load = vi.fn(async (_p: number, _r: string, names: string[]) => {
    const out = new Map<string, SourceFileContent>();
    for (const name of names) if (files[name]) out.set(name, files[name]);
    return out;
  });
  const list = vi.fn(async () => Object.entries(files).map(([name, f]) => ({ name, kind: f.kind })));
  const symbolicator = new Symbolicator(load, { cacheEntries: 10, ...(opts.withList === false ? {} : { list }), ...opts });
  return { symbolicator, load, list };
}

const URL_A = 'https://shop.example.com/static/js/app.min.js';
const topFrame = (event: ErrorEvent) => event.exceptions[0]!.frames.at(-1)!;

describe('Symbolicator', () => {
  test('rewrites file, function, line, column, context and in-app from the map', async () => {
    const b = bundle({ fn: 'a', caller: 'c' });
    const { symbolicator } = setup({ [`${URL_A}.map`]: { kind: 'source_map', content: b.map } });
    const event = eventOf(stackOf(b, URL_A));
    await symbolicator.symbolicate(1, [event]);
    const [vendor, caller, thrower] = event.exceptions[0]!.frames;
    expect(thrower).toMatchObject({ function: 'applyDiscount', filename: 'src/checkout.ts', absPath: 'webpack://shop/src/checkout.ts', lineno: 6, colno: 11, inApp: true });
    expect(thrower!.contextLine).toBe("    throw new RangeError('negative total');");
    expect(thrower!.preContext).toEqual(ORIGINAL.split('\n').slice(0, 5));
    expect(thrower!.postContext).toEqual(ORIGINAL.split('\n').slice(6, 11));
    expect(caller).toMatchObject({ function: 'checkout', filename: 'src/checkout.ts', lineno: 12, colno: 10 });
    expect(vendor).toMatchObject({ filename: 'vendor.js', lineno: 1, colno: 100 });
  });

  test('without sourcesContent the name comes from the caller\'s call token, else the reported name stays', async () => {
    const b = bundle({ fn: 'a', caller: 'c' });
    const map = JSON.parse(b.map) as Record<string, unknown>;
    delete map.sourcesContent;
    const { symbolicator } = setup({ [`${URL_A}.map`]: { kind: 'source_map', content: JSON.stringify(map) } });
    const event = eventOf(stackOf(b, URL_A));
    await symbolicator.symbolicate(1, [event]);
    const [, caller, thrower] = event.exceptions[0]!.frames;
    expect(thrower).toMatchObject({ function: 'applyDiscount', lineno: 6 });
    expect(thrower!.contextLine).toBeUndefined();
    expect(caller).toMatchObject({ function: 'c', lineno: 12 });
  });

  test('two builds with other names and columns group as one issue', async () => {
    const one = bundle({ fn: 'a', caller: 'c' });
    const two = bundle({ fn: 'o', caller: 'u', prefix: '"use strict";var q=1;' });
    const urlTwo = 'https://shop.example.com/static/js/app.9f8e7d6c.min.js';
    const { symbolicator } = setup({ [`${URL_A}.map`]: { kind: 'source_map', content: one.map }, [`${urlTwo}.map`]: { kind: 'source_map', content: two.map } });
    const a = eventOf(stackOf(one, URL_A, 'a', 'c'));
    const b = eventOf(stackOf(two, urlTwo, 'o', 'u'));
    expect(groupingKey(a).fingerprint).not.toBe(groupingKey(b).fingerprint);
    await symbolicator.symbolicate(1, [a, b]);
    expect(groupingKey(a).fingerprint).toBe(groupingKey(b).fingerprint);
  });

  test('finds the map under ~/path, by basename, via sourceMappingURL and inline', async () => {
    const b = bundle({ fn: 'a', caller: 'c' });
    const cases: Files[] = [
      { '~/static/js/app.min.js.map': { kind: 'source_map', content: b.map } },
      { '~/app.min.js.map': { kind: 'source_map', content: b.map } },
      {
        '~/static/js/app.min.js': { kind: 'minified_source', content: `${b.code}\n//# sourceMappingURL=maps/app.map` },
        '~/static/js/maps/app.map': { kind: 'source_map', content: b.map },
      },
      { [URL_A]: { kind: 'minified_source', content: `${b.code}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(b.map).toString('base64')}` } },
    ];
    for (const files of cases) {
      for (const withList of [true, false]) {
        if (!withList && Object.keys(files).some((n) => n === '~/app.min.js.map')) continue;
        const event = eventOf(stackOf(b, `${URL_A}?v=3`));
        await setup(files, { withList }).symbolicator.symbolicate(1, [event]);
        expect(topFrame(event), JSON.stringify(Object.keys(files))).toMatchObject({ filename: 'src/checkout.ts', lineno: 6 });
      }
    }
  });

  test('relative sources resolve against the map URL; dependencies and bundler runtime are not in-app', async () => {
    const b = bundle({ fn: 'a', caller: 'c', source: '../../node_modules/cart-lib/index.js' });
    const { symbolicator } = setup({ '~/static/js/app.min.js.map': { kind: 'source_map', content: b.map } });
    const event = eventOf(stackOf(b, URL_A));
    await symbolicator.symbolicate(1, [event]);
    expect(topFrame(event)).toMatchObject({
      absPath: 'https://shop.example.com/node_modules/cart-lib/index.js',
      filename: 'node_modules/cart-lib/index.js',
      module: 'cart-lib/index',
      inApp: false,
    });

    const runtime = bundle({ fn: 'a', caller: 'c', source: 'webpack://shop/webpack/bootstrap' });
    const other = setup({ [`${URL_A}.map`]: { kind: 'source_map', content: runtime.map } });
    const event2 = eventOf(stackOf(runtime, URL_A));
    await other.symbolicator.symbolicate(1, [event2]);
    expect(topFrame(event2).inApp).toBe(false);
  });

  test('broken maps, failing storage and events without a release leave frames as they were', async () => {
    const b = bundle({ fn: 'a', caller: 'c' });
    const before = eventOf(stackOf(b, URL_A));
    for (const content of ['{not json', JSON.stringify({ version: 2, mappings: '' }), JSON.stringify({ version: 3, sources: ['x.ts'], names: [], mappings: 'AKAA' })]) {
      const event = eventOf(stackOf(b, URL_A));
      await setup({ [`${URL_A}.map`]: { kind: 'source_map', content } }).symbolicator.symbolicate(1, [event]);
      expect(event.exceptions).toEqual(before.exceptions);
    }
    const onError = vi.fn();
    const failing = new Symbolicator(() => Promise.reject(new Error('storage down')), { cacheEntries: 4, onError });
    const event = eventOf(stackOf(b, URL_A));
    await expect(failing.symbolicate(1, [event])).resolves.toBeUndefined();
    expect(event.exceptions).toEqual(before.exceptions);
    expect(onError).toHaveBeenCalled();

    const { symbolicator, load, list } = setup({ [`${URL_A}.map`]: { kind: 'source_map', content: b.map } });
    const unreleased = eventOf(stackOf(b, URL_A), '');
    await symbolicator.symbolicate(1, [unreleased]);
    expect(unreleased.exceptions).toEqual(before.exceptions);
    expect(load).not.toHaveBeenCalled();
    expect(list).not.toHaveBeenCalled();
  });

  test('a burst parses each map once; misses are remembered for the lookup TTL only', async () => {
    const b = bundle({ fn: 'a', caller: 'c' });
    const files: Files = { [`${URL_A}.map`]: { kind: 'source_map', content: b.map } };
    let now = 1_000;
    const { symbolicator, load, list } = setup(files, { now: () => now, lookupTtlMs: 30_000 });
    const burst = Array.from({ length: 20 }, () => eventOf(stackOf(b, URL_A)));
    await Promise.all(burst.map((event) => symbolicator.symbolicate(1, [event])));
    expect(burst.every((event) => topFrame(event).function === 'applyDiscount')).toBe(true);
    expect(load).toHaveBeenCalledTimes(1);
    expect(list).toHaveBeenCalledTimes(1);

    const missing = 'https://shop.example.com/static/js/other.js';
    await symbolicator.symbolicate(1, [eventOf(stackOf(b, missing))]);
    await symbolicator.symbolicate(1, [eventOf(stackOf(b, missing))]);
    expect(load).toHaveBeenCalledTimes(1);
    files[`${missing}.map`] = { kind: 'source_map', content: b.map };
    now += 31_000;
    const late = eventOf(stackOf(b, missing));
    await symbolicator.symbolicate(1, [late]);
    expect(topFrame(late).filename).toBe('src/checkout.ts');
    expect(list).toHaveBeenCalledTimes(2);
  });
});

import { describe, expect, test } from 'vitest';
import { chromeTrace, firefoxTrace, nodeCauseTrace, nodeTrace, safariTrace } from './fixtures/traces.ts';
import { type FrameRow, rows } from './fixtures/helpers.ts';
import { parseStackTrace } from './stacktrace.ts';
import { parseV8Frame } from './stack-js.ts';

describe('V8 (Node)', () => {
  test('header, frames oldest first, in-app guesses', () => {
    const [error, ...rest] = parseStackTrace(nodeTrace(), { language: 'nodejs' });
    expect(rest).toEqual([]);
    expect(error?.type).toBe('TypeError');
    expect(error?.value).toBe("Cannot read properties of undefined (reading 'total') for cart 1842");
    expect(rows(error?.frames ?? [])).toEqual<FrameRow[]>([
      ['Module._compile', '', 'loader', 1376, 14, false],
      ['Object.<anonymous>', '', 'server.mjs', 12, 1, true],
      ['new Promise', '', '', null, null, false],
      ['Layer.handle [as handle_request]', 'express/lib/router/layer', 'layer.js', 95, 5, false],
      ['handleCheckout', '', 'checkout.js', 41, 19, true],
      ['CheckoutService.placeOrder', '', 'service.js', 88, 24, true],
      ['Array.map', '', '', null, null, false],
      ['computeTotal', '', 'totals.js', 27, 31, true],
    ]);
    expect(error?.frames.map((f) => f.absPath)).toEqual([
      'node:internal/modules/cjs/loader',
      '/srv/shop/src/server.mjs',
      '',
      '/srv/shop/node_modules/express/lib/router/layer.js',
      '/srv/shop/src/routes/checkout.js',
      '/srv/shop/src/checkout/service.js',
      '',
      '/srv/shop/src/cart/totals.js',
    ]);
  });

  test('[cause] blocks from util.inspect become a chain, cause first', () => {
    const chain = parseStackTrace(nodeCauseTrace());
    expect(chain.map((e) => [e.type, e.value])).toEqual([
      ['Error', 'connect ECONNREFUSED 10.0.3.7:5432'],
      ['Error', 'checkout failed'],
    ]);
    expect(rows(chain[0]?.frames ?? [])).toEqual<FrameRow[]>([
      ['Pool.connect', 'pg-pool/index', 'index.js', 45, 11, false],
      ['TCPConnectWrap.afterConnect [as oncomplete]', '', 'node:net', 1555, 16, false],
    ]);
    expect(rows(chain[1]?.frames ?? [])).toEqual<FrameRow[]>([
      ['handler', '', 'routes.mjs', 12, 5, true],
      ['placeOrder', '', 'checkout.mjs', 30, 11, true],
    ]);
  });

  test.each<[string, FrameRow, string]>([
    ['fn (/a/b.js:1:2)', ['fn', '', 'b.js', 1, 2, true], '/a/b.js'],
    ['/srv/app/index.js:7:3', ['', '', 'index.js', 7, 3, true], '/srv/app/index.js'],
    ['async Promise.all (index 0)', ['Promise.all', '', '', null, null, false], ''],
    // top-level await in an ES module: no function, `async` before the location
    ['async /app/src/router.js:9:1', ['', '', 'router.js', 9, 1, true], '/app/src/router.js'],
    ['async file:///app/src/main%20v2.mjs:32:40', ['', '', 'main v2.mjs', 32, 40, true], '/app/src/main v2.mjs'],
    ['async node:internal/modules/esm/loader:647:26', ['', '', 'loader', 647, 26, false], 'node:internal/modules/esm/loader'],
    ['new Cart (file:///srv/app/cart%20v2.mjs:10:11)', ['new Cart', '', 'cart v2.mjs', 10, 11, true], '/srv/app/cart v2.mjs'],
    ['Page (/app/(shop)/page.js:4:9)', ['Page', '', 'page.js', 4, 9, true], '/app/(shop)/page.js'],
    ['eval (eval at compile (/srv/app/tpl.js:3:9), <anonymous>:1:1)', ['eval', '', 'tpl.js', 3, 9, true], '/srv/app/tpl.js'],
    ['emitTwo (events.js:126:13)', ['emitTwo', '', 'events.js', 126, 13, false], 'events.js'],
    [
      'Module._compile (internal/modules/cjs/loader.js:1063:30)',
      ['Module._compile', '', 'loader.js', 1063, 30, false],
      'internal/modules/cjs/loader.js',
    ],
    ['C:\\app\\src\\main.js:5:1', ['', '', 'main.js', 5, 1, true], 'C:\\app\\src\\main.js'],
    [
      'handle (webpack-internal:///./node_modules/react-dom/cjs/react-dom.development.js:4164:14)',
      ['handle', 'react-dom/cjs/react-dom.development', 'react-dom.development.js', 4164, 14, false],
      'webpack-internal:///./node_modules/react-dom/cjs/react-dom.development.js',
    ],
  ])('frame %s', (body, expected, absPath) => {
    const frame = parseV8Frame(body);
    expect(frame && rows([frame])[0]).toEqual(expected);
    expect(frame?.absPath).toBe(absPath);
  });

  test('Node error codes stay out of the type', () => {
    const [error] = parseStackTrace(`Error [ERR_HTTP_HEADERS_SENT]: Cannot set headers after they are sent to the client
    at ServerResponse.setHeader (node:_http_outgoing:659:11)
    at sendJson (/srv/app/src/reply.js:9:7)`);
    expect([error?.type, error?.value]).toEqual(['Error', 'Cannot set headers after they are sent to the client']);
  });

  test('multi-line messages stay in the value', () => {
    const [error] = parseStackTrace(`ValidationError: invalid order
  - quantity must be positive
  - sku is required
    at validate (/srv/app/src/validate.js:20:11)`);
    expect(error?.type).toBe('ValidationError');
    expect(error?.value).toBe('invalid order\n  - quantity must be positive\n  - sku is required');
    expect(error?.frames).toHaveLength(1);
  });
});

describe('Chrome / Edge', () => {
  test('URL frames, anonymous frames, query strings', () => {
    const [error] = parseStackTrace(chromeTrace(), { language: 'webjs' });
    expect(error?.type).toBe('TypeError');
    expect(rows(error?.frames ?? [])).toEqual<FrameRow[]>([
      ['HTMLDocument.<anonymous>', '', 'main.3f2a1c9b.js', 1, 4410, true],
      ['', '', 'main.3f2a1c9b.js', 2, 19011, true],
      ['initCart', '', 'main.3f2a1c9b.js', 2, 18342, true],
    ]);
    expect(error?.frames[0]?.absPath).toBe('https://shop.example.com/static/js/main.3f2a1c9b.js?v=2');
  });

  test('browser extensions are not the app', () => {
    const [error] = parseStackTrace(`Error: boom
    at inject (chrome-extension://abcdefghijklmnop/content.js:1:200)
    at start (https://shop.example.com/app.js:3:4)`);
    expect(error?.frames.map((f) => f.inApp)).toEqual([true, false]);
  });
});

describe('Firefox and Safari', () => {
  test('Firefox: no header, async marker dropped, closure marker kept', () => {
    const [error] = parseStackTrace(firefoxTrace(), { language: 'webjs' });
    expect([error?.type, error?.value]).toEqual(['', '']);
    expect(rows(error?.frames ?? [])).toEqual<FrameRow[]>([
      ['', '', 'main.3f2a1c9b.js', 3, 12, true],
      ['bootstrap', '', 'main.3f2a1c9b.js', 2, 20110, true],
      ['setup/<', '', 'main.3f2a1c9b.js', 2, 19011, true],
      ['initCart', '', 'main.3f2a1c9b.js', 2, 18342, true],
    ]);
  });

  test('Safari: global code and native frames', () => {
    const [error] = parseStackTrace(safariTrace());
    expect(rows(error?.frames ?? [])).toEqual<FrameRow[]>([
      ['global code', '', 'main.3f2a1c9b.js', 3, 12, true],
      ['forEach', '', '', null, null, false],
      ['initCart', '', 'main.3f2a1c9b.js', 2, 18342, true],
    ]);
  });

  test('Firefox eval frames point at the eval call site; a prepended header is used', () => {
    const [error] = parseStackTrace(`SyntaxError: unexpected token
render@https://shop.example.com/js/app.js line 12 > eval:1:5
@https://shop.example.com/js/app.js:30:1`);
    expect([error?.type, error?.value]).toEqual(['SyntaxError', 'unexpected token']);
    expect(rows(error?.frames ?? [])).toEqual<FrameRow[]>([
      ['', '', 'app.js', 30, 1, true],
      ['render', '', 'app.js', 12, null, true],
    ]);
  });

  test('an email address in a message is not a frame', () => {
    const [error] = parseStackTrace('Error: could not notify ops@example.com\nsend@https://x.example/app.js:1:1');
    expect(error?.value).toBe('could not notify ops@example.com');
    expect(error?.frames).toHaveLength(1);
  });
});

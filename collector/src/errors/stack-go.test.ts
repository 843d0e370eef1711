import { describe, expect, test } from 'vitest';
import { goExplicitPanic, goPanicTrace } from './fixtures/traces.ts';
import { type FrameRow, rows } from './fixtures/helpers.ts';
import { parseStackTrace } from './stacktrace.ts';
import { splitGoFunction } from './stack-go.ts';

describe('Go goroutine dumps', () => {
  test('runtime error panic: first goroutine only, packages split off, stdlib not in app', () => {
    const [error, ...rest] = parseStackTrace(goPanicTrace(), { language: 'go' });
    expect(rest).toEqual([]);
    expect([error?.type, error?.value]).toEqual(['runtime.Error', 'invalid memory address or nil pointer dereference']);
    expect(rows(error?.frames ?? [])).toEqual<FrameRow[]>([
      ['(*Server).Serve', 'net/http', 'server.go', 3285, null, false],
      ['serverHandler.ServeHTTP', 'net/http', 'server.go', 3137, null, false],
      ['HandlerFunc.ServeHTTP', 'net/http', 'server.go', 2166, null, false],
      ['(*Server).handleCheckout.func1', 'github.com/acme/shop/internal/api', 'checkout.go', 88, null, true],
      ['(*Cart).Total', 'github.com/acme/shop/internal/cart', 'cart.go', 57, null, true],
    ]);
    expect(error?.frames[4]?.absPath).toBe('/src/shop/internal/cart/cart.go');
  });

  test('explicit panic, recovered and re-panicked; trailing output ignored', () => {
    const [error] = parseStackTrace(goExplicitPanic());
    expect([error?.type, error?.value]).toEqual(['panic', 'order 17 not found']);
    expect(rows(error?.frames ?? [])).toEqual<FrameRow[]>([
      ['main', 'main', 'main.go', 30, null, true],
      ['mustFind', 'main', 'main.go', 23, null, true],
      ['panic', '', 'panic.go', 770, null, false],
    ]);
  });

  test('debug.Stack() output without a panic header; module cache is not the app', () => {
    const [error] = parseStackTrace(`goroutine 7 [running]:
runtime/debug.Stack()
\t/usr/local/go/src/runtime/debug/stack.go:26 +0x5e
github.com/gin-gonic/gin.(*Context).Next(...)
\t/root/go/pkg/mod/github.com/gin-gonic/gin@v1.9.1/context.go:174
shop/internal/api.(*Handler).Create(0xc000120000, 0xc000312000)
\t/srv/shop/internal/api/handler.go:61 +0x1c5
`);
    expect([error?.type, error?.value]).toEqual(['', '']);
    expect(rows(error?.frames ?? [])).toEqual<FrameRow[]>([
      ['(*Handler).Create', 'shop/internal/api', 'handler.go', 61, null, true],
      ['(*Context).Next', 'github.com/gin-gonic/gin', 'context.go', 174, null, false],
      ['Stack', 'runtime/debug', 'stack.go', 26, null, false],
    ]);
  });

  test('fatal errors', () => {
    const [error] = parseStackTrace(`fatal error: concurrent map writes

goroutine 12 [running]:
main.(*Cache).Put(...)
\t/app/cache.go:40 +0x65
`);
    expect([error?.type, error?.value]).toEqual(['fatal error', 'concurrent map writes']);
    expect(error?.frames.map((f) => f.function)).toEqual(['(*Cache).Put']);
  });

  test.each([
    ['main.main', 'main', 'main'],
    ['net/http.(*conn).serve', 'net/http', '(*conn).serve'],
    ['github.com/acme/shop/cart.(*Cart).Add.func1.2', 'github.com/acme/shop/cart', '(*Cart).Add.func1.2'],
    ['gopkg.in/yaml%2ev3.Unmarshal', 'gopkg.in/yaml.v3', 'Unmarshal'],
    ['panic', '', 'panic'],
  ])('%s', (name, pkg, fn) => {
    expect(splitGoFunction(name)).toEqual({ pkg, fn });
  });
});

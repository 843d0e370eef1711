import { describe, expect, test } from 'vitest';
import { PYTHON_DURING_HANDLING, pythonChainedTrace, pythonTrace } from './fixtures/traces.ts';
import { type FrameRow, rows } from './fixtures/helpers.ts';
import { parseStackTrace } from './stacktrace.ts';
import { pythonModule } from './stack-python.ts';

describe('Python tracebacks', () => {
  test('frames in order, modules from paths, source lines as context, 3.11 carets skipped', () => {
    const [error, ...rest] = parseStackTrace(pythonTrace(), { language: 'python' });
    expect(rest).toEqual([]);
    expect([error?.type, error?.value]).toEqual(['shop.orders.OrderError', 'cart 8812 is empty']);
    expect(rows(error?.frames ?? [])).toEqual<FrameRow[]>([
      ['full_dispatch_request', 'flask.app', 'app.py', 880, null, false],
      ['checkout', '', 'views.py', 42, null, true],
      ['place_order', 'shop.orders', 'orders.py', 17, null, true],
    ]);
    expect(error?.frames.map((f) => f.contextLine)).toEqual([
      'rv = self.dispatch_request()',
      'order = place_order(cart_id)',
      'raise OrderError(f"cart {cart_id} is empty")',
    ]);
    expect(error?.frames[0]?.absPath).toBe('/app/.venv/lib/python3.12/site-packages/flask/app.py');
  });

  test('"direct cause" chain: cause first, stdlib frames not in app', () => {
    const chain = parseStackTrace(pythonChainedTrace());
    expect(chain.map((e) => [e.type, e.value])).toEqual([
      ['KeyError', "'u-1842'"],
      ['LookupError', 'user u-1842 missing'],
    ]);
    expect(rows(chain[0]?.frames ?? [])).toEqual<FrameRow[]>([['load_user', '', 'db.py', 31, null, true]]);
    expect(rows(chain[1]?.frames ?? [])).toEqual<FrameRow[]>([
      ['run', 'threading', 'threading.py', 1010, null, false],
      ['handle', '', 'worker.py', 55, null, true],
      ['load_user', '', 'db.py', 33, null, true],
    ]);
  });

  test('"during handling" chain with a frozen importlib frame', () => {
    const chain = parseStackTrace(PYTHON_DURING_HANDLING);
    expect(chain.map((e) => e.type)).toEqual(['ValueError', 'NameError']);
    expect(chain[0]?.value).toBe("invalid literal for int() with base 10: 'abc'");
    expect(rows(chain[1]?.frames ?? [])).toEqual<FrameRow[]>([
      ['<module>', '', 'sync.py', 14, null, true],
      ['_find_and_load', '', '<frozen importlib._bootstrap>', 1360, null, false],
    ]);
  });

  test('a cause without traceback (raise … from Error())', () => {
    const chain = parseStackTrace(`ConnectionError: upstream 502

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/srv/api/client.py", line 40, in fetch
    raise RetryError("giving up") from ConnectionError("upstream 502")
  [Previous line repeated 2 more times]
RetryError: giving up
`);
    expect(chain.map((e) => [e.type, e.value, e.frames.length])).toEqual([
      ['ConnectionError', 'upstream 502', 0],
      ['RetryError', 'giving up', 1],
    ]);
  });

  test.each([
    ['/usr/lib/python3.12/json/decoder.py', 'json.decoder'],
    ['/usr/local/lib/python3.11/dist-packages/requests/__init__.py', 'requests'],
    ['C:\\Python312\\Lib\\site-packages\\django\\db\\models\\query.py', 'django.db.models.query'],
    ['C:\\Python312\\Lib\\asyncio\\runners.py', 'asyncio.runners'],
    ['shop/orders.py', 'shop.orders'],
    ['./manage.py', 'manage'],
    ['/app/shop/views.py', ''],
    ['<string>', ''],
    ['../other/x.py', ''],
  ])('module of %s is %j', (path, module) => {
    expect(pythonModule(path)).toBe(module);
  });
});

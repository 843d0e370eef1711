import { describe, expect, test } from 'vitest';
import * as traces from './fixtures/traces.ts';
import { eventOf, frame } from './fixtures/helpers.ts';
import { type GroupingInput, groupingKey } from './grouping.ts';

const fp = (event: GroupingInput): string => groupingKey(event).fingerprint;

describe('anonymous functions', () => {
  const anon = (message: string, line: number): GroupingInput => ({
    exceptions: [{ type: 'Error', value: message, module: '', frames: [frame({ filename: 'app.js', function: '?', lineno: line }), frame({ filename: 'app.js', function: '<anonymous>', lineno: 90 })] }],
    message: '',
    fingerprint: [],
  });

  test('errors thrown in anonymous functions of one file are told apart by their message, not their line', () => {
    expect(fp(anon('Cart total is NaN', 10))).not.toBe(fp(anon('Unhandled promise rejection: timeout', 10)));
    // Same message template (ids and numbers normalised), moved code: still one issue.
    expect(fp(anon('Order 1234 failed', 10))).toBe(fp(anon('Order 98 failed', 14)));
  });

  test('a named in-app frame keeps grouping by the stack alone', () => {
    const named = (message: string): GroupingInput => ({ ...anon(message, 10), exceptions: [{ ...anon(message, 10).exceptions[0]!, frames: [frame({ filename: 'app.js', function: 'checkout', lineno: 10 })] }] });
    expect(fp(named('first message'))).toBe(fp(named('a different message')));
  });
});

describe('same bug → same group', () => {
  test.each<[string, GroupingInput, GroupingInput]>([
    ['Node: other id, code moved', eventOf(traces.nodeTrace({ id: 1 })), eventOf(traces.nodeTrace({ id: 99, shift: 7 }))],
    ['Node cause: other address', eventOf(traces.nodeCauseTrace()), eventOf(traces.nodeCauseTrace({ id: '10.0.9.12' }))],
    [
      'Chrome: new build hash, columns moved',
      eventOf(traces.chromeTrace()),
      eventOf(traces.chromeTrace({ id: 'buy', hash: 'a91c07d2', shift: 311 })),
    ],
    ['Firefox: new build hash', eventOf(traces.firefoxTrace()), eventOf(traces.firefoxTrace({ hash: '0b7e4c11', shift: 20 }))],
    ['Safari: new build hash', eventOf(traces.safariTrace()), eventOf(traces.safariTrace({ hash: '77e0aa19' }))],
    ['Python: other id, code moved', eventOf(traces.pythonTrace({ id: 1 })), eventOf(traces.pythonTrace({ id: 52311, shift: 3 }))],
    ['Python chain: other user', eventOf(traces.pythonChainedTrace()), eventOf(traces.pythonChainedTrace({ id: 'u-7', shift: -2 }))],
    ['Java: other order, lambda renumbered', eventOf(traces.javaTrace()), eventOf(traces.javaTrace({ id: 1, shift: 5, hash: '87' }))],
    ['Go: other address, code moved', eventOf(traces.goPanicTrace()), eventOf(traces.goPanicTrace({ id: 0x40, shift: 12 }))],
    ['Go: other panic value', eventOf(traces.goExplicitPanic()), eventOf(traces.goExplicitPanic({ id: 934 }))],
    [
      '.NET: other order, state machine renumbered',
      eventOf(traces.dotnetTrace()),
      eventOf(traces.dotnetTrace({ id: 9, shift: 4, hash: '11' })),
    ],
    [
      'Node ESM: top-level await frames of the runtime above the same throw',
      eventOf('Error: boom\n    at main (file:///app/job.mjs:32:40)\n    at async file:///app/job.mjs:40:1'),
      eventOf(
        'Error: boom\n    at main (file:///app/job.mjs:32:40)\n    at async file:///app/job.mjs:40:1\n' +
          '    at async ModuleJob.run (node:internal/modules/esm/module_job:271:25)\n    at async node:internal/modules/esm/loader:647:26',
      ),
    ],
  ])('%s', (_name, a, b) => {
    expect(fp(a)).toBe(fp(b));
    expect(fp(a)).toMatch(/^[0-9a-f]{32}$/);
  });

  test('recursion depth does not matter', () => {
    const walk = (depth: number): GroupingInput => ({
      exceptions: [
        {
          type: 'RangeError',
          value: 'Maximum call stack size exceeded',
          module: '',
          frames: [
            frame({ function: 'main', filename: 'tree.js' }),
            ...Array.from({ length: depth }, () => frame({ function: 'walk', filename: 'tree.js' })),
          ],
        },
      ],
      message: '',
      fingerprint: [],
    });
    expect(fp(walk(3))).toBe(fp(walk(9000)));
    expect(groupingKey(walk(3)).components).toEqual(['type=RangeError', 'frame=tree.js|main', 'frame=tree.js|walk']);
  });

  test('dependency frames do not matter when there are in-app frames', () => {
    const withRouter = eventOf(traces.nodeTrace());
    const without = eventOf(traces.nodeTrace().replace(/\n {4}at async Layer\.handle.*$/m, ''));
    expect(fp(withRouter)).toBe(fp(without));
  });
});

describe('different bug → different group', () => {
  test.each<[string, GroupingInput, GroupingInput]>([
    ['Node: other exception type', eventOf(traces.nodeTrace()), eventOf(traces.nodeTrace(), { type: 'RangeError' })],
    ['Node: other throw site', eventOf(traces.nodeTrace()), eventOf(traces.nodeTrace().replace('computeTotal', 'computeTax'))],
    ['Chrome: other file', eventOf(traces.chromeTrace()), eventOf(traces.chromeTrace().replaceAll('main.', 'admin.'))],
    ['Python: other exception type', eventOf(traces.pythonTrace()), eventOf(traces.pythonTrace(), { type: 'shop.orders.PaymentError' })],
    ['Python: other caller', eventOf(traces.pythonTrace()), eventOf(traces.pythonTrace().replace('in checkout', 'in reorder'))],
    [
      'Python chain: other cause',
      eventOf(traces.pythonChainedTrace()),
      eventOf(traces.pythonChainedTrace().replace('KeyError', 'IndexError')),
    ],
    [
      'Java: other throw site',
      eventOf(traces.javaTrace()),
      eventOf(traces.javaTrace().replace('PaymentService.charge', 'PaymentService.refund')),
    ],
    [
      'Java: other cause type',
      eventOf(traces.javaTrace()),
      eventOf(traces.javaTrace().replace('SQLTransientConnectionException', 'SQLSyntaxErrorException')),
    ],
    ['Go: other function', eventOf(traces.goPanicTrace()), eventOf(traces.goPanicTrace().replace('(*Cart).Total', '(*Cart).Tax'))],
    [
      '.NET: other inner exception',
      eventOf(traces.dotnetTrace()),
      eventOf(traces.dotnetTrace().replace('Npgsql.PostgresException', 'System.TimeoutException')),
    ],
    [
      'Go: runtime error vs panic',
      eventOf(traces.goExplicitPanic()),
      eventOf(traces.goExplicitPanic().replaceAll('panic: order', 'panic: runtime error: order')),
    ],
  ])('%s', (_name, a, b) => {
    expect(fp(a)).not.toBe(fp(b));
  });
});

describe('strategies and components', () => {
  test('in-app frames of every exception in the chain, types included, no line numbers', () => {
    const key = groupingKey(eventOf(traces.pythonChainedTrace()));
    expect(key.strategy).toBe('in_app');
    expect(key.components).toEqual([
      'type=KeyError',
      'frame=db.py|load_user',
      'type=LookupError',
      'frame=worker.py|handle',
      'frame=db.py|load_user',
    ]);
  });

  test('modules win over file names; generated JVM names are normalised', () => {
    const key = groupingKey(eventOf(traces.javaTrace()));
    expect(key.components.slice(0, 5)).toEqual([
      'type=java.sql.SQLTransientConnectionException',
      'frame=com.acme.shop.checkout.CheckoutController|pay',
      'frame=com.acme.shop.checkout.CheckoutController|lambda$pay',
      'frame=com.acme.shop.payment.PaymentService|charge',
      'frame=com.acme.shop.payment.PaymentRepository|lock',
    ]);
  });

  test('no in-app frames → all frames, noise dropped', () => {
    const event: GroupingInput = {
      exceptions: [
        {
          type: 'Error',
          value: 'socket hang up',
          module: '',
          frames: [
            frame({ function: 'emit', absPath: 'node:events', filename: 'node:events', inApp: false }),
            frame({ function: '', filename: '', inApp: false }),
            frame({ function: 'onClose', module: 'undici/lib/client', filename: 'client.js', inApp: false }),
          ],
        },
      ],
      message: '',
      fingerprint: [],
    };
    const key = groupingKey(event);
    expect(key.strategy).toBe('all_frames');
    expect(key.components).toEqual(['type=Error', 'frame=node:events|emit', 'frame=undici/lib/client|onClose']);
  });

  test('no frames → type and normalised value; other types stay apart', () => {
    const timeout = (ms: number, type = 'TimeoutError'): GroupingInput => ({
      exceptions: [{ type, value: `query took ${ms}ms on 10.1.2.3`, module: '', frames: [] }],
      message: '',
      fingerprint: [],
    });
    const key = groupingKey(timeout(3000));
    expect(key.strategy).toBe('message');
    expect(key.components).toEqual(['type=TimeoutError', 'value=query took <num>ms on <ip>']);
    expect(fp(timeout(3000))).toBe(fp(timeout(45)));
    expect(fp(timeout(3000))).not.toBe(fp(timeout(3000, 'AbortError')));
  });

  test('no exception → normalised message', () => {
    const log = (message: string): GroupingInput => ({ exceptions: [], message, fingerprint: [] });
    const key = groupingKey(log('Payment 8812 for jane@example.com failed at 2024-05-01T12:00:00Z'));
    expect(key).toMatchObject({ strategy: 'message', components: ['message=Payment <num> for <email> failed at <date>'] });
    expect(fp(log('Payment 8812 for jane@example.com failed at 2024-05-01T12:00:00Z'))).toBe(
      fp(log('Payment 17 for bob@example.org failed at 2025-01-31T23:59:59.999+01:00')),
    );
    expect(fp(log('Payment 8812 failed'))).not.toBe(fp(log('Refund 8812 failed')));
  });

  test('huge and hostile frames stay cheap', () => {
    const frames = Array.from({ length: 10_000 }, (_, i) =>
      frame({
        function: `lambda$${'$1'.repeat(500)}x${i}`,
        module: `${'a$$Lambda$1/'.repeat(200)}`,
        filename: `${'a.1.2-'.repeat(500)}.js`,
      }),
    );
    const started = performance.now();
    groupingKey({ exceptions: [{ type: 'E', value: '1 '.repeat(100_000), module: '', frames }], message: '', fingerprint: [] });
    expect(performance.now() - started).toBeLessThan(3000);
  });

  test('stable across runs (the hash is part of stored data)', () => {
    expect(groupingKey({ exceptions: [], message: 'hello', fingerprint: [] }).fingerprint).toBe('293bc662b1766b12804b47200978b34c');
  });
});

describe('explicit fingerprints', () => {
  test('a fingerprint replaces the default grouping', () => {
    const a = eventOf(traces.nodeTrace(), { fingerprint: ['payments', 'timeout'] });
    const b = eventOf(traces.pythonTrace(), { fingerprint: ['payments', 'timeout'] });
    expect(groupingKey(a)).toEqual({
      fingerprint: fp(b),
      components: ['fingerprint=payments', 'fingerprint=timeout'],
      strategy: 'fingerprint',
    });
  });

  test('{{ default }} alone is the default grouping', () => {
    for (const variable of ['{{ default }}', '{{default}}', '{{  Default }}']) {
      const key = groupingKey(eventOf(traces.javaTrace(), { fingerprint: [variable] }));
      expect(key.fingerprint).toBe(fp(eventOf(traces.javaTrace())));
      expect(key.strategy).toBe('fingerprint');
    }
  });

  test('{{ default }} plus a value splits default groups by that value', () => {
    const tenant = (name: string, id = 1): GroupingInput => eventOf(traces.nodeTrace({ id }), { fingerprint: ['{{ default }}', name] });
    const key = groupingKey(tenant('acme'));
    expect(key.components[0]).toBe('type=TypeError');
    expect(key.components.at(-1)).toBe('fingerprint=acme');
    expect(fp(tenant('acme'))).toBe(fp(tenant('acme', 2)));
    expect(fp(tenant('acme'))).not.toBe(fp(tenant('globex')));
    expect(fp(tenant('acme'))).not.toBe(fp(eventOf(traces.nodeTrace())));
  });
});

import { describe, expect, test } from 'vitest';
import * as traces from './fixtures/traces.ts';
import { exceptionsOf, frame } from './fixtures/helpers.ts';
import { culpritOf, issueTitle } from './titles.ts';

describe('issueTitle', () => {
  test.each([
    [
      'Node',
      traces.nodeTrace(),
      "TypeError: Cannot read properties of undefined (reading 'total') for cart 1842",
      'computeTotal(cart/totals.js)',
    ],
    [
      'Chrome',
      traces.chromeTrace(),
      expect.stringMatching(/^TypeError: Cannot read properties of null/),
      'initCart(static/js/main.3f2a1c9b.js)',
    ],
    ['Python', traces.pythonTrace(), 'shop.orders.OrderError: cart 8812 is empty', 'shop.orders in place_order'],
    ['Python, app file without module', traces.pythonChainedTrace(), 'LookupError: user u-1842 missing', 'shop/db.py in load_user'],
    [
      'Java',
      traces.javaTrace(),
      'java.lang.IllegalStateException: Order 4711 cannot be paid',
      'com.acme.shop.payment.PaymentService in charge',
    ],
    [
      'Go',
      traces.goPanicTrace(),
      'runtime.Error: invalid memory address or nil pointer dereference',
      'github.com/acme/shop/internal/cart in (*Cart).Total',
    ],
  ])('%s', (_name, text, title, culprit) => {
    expect(issueTitle({ exceptions: exceptionsOf(text), message: '' })).toMatchObject({ title, culprit });
  });

  test('the caught exception names the issue, not its cause', () => {
    const result = issueTitle({ exceptions: exceptionsOf(traces.javaTrace()), message: '' });
    expect([result.type, result.value]).toEqual(['java.lang.IllegalStateException', 'Order 4711 cannot be paid']);
  });

  test('long values are cut in the title only; only the first line counts', () => {
    const value = `${'x'.repeat(300)}\nsecond line`;
    const result = issueTitle({ exceptions: [{ type: 'Error', value, module: '', frames: [] }], message: '' });
    expect(result.value).toBe('x'.repeat(300));
    expect(result.title).toBe(`Error: ${'x'.repeat(99)}…`);
    expect(result.culprit).toBe('');
  });

  test('missing type and value', () => {
    const bare = issueTitle({ exceptions: exceptionsOf(traces.firefoxTrace()), message: '' });
    expect(bare).toMatchObject({ title: 'Error', type: 'Error', value: '', culprit: 'initCart(static/js/main.3f2a1c9b.js)' });
    const typeless = issueTitle({ exceptions: [{ type: '', value: 'checkout broke', module: '', frames: [] }], message: '' });
    expect(typeless.title).toBe('Error: checkout broke');
  });

  test('a Sentry message sent with its stack trace (an exception without a type) is named by the message', () => {
    const frames = exceptionsOf(traces.nodeTrace()).at(-1)?.frames ?? [];
    const event = issueTitle({ exceptions: [{ type: '', value: 'checkout broke', module: '', frames }], message: 'checkout broke' });
    expect(event).toEqual({ title: 'checkout broke', culprit: 'computeTotal(cart/totals.js)', type: '', value: 'checkout broke' });
  });

  test('message events', () => {
    expect(issueTitle({ exceptions: [], message: '  disk almost full on db-1\n details' })).toEqual({
      title: 'disk almost full on db-1',
      culprit: '',
      type: '',
      value: 'disk almost full on db-1',
    });
    expect(issueTitle({ exceptions: [], message: '' }).title).toBe('<unlabeled event>');
  });

  test('culprit falls back to the newest frame when none is in-app, and to the cause when the caught one has no frames', () => {
    const system = frame({ function: 'emit', absPath: 'node:events', filename: 'node:events', inApp: false });
    expect(issueTitle({ exceptions: [{ type: 'Error', value: 'x', module: '', frames: [system] }], message: '' }).culprit).toBe(
      'emit(node:events)',
    );
    const cause = { type: 'KeyError', value: 'k', module: '', frames: [frame({ function: 'load', module: 'shop.db' })] };
    const outer = { type: 'LookupError', value: 'k', module: '', frames: [] };
    expect(issueTitle({ exceptions: [cause, outer], message: '' }).culprit).toBe('shop.db in load');
  });
});

describe('culpritOf', () => {
  test.each([
    [frame({ function: 'async handleCheckout', absPath: '/srv/shop/src/routes/checkout.js' }), 'handleCheckout(routes/checkout.js)'],
    [frame({ function: '', absPath: 'https://shop.example.com/app.js?v=3' }), '?(app.js)'],
    [frame({ function: 'render', absPath: 'webpack-internal:///./src/App.tsx' }), 'render(./src/App.tsx)'],
    [frame({ function: 'run', module: 'com.acme.Job' }), 'com.acme.Job in run'],
    [frame({ function: 'main', absPath: '/opt/tools/sync.py' }), 'tools/sync.py in main'],
    [frame({ function: 'tick' }), 'tick'],
    // @sentry/node sends a module made from an application file's path: the file reads better
    [frame({ function: 'fetchInventory', module: 'lib', filename: '/srv/app/lib.mjs', absPath: '/srv/app/lib.mjs', inApp: true }), 'fetchInventory(app/lib.mjs)'],
    [frame({ function: 'Timeout.explode [as _onTimeout]', absPath: '/srv/app/jobs.js', inApp: true }), 'Timeout.explode(app/jobs.js)'],
    // a dependency's frame keeps its module
    [frame({ function: 'query', module: 'pg.lib:client', absPath: '/srv/node_modules/pg/lib/client.js', inApp: false }), 'pg.lib:client in query'],
  ])('%#', (input, expected) => {
    expect(culpritOf(input)).toBe(expected);
  });
});

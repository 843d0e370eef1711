import { describe, expect, test } from 'vitest';
import { normalizeFilename, normalizeFunction, normalizeMessage, normalizeModule } from './normalize.ts';

describe('normalizeMessage', () => {
  test.each([
    ['Order 4711 not found', 'Order <num> not found'],
    ['order_1234 failed after 3 retries (30004ms)', 'order_<num> failed after <num> retries (<num>ms)'],
    ["cart '8812' is empty", "cart '<num>' is empty"],
    ['user "42" has no "email"', 'user "<num>" has no "email"'],
    ['job 3f2a1c9b-77aa-4c1e-9d2b-0123456789ab timed out', 'job <uuid> timed out'],
    ['object 5f1d7a9e2c3b4a6d missing', 'object <hex> missing'],
    ['pointer 0x7ffd1c2a', 'pointer <hex>'],
    ['no mailbox for jane.doe+shop@example.co.uk', 'no mailbox for <email>'],
    ['connect ECONNREFUSED 10.0.3.7:5432', 'connect ECONNREFUSED <ip>'],
    ['dial tcp [2001:db8::1]:443: i/o timeout', 'dial tcp [<ip>]:<num>: i/o timeout'],
    ['dial tcp [fe80:0:0:0:202:b3ff:fe1e:8329]: refused', 'dial tcp [<ip>]: refused'],
    ['token expired at 2024-05-01T12:30:45.123Z', 'token expired at <date>'],
    ['batch from 2024-05-01 12:30:45+02:00 rejected', 'batch from <date> rejected'],
    ['report for 2024-05-01 missing', 'report for <date> missing'],
    ['took 12:30:45 to run', 'took <time> to run'],
    ['  multi\n  line\tmessage  ', 'multi line message'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeMessage(input)).toBe(expected);
  });

  test('words that only look numeric stay', () => {
    expect(normalizeMessage('utf8 decode failed in base64 http2 stream, deadbeef std::vector')).toBe(
      'utf8 decode failed in base64 http2 stream, deadbeef std::vector',
    );
  });

  test('very long messages are cut before normalising', () => {
    expect(normalizeMessage(`x${'a'.repeat(5000)}`).length).toBe(1024);
  });
});

describe('normalizeFilename', () => {
  test.each([
    ['https://shop.example.com/static/js/main.3f2a1c9b.js?v=2#x', 'main.js'],
    ['/static/js/2.8e1d2f0a.chunk.js', '2.chunk.js'],
    ['https://cdn.example.com/assets/index-BmX3kP9a.js', 'index.js'],
    ['app.3f2a1c.js', 'app.js'],
    ['jquery-3.7.1.min.js', 'jquery.min.js'],
    ['checkout-form.js', 'checkout-form.js'],
    ['a1b2c3d4.js', 'a1b2c3d4.js'],
    ['C:\\app\\src\\main.js', 'main.js'],
    ['/srv/app/src/routes/checkout.ts', 'checkout.ts'],
    ['node:internal/modules/cjs/loader', 'loader'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalizeFilename(input)).toBe(expected);
  });
});

describe('normalizeFunction', () => {
  test.each([
    ['Object.<anonymous>', ''],
    ['<anonymous>', ''],
    ['async handleCheckout', 'handleCheckout'],
    ['async*bootstrap', 'bootstrap'],
    ['Layer.handle [as handle_request]', 'Layer.handle'],
    ['HTMLDocument.<anonymous>', 'HTMLDocument'],
    ['setup/</<', 'setup'],
    ['lambda$pay$0', 'lambda$pay'],
    ['lambda$static$12', 'lambda$static'],
    ['$anonfun$run$1', '$anonfun$run'],
    ['access$000', 'access'],
    ['(*Server).handleCheckout.func1', '(*Server).handleCheckout.func'],
    ['handler.func2.1', 'handler.func'],
    ['main.gowrap1', 'main.gowrap'],
    ['<lambda>', '<lambda>'],
    ['<module>', '<module>'],
    ['new Cart', 'new Cart'],
    ['<Run>b__0', '<Run>b__'],
    ['lambda_method12', 'lambda_method'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeFunction(input)).toBe(expected);
  });
});

describe('normalizeModule', () => {
  test.each([
    ['com.acme.Foo$$Lambda$12/0x0000000800c0b448', 'com.acme.Foo$$Lambda'],
    ['com.acme.Foo$$Lambda/0x000001f80109e000', 'com.acme.Foo$$Lambda'],
    ['com.acme.OrderService$$EnhancerBySpringCGLIB$$3a1f9c2e', 'com.acme.OrderService$$EnhancerBySpringCGLIB'],
    ['com.acme.OrderService$$SpringCGLIB$$0', 'com.acme.OrderService$$SpringCGLIB'],
    ['jdk.proxy2.$Proxy141', 'jdk.proxy.$Proxy'],
    ['jdk.internal.reflect.GeneratedMethodAccessor87', 'jdk.internal.reflect.GeneratedMethodAccessor'],
    ['Shop.Checkout.OrderService.<PlaceAsync>d__4', 'Shop.Checkout.OrderService.<PlaceAsync>d__'],
    ['Shop.Jobs.Runner.<>c__DisplayClass2_0', 'Shop.Jobs.Runner.<>c__DisplayClass'],
    ['shop.orders', 'shop.orders'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeModule(input)).toBe(expected);
  });
});

import { describe, expect, test } from 'vitest';
import { JAVA_SUPPRESSED, javaTrace } from './fixtures/traces.ts';
import { type FrameRow, rows } from './fixtures/helpers.ts';
import { parseStackTrace } from './stacktrace.ts';
import { parseJavaFrame } from './stack-java.ts';

describe('JVM stack traces', () => {
  test('Caused by and "... n more": cause first, shared frames restored from the enclosing trace', () => {
    const chain = parseStackTrace(javaTrace(), { language: 'java' });
    expect(chain.map((e) => [e.type, e.value])).toEqual([
      ['java.sql.SQLTransientConnectionException', 'HikariPool-1 - Connection is not available, request timed out after 30004ms.'],
      ['java.lang.IllegalStateException', 'Order 4711 cannot be paid'],
    ]);
    const outer: FrameRow[] = [
      ['run', 'java.lang.Thread', 'Thread.java', 1583, null, false],
      ['doInvoke', 'org.springframework.web.method.support.InvocableHandlerMethod', 'InvocableHandlerMethod.java', 255, null, false],
      ['invoke', 'java.lang.reflect.Method', 'Method.java', 580, null, false],
      ['invoke', 'jdk.internal.reflect.DirectMethodHandleAccessor', 'DirectMethodHandleAccessor.java', 103, null, false],
      ['pay', 'com.acme.shop.checkout.CheckoutController', 'CheckoutController.java', 40, null, true],
      ['map', 'java.util.Optional', 'Optional.java', 260, null, false],
      ['apply', 'com.acme.shop.checkout.CheckoutController$$Lambda$12/0x0000000800c0b448', '', null, null, false],
      ['lambda$pay$0', 'com.acme.shop.checkout.CheckoutController', 'CheckoutController.java', 41, null, true],
    ];
    expect(rows(chain[1]?.frames ?? [])).toEqual<FrameRow[]>([
      ...outer,
      ['charge', 'com.acme.shop.payment.PaymentService', 'PaymentService.java', 88, null, true],
    ]);
    expect(rows(chain[0]?.frames ?? [])).toEqual<FrameRow[]>([
      ...outer,
      ['charge', 'com.acme.shop.payment.PaymentService', 'PaymentService.java', 84, null, true],
      ['lock', 'com.acme.shop.payment.PaymentRepository', 'PaymentRepository.java', 23, null, true],
      ['getConnection', 'com.zaxxer.hikari.pool.HikariPool', 'HikariPool.java', 181, null, false],
      ['createTimeoutException', 'com.zaxxer.hikari.pool.HikariPool', 'HikariPool.java', 696, null, false],
    ]);
  });

  test('thread prefix, Native Method, and Suppressed blocks skipped', () => {
    const chain = parseStackTrace(JAVA_SUPPRESSED);
    expect(chain.map((e) => [e.type, e.value])).toEqual([
      ['java.net.SocketException', 'Broken pipe (Write failed)'],
      ['java.io.IOException', 'flush failed'],
    ]);
    expect(rows(chain[0]?.frames ?? [])).toEqual<FrameRow[]>([
      ['run', 'java.lang.Thread', 'Thread.java', 1583, null, false],
      ['export', 'com.acme.io.Exporter', 'Exporter.java', 50, null, true],
      ['close', 'com.acme.io.Sink', 'Sink.java', 18, null, true],
      ['wait', 'java.lang.Object', '', null, null, false],
      ['implWrite', 'sun.nio.ch.NioSocketImpl', 'NioSocketImpl.java', 420, null, false],
    ]);
    expect(chain[1]?.frames.map((f) => f.function)).toEqual(['run', 'export', 'close']);
  });

  test.each<[string, FrameRow]>([
    ['\tat app//com.acme.Main.main(Main.java:12)', ['main', 'com.acme.Main', 'Main.java', 12, null, true]],
    ['\tat com.acme.lib@2.1.0/com.acme.lib.Codec.decode(Codec.java:7)', ['decode', 'com.acme.lib.Codec', 'Codec.java', 7, null, true]],
    ['\tat com.acme.Outer$Inner.<init>(Outer.java:30)', ['<init>', 'com.acme.Outer$Inner', 'Outer.java', 30, null, true]],
    ['\tat com.acme.Job.run(Unknown Source)', ['run', 'com.acme.Job', '', null, null, false]],
    ['\tat com.acme.shop.Api.get(Api.kt:9) ~[shop.jar:1.4.0]', ['get', 'com.acme.shop.Api', 'Api.kt', 9, null, true]],
    [
      '\tat kotlinx.coroutines.DispatchedTask.run(DispatchedTask.kt:108)',
      ['run', 'kotlinx.coroutines.DispatchedTask', 'DispatchedTask.kt', 108, null, false],
    ],
    [
      '\tat scala.collection.immutable.List.map(List.scala:293)',
      ['map', 'scala.collection.immutable.List', 'List.scala', 293, null, false],
    ],
  ])('frame %s', (line, expected) => {
    const frame = parseJavaFrame(line);
    expect(frame && rows([frame])[0]).toEqual(expected);
  });

  test('logback "common frames omitted" counts like "... n more"', () => {
    const chain = parseStackTrace(`org.acme.WrapperException: wrapped
\tat com.acme.A.a(A.java:1)
\tat com.acme.B.b(B.java:2)
Caused by: java.lang.ArithmeticException: / by zero
\tat com.acme.C.c(C.java:3)
\t... 1 common frames omitted`);
    expect(chain[0]?.frames.map((f) => f.function)).toEqual(['b', 'c']);
  });
});

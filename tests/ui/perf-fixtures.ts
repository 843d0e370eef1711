// Two services calling each other in two releases, seeded through the real OTLP/HTTP ingest path.
import { randomBytes } from 'node:crypto';
import type { Faultline } from '../harness.ts';
import { nodeStack, postOtlpJson } from '../otlp-client.ts';

type Attr = { key: string; value: { stringValue: string } };
const str = (key: string, value: string): Attr => ({ key, value: { stringValue: value } });

function span(
  traceId: string,
  spanId: string,
  parent: string,
  name: string,
  kind: number,
  startMs: number,
  durMs: number,
  error = false,
  attrs: Attr[] = [],
  events: unknown[] = [],
) {
  const start = BigInt(startMs) * 1_000_000n;
  return {
    traceId,
    spanId,
    parentSpanId: parent,
    name,
    kind,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + BigInt(durMs) * 1_000_000n),
    status: error ? { code: 2 } : {},
    attributes: attrs,
    events,
  };
}

const resource = (service: string, release: string) => ({ attributes: [str('service.name', service), str('service.version', release)] });

/**
 * 20 requests web (SERVER GET /checkout → CLIENT POST /api/cart) → api (SERVER POST /api/cart → CLIENT SELECT cart
 * on postgresql); every 4th api request fails, and in `withException` releases it records an exception.
 */
export async function seedServices(
  fl: Faultline,
  now: number,
  release: string,
  offsetMs: number,
  apiMs: number,
  withException: boolean,
): Promise<void> {
  const web = [];
  const api = [];
  for (let i = 0; i < 20; i++) {
    const t = randomBytes(16).toString('hex');
    const [r, a, b, c] = Array.from({ length: 4 }, () => randomBytes(8).toString('hex')) as [string, string, string, string];
    const start = now - offsetMs - i * 1000;
    const fails = i % 4 === 0;
    const events =
      fails && withException
        ? [
            {
              timeUnixNano: String(BigInt(start + 20) * 1_000_000n),
              name: 'exception',
              attributes: [
                str('exception.type', 'CartError'),
                str('exception.message', 'cart is locked'),
                str('exception.stacktrace', nodeStack('CartError', 'cart is locked', 'lockCart', 'src/cart.js', 12)),
              ],
            },
          ]
        : [];
    web.push(span(t, r, '', 'GET /checkout', 2, start, apiMs + 30), span(t, a, r, 'POST /api/cart', 3, start + 5, apiMs + 10, fails));
    api.push(
      span(t, b, a, 'POST /api/cart', 2, start + 8, apiMs, fails, [], events),
      span(t, c, b, 'SELECT cart', 3, start + 10, 20, false, [str('db.system', 'postgresql')]),
    );
  }
  await postOtlpJson(fl, '/v1/traces', { resourceSpans: [{ resource: resource('api', release), scopeSpans: [{ spans: api }] }] });
  await postOtlpJson(fl, '/v1/traces', { resourceSpans: [{ resource: resource('web', release), scopeSpans: [{ spans: web }] }] });
}

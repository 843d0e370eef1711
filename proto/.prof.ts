import { otlpSchema, decodeTraces } from './src/index.ts';
import { checkWire } from './src/wire-check.ts';
function hex(n: number, b: number) { return n.toString(16).padStart(b * 2, '0'); }
const kv = (key: string, value: object) => ({ key, value });
const start = 1_700_000_000_000_000_000n;
const spans = Array.from({ length: 512 }, (_, i) => ({
  traceId: Buffer.from(hex(Math.floor(i / 8) + 1, 16), 'hex'), spanId: Buffer.from(hex(i + 1, 8), 'hex'),
  name: 'GET', kind: 2, startTimeUnixNano: String(start), endTimeUnixNano: String(start + 5n),
  attributes: [kv('a', { stringValue: 'GET' }), kv('b', { stringValue: '/api/orders/1' }), kv('c', { intValue: 200 }), kv('d', { stringValue: 'x' }), kv('e', { intValue: 8080 }), kv('f', { stringValue: 'pg' }), kv('g', { stringValue: 'SELECT * FROM orders WHERE id = $1' }), kv('h', { intValue: 17 }), kv('i', { boolValue: true }), kv('j', { doubleValue: 0.5 })],
}));
const T = otlpSchema().traceRequest;
const body = T.encode(T.fromObject({ resourceSpans: [{ scopeSpans: [{ spans }] }] })).finish();
function time(name: string, fn: () => void) { for (let i = 0; i < 100; i++) fn(); const t = performance.now(); for (let i = 0; i < 300; i++) fn(); console.log(name, ((performance.now() - t) / 300).toFixed(3), 'ms'); }
time('checkWire', () => checkWire(body, T));
time('pbjs decode', () => T.decode(body));
time('decodeTraces', () => decodeTraces(body, 'protobuf'));

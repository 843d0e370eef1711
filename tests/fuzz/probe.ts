import { startFaultline } from '../harness.ts';
const fl = await startFaultline();
const post = async (body: unknown) => {
  const r = await fetch(`${fl.otlpHttp}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${fl.key}` }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return `${r.status} ${(await r.text()).slice(0, 300)}`;
};
const span = (i: number, day: number) => ({ traceId: 'ab'.repeat(16), spanId: (i + 1).toString(16).padStart(16, '0'), name: 'x', startTimeUnixNano: String(BigInt(1700000000 - day * 86400) * 1_000_000_000n), endTimeUnixNano: String(BigInt(1700000000 - day * 86400 + 1) * 1_000_000_000n) });
const req = (spans: unknown[]) => ({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
console.log('150 days:', await post(req(Array.from({ length: 150 }, (_, i) => span(i, i)))));
console.log('5 days:', await post(req(Array.from({ length: 5 }, (_, i) => span(i + 500, i)))));
console.log('lone surrogate:', await post('{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"' + 'cd'.repeat(16) + '","spanId":"0000000000000abc","name":"\\ud800x","startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000000000001","attributes":[{"key":"k\\udfff","value":{"stringValue":"\\udc00"}}]}]}]}]}'));
console.log('year 2500:', await post(req([{ ...span(900, 0), startTimeUnixNano: '16725225600000000000', endTimeUnixNano: '16725225600000000001' }])));
console.log('max u64:', await post(req([{ ...span(901, 0), startTimeUnixNano: '18446744073709551615', endTimeUnixNano: '18446744073709551615' }])));
console.log('start 1:', await post(req([{ ...span(902, 0), startTimeUnixNano: '1', endTimeUnixNano: '2' }])));
console.log('NaN double:', await post(req([{ ...span(903, 0), attributes: [{ key: 'd', value: { doubleValue: 'NaN' } }, { key: 'e', value: { doubleValue: 'Infinity' } }] }])));
console.log('after:', await post(req([span(999, 0)])));
await fl.stop();

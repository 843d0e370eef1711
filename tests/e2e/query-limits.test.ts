import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { postOtlpJson } from '../otlp-client.ts';

const SERVICES = 1_010;
let fl: Faultline;
beforeAll(async () => {
  fl = await startFaultline({ FAULTLINE_QUERY_MAX_ROWS: '1000' });
  // one span from each of 1,010 services: the services overview would answer 1,010 rows
  const now = BigInt(Date.now()) * 1_000_000n;
  const resourceSpans = Array.from({ length: SERVICES }, (_, i) => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: `svc-${String(i)}` } }] },
    scopeSpans: [
      {
        spans: [
          {
            traceId: (i + 1).toString(16).padStart(32, '0'),
            spanId: (i + 1).toString(16).padStart(16, '0'),
            name: 'GET /',
            kind: 2,
            startTimeUnixNano: String(now - 1_000_000n),
            endTimeUnixNano: String(now),
          },
        ],
      },
    ],
  }));
  await postOtlpJson(fl, '/v1/traces', { resourceSpans });
});
afterAll(async () => fl.stop());

describe('the result row limit (FAULTLINE_QUERY_MAX_ROWS)', () => {
  test('an answer past it is a 400 that names the limit, not an internal error; smaller answers still work', async () => {
    const res = await eventually(async () => {
      const r = await fl.get('/api/v1/projects/default/services');
      return r.status === 400 ? r : null;
    });
    expect(res.body).toEqual({ error: { code: 'result_too_large', message: expect.stringContaining('FAULTLINE_QUERY_MAX_ROWS') as unknown } });
    const one = await fl.get('/api/v1/projects/default/services/svc-7/operations');
    expect(one.status).toBe(200);
    expect((one.body as { operations: unknown[] }).operations).toHaveLength(1);
  });
});

/**
 * Malformed input against one in-process Faultline, over OTLP/HTTP (protobuf and JSON) and OTLP/gRPC. The oracle is
 * the decoder itself (oracle.ts): a body it rejects must be a 4xx with a message, one it accepts a 2xx — never a
 * 5xx, a reset or a hang, and the process keeps answering.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFaultline, type Faultline } from '../harness.ts';
import { gzipBomb, peakRssGrowth, zeroChunks } from './bombs.ts';
import {
  type Case,
  badUtf8Cases,
  deepNestingCases,
  prefixCases,
  validSmall,
  varintAndLengthCases,
  wireTypeCases,
  wrongJsonTypeCases,
} from './corpus.ts';
import { applyMutations, mutationBases, mutationCase } from './mutations.ts';
import { FUZZ_LIMITS, GRPC_CODE, HTTP_STATUS, decodeErrorMessage, expectationFor, type Outcome } from './oracle.ts';
import { logsJson, smallTraceJson, type Format } from './otlp-requests.ts';
import { GRPC_PATHS, RawGrpcClient, grpcFrame, postHttp, rawHttp2Grpc, streamUpload } from './transport.ts';

const MiB = 1024 * 1024;
const MAX_BODY = 4 * MiB;
const CONTENT_TYPE: Record<Format, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };
const PATH = { traces: '/v1/traces', logs: '/v1/logs' } as const;

let fl: Faultline;
let grpcClient: RawGrpcClient;
const tally = { http: 0, grpc: 0, outcomes: { ok: 0, invalid: 0, too_large: 0 } as Record<Outcome, number> };

beforeAll(async () => {
  fl = await startFaultline({
    FAULTLINE_MAX_HTTP_BODY_BYTES: String(MAX_BODY),
    FAULTLINE_MAX_GRPC_MESSAGE_BYTES: String(MAX_BODY),
    FAULTLINE_MAX_ITEMS_PER_REQUEST: String(FUZZ_LIMITS.maxItemsPerRequest),
  });
  grpcClient = new RawGrpcClient(fl.otlpGrpc, fl.key);
});
afterAll(async () => {
  grpcClient.close();
  console.log(
    `[fuzz] requests: ${tally.http} HTTP, ${tally.grpc} gRPC; expected outcomes ${JSON.stringify(tally.outcomes)}`,
  );
  await fl.stop();
});

const headers = (format: Format, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${fl.key}`,
  'content-type': CONTENT_TYPE[format],
  ...extra,
});

async function viaHttp(c: Case): Promise<void> {
  const exp = expectationFor(c.signal, c.format, c.body);
  tally.outcomes[exp.outcome]++;
  const r = await postHttp(fl.otlpHttp, PATH[c.signal], c.body, headers(c.format));
  tally.http++;
  expect(r.status, `${c.name}: ${r.text.slice(0, 300)}`).toBe(HTTP_STATUS[exp.outcome]);
  if (r.status >= 400) expect(r.text.length, c.name).toBeGreaterThan(10);
}

async function viaGrpc(c: Case): Promise<void> {
  const exp = expectationFor(c.signal, 'protobuf', c.body);
  tally.outcomes[exp.outcome]++;
  const r = await grpcClient.export(c.signal, c.body);
  tally.grpc++;
  expect(r.code, `${c.name}: ${r.details}`).toBe(GRPC_CODE[exp.outcome]);
  if (r.code !== 0) expect(r.details.length, c.name).toBeGreaterThan(10);
}

/** Sends the cases `parallel` at a time (over gRPC too when they are protobuf). */
async function sendAll(cases: readonly Case[], parallel = 1): Promise<void> {
  for (let i = 0; i < cases.length; i += parallel) {
    await Promise.all(cases.slice(i, i + parallel).map(async (c) => (await viaHttp(c), c.format === 'protobuf' ? viaGrpc(c) : undefined)));
  }
}

const expectInvalid = (cases: readonly Case[]) => {
  for (const c of cases) expect(expectationFor(c.signal, c.format, c.body).outcome, c.name).toBe('invalid');
};

describe('hand-made malformed corpus', () => {
  test('every prefix of a valid request (protobuf over HTTP and gRPC, JSON over HTTP)', async () => {
    const pb = prefixCases('traces', 'protobuf', validSmall.tracesProtobuf());
    const json = prefixCases('traces', 'json', validSmall.tracesJson());
    // Only the empty body (an empty request) and the whole body are valid protobuf; only the whole body is JSON.
    expect(pb.filter((c) => expectationFor(c.signal, c.format, c.body).outcome === 'ok').length).toBe(2);
    await sendAll([...pb, ...json], 8);
  }, 60_000);

  test('wrong wire types for every field of request, resource, span, attribute value and log record', async () => {
    const cases = wireTypeCases();
    expect(cases.length).toBeGreaterThan(150);
    expectInvalid(cases);
    await sendAll(cases, 8);
  });

  test('varints of 10+ bytes and declared lengths far beyond the body', async () => {
    const cases = varintAndLengthCases();
    expectInvalid(cases);
    await sendAll(cases);
  });

  test('10,000 levels of nested AnyValue (kvlist, array, mixed) in both formats', async () => {
    const cases = deepNestingCases(10_000);
    expectInvalid(cases);
    await sendAll(cases);
    // A modest depth is still fine.
    const shallow = deepNestingCases(8);
    for (const c of shallow) expect(expectationFor(c.signal, c.format, c.body).outcome, c.name).toBe('ok');
    await sendAll(shallow);
  });

  test('invalid UTF-8: protobuf strings are stored with U+FFFD, JSON text is refused', async () => {
    const cases = badUtf8Cases();
    await sendAll(cases);
    const stored = await fl.get(`/api/v1/projects/default/traces/0af7651916cd43dd8448eb211c80319c`);
    expect(stored.status).toBe(200);
    const spans = (stored.body as { spans: Array<{ spanId: string; name: string }> }).spans.filter((s) =>
      cases.some((c) => c.spanId === s.spanId),
    );
    // Sent over HTTP and gRPC: two copies of each protobuf case.
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(cases.filter((c) => c.format === 'protobuf').length);
    for (const span of spans) expect(span.name).toContain('\ufffd');
  });

  test('JSON with a value of the wrong type at every level', async () => {
    const cases = [...wrongJsonTypeCases('traces', smallTraceJson()), ...wrongJsonTypeCases('logs', logsJson())];
    expect(cases.length).toBeGreaterThan(300);
    // The 400's message (the decoder's, verbatim) names exactly where the wrong value is.
    for (const c of cases) {
      const message = decodeErrorMessage(c.signal, c.format, c.body);
      if (message !== null && c.path) expect(message, c.name).toContain(`${c.path} `);
    }
    await sendAll(cases, 16);
  }, 60_000);

  test('unsupported content types and encodings → 415; the other format → 400', async () => {
    const body = validSmall.tracesProtobuf();
    for (const type of ['text/plain', 'application/xml', 'application/x-protobufx', 'multipart/form-data', 'application/grpc', '']) {
      const r = await postHttp(fl.otlpHttp, '/v1/traces', body, {
        authorization: `Bearer ${fl.key}`,
        ...(type ? { 'content-type': type } : {}),
      });
      expect(r.status, type).toBe(415);
      expect(r.text, type).toMatch(/Content-Type/);
    }
    for (const encoding of ['br', 'compress', 'gzip, br', 'zstd']) {
      expect(
        (await postHttp(fl.otlpHttp, '/v1/traces', body, headers('protobuf', { 'content-encoding': encoding }))).status,
        encoding,
      ).toBe(415);
    }
    expect((await postHttp(fl.otlpHttp, '/v1/traces', body, headers('json'))).status).toBe(400);
    expect((await postHttp(fl.otlpHttp, '/v1/traces', validSmall.tracesJson(), headers('protobuf'))).status).toBe(400);
    expect((await postHttp(fl.otlpHttp, '/v1/traces', body, headers('protobuf', { 'content-encoding': 'gzip' }))).status).toBe(400);
  });
});

describe('oversized bodies', () => {
  test('100 MB streamed body → 413 (chunked and declared), without buffering it', async () => {
    const url = `${fl.otlpHttp}/v1/traces`;
    const chunked = await peakRssGrowth(() => streamUpload(url, headers('protobuf'), () => zeroChunks(100 * MiB)));
    expect(chunked.result.status).toBe(413);
    const declared = await peakRssGrowth(() =>
      streamUpload(url, headers('protobuf', { 'content-length': String(100 * MiB) }), () => zeroChunks(100 * MiB)),
    );
    expect(declared.result.status).toBe(413);
    console.log(
      `[fuzz] 100 MB upload: chunked sent ${chunked.result.sent >> 20} MiB before the 413, peak RSS +${chunked.peakGrowthMb} MB; declared sent ${declared.result.sent >> 20} MiB, +${declared.peakGrowthMb} MB`,
    );
    expect(chunked.peakGrowthMb).toBeLessThan(64);
    expect(declared.peakGrowthMb).toBeLessThan(64);
    expect((await fetch(`${fl.otlpHttp}/healthz`)).status).toBe(200);
  }, 60_000);

  test('1 GiB gzip bomb → 413 over HTTP, RESOURCE_EXHAUSTED over gRPC, without inflating it', async () => {
    const bomb = await gzipBomb(1024 * MiB);
    expect(bomb.length).toBeLessThan(2 * MiB);
    const http = await peakRssGrowth(() => postHttp(fl.otlpHttp, '/v1/traces', bomb, headers('protobuf', { 'content-encoding': 'gzip' })));
    expect(http.result.status).toBe(413);
    const grpc = await peakRssGrowth(() =>
      rawHttp2Grpc(fl.otlpGrpc, fl.key, GRPC_PATHS.traces, grpcFrame(bomb, true), { 'grpc-encoding': 'gzip' }),
    );
    expect(grpc.result.status).toBe(8);
    console.log(`[fuzz] 1 GiB gzip bomb (${bomb.length} bytes): HTTP peak RSS +${http.peakGrowthMb} MB, gRPC +${grpc.peakGrowthMb} MB`);
    expect(http.peakGrowthMb).toBeLessThan(64);
    expect(grpc.peakGrowthMb).toBeLessThan(64);
  }, 60_000);

  test('gRPC frames that lie: 4 GiB declared length, message over the limit', async () => {
    const lying = await rawHttp2Grpc(fl.otlpGrpc, fl.key, GRPC_PATHS.traces, grpcFrame(Buffer.from([0x0a, 0x00]), false, 0xffffffff));
    expect(lying.status).toBe(8);
    const big = await rawHttp2Grpc(fl.otlpGrpc, fl.key, GRPC_PATHS.traces, grpcFrame(Buffer.alloc(MAX_BODY + 1), false));
    expect(big.status).toBe(8);
  });
});

describe('random mutations of valid requests', () => {
  const bases = mutationBases();
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

  test('≥ 10,000 mutations through decodeTraces / decodeLogs: a result or a DecodeError, quickly', () => {
    const before = process.memoryUsage();
    let slowestMs = 0;
    const seen = { ok: 0, invalid: 0, too_large: 0 } as Record<Outcome, number>;
    fc.assert(
      fc.property(mutationCase(bases), (c) => {
        const base = bases[c.base]!;
        const started = performance.now();
        // expectationFor rethrows anything but DecodeError, which fails the property with the input.
        seen[expectationFor(base.signal, base.format, applyMutations(bases, c)).outcome]++;
        slowestMs = Math.max(slowestMs, performance.now() - started);
      }),
      { numRuns: 12_000, seed },
    );
    const after = process.memoryUsage();
    const heapMb = Math.round((after.heapUsed - before.heapUsed) / MiB);
    const rssMb = Math.round((after.rss - before.rss) / MiB);
    console.log(
      `[fuzz] in-process (seed ${seed}): ${JSON.stringify(seen)}, slowest decode ${slowestMs.toFixed(1)} ms, heap +${heapMb} MB, RSS +${rssMb} MB`,
    );
    expect(seen.ok + seen.invalid + seen.too_large).toBe(12_000);
    expect(slowestMs).toBeLessThan(2_000);
    expect(rssMb).toBeLessThan(200);
  }, 60_000);

  test('300 mutations over HTTP and gRPC: 2xx or 4xx with a message, and /healthz still answers', async () => {
    const before = process.memoryUsage().rss;
    await fc.assert(
      fc.asyncProperty(mutationCase(bases), fc.boolean(), async (c, overGrpc) => {
        const base = bases[c.base]!;
        const body = applyMutations(bases, c);
        const one: Case = { name: `${base.name} mutated ${JSON.stringify(c.mutations)}`, signal: base.signal, format: base.format, body };
        await (overGrpc ? viaGrpc(one) : viaHttp(one));
      }),
      { numRuns: 300, seed },
    );
    const growthMb = Math.round((process.memoryUsage().rss - before) / MiB);
    console.log(`[fuzz] over the wire (seed ${seed}): RSS +${growthMb} MB`);
    expect(growthMb).toBeLessThan(200);
    expect((await fetch(`${fl.otlpHttp}/healthz`)).status).toBe(200);
    expect((await grpcClient.export('traces', validSmall.tracesProtobuf())).code).toBe(0);
  }, 60_000);
});

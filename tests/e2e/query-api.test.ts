import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';
import { nodeStack, postOtlpJson, sendException, sendTrace } from '../otlp-client.ts';

let fl: Faultline;
let traceId = '';
beforeAll(async () => {
  fl = await startFaultline();
  ({ traceId } = await sendTrace(fl, { spans: 3, service: 'api' }));
  await eventually(async () => ((await fl.get(`/api/v1/projects/1/traces/${traceId}`)).status === 200 ? true : null));
});
afterAll(async () => fl.stop());

describe('query API', () => {
  test('auth: no token → 401 in the contract shape; bad token → 401', async () => {
    const res = await fetch(`${fl.api}/api/v1/projects/default/traces/${traceId}`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated', message: expect.any(String) } });
    expect((await fl.get(`/api/v1/projects/default/traces/${traceId}`, 'flt_wrong')).status).toBe(401);
  });

  test('unknown trace → 404; bad ids and filters → 400 naming the field', async () => {
    expect((await fl.get(`/api/v1/projects/default/traces/${'0'.repeat(31)}1`)).status).toBe(404);
    const badId = await fl.get('/api/v1/projects/default/traces/xyz');
    expect(badId.status).toBe(400);
    expect(JSON.stringify(badId.body)).toContain('traceId');
    const badLimit = await fl.get('/api/v1/projects/default/traces?limit=abc');
    expect(badLimit.status).toBe(400);
    expect(JSON.stringify(badLimit.body)).toContain('limit');
    const badTime = await fl.get('/api/v1/projects/default/traces?start=yesterday');
    expect(badTime.status).toBe(400);
    expect(JSON.stringify(badTime.body)).toContain('start');
    // a filter given twice is not silently the last one; the repeatable ones still repeat
    for (const path of ['traces?service=a&service=b', 'issues?status=all&status=resolved']) {
      const twice = await fl.get(`/api/v1/projects/default/${path}`);
      expect(twice.status, path).toBe(400);
      expect((twice.body as { error: { message: string } }).error.message).toMatch(/^query parameter "(service|status)": given more than once/);
    }
    expect((await fl.get('/api/v1/projects/default/traces?hasAttr=a&hasAttr=b&attr.x=1&attr.y=2')).status).toBe(200);
  });

  test('times past what storage can hold are a 400 naming the parameter, not a 500 or a silently empty answer', async () => {
    const far = '9999999999999999'; // Unix ms in the year 316,889
    for (const path of [
      `traces?start=0&end=${far}`,
      `services?end=${far}`,
      `services/api/metrics?start=${Number(far) - 60_000}&end=${far}`,
      `service-map?end=${far}`,
      `logs/histogram?start=0&end=${far}`,
      `spans/series?end=${far}`,
      'traces?end=2300-01-01T00:00:00Z',
    ]) {
      const res = await fl.get(`/api/v1/projects/default/${path}`);
      expect(res.status, path).toBe(400);
      expect((res.body as { error: { message: string } }).error.message, path).toMatch(/query parameter "end": must be between 1970-01-01T00:00:00Z and 2106-02-07T06:28:15Z/);
    }
    // The widest range that is allowed finds the data.
    const all = await fl.get('/api/v1/projects/default/traces?start=0&end=2106-02-07T06:28:15Z');
    expect(all.status).toBe(200);
    expect((all.body as { traces: Array<{ traceId: string }> }).traces.map((t) => t.traceId)).toContain(traceId);
  });

  test('start/end: an ISO time without a zone is UTC on a server in any zone; an unencoded + offset works; non-ISO text is a 400', async () => {
    const trace = (await fl.get(`/api/v1/projects/1/traces/${traceId}`)).body as { spans: Array<{ startTimeUnixNano: string }> };
    const atMs = Number(BigInt(trace.spans[0]?.startTimeUnixNano ?? '0') / 1_000_000n);
    const naive = (ms: number) => new Date(ms).toISOString().slice(0, 19);
    const found = async (qs: string) => {
      const res = await fl.get(`/api/v1/projects/default/traces?${qs}`);
      expect(res.status, qs).toBe(200);
      return (res.body as { traces: Array<{ traceId: string }> }).traces.some((t) => t.traceId === traceId);
    };
    const zone = process.env.TZ;
    // The server reads the request in this process: five hours west of UTC, Date.parse moved the window by five hours.
    process.env.TZ = 'America/New_York';
    try {
      expect(await found(`start=${naive(atMs - 120_000)}&end=${naive(atMs + 120_000)}`)).toBe(true);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    // `+01:00` written into a URL unencoded arrives as " 01:00".
    const plusOne = (ms: number) => `${naive(ms + 3_600_000)}+01:00`;
    expect(await found(`start=${plusOne(atMs - 120_000)}&end=${plusOne(atMs + 120_000)}`)).toBe(true);
    for (const bad of ['-1', 'Dec%203%202026', '2026-02-30']) {
      const res = await fl.get(`/api/v1/projects/default/traces?start=${bad}`);
      expect(res.status, bad).toBe(400);
      expect((res.body as { error: { message: string } }).error.message, bad).toMatch(/^query parameter "start": .* is neither an ISO-8601 date or time nor Unix milliseconds/);
    }
  });

  test('values a fuzzer sent are a 400 naming the parameter (they were 500s, or read as something else)', async () => {
    const cursor = Buffer.from(JSON.stringify({ k: '99999999999999999999', id: traceId })).toString('base64url');
    for (const [path, field] of [
      ['services?end=0', 'end'], // the default start an hour earlier was negative: a 500
      ['service-map?end=0', 'end'],
      ['traces?start=2026-02-30', 'start'], // was March 2
      ['logs?end=March%207', 'end'], // was 2001-03-07
      ['traces?limit=0x10', 'limit'], // was 16
      ['traces?minDurationMs=', 'minDurationMs'], // was 0
      ['spans/series?step=1e2', 'step'],
      ['logs?cursor=99999999999999999999.1', 'cursor'], // past Int64: wrapped, an empty page
      [`traces?cursor=${cursor}`, 'cursor'],
      ['releases/%20v1/files', 'version'], // named "release:" only
    ]) {
      const res = await fl.get(`/api/v1/projects/default/${path}`);
      expect(res.status, path).toBe(400);
      expect((res.body as { error: { message: string } }).error.message, path).toMatch(new RegExp(`^(query|path) parameter "${field}": `));
    }
    // JSON allows an unpaired surrogate escape; ClickHouse refused it on insert (a 500).
    const before = ((await fl.get('/api/v1/projects/default')).body as { name: string }).name;
    const patched = await fetch(`${fl.api}/api/v1/projects/default`, { method: 'PATCH', headers: { authorization: `Bearer ${fl.token}` }, body: '{"name":"a\\ud800"}' });
    expect([patched.status, ((await patched.json()) as { error: { message: string } }).error.message]).toEqual([400, expect.stringMatching(/^body field "name": is not valid Unicode/)]);
    expect(((await fl.get('/api/v1/projects/default')).body as { name: string }).name).toBe(before);
  });

  test('ids are accepted in upper case and answered in lower case', async () => {
    const res = await fl.get(`/api/v1/projects/default/traces/${traceId.toUpperCase()}`);
    expect(res.status).toBe(200);
    expect((res.body as { traceId: string }).traceId).toBe(traceId);
    // Issue and event ids too, in every issue path (they were a 400 "must be 16 lower-case hexadecimal characters").
    await sendException(fl, { service: 'api', type: 'Error', message: 'upper', stack: nodeStack('Error', 'upper', 'f', 'a.js', 1) });
    const issue = await eventually(async () => ((await fl.get('/api/v1/projects/default/issues?query=upper')).body as { issues: Array<{ id: string }> }).issues[0]);
    const upper = issue.id.toUpperCase();
    expect(((await fl.get(`/api/v1/projects/default/issues/${upper}`)).body as { id: string }).id).toBe(issue.id);
    const events = (await fl.get(`/api/v1/projects/default/issues/${upper}/events`)).body as { events: Array<{ eventId: string; issueId: string }> };
    expect(events.events[0]?.issueId).toBe(issue.id);
    const event = await fl.get(`/api/v1/projects/default/events/${events.events[0]?.eventId.toUpperCase() ?? ''}`);
    expect((event.body as { eventId: string }).eventId).toBe(events.events[0]?.eventId);
    const patched = await fetch(`${fl.api}/api/v1/projects/default/issues/${upper}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${fl.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ assignee: 'ada' }),
    });
    expect(((await patched.json()) as { id: string; assignee: string }).assignee).toBe('ada');
    expect((await fl.get('/api/v1/projects/default/issues/ZZ00000000000000')).status).toBe(400);
    // another project's short id is a name for an issue that is not here: 404, like a foreign id
    expect((await fl.get('/api/v1/projects/default/issues/SHOP-1PUU7C3')).status).toBe(404);
    expect((await fl.get('/api/v1/projects/default/issues/SHOP-1PUU7C3!')).status).toBe(400);
  });

  test('tenancy: a token of another project sees 404 for project 1', async () => {
    const created = await fetch(`${fl.api}/api/v1/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fl.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'other' }),
    });
    expect(created.status).toBe(201);
    const other = (await created.json()) as { id: number; token: string; ingestKey: string };
    expect(other.ingestKey).toMatch(/^[a-z0-9]{32}$/);
    expect((await fl.get(`/api/v1/projects/default/traces/${traceId}`, other.token)).status).toBe(404);
    expect((await fl.get(`/api/v1/projects/1/traces?limit=5`, other.token)).status).toBe(404);
    expect((await fl.get(`/api/v1/projects/other/traces/${traceId}`, other.token)).status).toBe(404);
    expect((await fl.get(`/api/v1/projects`, other.token)).body).toEqual({ projects: [{ id: other.id, slug: 'other', name: 'other' }] });
  });

  test('OpenAPI document and health', async () => {
    const doc = (await (await fetch(`${fl.api}/api/v1/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/v1/projects/{project}/traces/{traceId}');
    expect((await fetch(`${fl.api}/healthz`)).status).toBe(200);
    expect((await fetch(`${fl.api}/readyz`)).status).toBe(200);
  });
});

describe('trace search paging and filters', () => {
  test('cursor pages through every trace once, sorted by start or duration', async () => {
    for (let i = 0; i < 5; i++) await sendTrace(fl, { spans: 2 + i, service: 'pager', errorAt: i === 3 ? 1 : undefined });
    await eventually(async () => {
      const res = await fl.get('/api/v1/projects/default/traces?service=pager&limit=50');
      return (res.body as { traces: unknown[] }).traces.length === 5 ? true : null;
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await fl.get(`/api/v1/projects/default/traces?service=pager&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const body = res.body as { traces: Array<{ traceId: string }>; nextCursor: string | null };
      seen.push(...body.traces.map((t) => t.traceId));
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(5);
    expect(seen).toHaveLength(5);
    const byDuration = await fl.get('/api/v1/projects/default/traces?service=pager&sort=duration');
    const durations = (byDuration.body as { traces: Array<{ durationNano: string }> }).traces.map((t) => Number(t.durationNano));
    expect(durations).toEqual([...durations].sort((a, b) => b - a));
    const errors = await fl.get('/api/v1/projects/default/traces?service=pager&hasError=true');
    expect((errors.body as { traces: unknown[] }).traces).toHaveLength(1);
    const exists = await fl.get('/api/v1/projects/default/traces?service=pager&hasAttr=index');
    expect((exists.body as { traces: unknown[] }).traces).toHaveLength(5);
    expect((await fl.get('/api/v1/projects/default/traces?cursor=garbage')).status).toBe(400);
    // Like attr.<key>, hasAttr is bounded: a URL full of them was one query over ClickHouse's size limit (500).
    const many = Array.from({ length: 1000 }, (_, i) => `hasAttr=k${i}`).join('&');
    const tooMany = await fl.get(`/api/v1/projects/default/traces?${many}`);
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body)).toContain('hasAttr');
  });

  test('classic SQL injection payloads in every filter are inert', async () => {
    const payloads = ["' OR '1'='1", "'; DROP TABLE faultline.spans; --", '") OR 1=1 --', '\\\' UNION SELECT * FROM system.users --', '{p0:String}'];
    for (const p of payloads) {
      const q = encodeURIComponent(p);
      for (const path of [`traces?service=${q}`, `traces?operation=${q}`, `traces?attr.${q}=${q}`, `traces?hasAttr=${q}`, `traces?release=${q}`, `issues?query=${q}`, `issues?release=${q}`, `issues?tag.${q}=${q}`, `services/${q}/operations`, `releases/${q}`, `logs?query=${q}`, `logs?service=${q}`, `logs?attr.${q}=${q}`, `logs/histogram?query=${q}`, `logs/histogram?service=${q}`]) {
        const res = await fl.get(`/api/v1/projects/default/${path}`);
        expect([200, 400, 404]).toContain(res.status);
        if (res.status === 200) expect(JSON.stringify(res.body)).not.toContain('system.users');
      }
    }
    const still = await fl.get(`/api/v1/projects/default/traces/${traceId}`);
    expect(still.status).toBe(200);
  });
});

describe('log search', () => {
  test('OTLP log records are searchable by time, service, severity, text, trace and attribute; bad input is a 400 naming the field', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const record = (i: number) => ({
      timeUnixNano: String(now - BigInt(i) * 1_000_000_000n),
      severityNumber: i % 2 === 0 ? 17 : 9,
      severityText: i % 2 === 0 ? 'ERROR' : 'INFO',
      body: { stringValue: `checkout step ${i}${i % 2 === 0 ? ' failed: card declined' : ''}` },
      traceId: i === 0 ? traceId : undefined,
      attributes: [
        { key: 'step', value: { intValue: String(i) } },
        // A sender cannot plant the link to an error event that only the collector sets.
        ...(i === 1 ? [{ key: 'faultline.event_id', value: { stringValue: 'f'.repeat(32) } }] : []),
      ],
    });
    await postOtlpJson(fl, '/v1/logs', {
      resourceLogs: ['checkout', 'billing'].map((service, s) => ({
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeLogs: [{ logRecords: [0, 1, 2, 3].map((i) => record(i + s * 4)) }],
      })),
    });
    const search = async (qs: string) => {
      const res = await fl.get(`/api/v1/projects/default/logs?${qs}`);
      expect(res.status, qs).toBe(200);
      return res.body as {
        logs: Array<{ body: string; serviceName: string; traceId: string; attributes: Record<string, unknown> }>;
        nextCursor: string | null;
      };
    };
    const all = await eventually(async () => {
      const page = await search('limit=50');
      return page.logs.length === 8 ? page : null;
    });
    expect(all.logs[0]).toMatchObject({
      body: 'checkout step 0 failed: card declined',
      serviceName: 'checkout',
      traceId,
      attributes: { step: 0 },
    });
    expect((await search('service=billing&severity=error')).logs.map((l) => l.body)).toEqual([
      'checkout step 4 failed: card declined',
      'checkout step 6 failed: card declined',
    ]);
    expect((await search('query=CARD%20DECLINED')).logs).toHaveLength(4);
    expect((await search(`traceId=${traceId.toUpperCase()}`)).logs.map((l) => l.body)).toEqual(['checkout step 0 failed: card declined']);
    expect((await search('attr.step=5')).logs.map((l) => l.body)).toEqual(['checkout step 5']);
    expect((await search('attr.step=1')).logs[0]?.attributes).toEqual({ step: 1 });
    const first = await search('limit=3');
    expect(first.nextCursor).not.toBeNull();
    const second = await search(`limit=50&cursor=${first.nextCursor}`);
    expect([...first.logs, ...second.logs].map((l) => l.body)).toEqual(all.logs.map((l) => l.body));

    for (const [qs, field] of [
      ['severity=loud', 'severity'],
      ['traceId=xyz', 'traceId'],
      ['cursor=garbage', 'cursor'],
      ['limit=0', 'limit'],
      ['start=2030-01-01T00:00:00Z&end=2020-01-01T00:00:00Z', 'start'],
    ]) {
      const res = await fl.get(`/api/v1/projects/default/logs?${qs}`);
      expect(res.status, qs).toBe(400);
      expect(JSON.stringify(res.body), qs).toContain(field);
    }
  });

  test('the histogram counts the same records by severity band and service; bad filters are the same 400s', async () => {
    type Histogram = { step: number; total: number; buckets: Array<{ start: string; counts: Record<string, number> }>; byService: unknown[] };
    const histogram = async (qs: string) => {
      const res = await fl.get(`/api/v1/projects/default/logs/histogram?${qs}`);
      expect(res.status, qs).toBe(200);
      return res.body as Histogram;
    };
    const all = await eventually(async () => {
      const h = await histogram('');
      return h.total === 8 ? h : null;
    });
    expect(all.step).toBe(60);
    expect(all.buckets.length).toBeGreaterThanOrEqual(60);
    const sum = (band: string) => all.buckets.reduce((n, b) => n + (b.counts[band] ?? 0), 0);
    expect([sum('error'), sum('info'), sum('warn'), sum('unspecified')]).toEqual([4, 4, 0, 0]);
    expect(all.byService).toEqual([
      { service: 'billing', count: 4 },
      { service: 'checkout', count: 4 },
    ]);
    const billingErrors = await histogram('service=billing&severity=error');
    expect(billingErrors.total).toBe(2);
    expect(billingErrors.byService).toEqual([{ service: 'billing', count: 2 }]);
    expect((await histogram('query=CARD%20DECLINED&attr.step=2')).total).toBe(1);
    const from = all.buckets[0]?.start ?? '';
    const day = await histogram(`start=${encodeURIComponent(new Date(Date.parse(from) - 86_400_000).toISOString())}&end=${encodeURIComponent(from)}`);
    expect([day.step, day.total]).toEqual([1800, 0]);

    for (const [qs, field] of [
      ['severity=loud', 'severity'],
      ['traceId=xyz', 'traceId'],
      ['start=2030-01-01T00:00:00Z&end=2020-01-01T00:00:00Z', 'start'],
      ['attr.=x', 'attr.'],
    ]) {
      const [search, hist] = await Promise.all([fl.get(`/api/v1/projects/default/logs?${qs}`), fl.get(`/api/v1/projects/default/logs/histogram?${qs}`)]);
      expect([search.status, hist.status], qs).toEqual([400, 400]);
      expect(hist.body, qs).toEqual(search.body);
      expect(JSON.stringify(hist.body), qs).toContain(field);
    }
  });
});

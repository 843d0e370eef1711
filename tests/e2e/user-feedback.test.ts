import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { StoredFeedback } from '@faultline/storage';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startFaultline, type Faultline } from '../harness.ts';

const run = promisify(execFile);
let fl: Faultline;
beforeAll(async () => {
  fl = await startFaultline();
});
afterAll(async () => fl.stop());

/** The answer's entries, as the storage reader types them. */
type Feedback = StoredFeedback;

const envelope = (items: Array<{ type: string; payload: unknown }>) =>
  `{}\n${items.map((i) => `{"type":"${i.type}"}\n${JSON.stringify(i.payload)}`).join('\n')}\n`;
const post = (body: string) => fetch(`${fl.otlpHttp}/api/1/envelope/?sentry_key=${fl.key}`, { method: 'POST', body });
const list = async (path: string) => ((await fl.get(path)).body as { feedback: Feedback[] }).feedback;

describe('user feedback', () => {
  test('captureFeedback of a real @sentry/node app lands on the issue of its error; general feedback on the project', async () => {
    const { stdout } = await run(
      process.execPath,
      [join(import.meta.dirname, '..', 'fixtures', 'sentry-feedback-app.ts'), `http://${fl.key}@${fl.otlpHttp.replace('http://', '')}/1`],
      {
        timeout: 60_000,
      },
    );
    const ids = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { eventId: string; aboutError: string; general: string };
    const event = await eventually(async () => {
      const res = await fl.get(`/api/v1/projects/default/events/${ids.eventId}`);
      return res.status === 200 ? (res.body as { issueId: string }) : null;
    });
    const all = await eventually(async () => {
      const found = await list('/api/v1/projects/default/feedback');
      return found.length === 2 ? found : null;
    });
    const about = all.find((f) => f.id === ids.aboutError);
    expect(about).toMatchObject({
      eventId: ids.eventId,
      issueId: event.issueId,
      name: 'Jane Doe',
      email: 'jane@example.com',
      message: 'I clicked "Pay" and nothing happened',
      url: 'https://shop.example.com/cart',
      release: 'shop@3.0.0',
      environment: 'production',
      userId: 'user-7',
    });
    const general = all.find((f) => f.id === ids.general);
    expect(general).toMatchObject({ eventId: '', issueId: null, name: 'Bo', email: 'scope@example.com' });
    expect(general?.message).toBe('Please add PayPal. My card [Filtered] keeps failing');
    expect((await list(`/api/v1/projects/default/issues/${event.issueId}/feedback`)).map((f) => f.id)).toEqual([ids.aboutError]);
  });

  test('a crash report sent before its event finds the issue once the event arrives; a resend is listed once', async () => {
    const eventId = 'f'.repeat(32);
    const report = { event_id: eventId, name: 'Ola', email: 'ola@example.com', comments: 'Crashed while saving' };
    expect((await post(envelope([{ type: 'user_report', payload: report }]))).status).toBe(200);
    const early = await eventually(
      async () => (await list('/api/v1/projects/default/feedback')).find((f) => f.eventId === eventId) ?? null,
    );
    expect(early).toMatchObject({ issueId: null, source: 'user_report', message: 'Crashed while saving' });
    expect(
      (
        await post(
          envelope([{ type: 'event', payload: { event_id: eventId, exception: { values: [{ type: 'Error', value: 'save failed' }] } } }]),
        )
      ).status,
    ).toBe(200);
    expect((await post(envelope([{ type: 'user_report', payload: report }]))).status).toBe(200);
    const issueId = await eventually(async () => {
      const res = await fl.get(`/api/v1/projects/default/events/${eventId}`);
      return res.status === 200 ? (res.body as { issueId: string }).issueId : null;
    });
    const onIssue = await eventually(async () => {
      const found = await list(`/api/v1/projects/default/issues/${issueId}/feedback`);
      return found.length > 0 ? found : null;
    });
    expect(onIssue.map((f) => [f.id, f.issueId])).toEqual([[eventId, issueId]]);
    expect((await list('/api/v1/projects/default/feedback')).filter((f) => f.eventId === eventId)).toHaveLength(1);
  });

  test('bad feedback gets a 400 naming the field, other items of the envelope still count; bad queries are refused', async () => {
    const empty = await post(envelope([{ type: 'feedback', payload: { contexts: { feedback: { message: '' } } } }]));
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { detail: string }).detail).toContain('contexts.feedback.message is empty');
    const mixed = await post(
      envelope([
        { type: 'user_report', payload: { comments: 'no event id' } },
        { type: 'feedback', payload: { contexts: { feedback: { message: 'kept despite its neighbour' } } } },
      ]),
    );
    expect(mixed.status).toBe(200);
    await eventually(async () =>
      (await list('/api/v1/projects/default/feedback?limit=500')).some((f) => f.message === 'kept despite its neighbour') ? true : null,
    );
    expect((await fl.get('/api/v1/projects/default/issues/0123456789abcdef/feedback')).status).toBe(404);
    expect((await fl.get("/api/v1/projects/default/issues/x'%20OR%201=1/feedback")).status).toBe(400);
    expect((await fl.get('/api/v1/projects/default/feedback?start=2026-01-02&end=2026-01-01')).status).toBe(400);
    expect((await fl.get('/api/v1/projects/default/feedback?limit=0')).status).toBe(400);
  });
});

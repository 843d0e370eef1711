import { describe, expect, test } from 'vitest';
import { formatErrorOf as reason } from './fixtures.ts';
import { MAX_FEEDBACK_MESSAGE, parseFeedbackItem, parseUserReportItem } from './index.ts';

const RECEIVED_MS = 1764700000000;

/** The shape `captureFeedback` of @sentry/core sends (an event of type feedback), after the SDK's scope is applied. */
const widgetFeedback = {
  event_id: 'A1B2C3D4E5F60718293A4B5C6D7E8F90',
  timestamp: 1764699990.25,
  type: 'feedback',
  level: 'info',
  release: 'shop-web@5.1.0',
  environment: 'production',
  user: { id: 'u-7', email: 'scope@example.com', username: 'scoped' },
  tags: { browser: 'Firefox' },
  contexts: {
    trace: { trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331' },
    feedback: {
      message: '  The checkout button does nothing  ',
      contact_email: 'jane@example.com',
      name: 'Jane',
      url: 'https://shop.example.com/cart',
      source: 'widget',
      associated_event_id: '9b2f0e6a-1c4d-4e8f-9a3b-5c6d7e8f9a0b',
    },
  },
};

describe('parseFeedbackItem', () => {
  test('reads the feedback context, the scope and the associated event', () => {
    expect(parseFeedbackItem(widgetFeedback, RECEIVED_MS)).toEqual({
      feedbackId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      timestampMs: 1764699990250,
      associatedEventId: '9b2f0e6a1c4d4e8f9a3b5c6d7e8f9a0b',
      name: 'Jane',
      email: 'jane@example.com',
      message: 'The checkout button does nothing',
      url: 'https://shop.example.com/cart',
      source: 'widget',
      release: 'shop-web@5.1.0',
      environment: 'production',
      userId: 'u-7',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      tags: { browser: 'Firefox' },
    });
  });

  test('feedback about nothing in particular, contact taken from the user, receive time when the SDK sent none', () => {
    const f = parseFeedbackItem(
      { user: { email: 'u@example.com', username: 'u' }, contexts: { feedback: { message: 'Love it' } } },
      RECEIVED_MS,
    );
    expect(f).toMatchObject({ associatedEventId: '', email: 'u@example.com', name: 'u', timestampMs: RECEIVED_MS, source: 'feedback' });
    expect(f.feedbackId).toMatch(/^[0-9a-f]{32}$/);
  });

  test('without a url of its own, the page comes from the event\'s request.url (what @sentry/browser sends)', () => {
    const contexts = { feedback: { message: 'Broken' } };
    const f = parseFeedbackItem({ contexts, request: { url: 'https://shop.example.com/checkout', headers: { 'User-Agent': 'Mozilla/5.0' } } }, RECEIVED_MS);
    expect(f.url).toBe('https://shop.example.com/checkout');
    const own = parseFeedbackItem({ contexts: { feedback: { message: 'Broken', url: 'https://a.example/x' } }, request: { url: 'https://b.example/y' } }, RECEIVED_MS);
    expect(own.url).toBe('https://a.example/x');
  });

  test('a long message is cut, not refused', () => {
    const f = parseFeedbackItem({ contexts: { feedback: { message: 'x'.repeat(MAX_FEEDBACK_MESSAGE + 10) } } }, RECEIVED_MS);
    expect(f.message).toHaveLength(MAX_FEEDBACK_MESSAGE);
  });

  test('refuses what is not feedback, naming the field', () => {
    expect(reason(() => parseFeedbackItem([], RECEIVED_MS))).toBe('feedback must be a JSON object, got an array');
    expect(reason(() => parseFeedbackItem({ contexts: { feedback: { message: '   ' } } }, RECEIVED_MS))).toBe(
      'contexts.feedback.message is empty: feedback needs a message',
    );
    expect(
      reason(() => parseFeedbackItem({ contexts: { feedback: { message: 'hi', associated_event_id: "' OR 1=1 --" } } }, RECEIVED_MS)),
    ).toBe(`contexts.feedback.associated_event_id "' OR 1=1 --" is not an event id`);
  });
});

describe('parseUserReportItem', () => {
  test('the crash-report dialog: its id is the event it reports on', () => {
    const r = parseUserReportItem(
      { event_id: '9b2f0e6a1c4d4e8f9a3b5c6d7e8f9a0b', name: 'Bo', email: 'bo@example.com', comments: 'It crashed when I paid' },
      RECEIVED_MS,
    );
    expect(r).toMatchObject({
      feedbackId: '9b2f0e6a1c4d4e8f9a3b5c6d7e8f9a0b',
      associatedEventId: '9b2f0e6a1c4d4e8f9a3b5c6d7e8f9a0b',
      name: 'Bo',
      email: 'bo@example.com',
      message: 'It crashed when I paid',
      source: 'user_report',
      timestampMs: RECEIVED_MS,
    });
  });

  test('needs an event id and comments', () => {
    expect(reason(() => parseUserReportItem({ comments: 'x' }, RECEIVED_MS))).toBe(
      'user_report has no event_id: it must name the event the user reports on',
    );
    expect(reason(() => parseUserReportItem({ event_id: '9b2f0e6a1c4d4e8f9a3b5c6d7e8f9a0b' }, RECEIVED_MS))).toBe(
      'user_report comments is empty: feedback needs a message',
    );
  });
});

import { z } from 'zod';

// Answers of the issue and event routes (issues.ts), as the OpenAPI document declares them.

/** An issue in answers (`issueOut`): aggregates, workflow state and the Sentry-style short id. */
export const issueSchema = z.object({
  id: z.string(),
  shortId: z.string(),
  project: z.string().meta({ description: 'slug of the project' }),
  title: z.string(),
  culprit: z.string(),
  type: z.string(),
  value: z.string(),
  level: z.string(),
  platform: z.string(),
  status: z.enum(['unresolved', 'resolved', 'ignored']),
  resolvedInRelease: z.string().meta({ description: "the release the issue was resolved in ('' when resolved for good or not resolved)" }),
  resolvedInNextRelease: z.boolean().meta({ description: 'resolved in the release after `resolvedInRelease`: only newer releases regress' }),
  ignoreUntilEvents: z.number(),
  ignoreUntil: z.string().meta({ description: 'ISO time an ignore ends by; empty when it has no time limit' }),
  ignoreUntilUsers: z.number(),
  assignee: z.string(),
  count: z.number(),
  userCount: z.number(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  firstRelease: z.string(),
  lastRelease: z.string(),
});

const frameSchema = z.object({
  filename: z.string(),
  absPath: z.string(),
  function: z.string(),
  module: z.string(),
  lineno: z.number().nullable(),
  colno: z.number().nullable(),
  inApp: z.boolean(),
  contextLine: z.string().nullable(),
  preContext: z.array(z.string()),
  postContext: z.array(z.string()),
});

/** A breadcrumb: the event's own, or one the browser recorded earlier in the trace (`origin: "page"`). */
const breadcrumbSchema = z.looseObject({
  timestamp: z.string().meta({ description: 'ISO-8601, as every coarse time in answers' }),
  timestampMs: z.number().meta({ description: 'the same time in Unix milliseconds' }),
  type: z.string().optional(),
  category: z.string().optional(),
  message: z.string().optional(),
  level: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  origin: z.literal('page').optional(),
});

/** The contract's event shape (`eventOut`). */
export const eventSchema = z.object({
  eventId: z.string(),
  issueId: z.string(),
  timestamp: z.string(),
  level: z.string(),
  platform: z.string(),
  sdk: z.object({ name: z.string(), version: z.string() }),
  source: z.string(),
  title: z.string(),
  culprit: z.string(),
  message: z.string(),
  release: z.string(),
  environment: z.string(),
  serverName: z.string(),
  serviceName: z.string(),
  transaction: z.string(),
  traceId: z.string(),
  spanId: z.string(),
  user: z.object({ id: z.string(), email: z.string(), username: z.string(), ipAddress: z.string() }),
  tags: z.record(z.string(), z.string()),
  contexts: z.record(z.string(), z.unknown()),
  breadcrumbs: z.array(breadcrumbSchema),
  request: z
    .object({
      method: z.string(),
      url: z.string(),
      queryString: z.string().meta({ description: "without the leading '?'" }),
      headers: z.record(z.string(), z.string()),
      data: z.unknown().meta({ description: 'the body when the SDK sent one (a JSON body parsed), else null' }),
    })
    .nullable()
    .meta({ description: "the HTTP request of a Sentry event (Sentry's `request`), scrubbed at ingest; null when it had none" }),
  extra: z.record(z.string(), z.unknown()).meta({ description: "Sentry's `extra` (scope.setExtra, a thrown object's keys under __serialized__), scrubbed" }),
  modules: z.record(z.string(), z.string()).meta({ description: "Sentry's `modules`: package name → version" }),
  grouping: z
    .object({
      strategy: z.string().meta({ description: "'fingerprint', 'in_app', 'all_frames' or 'message'" }),
      hash: z.string().meta({ description: '32 hex characters; events with the same hash are one issue' }),
    })
    .meta({ description: 'how the event was grouped (docs/grouping.md): its custom fingerprint, its in-app frames, all its frames, or its message' }),
  exception: z.object({
    values: z.array(
      z.object({
        type: z.string(),
        value: z.string(),
        module: z.string(),
        mechanism: z.looseObject({ type: z.string(), handled: z.boolean().optional() }).nullable(),
        stacktrace: z.object({ frames: z.array(frameSchema).meta({ description: 'oldest call first' }) }),
      }),
    ),
  }),
});

export const activitySchema = z.object({
  id: z.string(),
  kind: z.enum(['first_seen', 'regression', 'status_change', 'unignored', 'assigned', 'note']),
  timestamp: z.string(),
  actor: z.string(),
  actorName: z.string().meta({ description: 'label of the acting token; empty when it has none (or for "system")' }),
  data: z.record(z.string(), z.unknown()),
});

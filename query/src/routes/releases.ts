import { z } from 'zod';
import { compareReleases, listReleaseRows, releaseStats, type Database, type ReleaseRow, type ReleaseStats } from '@faultline/storage';
import { notFound } from '../http.ts';
import { limitParam } from '../params.ts';
import { route, type Route } from '../router.ts';

type Numeric = { [K in keyof ReleaseStats]: ReleaseStats[K] extends number | null ? K : never }[keyof ReleaseStats];
const COMPARED: Numeric[] = ['errorEvents', 'affectedUsers', 'newIssues', 'regressedIssues', 'errorRate', 'crashFreeSessions', 'crashFreeUsers', 'p95DurationNano'];

function deltas(current: ReleaseStats, previous: ReleaseStats | null): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const key of COMPARED) {
    const a = current[key];
    const b = previous?.[key];
    out[key] = a === null || b === null || b === undefined ? null : a - b;
  }
  return out;
}

/** The figures with each top operation's p95 in the previous release beside its own (null where it had no calls there among its top ones). */
function withPrevious(current: ReleaseStats, previous: ReleaseStats | null) {
  const before = new Map((previous?.topOperations ?? []).map((o) => [`${o.service}\u0000${o.name}`, o.p95DurationNano]));
  return {
    ...current,
    topOperations: current.topOperations.map((o) => ({ ...o, previousP95DurationNano: before.get(`${o.service}\u0000${o.name}`) ?? null })),
  };
}

const releaseRow = {
  version: z.string(),
  firstSeen: z.string(),
  lastSeen: z.string(),
} satisfies Record<keyof ReleaseRow, z.ZodType>;

/** `ReleaseStats`: figures of one release. */
const releaseFigures = {
  errorEvents: z.number(),
  affectedUsers: z.number(),
  newIssues: z.number(),
  regressedIssues: z.number(),
  spanCalls: z.number(),
  spanErrors: z.number(),
  errorRate: z.number().nullable().meta({ description: 'span errors / span calls (null without spans)' }),
  sessions: z.number(),
  crashedSessions: z.number(),
  crashFreeSessions: z.number().nullable(),
  sessionUsers: z.number(),
  crashedUsers: z.number(),
  crashFreeUsers: z.number().nullable(),
  adoption: z.number().nullable().meta({ description: "share of the project's calls in the last 24 h that carried this release" }),
  p95DurationNano: z.number().nullable().meta({ description: 'p95 duration of the release\'s entry spans (SERVER, CONSUMER), ns; null without any' }),
  topOperations: z.array(
    z.object({
      service: z.string(),
      name: z.string(),
      calls: z.number(),
      p95DurationNano: z.number(),
      previousP95DurationNano: z.number().nullable().meta({ description: "the operation's p95 in the previous release (null when it was not among that release's top operations)" }),
    }),
  ),
} satisfies Record<keyof ReleaseStats, z.ZodType>;

/** This release's figure minus the previous release's (null when either is missing). */
const deltasSchema = z.object(
  Object.fromEntries(COMPARED.map((key) => [key, z.number().nullable()])) as Record<Numeric, z.ZodNullable<z.ZodNumber>>,
);

export function releaseRoutes(db: Database): Route[] {
  /** Newest first: semver order when both parse, else first-seen order. */
  async function ordered(projectId: number) {
    const rows = await listReleaseRows(db, projectId);
    const firstSeen = new Map(rows.map((r) => [r.version, Date.parse(r.firstSeen)]));
    return rows.sort((a, b) => compareReleases(b.version, a.version, firstSeen) || Date.parse(b.firstSeen) - Date.parse(a.firstSeen));
  }

  return [
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/releases',
      summary: 'Releases, newest first (semver order), with error impact against the previous release.',
      access: 'read',
      query: z.object({ limit: limitParam(200, 20) }),
      response: z.object({
        releases: z.array(z.object({ ...releaseRow, ...releaseFigures, previousVersion: z.string().nullable(), deltas: deltasSchema })),
      }),
      async handler({ project, query }) {
        const rows = (await ordered(project.id)).slice(0, query.limit + 1);
        const stats = await Promise.all(rows.map((r) => releaseStats(db, project.id, r.version)));
        const releases = rows.slice(0, query.limit).map((r, i) => ({
          ...r,
          ...withPrevious(stats[i] as ReleaseStats, stats[i + 1] ?? null),
          previousVersion: rows[i + 1]?.version ?? null,
          deltas: deltas(stats[i] as ReleaseStats, stats[i + 1] ?? null),
        }));
        return { body: { releases } };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/releases/{version}',
      summary: 'One release: error events, affected users, new and regressed issues, error rate, crash-free rates, p95 of top operations, each against the previous release.',
      access: 'read',
      response: z.object({
        ...releaseRow,
        ...releaseFigures,
        previousVersion: z.string().nullable(),
        previous: z.object({ ...releaseRow, ...releaseFigures }).nullable(),
        deltas: deltasSchema,
      }),
      async handler({ project, params }) {
        const rows = await ordered(project.id);
        const i = rows.findIndex((r) => r.version === params.version);
        const row = rows[i];
        if (!row) throw notFound(`release ${params.version ?? ''}`);
        const previousRow = rows[i + 1] ?? null;
        const [stats, previous] = await Promise.all([releaseStats(db, project.id, row.version), previousRow ? releaseStats(db, project.id, previousRow.version) : null]);
        return {
          body: {
            ...row,
            ...withPrevious(stats, previous),
            previousVersion: previousRow?.version ?? null,
            previous: previousRow && previous ? { ...previousRow, ...withPrevious(previous, null) } : null,
            deltas: deltas(stats, previous),
          },
        };
      },
    }),
  ];
}

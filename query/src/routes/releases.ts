import { z } from 'zod';
import { compareReleases, listReleaseRows, releaseStats, type Database, type ReleaseRow, type ReleaseStats } from '@faultline/storage';
import { notFound } from '../http.ts';
import { limitParam } from '../params.ts';
import { route, type Route } from '../router.ts';

type Numeric = { [K in keyof ReleaseStats]: ReleaseStats[K] extends number | null ? K : never }[keyof ReleaseStats];
const COMPARED: Numeric[] = ['errorEvents', 'affectedUsers', 'newIssues', 'regressedIssues', 'errorRate', 'crashFreeSessions', 'crashFreeUsers'];

function deltas(current: ReleaseStats, previous: ReleaseStats | null): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const key of COMPARED) {
    const a = current[key];
    const b = previous?.[key];
    out[key] = a === null || b === null || b === undefined ? null : a - b;
  }
  return out;
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
  topOperations: z.array(z.object({ service: z.string(), name: z.string(), calls: z.number(), p95DurationNano: z.number() })),
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
          ...(stats[i] as ReleaseStats),
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
            ...stats,
            previous: previousRow && previous ? { ...previousRow, ...previous } : null,
            deltas: deltas(stats, previous),
          },
        };
      },
    }),
  ];
}

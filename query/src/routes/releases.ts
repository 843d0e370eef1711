import { z } from 'zod';
import { listReleaseRows, newestFirst, previousInLine, releaseServices, releasesStats, type Database, type ReleaseRow, type ReleaseStats } from '@faultline/storage';
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
  services: z.array(z.string()).meta({ description: 'services whose spans carried this release (service.version)' }),
} satisfies Record<keyof ReleaseRow | 'services', z.ZodType>;

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
  crashedSessions: z.number().meta({ description: 'sessions that crashed, ended abnormally or saw an unhandled error' }),
  unhandledSessions: z.number().meta({ description: 'of crashedSessions, those with status unhandled (an unhandled error the runtime survived, e.g. in a browser)' }),
  crashFreeSessions: z.number().nullable(),
  sessionUsers: z.number(),
  crashedUsers: z.number(),
  crashFreeUsers: z.number().nullable().meta({
    description: 'from sessions when there are any (null when none names a user, e.g. server aggregates without did); without sessions, 1 − users with error events / users seen in spans',
  }),
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
  /**
   * Newest deploy first, each line (package or service) in its version order (`newestFirst`), each with the services
   * that carried it and the index of the release before it in its line.
   */
  async function ordered(projectId: number) {
    const [rows, services] = await Promise.all([listReleaseRows(db, projectId), releaseServices(db, projectId)]);
    const lined = newestFirst(rows.map((r) => ({ ...r, services: services.get(r.version) ?? [] })));
    return { rows: lined, previous: previousInLine(lined) };
  }

  return [
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/releases',
      summary: 'Releases, newest deploy first with the releases of one package or service in semver order, with error impact against the previous release of the same package or service.',
      access: 'read',
      query: z.object({ limit: limitParam(200, 20) }),
      response: z.object({
        releases: z.array(z.object({ ...releaseRow, ...releaseFigures, previousVersion: z.string().nullable(), deltas: deltasSchema })),
      }),
      async handler({ project, query }) {
        const { rows, previous } = await ordered(project.id);
        const shown = rows.slice(0, query.limit);
        // The figures of the shown releases and of those they are compared with, each read once.
        const needed = new Set<number>(shown.map((_r, i) => i));
        for (let i = 0; i < shown.length; i++) if (previous[i] != null) needed.add(previous[i] as number);
        const byVersion = await releasesStats(db, project.id, [...needed].map((i) => (rows[i] as { version: string }).version));
        const stats = new Map<number, ReleaseStats>([...needed].map((i) => [i, byVersion.get((rows[i] as { version: string }).version) as ReleaseStats]));
        const releases = shown.map((r, i) => {
          const p = previous[i] ?? null;
          const before = p === null ? null : (stats.get(p) ?? null);
          return {
            ...r,
            ...withPrevious(stats.get(i) as ReleaseStats, before),
            previousVersion: p === null ? null : (rows[p]?.version ?? null),
            deltas: deltas(stats.get(i) as ReleaseStats, before),
          };
        });
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
        const { rows, previous: before } = await ordered(project.id);
        const i = rows.findIndex((r) => r.version === params.version);
        const row = rows[i];
        if (!row) throw notFound(`release ${params.version ?? ''}`);
        const p = before[i] ?? null;
        const previousRow = p === null ? null : (rows[p] ?? null);
        const both = await releasesStats(db, project.id, previousRow ? [row.version, previousRow.version] : [row.version]);
        const stats = both.get(row.version) as ReleaseStats;
        const previous = previousRow ? (both.get(previousRow.version) ?? null) : null;
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

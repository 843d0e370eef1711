import { z } from 'zod';
import {
  SLUG_PATTERN,
  SLUG_RULE,
  createApiToken,
  createIngestKey,
  createProject,
  findProject,
  listApiTokens,
  listIngestKeys,
  listProjects,
  projectSettings,
  revokeApiToken,
  revokeIngestKey,
  revokeInstanceToken,
  updateProject,
  type Database,
} from '@faultline/storage';
import { canSee, requireWrite } from '../auth.ts';
import { ApiError, limitReached, notFound } from '../http.ts';
import { route, type Route } from '../router.ts';

const projectSchema = z.object({ id: z.number(), slug: z.string(), name: z.string() });

const settingsSchema = z
  .object({
    scrubPii: z.boolean().optional(),
    scrubExtraKeys: z.array(z.string().min(1).max(100)).max(100).optional(),
    scrubSafeKeys: z.array(z.string().min(1).max(256)).max(100).optional(),
    rateLimitPerSecond: z.number().int().min(0).max(100_000_000).optional(),
  })
  .strict();

/**
 * Usable (unrevoked) ingest keys, and API tokens, one project may hold: every key is resolved by each collector, and
 * both lists are read whole; thousands would serve no one. Revoked ones do not count.
 */
export const MAX_CREDENTIALS_PER_PROJECT = 100;

/** Whether a project already holds its cap of unrevoked keys or tokens. */
const atCredentialCap = (items: ReadonlyArray<{ revoked: boolean }>): boolean => items.filter((c) => !c.revoked).length >= MAX_CREDENTIALS_PER_PROJECT;

export function adminRoutes(db: Database): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/v1/projects',
      summary: 'Projects the token may see.',
      access: 'read',
      response: z.object({ projects: z.array(projectSchema) }),
      async handler({ token }) {
        const projects = (await listProjects(db)).filter((p) => token !== null && canSee(token, p));
        return { body: { projects } };
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/projects',
      summary: 'Create a project with an ingest key and an admin token (instance admins only).',
      access: 'instance_admin',
      body: z.object({
        slug: z.string().regex(SLUG_PATTERN, `must be ${SLUG_RULE}`),
        name: z.string().min(1).max(200).optional(),
      }),
      response: projectSchema.extend({ ingestKey: z.string(), token: z.string() }),
      async handler({ body }) {
        if (await findProject(db, body.slug)) throw new ApiError(409, 'conflict', `a project with slug "${body.slug}" exists`);
        const project = await createProject(db, body.slug, body.name ?? body.slug);
        const key = await createIngestKey(db, project.id);
        const token = await createApiToken(db, project.id, 'admin');
        return { status: 201, body: { id: project.id, slug: project.slug, name: project.name, ingestKey: key.key, token: token.token } };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}',
      summary: 'A project with its settings (PII scrubbing, rate limit).',
      access: 'read',
      response: projectSchema.extend({ settings: settingsSchema }),
      async handler({ project }) {
        const settings = (await projectSettings(db)).get(project.id) ?? {};
        return { body: { ...project, settings } };
      },
    }),
    route({
      method: 'PATCH',
      path: '/api/v1/projects/{project}',
      summary: 'Rename a project or change its settings (the collector applies them within seconds).',
      access: 'admin',
      body: z.object({ name: z.string().min(1).max(200).optional(), settings: settingsSchema.optional() }).strict(),
      response: projectSchema.extend({ settings: settingsSchema }),
      async handler({ project, body, token }) {
        if (token) requireWrite(token);
        await updateProject(db, project, body);
        const settings = (await projectSettings(db)).get(project.id) ?? {};
        return { body: { ...project, name: body.name ?? project.name, settings } };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/keys',
      summary: 'Ingest keys of a project (admins only).',
      access: 'admin',
      response: z.object({ keys: z.array(z.object({ id: z.string(), key: z.string(), createdAt: z.string(), revoked: z.boolean() })) }),
      async handler({ project }) {
        const keys = (await listIngestKeys(db, project.id)).map(({ id, key, createdAt, revoked }) => ({ id, key, createdAt, revoked }));
        return { body: { keys } };
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/projects/{project}/keys',
      summary: `Create an ingest key (409 limit_reached past ${MAX_CREDENTIALS_PER_PROJECT} unrevoked keys).`,
      access: 'admin',
      response: z.object({ id: z.string(), key: z.string() }),
      async handler({ project }) {
        if (atCredentialCap(await listIngestKeys(db, project.id))) throw limitReached(MAX_CREDENTIALS_PER_PROJECT, 'usable ingest keys', 'revoke one');
        const key = await createIngestKey(db, project.id);
        return { status: 201, body: { id: key.id, key: key.key } };
      },
    }),
    route({
      method: 'DELETE',
      path: '/api/v1/projects/{project}/keys/{keyId}',
      summary: 'Revoke an ingest key; ingest with it is refused within seconds.',
      access: 'admin',
      async handler({ project, params }) {
        if (!(await revokeIngestKey(db, project.id, params.keyId ?? ''))) throw notFound(`ingest key ${params.keyId ?? ''}`);
        return { status: 204 };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/tokens',
      summary: "The project's API tokens (never the tokens themselves: they are stored hashed).",
      access: 'admin',
      response: z.object({
        tokens: z.array(z.object({ id: z.string(), role: z.enum(['admin', 'read']), label: z.string(), createdAt: z.string(), revoked: z.boolean() })),
      }),
      async handler({ project }) {
        const tokens = await listApiTokens(db, project.id);
        return { body: { tokens: tokens.map((t) => ({ ...t, role: t.role === 'admin' ? ('admin' as const) : ('read' as const) })) } };
      },
    }),
    route({
      method: 'DELETE',
      path: '/api/v1/projects/{project}/tokens/{tokenId}',
      summary: 'Revoke an API token; it and the UI sessions signed in with it are refused within seconds.',
      access: 'admin',
      async handler({ project, params, token }) {
        if (token) requireWrite(token);
        if (!(await revokeApiToken(db, project.id, params.tokenId ?? ''))) throw notFound(`token ${params.tokenId ?? ''}`);
        return { status: 204 };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/tokens',
      summary: 'Instance-wide API tokens (instance admins only; never the tokens themselves: they are stored hashed).',
      access: 'instance_admin',
      response: z.object({
        tokens: z.array(z.object({ id: z.string(), role: z.enum(['instance_admin']), label: z.string(), createdAt: z.string(), revoked: z.boolean() })),
      }),
      async handler() {
        const tokens = await listApiTokens(db, 0);
        return { body: { tokens: tokens.map((t) => ({ ...t, role: 'instance_admin' as const })) } };
      },
    }),
    route({
      method: 'DELETE',
      path: '/api/v1/tokens/{tokenId}',
      summary: 'Revoke an instance-wide token (409 for the last usable instance admin token: nobody could administer the instance).',
      access: 'instance_admin',
      async handler({ params }) {
        const tokenId = params.tokenId ?? '';
        const outcome = await revokeInstanceToken(db, tokenId);
        if (outcome === 'not_found') throw notFound(`token ${tokenId}`);
        if (outcome === 'last_admin') {
          throw new ApiError(409, 'conflict', 'this is the last usable instance admin token: set a new FAULTLINE_BOOTSTRAP_ADMIN_TOKEN and restart to rotate it');
        }
        return { status: 204 };
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/projects/{project}/tokens',
      summary: `Create an API token for the project, admin or read-only (409 limit_reached past ${MAX_CREDENTIALS_PER_PROJECT} unrevoked tokens).`,
      access: 'admin',
      body: z.object({
        role: z.enum(['admin', 'read']),
        label: z.string().trim().max(100).default('').meta({ description: 'who or what holds the token; names its changes in issue activity' }),
      }),
      response: z.object({ id: z.string(), token: z.string(), role: z.enum(['admin', 'read']), label: z.string() }),
      async handler({ project, body, token }) {
        if (token) requireWrite(token);
        if (atCredentialCap(await listApiTokens(db, project.id))) throw limitReached(MAX_CREDENTIALS_PER_PROJECT, 'usable API tokens', 'revoke one');
        const created = await createApiToken(db, project.id, body.role, undefined, body.label);
        return { status: 201, body: { id: created.id, token: created.token, role: body.role, label: created.label } };
      },
    }),
  ];
}

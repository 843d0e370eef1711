import { z } from 'zod';
import { deleteReleaseFiles, deleteSourceFile, listSourceFiles, putSourceFile, sourceFileBytes, type Database, type SourceFileKind } from '@faultline/storage';
import { ApiError, badRequest, describeZodError, notFound } from '../http.ts';
import { route, type Route } from '../router.ts';

/** Per file, as Sentry's artifact bundles allow; big enough for a vendor bundle's map with sources. */
export const MAX_SOURCE_FILE_BYTES = 50 * 1024 * 1024;
/** JSON escaping (`\n`, `\"`, `\u…`) can double a map's size on the wire. */
const MAX_UPLOAD_BODY_BYTES = 2 * MAX_SOURCE_FILE_BYTES + 64 * 1024;

const CONTROL = /\p{Cc}/u;

const releaseParam = z
  .string()
  .min(1)
  .max(250)
  .refine((v) => !CONTROL.test(v) && v.trim() === v && v !== '.' && v !== '..', 'must be a release name without control characters or surrounding spaces');

/** Names are what frames will be matched on: a URL, `~/path` (any host) or an absolute path. */
const fileName = z
  .string()
  .min(1, 'must not be empty')
  .max(2048)
  .refine((v) => !CONTROL.test(v) && !/\s/.test(v), 'must not contain spaces or control characters')
  .refine((v) => /^(?:~\/|\/|[a-z][\w+.-]*:\/\/)/i.test(v) && !v.endsWith('/'), 'must be a URL, "~/path" or an absolute path naming a file');

const uploadSchema = z.object({
  name: fileName,
  content: z.string().min(1, 'must not be empty'),
  kind: z.enum(['source_map', 'minified_source']).optional(),
});

const fileSchema = z.object({ id: z.string(), name: z.string(), kind: z.enum(['source_map', 'minified_source']), size: z.number(), uploadedAt: z.string() });

/** Without an explicit kind, `.map` files are maps and everything else is the minified source. */
function kindOf(name: string, kind: SourceFileKind | undefined): SourceFileKind {
  return kind ?? (/\.map$/i.test(name.replace(/[?#].*$/, '')) ? 'source_map' : 'minified_source');
}

/** Refuses maps the symbolicator could not use, so a broken upload fails loudly instead of silently later. */
export function validateSourceMap(content: string): void {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    throw badRequest('content of a source map must be JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw badRequest('a source map must be a JSON object');
  const map = json as { version?: unknown; mappings?: unknown; sections?: unknown; sources?: unknown };
  if (map.version !== 3) throw badRequest(`only version 3 source maps are supported (got version ${JSON.stringify(map.version ?? null)})`);
  const plain = typeof map.mappings === 'string' && Array.isArray(map.sources);
  if (!plain && !Array.isArray(map.sections)) throw badRequest('a source map needs "mappings" and "sources" (or "sections" for an index map)');
}

function release(params: Record<string, string>): string {
  const parsed = releaseParam.safeParse(params.version ?? '');
  if (!parsed.success) throw badRequest(describeZodError(parsed.error, 'path parameter "version"'));
  return parsed.data;
}

/** An upload that would take the project past its quota (FAULTLINE_SOURCE_FILES_MAX_BYTES): 409 naming the remedy. */
async function checkQuota(db: Database, projectId: number, release: string, name: string, bytes: number, quota: number): Promise<void> {
  const [used, replaced] = await Promise.all([sourceFileBytes(db, projectId), listSourceFiles(db, projectId, release)]);
  const after = used - (replaced.find((f) => f.name === name)?.size ?? 0) + bytes;
  if (after > quota) {
    throw new ApiError(
      409,
      'limit_reached',
      `a project keeps at most ${quota} bytes of source files (${used} in use, this file ${bytes}); delete the files of releases that no longer send errors (DELETE …/releases/{version}/files) first`,
    );
  }
}

/** `quotaBytes`: what one project's files may hold in all (FAULTLINE_SOURCE_FILES_MAX_BYTES). */
export function sourcemapRoutes(db: Database, quotaBytes: number): Route[] {
  return [
    route({
      method: 'POST',
      path: '/api/v1/projects/{project}/releases/{version}/files',
      summary:
        'Upload a source map or minified file for a release (JSON {name, content, kind?}; up to 50 MiB). The name is the URL frames use, or "~/path" for any host. Uploading a name again replaces the file.',
      access: 'admin',
      // Declared like every other body, so OpenAPI documents it (it was read by the handler, undocumented).
      body: uploadSchema,
      maxBodyBytes: MAX_UPLOAD_BODY_BYTES,
      response: fileSchema,
      async handler({ project, params, body: upload }) {
        const version = release(params);
        const bytes = Buffer.byteLength(upload.content, 'utf8');
        if (bytes > MAX_SOURCE_FILE_BYTES) {
          throw new ApiError(413, 'payload_too_large', `a file may have at most ${MAX_SOURCE_FILE_BYTES} bytes`);
        }
        const kind = kindOf(upload.name, upload.kind);
        if (kind === 'source_map') validateSourceMap(upload.content);
        await checkQuota(db, project.id, version, upload.name, bytes, quotaBytes);
        const file = await putSourceFile(db, { projectId: project.id, release: version, name: upload.name, kind, content: upload.content });
        return { status: 201, body: file };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/projects/{project}/releases/{version}/files',
      summary: 'Source maps and minified files uploaded for a release (names and sizes, no content).',
      access: 'read',
      response: z.object({ files: z.array(fileSchema) }),
      async handler({ project, params }) {
        return { body: { files: await listSourceFiles(db, project.id, release(params)) } };
      },
    }),
    route({
      method: 'DELETE',
      path: '/api/v1/projects/{project}/releases/{version}/files',
      summary: "Delete every file uploaded for a release (answers how many); frames of that release's errors are then shown as sent.",
      access: 'admin',
      response: z.object({ deleted: z.number() }),
      async handler({ project, params }) {
        return { body: { deleted: await deleteReleaseFiles(db, project.id, release(params)) } };
      },
    }),
    route({
      method: 'DELETE',
      path: '/api/v1/projects/{project}/releases/{version}/files/{file}',
      summary: 'Delete an uploaded file by id or by its (percent-encoded) name.',
      access: 'admin',
      async handler({ project, params }) {
        const file = params.file ?? '';
        if (!(await deleteSourceFile(db, project.id, release(params), file))) throw notFound(`file ${file}`);
        return { status: 204 };
      },
    }),
  ];
}

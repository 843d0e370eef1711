import type { RunningCollector } from '@faultline/collector';
import type { Logger } from 'pino';
import {
  apiTokenState,
  createApiToken,
  createIngestKey,
  createProject,
  findProject,
  hashToken,
  ingestKeyState,
  revokeInstanceTokensLabelled,
  type Database,
} from '@faultline/storage';
import { publicIngestUrl, type Config, type Env } from './config.ts';

/** Names the first admin token in issue activity ("bootstrap admin" resolved an issue). */
const BOOTSTRAP_LABEL = 'bootstrap admin';

export interface BootResult {
  /** True on the very first start (project 1 was created now). */
  firstStart: boolean;
  /** Secrets generated now; shown once on stdout, never logged. */
  generatedKey: string | null;
  generatedToken: string | null;
}

/**
 * First start: project 1 `default` with one ingest key and one instance admin token, from
 * FAULTLINE_BOOTSTRAP_* when set, random otherwise. Later starts only make sure configured bootstrap
 * secrets exist (so docker restarts with the same environment keep working):
 * - a configured secret that was ever stored is never stored again: once revoked it stays revoked (a warning says
 *   so at every start until the variable changes);
 * - a new FAULTLINE_BOOTSTRAP_ADMIN_TOKEN rotates: the bootstrap's earlier instance admin tokens are revoked.
 */
export async function bootstrap(db: Database, env: Env, log: Logger): Promise<BootResult> {
  const existing = await findProject(db, '1');
  const result: BootResult = { firstStart: existing === null, generatedKey: null, generatedToken: null };
  if (!existing) await createProject(db, 'default', 'Default', 1);
  const presetKey = env.FAULTLINE_BOOTSTRAP_INGEST_KEY;
  if (presetKey) {
    const state = await ingestKeyState(db, presetKey);
    if (state === null) await createIngestKey(db, 1, presetKey);
    if (state === 'revoked') log.warn('FAULTLINE_BOOTSTRAP_INGEST_KEY is a revoked ingest key: it stays revoked (set a new key or unset the variable)');
  } else if (result.firstStart) {
    result.generatedKey = (await createIngestKey(db, 1)).key;
  }
  const presetToken = env.FAULTLINE_BOOTSTRAP_ADMIN_TOKEN;
  if (presetToken) {
    const state = await apiTokenState(db, presetToken);
    if (state === null) {
      const created = await createApiToken(db, 0, 'instance_admin', presetToken, BOOTSTRAP_LABEL);
      const revoked = await revokeInstanceTokensLabelled(db, BOOTSTRAP_LABEL, hashToken(presetToken));
      if (revoked.length > 0) {
        log.info({ tokenId: created.id, revokedTokenIds: revoked }, 'FAULTLINE_BOOTSTRAP_ADMIN_TOKEN changed: the new instance admin token replaces the previous one, which is revoked');
      }
    }
    if (state === 'revoked') log.warn('FAULTLINE_BOOTSTRAP_ADMIN_TOKEN is a revoked token: it stays revoked (set a new token or unset the variable)');
  } else if (result.firstStart) {
    result.generatedToken = (await createApiToken(db, 0, 'instance_admin', undefined, BOOTSTRAP_LABEL)).token;
  }
  return result;
}

interface BannerInfo {
  role: string;
  queryPort: number | null;
  collector: RunningCollector | null;
  storage: string;
}

/** The OTLP/HTTP endpoint the banner names: the UI's rule (publicIngestUrl), else the UI's host on the collector's port. */
function ingestEndpoint(config: Config, host: string, port: number): string {
  return publicIngestUrl(config, port) ?? `http://${host}:${port}`;
}

/** The startup banner (plain text on stdout, apart from the JSON logs). Secrets appear only when just generated. */
export function printBanner(config: Config, boot: BootResult, info: BannerInfo, write: (s: string) => void = (s) => process.stdout.write(s)): void {
  const host = new URL(config.publicUrl).hostname;
  const key = boot.generatedKey ?? (config.env.FAULTLINE_BOOTSTRAP_INGEST_KEY ? '<FAULTLINE_BOOTSTRAP_INGEST_KEY>' : '<your ingest key>');
  const lines = ['', `Faultline (${info.role}, storage: ${info.storage})`];
  if (info.queryPort !== null) {
    lines.push(`  UI and API:   ${config.publicUrl}/`);
    if (boot.generatedToken) lines.push(`  Sign in:      ${config.publicUrl}/?token=${boot.generatedToken}`);
  }
  if (info.collector) {
    lines.push(`  OTLP/gRPC:    ${host}:${info.collector.grpcPort}`, `  OTLP/HTTP:    ${ingestEndpoint(config, host, info.collector.httpPort)}`);
  }
  if (boot.generatedKey || boot.generatedToken) {
    lines.push('', 'Created project 1 "default". These secrets are shown once; keep them:');
    if (boot.generatedKey) lines.push(`  Ingest key:   ${boot.generatedKey}`);
    if (boot.generatedToken) lines.push(`  Admin token:  ${boot.generatedToken}`);
  }
  if (info.collector) {
    const endpoint = new URL(ingestEndpoint(config, host, info.collector.httpPort));
    const path = endpoint.pathname.replace(/\/+$/, '');
    lines.push(
      '',
      'Point an OpenTelemetry SDK at it:',
      `  OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint.origin}${path}`,
      `  OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf`,
      `  OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20${key}`,
      '',
      `Sentry SDK DSN:  ${endpoint.protocol}//${key}@${endpoint.host}${path}/1`,
    );
  }
  write(lines.join('\n') + '\n\n');
}

import { parseArgs } from 'node:util';
import { runAdminCommand } from './admin-commands.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger, start, type Role } from './start.ts';

const HELP = `faultline — error tracking and APM on OpenTelemetry and ClickHouse

  faultline start [--role all|collector|query]   run the server (default role: all)
  faultline projects|keys|tokens …               administration through the API (faultline keys --help)
  faultline sourcemaps upload <dir> --release …  upload source maps for a release
`;

async function runStart(role: string): Promise<number> {
  if (!['all', 'collector', 'query'].includes(role)) {
    process.stderr.write(`unknown role "${role}": use all, collector or query\n`);
    return 2;
  }
  const config = loadConfig();
  const log = createLogger(config);
  const running = await start(config, role as Role, { log });
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down: flushing queued telemetry');
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  return -1;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string', default: 'all' },
      project: { type: 'string' },
      name: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      release: { type: 'string' },
      'url-prefix': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, action, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (command === 'start') return runStart(values.role);
  if (['projects', 'keys', 'tokens', 'sourcemaps'].includes(command)) {
    return runAdminCommand(
      { command, action, rest, project: values.project, name: values.name, role: values.role === 'all' ? undefined : values.role, url: values.url, token: values.token, release: values.release, urlPrefix: values['url-prefix'] },
      { out: (s) => process.stdout.write(s) },
    );
  }
  process.stderr.write(`unknown command "${command}"\n${HELP}`);
  return 2;
}

export function run(argv: string[]): void {
  main(argv).then(
    (code) => {
      if (code >= 0) process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof ConfigError ? err.message : `error: ${(err as Error).stack ?? String(err)}`}\n`);
      process.exitCode = 1;
    },
  );
}

import { parseArgs } from 'node:util';
import { ADMIN_OPTIONS, CommandError, adminUsage, isAdminCommand, runAdminCommand, type AdminCommand } from './admin-commands.ts';
import { ConfigError, loadConfig } from './config.ts';
import { StartError } from './start-errors.ts';
import { createLogger, start, type Role, type Running } from './start.ts';

const HELP = `faultline — error tracking and APM on OpenTelemetry and ClickHouse

  faultline start [--role all|collector|query]   run the server (default role: all)
  faultline projects|keys|tokens|alerts …        administration through the API
  faultline sourcemaps upload <dir> --release …  upload source maps for a release

Run "faultline <command> --help" for the usage of a command.
`;

const START_USAGE = `  faultline start [--role all|collector|query]
    runs the server: the collector (OTLP and Sentry ingest), the query API and UI, or all of it (default role: all);
    configured through FAULTLINE_* environment variables (README.md, Configuration)`;

const OPTIONS = {
  role: { type: 'string' },
  label: { type: 'string' },
  project: { type: 'string' },
  name: { type: 'string' },
  url: { type: 'string' },
  token: { type: 'string' },
  release: { type: 'string' },
  'url-prefix': { type: 'string' },
  kind: { type: 'string' },
  webhook: { type: 'string' },
  threshold: { type: 'string' },
  window: { type: 'string' },
  environment: { type: 'string' },
  level: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Usage of a command (the overview for an unknown or missing one). */
function usageOf(command: string | undefined): string {
  if (command === 'start') return `${START_USAGE}\n`;
  if (isAdminCommand(command)) return `${adminUsage(command)}\n`;
  return HELP;
}

/** Options each command takes; `--help` goes everywhere. */
function optionsOf(command: 'start' | AdminCommand): readonly string[] {
  return command === 'start' ? ['role'] : ADMIN_OPTIONS[command];
}

/** A mistake on the command line: one line saying what, then the usage of the command; exit code 2. */
function usageError(message: string, command: string | undefined): number {
  process.stderr.write(`error: ${message}\n\n${usageOf(command)}`);
  return 2;
}

/** Node's parseArgs errors, in one line ("Unknown option '--slug'. To specify a positional…" → "unknown option --slug"). */
function describeParseError(err: Error & { code?: string }): string {
  const option = /'(-[^' ]*)/.exec(err.message)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`;
  const first = err.message.split('. ')[0] ?? err.message;
  return first.charAt(0).toLowerCase() + first.slice(1);
}

async function runStart(role: string): Promise<number> {
  if (!['all', 'collector', 'query'].includes(role)) {
    process.stderr.write(`unknown role "${role}": use all, collector or query\n`);
    return 2;
  }
  // Until the configuration is read, its log level is not known: a configuration error goes out at the default.
  let log = createLogger();
  let running: Running;
  try {
    const config = loadConfig();
    log = createLogger(config);
    running = await start(config, role as Role, { log });
  } catch (err) {
    // One JSON line like every other log line; a cause start() knows is one sentence naming the setting.
    if (err instanceof ConfigError || err instanceof StartError) log.fatal(err.message);
    else log.fatal({ err }, 'start failed');
    return 1;
  }
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
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS, tokens: true });
  } catch (err) {
    if (!String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_')) throw err;
    // The command, for its usage: the first word once options are read leniently.
    const command = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS, strict: false }).positionals[0];
    return usageError(describeParseError(err as Error), command);
  }
  const { values, positionals, tokens } = parsed;
  const [command, action, ...rest] = positionals;
  if (command === 'help' || (values.help && command === undefined)) {
    process.stdout.write(usageOf(action));
    return 0;
  }
  if (command === undefined) {
    process.stdout.write(HELP);
    return 2;
  }
  if (command !== 'start' && !isAdminCommand(command)) return usageError(`unknown command "${command}"`, undefined);
  const allowed = optionsOf(command);
  const misplaced = tokens.find((t) => t.kind === 'option' && t.name !== 'help' && !allowed.includes(t.name));
  if (misplaced?.kind === 'option') return usageError(`option ${misplaced.rawName} does not apply to "faultline ${command}"`, command);
  if (values.help) {
    process.stdout.write(usageOf(command));
    return 0;
  }
  if (command === 'start') return runStart(values.role ?? 'all');
  return runAdminCommand(
    {
      command,
      action,
      rest,
      project: values.project,
      name: values.name,
      role: values.role,
      label: values.label,
      url: values.url,
      token: values.token,
      release: values.release,
      urlPrefix: values['url-prefix'],
      alert: { name: values.name, kind: values.kind, webhook: values.webhook, threshold: values.threshold, window: values.window, environment: values.environment, level: values.level },
    },
    { out: (s) => process.stdout.write(s) },
  );
}

export function run(argv: string[]): void {
  main(argv).then(
    (code) => {
      if (code >= 0) process.exitCode = code;
    },
    (err: unknown) => {
      const expected = err instanceof ConfigError ? err.message : err instanceof CommandError ? `error: ${err.message}` : null;
      process.stderr.write(`${expected ?? `error: ${(err as Error).stack ?? String(err)}`}\n`);
      process.exitCode = 1;
    },
  );
}

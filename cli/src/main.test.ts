import { spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { main } from './main.ts';

let stdout = '';
let stderr = '';
beforeEach(() => {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('command-line mistakes', () => {
  test('an unknown option: one line naming it, the usage of that command, exit code 2', async () => {
    expect(await main(['projects', 'create', '--slug', 'x'])).toBe(2);
    const [first, ...others] = stderr.split('\n');
    expect(first).toBe('error: unknown option --slug');
    expect(others.join('\n')).toContain('faultline projects create <slug> [--name <name>]');
    expect(stderr).not.toContain('faultline keys list');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stdout).toBe('');
  });

  test('an option without its value, or one another command takes, is a usage error too', async () => {
    expect(await main(['keys', 'list', '--project'])).toBe(2);
    expect(stderr.split('\n')[0]).toBe("error: option '--project <value>' argument missing");
    expect(stderr).toContain('faultline keys list --project <id|slug>');
    stderr = '';
    expect(await main(['projects', 'create', 'shop', '--release', '1.0'])).toBe(2);
    expect(stderr.split('\n')[0]).toBe('error: option --release does not apply to "faultline projects"');
    stderr = '';
    expect(await main(['start', '--project', 'x'])).toBe(2);
    expect(stderr).toContain('faultline start [--role all|collector|query]');
  });

  test('an unknown command or action names itself and shows the usage', async () => {
    expect(await main(['frobnicate'])).toBe(2);
    expect(stderr.split('\n')[0]).toBe('error: unknown command "frobnicate"');
    expect(stderr).toContain('faultline <command> --help');
    expect(await main(['keys', 'frobnicate', '--token', 'flt_x', '--project', 'p'])).toBe(2);
    expect(stdout).toContain('error: unknown action "frobnicate" of faultline keys');
    expect(stdout).toContain('faultline keys revoke <keyId>');
    expect(stdout).not.toContain('faultline projects list');
  });

  test("a raw stack trace never reaches the terminal (the audit's command, through the real entry point)", () => {
    const root = join(import.meta.dirname, '..', '..');
    const run = spawnSync(process.execPath, [join(root, 'bin', 'faultline.ts'), 'projects', 'create', '--slug', 'x'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('error: unknown option --slug');
    expect(run.stderr).not.toContain('ERR_PARSE_ARGS');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('failures of the call', () => {
  /** A port nothing listens on (bound once, then closed). */
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  test('an unreachable server or a missing directory is a message, not a stack trace (exit 1)', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const message = `cannot reach Faultline at ${url} (ECONNREFUSED); set --url or FAULTLINE_URL`;
    await expect(main(['projects', 'list', '--url', url, '--token', 'flt_x'])).rejects.toThrow(message);
    const args = ['sourcemaps', 'upload', '/nonexistent/dist', '--release', '1', '--project', 'p', '--token', 'flt_x'];
    await expect(main(args)).rejects.toThrow('cannot read /nonexistent/dist: ENOENT');
    const root = join(import.meta.dirname, '..', '..');
    const bin = join(root, 'bin', 'faultline.ts');
    const run = spawnSync(process.execPath, [bin, 'keys', 'list', '--project', 'p', '--url', url, '--token', 'flt_x'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`error: ${message}\n`);
  });
});

describe('help', () => {
  test("<command> --help prints that command's usage, not the overview", async () => {
    for (const argv of [
      ['keys', '--help'],
      ['keys', '-h'],
      ['help', 'keys'],
      ['keys', 'list', '--help'],
    ]) {
      stdout = '';
      expect(await main(argv), argv.join(' ')).toBe(0);
      expect(stdout, argv.join(' ')).toContain('faultline keys list --project <id|slug>');
      expect(stdout, argv.join(' ')).toContain('faultline keys revoke <keyId> --project <id|slug>');
      expect(stdout, argv.join(' ')).toContain('--token');
      expect(stdout, argv.join(' ')).not.toContain('faultline projects');
      expect(stdout, argv.join(' ')).not.toContain('faultline start');
    }
    stdout = '';
    expect(await main(['start', '--help'])).toBe(0);
    expect(stdout).toContain('faultline start [--role all|collector|query]');
    expect(stdout).not.toContain('faultline keys');
    stdout = '';
    expect(await main(['sourcemaps', '--help'])).toBe(0);
    expect(stdout).toContain('faultline sourcemaps upload <dir> --release <version>');
    expect(stderr).toBe('');
  });

  test('the overview points to <command> --help', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(stdout).toContain('faultline start');
    expect(stdout).toContain('faultline projects|keys|tokens');
    expect(stdout).toContain('Run "faultline <command> --help"');
    stdout = '';
    expect(await main([])).toBe(2);
    expect(stdout).toContain('faultline <command> --help');
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface Backend {
  url: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

const SERVER = join(import.meta.dirname, '..', '..', 'examples', 'checkout', 'server.ts');

/** Starts examples/checkout/server.ts on a free port, reporting to the given Faultline, as `npm run example` would. */
export function startCheckoutBackend(env: Record<string, string>): Promise<Backend> {
  return startNodeApp(SERVER, { PORT: '0', ...env });
}

/** Runs a Node script in its own process and resolves once it prints `listening on <url>`. */
export async function startNodeApp(script: string, env: Record<string, string>): Promise<Backend> {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${output}`)), 30_000);
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}:\n${output}`)));
  });
  return {
    url,
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

import { inspect } from 'node:util';

export type Mechanism = 'uncaughtException' | 'unhandledRejection';

export interface ProcessHandlerOptions {
  capture(err: unknown, mechanism: Mechanism): void;
  flush(): Promise<void>;
  /** Longest wait for the export before exiting anyway: a dead collector must not keep a crashed process alive. */
  flushTimeoutMs: number;
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    work
      .then(
        () => resolve(),
        () => resolve(),
      )
      .finally(() => clearTimeout(timer));
  });
}

/**
 * Records uncaught exceptions and unhandled rejections, flushes, then does what Node would have done.
 *
 * Only `uncaughtException` is listened to: with Node's default `--unhandled-rejections=throw`, a rejection
 * nobody handles arrives here too (origin `unhandledRejection`), while listening to `unhandledRejection`
 * would itself count as handling it and silently change the process's behaviour.
 *
 * Any listener disables Node's print-and-exit, so it is reproduced here (stack on stderr, exit code 1) —
 * unless the application has its own `uncaughtException` listener, which then owns the decision.
 * Returns the uninstall function.
 */
export function installProcessHandlers(options: ProcessHandlerOptions): () => void {
  let exiting = false;
  const onUncaught = (err: Error, origin: Mechanism): void => {
    try {
      options.capture(err, origin === 'unhandledRejection' ? 'unhandledRejection' : 'uncaughtException');
    } catch {
      // Reporting must never stand between the process and its exit.
    }
    const others = process.listeners('uncaughtException').filter((l) => l !== onUncaught);
    if (others.length > 0) {
      void withTimeout(options.flush(), options.flushTimeoutMs);
      return;
    }
    process.stderr.write(`${inspect(err)}\n\nNode.js ${process.version}\n`);
    if (exiting) return;
    exiting = true;
    void withTimeout(options.flush(), options.flushTimeoutMs).then(() => process.exit(1));
  };
  process.on('uncaughtException', onUncaught);
  return () => {
    process.off('uncaughtException', onUncaught);
  };
}

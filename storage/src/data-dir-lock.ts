import { readFileSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';

/** The embedded engine's data directory is held by another process (one engine per directory). */
export class DataDirInUseError extends Error {
  readonly dataDir: string;
  readonly pid: number | null;

  constructor(dataDir: string, pid: number | null) {
    super(`${dataDir} is in use by another process${pid ? ` (pid ${pid})` : ''}`);
    this.dataDir = dataDir;
    this.pid = pid;
  }
}

/** Whether some process holds a flock on the file (Linux `/proc/locks`); null where that cannot be told. */
function flockHeld(stat: Stats): boolean | null {
  let locks: string;
  try {
    locks = readFileSync('/proc/locks', 'utf8');
  } catch {
    return null;
  }
  // `1: FLOCK  ADVISORY  WRITE 16393 fe:00:4415570 0 EOF`: the device as hex major:minor, then the inode.
  // Linux encodes dev_t as major in bits 8–19 and minor in bits 0–7 and 20–31 (minors above 255: overlay mounts).
  const major = (Math.floor(stat.dev / 0x100) & 0xfff).toString(16).padStart(2, '0');
  const minor = ((stat.dev & 0xff) | (Math.floor(stat.dev / 0x1000) & 0xfff00)).toString(16).padStart(2, '0');
  const device = `${major}:${minor}:${stat.ino}`;
  return locks.split('\n').some((line) => /\bFLOCK\b/.test(line) && line.split(/\s+/).includes(device));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

/**
 * Whether another process runs the engine on `dataDir`. The engine locks `<dataDir>/status` (flock) and writes its
 * pid into it; the file stays behind after a crash, so the pid alone may be stale or reused by now. Where the locks
 * can be read (Linux) the lock decides, elsewhere whether the pid is alive. `trustOwnPid` = false after the engine
 * refused the directory: a process in another container sharing the volume may have the same pid as this one.
 */
export function dataDirHolder(dataDir: string, trustOwnPid = true): { pid: number | null } | null {
  const status = join(dataDir, 'status');
  let text: string;
  let stat: Stats;
  try {
    text = readFileSync(status, 'utf8');
    stat = statSync(status);
  } catch {
    return null;
  }
  const pid = Number(/^PID: (\d+)$/m.exec(text)?.[1] ?? 0) || null;
  // This process's own engine shares the directory between its connections.
  if (trustOwnPid && (pid === null || pid === process.pid)) return null;
  const held = flockHeld(stat);
  if (held !== null) return held ? { pid } : null;
  return pid !== null && alive(pid) ? { pid } : null;
}

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// PGlite takes no lock of its own: two processes on one data directory both write to it and leave
// it unopenable. This file holds the pid of the process that has the directory open.
export const LOCK_FILE = 'sparkify-local.lock';

export class DirectoryInUseError extends Error {
  override readonly name = 'DirectoryInUseError';
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `${dir} is in use by process ${pid}${pid === process.pid ? ' (this process)' : ''}: ` +
        `stop it, or use another directory (the lock is ${join(dir, LOCK_FILE)})`,
    );
  }
}

export interface DirectoryLock {
  release(): void;
}

/**
 * Takes the directory for this process, creating it if needed, or fails at once naming the live
 * process that has it. A lock whose process has died is taken over.
 */
export function lockDirectory(dir: string): DirectoryLock {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, LOCK_FILE);
  const own = String(process.pid);
  for (;;) {
    try {
      writeFileSync(file, own, { flag: 'wx' });
      return { release: () => readHolder(file) === process.pid && rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(file);
    if (holder !== undefined && isAlive(holder)) throw new DirectoryInUseError(dir, holder);
    // A rename is atomic: of two processes taking over the same dead lock, only one moves it away.
    const claimed = `${file}.${own}`;
    try {
      renameSync(file, claimed);
    } catch {
      continue;
    }
    // Another process may have taken the lock over between our read and our rename.
    const moved = readHolder(claimed);
    if (moved !== undefined && moved !== holder && isAlive(moved)) {
      renameSync(claimed, file);
      throw new DirectoryInUseError(dir, moved);
    }
    rmSync(claimed, { force: true });
  }
}

function readHolder(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process of this id runs on this machine (a lock's holder, a scratch directory's owner). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import { mkdirSync, readFileSync, readlinkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// PGlite takes no lock of its own: two processes on one data directory both write to it and leave
// it unopenable. This file names the process that has the directory open.
export const LOCK_FILE = 'sparkify-local.lock';

/**
 * A process as a lock or a scratch directory's name records it. A process id only names a process
 * within its PID namespace: containers that share a directory (a bind-mounted /tmp or project)
 * each count their own, so the namespace is recorded too where the system has them (Linux).
 */
export interface ProcessOwner {
  readonly pid: number;
  readonly namespace?: string;
}

function pidNamespace(): string | undefined {
  try {
    return /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1];
  } catch {
    return undefined;
  }
}

export const THIS_PROCESS: ProcessOwner = { pid: process.pid, namespace: pidNamespace() };

/** `1234`, or `1234@4026531836` with its PID namespace: no blanks or slashes, so it fits a file name. */
export function formatOwner(owner: ProcessOwner): string {
  return owner.namespace === undefined ? String(owner.pid) : `${owner.pid}@${owner.namespace}`;
}

/** The owner a lock or a name records; a bare id, as older versions wrote it, counts as this namespace's. */
export function parseOwner(text: string): ProcessOwner | undefined {
  const match = /^(\d+)(?:@(\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  const pid = Number(match[1]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return match[2] === undefined ? { pid } : { pid, namespace: match[2] };
}

function inAnotherNamespace(owner: ProcessOwner): boolean {
  return (
    owner.namespace !== undefined &&
    THIS_PROCESS.namespace !== undefined &&
    owner.namespace !== THIS_PROCESS.namespace
  );
}

/**
 * Whether the owner may still run. A process of another PID namespace cannot be seen from here, so
 * it counts as running: taking over its lock or removing its database would break a live run.
 */
export function mayBeRunning(owner: ProcessOwner): boolean {
  if (inAnotherNamespace(owner)) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DirectoryInUseError extends Error {
  override readonly name = 'DirectoryInUseError';
  readonly pid: number;
  constructor(
    readonly dir: string,
    holder: ProcessOwner,
  ) {
    const lock = join(dir, LOCK_FILE);
    const who = inAnotherNamespace(holder)
      ? `process ${holder.pid} of another PID namespace (a container sharing the directory?)`
      : `process ${holder.pid}${holder.pid === process.pid ? ' (this process)' : ''}`;
    const remedy = inAnotherNamespace(holder)
      ? `stop it, or use another directory (it cannot be seen from here: if it has stopped, delete the lock ${lock})`
      : `stop it, or use another directory (the lock is ${lock})`;
    super(`${dir} is in use by ${who}: ${remedy}`);
    this.pid = holder.pid;
  }
}

export interface DirectoryLock {
  release(): void;
}

/**
 * Takes the directory for this process, creating it if needed, or fails at once naming the process
 * that has it. A lock whose process has died is taken over.
 */
export function lockDirectory(dir: string): DirectoryLock {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, LOCK_FILE);
  const own = formatOwner(THIS_PROCESS);
  for (;;) {
    try {
      writeFileSync(file, own, { flag: 'wx' });
      return { release: () => readHolder(file) === own && rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(file);
    const holderOwner = holder === undefined ? undefined : parseOwner(holder);
    if (holderOwner !== undefined && mayBeRunning(holderOwner))
      throw new DirectoryInUseError(dir, holderOwner);
    // A rename is atomic: of two processes taking over the same dead lock, only one moves it away.
    const claimed = `${file}.${process.pid}`;
    try {
      renameSync(file, claimed);
    } catch {
      continue;
    }
    // Another process may have taken the lock over between our read and our rename.
    const moved = readHolder(claimed);
    const movedOwner = moved === undefined ? undefined : parseOwner(moved);
    if (movedOwner !== undefined && moved !== holder && mayBeRunning(movedOwner)) {
      renameSync(claimed, file);
      throw new DirectoryInUseError(dir, movedOwner);
    }
    rmSync(claimed, { force: true });
  }
}

function readHolder(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

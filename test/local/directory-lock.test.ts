import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DirectoryInUseError,
  formatOwner,
  LOCK_FILE,
  lockDirectory,
  THIS_PROCESS,
} from '../../local/engine/directory-lock';
import { openEngine } from '../../local/engine/open-engine';

// `--database pglite:DIR` is one process's at a time: PGlite itself would let two write to it.

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sparkify-lock-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const idleProcess = (): ChildProcess => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);

test('a second open of the same directory fails at once, naming the process; the first keeps its data', async () => {
  const first = await openEngine(`pglite:${dir}`);
  try {
    await first.transaction(async (session) => {
      await session.query('CREATE TABLE kept (i INT)');
      await session.query('INSERT INTO kept VALUES (7)');
    });
    const second = openEngine(`pglite:${dir}`);
    await expect(second).rejects.toBeInstanceOf(DirectoryInUseError);
    await expect(second).rejects.toThrow(`${dir} is in use by process ${process.pid} (this process)`);
    const rows = await first.transaction((session) => session.query('SELECT i FROM kept'));
    expect(rows.rows).toEqual([{ i: 7 }]);
  } finally {
    await first.close();
  }
  const reopened = await openEngine(`pglite:${dir}`);
  try {
    const rows = await reopened.transaction((session) => session.query('SELECT i FROM kept'));
    expect(rows.rows).toEqual([{ i: 7 }]);
  } finally {
    await reopened.close();
  }
});

test('a directory served by another process (npm run local:redshift) is refused with its pid until it stops', async () => {
  const server = spawn(process.execPath, [
    'scripts/run.mjs',
    'local/cli/redshift.ts',
    '--database',
    `pglite:${dir}`,
  ]);
  const exited = new Promise((resolve) => server.once('exit', resolve));
  try {
    let output = '';
    await new Promise<void>((resolve, reject) => {
      server.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ctrl-C stops it')) resolve();
      });
      server.once('exit', () => reject(new Error(`the server exited: ${output}`)));
    });
    await expect(openEngine(`pglite:${dir}`)).rejects.toThrow(`${dir} is in use by process ${server.pid}:`);
  } finally {
    server.kill('SIGTERM');
    await exited;
  }
  const engine = await openEngine(`pglite:${dir}`);
  await engine.close();
});

test('a lock held by another live process is refused with its pid', async () => {
  const holder = idleProcess();
  try {
    writeFileSync(join(dir, LOCK_FILE), String(holder.pid));
    expect(() => lockDirectory(dir)).toThrow(`${dir} is in use by process ${holder.pid}: stop it`);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(holder.pid));
  } finally {
    holder.kill();
  }
});

test('a lock left by a dead process is taken over, and released on close', async () => {
  const dead = idleProcess();
  const exited = new Promise((resolve) => dead.once('exit', resolve));
  dead.kill();
  await exited;
  writeFileSync(join(dir, LOCK_FILE), String(dead.pid));

  const lock = lockDirectory(dir);
  expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(formatOwner(THIS_PROCESS));
  lock.release();
  expect(() => readFileSync(join(dir, LOCK_FILE))).toThrow(/ENOENT/);
});

// Containers sharing a directory count process ids each in their own PID namespace: an id that is
// dead here may be a live process there.
const onLinux = THIS_PROCESS.namespace !== undefined;
(onLinux ? test : test.skip)(
  'a lock recorded by a process of another PID namespace is refused even if no process here has its id',
  async () => {
    const dead = idleProcess();
    const exited = new Promise((resolve) => dead.once('exit', resolve));
    dead.kill();
    await exited;
    const elsewhere = formatOwner({ pid: dead.pid!, namespace: `${Number(THIS_PROCESS.namespace) + 1}` });
    writeFileSync(join(dir, LOCK_FILE), elsewhere);

    expect(() => lockDirectory(dir)).toThrow(
      `${dir} is in use by process ${dead.pid} of another PID namespace (a container sharing the directory?): ` +
        `stop it, or use another directory (it cannot be seen from here: if it has stopped, delete the lock ${join(dir, LOCK_FILE)})`,
    );
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(elsewhere);
  },
);

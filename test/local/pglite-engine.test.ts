import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGliteEngine } from '../../local/engine/pglite-engine';
import { formatOwner, THIS_PROCESS } from '../../local/engine/directory-lock';
import { copyCluster } from '../../local/engine/cluster-copy.mjs';

// A new PGlite database is a copy of a fresh cluster's files (pglite-worker.mjs) instead of
// running initdb each time: what one database does must never reach the next one.

const tablesNamed = async (engine: PGliteEngine, name: string) =>
  (
    await engine.transaction((session) =>
      session.query('SELECT relname FROM pg_class WHERE relname = $1', [name]),
    )
  ).rows;

test('each in-memory database starts as a fresh cluster, whatever an earlier one did', async () => {
  const first = await PGliteEngine.open();
  try {
    await first.transaction((session) => session.query('CREATE TABLE left_behind (i INT)'));
    expect(await tablesNamed(first, 'left_behind')).toHaveLength(1);
  } finally {
    await first.close();
  }
  const second = await PGliteEngine.open();
  try {
    expect(await tablesNamed(second, 'left_behind')).toEqual([]);
    const { rows } = await second.transaction((session) =>
      session.query("SELECT datname FROM pg_database WHERE datname NOT LIKE 'template%' ORDER BY 1"),
    );
    expect(rows).toEqual([{ datname: 'postgres' }]);
  } finally {
    await second.close();
  }
});

test('a new data directory gets a fresh cluster that keeps its tables across opens', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparkify-pglite-'));
  try {
    const created = await PGliteEngine.open(dir);
    try {
      await created.transaction((session) => session.query('CREATE TABLE kept_here (i INT)'));
    } finally {
      await created.close();
    }
    const reopened = await PGliteEngine.open(dir);
    try {
      expect(await tablesNamed(reopened, 'kept_here')).toHaveLength(1);
    } finally {
      await reopened.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a copy of the cluster cut short leaves no PG_VERSION, and the next open copies a whole cluster over it', async () => {
  const cluster = mkdtempSync(join(tmpdir(), 'sparkify-pglite-'));
  const targets: string[] = [];
  try {
    await (await PGliteEngine.open(cluster)).close();
    // A file where the copy needs a directory stops it part-way, as a killed run or a full disk
    // would; a copy visits entries in the file system's order, so it is cut at each directory.
    const directories = readdirSync(cluster, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(directories.length).toBeGreaterThan(5);
    for (const { name } of directories) {
      const target = mkdtempSync(join(tmpdir(), 'sparkify-pglite-'));
      targets.push(target);
      writeFileSync(join(target, name), 'not a directory');
      expect(() => copyCluster(cluster, target)).toThrow(name);
      expect(readdirSync(target)).not.toContain('PG_VERSION');
    }

    const cutShort = targets.at(-1)!;
    rmSync(join(cutShort, directories.at(-1)!.name));
    const reopened = await PGliteEngine.open(cutShort);
    try {
      await reopened.transaction((session) => session.query('CREATE TABLE after_the_cut (i INT)'));
      expect(await tablesNamed(reopened, 'after_the_cut')).toHaveLength(1);
    } finally {
      await reopened.close();
    }
  } finally {
    for (const directory of [cluster, ...targets]) rmSync(directory, { recursive: true, force: true });
  }
});

test('a database opened without a directory lives in a new temporary directory, removed when it closes', async () => {
  const engine = await PGliteEngine.open();
  const directory = /a new database in (\S+) until it closes/.exec(engine.description)?.[1];
  try {
    expect(directory?.startsWith(join(tmpdir(), 'sparkify-pglite-'))).toBe(true);
    await engine.transaction((session) => session.query('CREATE TABLE on_disk (i INT)'));
    expect(readdirSync(directory!)).toContain('PG_VERSION');
  } finally {
    await engine.close();
  }
  expect(existsSync(directory!)).toBe(false);
});

test('opening a database removes the temporary databases of processes that are gone', async () => {
  const { pid: goneProcess } = spawnSync(process.execPath, ['--version']);
  const gone = { pid: goneProcess!, namespace: THIS_PROCESS.namespace };
  const abandoned = join(tmpdir(), `sparkify-pglite-${formatOwner(gone)}-abandoned`);
  const olderName = join(tmpdir(), `sparkify-pglite-${goneProcess}-abandoned`);
  const ours = join(tmpdir(), `sparkify-pglite-${formatOwner(THIS_PROCESS)}-kept`);
  // The same id in another PID namespace (a container sharing /tmp) cannot be seen from here.
  const elsewhere =
    THIS_PROCESS.namespace === undefined
      ? undefined
      : join(tmpdir(), `sparkify-pglite-${goneProcess}@${Number(THIS_PROCESS.namespace) + 1}-elsewhere`);
  const made = [abandoned, olderName, ours, ...(elsewhere === undefined ? [] : [elsewhere])];
  for (const directory of made) mkdirSync(directory);
  try {
    await (await PGliteEngine.open()).close();
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(olderName)).toBe(false);
    expect(existsSync(ours)).toBe(true);
    if (elsewhere !== undefined) expect(existsSync(elsewhere)).toBe(true);
  } finally {
    for (const directory of made) rmSync(directory, { recursive: true, force: true });
  }
});

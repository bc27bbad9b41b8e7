import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import type pg from 'pg';
import { withConnection } from '../../local/engine/connection';
import { THIS_PROCESS } from '../../local/engine/directory-lock';
import {
  createScratchDatabase,
  scratchLabel,
  sweepScratchDatabases,
} from '../../local/engine/scratch-database';

// Scratch databases are a server's (the bench's and the test harness's); PGlite needs none.
const admin = process.env.SPARKIFY_TEST_DATABASE_URL;
// Unset or empty, as the test harness reads it: PGlite.
const onServer = admin ? describe : describe.skip;

const withClient = <T>(work: (client: pg.Client) => Promise<T>) => withConnection(admin!, work);

const existing = async (names: readonly string[]) =>
  (
    await withClient((client) =>
      client.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname = ANY($1) ORDER BY 1',
        [names],
      ),
    )
  ).rows.map((row) => row.datname);

/** A database named and labelled as a scratch database, as a killed process would leave it. */
async function leftBehind(name: string, label?: string): Promise<string> {
  await withClient(async (client) => {
    await client.query(`CREATE DATABASE ${name}`);
    if (label !== undefined)
      await client.query(`COMMENT ON DATABASE ${name} IS ${client.escapeLiteral(label)}`);
  });
  return name;
}

/** The id of a process that has ended. */
const endedPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

onServer('scratch databases on a server', () => {
  test('a scratch database is labelled with its process and host, and its drop removes it', async () => {
    const database = await createScratchDatabase(admin!, 'test');
    expect(database.name).toMatch(new RegExp(`^sparkify_test_${process.pid}_\\d+$`));
    expect(new URL(database.url).pathname).toBe(`/${database.name}`);
    const [{ label }] = (
      await withClient((client) =>
        client.query(
          "SELECT shobj_description(oid, 'pg_database') AS label FROM pg_database WHERE datname = $1",
          [database.name],
        ),
      )
    ).rows;
    expect(label).toBe(scratchLabel(THIS_PROCESS, hostname()));
    await database.drop();
    expect(await existing([database.name])).toEqual([]);
  });

  // Where processes have no PID namespace to record (not Linux), another namespace cannot be told apart.
  const onLinux = THIS_PROCESS.namespace === undefined ? test.skip : test;

  onLinux(
    'a sweep drops the databases of processes on this host that are gone (an ended one, an earlier one with this id), and no other',
    async () => {
      const dead = endedPid();
      const ofEndedProcess = await leftBehind(
        `sparkify_bench_${dead}_1`,
        scratchLabel({ ...THIS_PROCESS, pid: dead }, hostname()),
      );
      const ofRunningProcess = await leftBehind(
        `sparkify_bench_${process.ppid}_900`,
        scratchLabel({ ...THIS_PROCESS, pid: process.ppid }, hostname()),
      );
      // Labelled with this process's id, but not created by it: an earlier process had the id.
      const ofEarlierProcessWithThisId = await leftBehind(
        `sparkify_bench_${process.pid}_901`,
        scratchLabel(THIS_PROCESS, hostname()),
      );
      const ofThisProcess = await createScratchDatabase(admin!, 'test');
      const ofAnotherHost = await leftBehind(
        `sparkify_bench_${dead}_2`,
        scratchLabel({ ...THIS_PROCESS, pid: dead }, `not-${hostname()}`),
      );
      // A process of another PID namespace (a container) cannot be seen, so it may still run.
      const ofAnotherNamespace = await leftBehind(
        `sparkify_test_${dead}_3`,
        scratchLabel({ pid: dead, namespace: `${THIS_PROCESS.namespace}1` }, hostname()),
      );
      const unlabelled = await leftBehind(`sparkify_test_${dead}_4`);
      const notScratch = await leftBehind(
        `sparkify_kept_${dead}_5`,
        scratchLabel({ ...THIS_PROCESS, pid: dead }, hostname()),
      );
      const gone = [ofEndedProcess, ofEarlierProcessWithThisId];
      const kept = [
        ofThisProcess.name,
        ofRunningProcess,
        ofAnotherHost,
        ofAnotherNamespace,
        unlabelled,
        notScratch,
      ];
      try {
        const dropped = await sweepScratchDatabases(admin!);
        expect(dropped).toContain(ofEarlierProcessWithThisId);
        // Whichever sweep dropped it (another test file's may have been first), it is gone.
        expect(await existing([...gone, ...kept])).toEqual([...kept].sort());
      } finally {
        await ofThisProcess.drop();
        await withClient(async (client) => {
          for (const name of [...gone, ...kept.filter((name) => name !== ofThisProcess.name)])
            await client.query(`DROP DATABASE IF EXISTS ${name}`);
        });
      }
    },
  );

  test('a name that is taken is passed over for the next one', async () => {
    const first = await createScratchDatabase(admin!, 'test');
    const n = Number(first.name.split('_').at(-1));
    const taken = [
      await leftBehind(`sparkify_test_${process.pid}_${n + 1}`),
      await leftBehind(`sparkify_test_${process.pid}_${n + 2}`),
    ];
    try {
      const next = await createScratchDatabase(admin!, 'test');
      expect(next.name).toBe(`sparkify_test_${process.pid}_${n + 3}`);
      await next.drop();
    } finally {
      await first.drop();
      await withClient(async (client) => {
        for (const name of taken) await client.query(`DROP DATABASE IF EXISTS ${name}`);
      });
    }
  });
});

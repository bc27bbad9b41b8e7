import { BatchExecuteStatementCommand } from '@aws-sdk/client-redshift-data';
import {
  tableLeavingDeadRows,
  VACUUM_FROM_DEAD_ROWS,
  VACUUM_SCALE_FACTOR,
} from '../../local/data-api/automatic-vacuum';
import { dataApiHarnessPerTest, TARGET } from '../data-api/support';

// The stand-in for Redshift's automatic VACUUM DELETE: through the real SDK client, on PGlite and
// on a server. Each table's vacuums are read from pg_stat_user_tables, which both engines keep.

const h = dataApiHarnessPerTest();

const ROWS = VACUUM_FROM_DEAD_ROWS + 500;

async function tableStats(table: string) {
  const [row] = await h.query(
    `SELECT s.vacuum_count, pg_relation_size(s.relid), CAST(c.reltuples AS BIGINT)
     FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = '${table}'`,
  );
  if (row === undefined) throw new Error(`no statistics for ${table}`);
  const [vacuums, bytes, liveRows] = row.map((field) => Number(field.longValue));
  return { vacuums: vacuums!, bytes: bytes!, liveRows: liveRows! };
}

/** Polls until the table has been vacuumed; fails the test after `timeoutMs`. */
async function vacuumed(table: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await tableStats(table);
    if (stats.vacuums > 0) return stats;
    if (Date.now() > deadline) throw new Error(`${table} was not vacuumed within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function batch(...sqls: string[]) {
  const { Id } = await h.client.send(new BatchExecuteStatementCommand({ ...TARGET, Sqls: sqls }));
  return h.settled(Id!);
}

test('the table names a DELETE, UPDATE or MERGE leaves dead rows in', () => {
  expect(tableLeavingDeadRows('DELETE FROM staging_events')).toBe('staging_events');
  expect(tableLeavingDeadRows('-- why\nDELETE songplays USING run_plays WHERE true')).toBe('songplays');
  expect(tableLeavingDeadRows('UPDATE ONLY audit.etl_runs SET status = 1')).toBe('audit.etl_runs');
  expect(tableLeavingDeadRows('MERGE INTO "Users" USING s ON true WHEN MATCHED THEN DELETE')).toBe('"Users"');
  for (const sql of ['INSERT INTO t SELECT 1', 'TRUNCATE t', "COPY t FROM 's3://b/k'", 'SELECT 1']) {
    expect(tableLeavingDeadRows(sql)).toBeUndefined();
  }
});

test('a committed DELETE of many rows is vacuumed in the background, after its commit', async () => {
  const fill = `INSERT INTO emptied SELECT i, REPEAT('x', 200) FROM generate_series(1, ${ROWS}) AS i`;
  await h.run('CREATE TABLE emptied (i INTEGER, pad VARCHAR(256))');
  await h.run(fill);
  const { bytes: filled } = await tableStats('emptied');
  expect(filled).toBeGreaterThan(0);

  const deleted = await h.run('DELETE FROM emptied');
  expect(deleted).toMatchObject({ Status: 'FINISHED', ResultRows: ROWS });
  // A vacuum counts the rows it finds live: one that met the DELETE still in progress would count
  // all of them, one after its commit none, whether or not it could remove them yet.
  expect(await vacuumed('emptied')).toMatchObject({ liveRows: 0 });

  // Whether the rows are gone is PostgreSQL's to decide: on a server, a snapshot older than the
  // DELETE that another session holds (any backend starting up, an autovacuum ANALYZE) keeps them,
  // as it would from autovacuum. On PGlite there is no other session: the space the vacuum freed
  // is what the same rows inserted again land in, where they would otherwise double the file.
  if (!process.env.SPARKIFY_TEST_DATABASE_URL) {
    await h.run(fill);
    expect((await tableStats('emptied')).bytes).toBeLessThanOrEqual(filled);
  }
});

test('dead rows add up across statements; a table with fewer than the threshold is left alone', async () => {
  await h.run(`CREATE TABLE few AS SELECT i FROM generate_series(1, ${ROWS}) AS i`);
  await h.run(`CREATE TABLE many AS SELECT i FROM generate_series(1, ${ROWS}) AS i`);
  const half = Math.ceil(VACUUM_FROM_DEAD_ROWS / 2);

  // Two transactions, each below the threshold for `many`, together past it; `few` stays below.
  expect(await batch(`DELETE FROM many WHERE i <= ${half}`, 'DELETE FROM few WHERE i <= 10')).toMatchObject({
    Status: 'FINISHED',
  });
  expect(await batch(`UPDATE many SET i = -i WHERE i > ${half} AND i <= ${2 * half}`)).toMatchObject({
    Status: 'FINISHED',
  });

  // Vacuums run one after another, in the order they fell due: once `many`'s is done, any of
  // `few` would be too.
  await vacuumed('many');
  expect((await tableStats('few')).vacuums).toBe(0);
});

test('a table that lost only a small share of its rows is left for later, as autovacuum leaves it', async () => {
  const rows = Math.ceil(ROWS / VACUUM_SCALE_FACTOR) + 1000;
  await h.run(`CREATE TABLE large AS SELECT i FROM generate_series(1, ${rows}) AS i`);
  await h.run('ANALYZE large');
  await h.run(`CREATE TABLE small AS SELECT i FROM generate_series(1, ${ROWS}) AS i`);
  // The same number of dead rows in each: too small a share of `large`, all of `small`.
  expect(await batch(`DELETE FROM large WHERE i <= ${ROWS}`, 'DELETE FROM small')).toMatchObject({
    Status: 'FINISHED',
  });
  await vacuumed('small');
  expect((await tableStats('large')).vacuums).toBe(0);
});

test('a transaction that rolls back vacuums nothing, and the table keeps every row', async () => {
  await h.run(`CREATE TABLE kept AS SELECT i FROM generate_series(1, ${ROWS}) AS i`);
  const failed = await batch('DELETE FROM kept', 'SELECT 1 / 0');
  expect(failed.Status).toBe('FAILED');
  // A later vacuum of another table shows the queue has run past the failed transaction.
  await h.run(`CREATE TABLE other AS SELECT i FROM generate_series(1, ${ROWS}) AS i`);
  await h.run('DELETE FROM other');
  await vacuumed('other');
  expect((await tableStats('kept')).vacuums).toBe(0);
  expect(await h.query('SELECT COUNT(*) FROM kept')).toEqual([[{ longValue: ROWS }]]);
});

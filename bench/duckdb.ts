import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import starSchema from './duckdb/star-schema.sql';

/** Issue 10's reference point, measured: DuckDB in memory staging the files and building the star. */
export async function timeDuckdb(dataDir: string): Promise<number> {
  const started = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const prepared = await connection.prepare('SET VARIABLE data_dir = $1');
    prepared.bindVarchar(1, dataDir);
    await prepared.run();
    await connection.run(starSchema);
    const counts = await connection.runAndReadAll(
      'SELECT (SELECT COUNT(*) FROM staging_events) AS events, (SELECT COUNT(*) FROM songplays) AS songplays',
    );
    const [row] = counts.getRowObjects();
    if (!row || Number(row.songplays) === 0) throw new Error(`DuckDB built no songplays from ${dataDir}`);
    return performance.now() - started;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

import type { RunPlan } from '../contract/run-plan';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { SQL_STEPS, stepParameters } from '../lambda/shared/sql-steps';
import { renderStatements } from '../lambda/shared/sql-template';
import { openEngine } from '../local/engine/open-engine';
import { translate } from '../local/warehouse/dialect';
import {
  analyzeAfterLargeInsert,
  createLocalIndexes,
  insertPlannedForGrowth,
  insertedTable,
} from '../local/warehouse/local-tuning';
import type { SqlSession } from '../local/engine/engine';
import { installRedshiftCatalog, useRedshiftCatalog } from '../local/warehouse/redshift-catalog';
import { formatDuration } from '../local/cli/report';

const USAGE = `usage: npm run bench:explain -- --database URL [--songs] [--empty] [--plans]

Runs the publish step's statements once more on a warehouse an execution left loaded (its staging
tables still hold what that run staged), each under EXPLAIN ANALYZE, then rolls everything back;
prints each statement's time, slowest first, and with --plans their plans: where the merges and
the gates spend their time on this engine.

  --database URL   postgres://… or pglite:DIR, a warehouse that \`npm run local\` loaded
  --songs          include the song and artist merges, as a run that reloads songs does
  --empty          empty the star tables first, as the first full run finds them (implies --songs)
  --plans          print each statement's plan too, with each node's time (which slows PGlite)`;

class RolledBack extends Error {}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      database: { type: 'string' },
      songs: { type: 'boolean', default: false },
      empty: { type: 'boolean', default: false },
      plans: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  if (!values.database) throw new Error(`--database is required\n\n${USAGE}`);
  const engine = await openEngine(values.database);
  try {
    const searchPath = await installRedshiftCatalog(engine);
    // The latest run's own id, so that the audit UPDATEs find their row and do their real work.
    const latest = await engine.transaction((session) =>
      session.query('SELECT run_id FROM etl_runs ORDER BY run_seq DESC LIMIT 1'),
    );
    const runId = latest.rows[0]?.run_id;
    if (typeof runId !== 'string') throw new Error(`${engine.description} holds no run to explain`);
    const plan: RunPlan = {
      runId,
      missingDays: [],
      mode: 'full' as const,
      reloadSongs: values.songs || values.empty,
      logPrefixes: ['/'],
      maxErrors: 0,
    };
    // publish reads no S3 location: these only complete the parameters.
    const locations = {
      song_data_uri: 's3://unused/song_data',
      log_data_uri: 's3://unused/log_data',
      log_jsonpath_uri: 's3://unused/log_json_path.json',
      data_region: 'us-west-2',
      iam_role: 'arn:aws:iam::000000000000:role/unused',
    };
    const statements = renderStatements(SQL_STEPS.publish.files(plan), stepParameters(locations, plan));
    const timings: { sql: string; ms: number; cpuMs: number; plan: string }[] = [];
    // Timing each plan node reads the clock twice per row, which in WebAssembly costs PGlite about
    // a third of a statement's time: without --plans only the statements are timed.
    const explain = values.plans ? 'EXPLAIN ANALYZE' : 'EXPLAIN (ANALYZE, TIMING OFF)';
    await engine
      .transaction(async (session) => {
        await useRedshiftCatalog(session, searchPath);
        // TRUNCATE leaves each table as CREATE TABLE does (never analyzed), and rolls back with the
        // rest; the local indexes go too, since a table gets them once it holds rows.
        if (values.empty) await emptyStarTables(session);
        const cpuMs = await cpuClock(session);
        const timed = async (sql: string, work: () => Promise<string>) => {
          const started = performance.now();
          const cpuStarted = cpuMs();
          const plan = await work();
          timings.push({ sql, ms: performance.now() - started, cpuMs: cpuMs() - cpuStarted, plan });
        };
        for (const statement of statements) {
          const local = translate(statement);
          if (local.kind !== 'sql') throw new Error(`publish runs no COPY: ${statement.slice(0, 60)}`);
          const explainable = /^\s*(SELECT|INSERT|UPDATE|DELETE)\b/i.test(local.sql);
          const table = insertedTable(local.sql);
          const insertedBefore = table === undefined ? 0 : await rowsInsertedSoFar(session, table);
          await timed(statement, async () => {
            const result = await insertPlannedForGrowth(session, local.sql, () =>
              session.query(explainable ? `${explain} ${local.sql}` : local.sql),
            );
            // As the pipeline does after an INSERT (local-tuning.ts); EXPLAIN returns the plan's
            // lines, not the inserted rows, which the transaction's statistics count.
            if (table !== undefined) {
              const inserted = (await rowsInsertedSoFar(session, table)) - insertedBefore;
              await analyzeAfterLargeInsert(session, local.sql, inserted);
            }
            return explainable ? result.rows.map((row) => String(Object.values(row)[0])).join('\n') : '';
          });
        }
        // As the pipeline does at the end of a batch that inserted rows (local-warehouse.ts).
        await timed('(local indexes for the tables that now hold rows)', async () => {
          await createLocalIndexes(session);
          return '';
        });
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
    const total = (key: 'ms' | 'cpuMs') =>
      formatDuration(timings.reduce((sum, timing) => sum + timing[key], 0));
    console.log(
      `${engine.description}: publish statements ${total('ms')} in all (CPU ${total('cpuMs')}), rolled back\n`,
    );
    console.log('  elapsed        CPU  statement');
    for (const timing of [...timings].sort((a, b) => b.ms - a.ms)) {
      const firstLine = timing.sql.replace(/\s+/g, ' ').slice(0, 100);
      console.log(
        `${formatDuration(timing.ms).padStart(9)}  ${formatDuration(timing.cpuMs).padStart(9)}  ${firstLine}`,
      );
      if (values.plans && timing.plan) console.log(`${timing.plan.replace(/^/gm, '           ')}\n`);
    }
  } finally {
    await engine.close();
  }
}

const STAR_TABLES = ['songplays', 'time', 'users', 'user_latest_events', 'songs', 'artists'];

async function emptyStarTables(session: SqlSession): Promise<void> {
  await session.query(`TRUNCATE ${STAR_TABLES.join(', ')}`);
  const { rows } = await session.query(
    "SELECT indexname FROM pg_indexes WHERE tablename = ANY ($1) AND indexname LIKE '%\\_local'",
    [STAR_TABLES],
  );
  for (const { indexname } of rows) await session.query(`DROP INDEX ${String(indexname)}`);
}

/**
 * The CPU time the engine has spent so far, in milliseconds: a server backend's own (from /proc,
 * when the server runs on this machine), or this process's, PGlite's worker thread included. On a
 * machine shared with other work, elapsed times swing with the load; CPU times hold much steadier.
 */
async function cpuClock(session: SqlSession): Promise<() => number> {
  const { rows } = await session.query('SELECT pg_backend_pid() AS pid');
  const proc = `/proc/${String(rows[0]?.pid)}`;
  // PGlite reports a pid of its own, which may name any process here: a server backend is postgres.
  if (!existsSync(`${proc}/comm`) || readFileSync(`${proc}/comm`, 'utf8').trim() !== 'postgres') {
    return () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    };
  }
  return () => {
    // Fields 14 and 15 (user and system time, in clock ticks of 10 ms), counted after the command
    // name, which may hold spaces but ends at the last ')'.
    const fields = readFileSync(`${proc}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
}

/** The rows this transaction has inserted into `table` so far. */
async function rowsInsertedSoFar(session: SqlSession, table: string): Promise<number> {
  const { rows } = await session.query(
    'SELECT n_tup_ins FROM pg_stat_xact_all_tables WHERE relid = to_regclass($1)',
    [table],
  );
  return Number(rows[0]?.n_tup_ins ?? 0);
}

main().catch((error: Error) => {
  console.error(`✗ ${error.message}`);
  process.exitCode = 1;
});

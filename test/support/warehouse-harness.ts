import { LocalS3 } from '../../local/copy/local-s3';
import type { Engine } from '../../local/engine/engine';
import { openEngine } from '../../local/engine/open-engine';
import { createScratchDatabase, type ScratchDatabase } from '../../local/engine/scratch-database';
import { LocalWarehouse } from '../../local/warehouse/local-warehouse';
import { LocalPipeline } from '../../local/execution/local-pipeline';
import type { ExecutionOutcome } from '../../local/execution/local-execution';
import { causeMessage } from '../../contract/errors';
import type { ExpectedWarehouse } from './oracle';
import { playKey } from './oracle';

export { TEST_LOCATIONS } from './locations';

/**
 * How long a one-second Wait and a retry interval last in the tests' pipelines. With no wait at all
 * a poll loop spins: each turn is a Lambda invocation and a signed, authorized Data API call that
 * competes with the engine for the CPU, a fifth to a quarter of a pipeline test file's CPU; a few
 * milliseconds still see a statement finish as soon as it does, to within those milliseconds.
 */
export const TEST_POLL_INTERVAL_MS = 5;

/**
 * One engine per test file: PGlite by default, or, when SPARKIFY_TEST_DATABASE_URL names a
 * PostgreSQL server (as CI does), a database of its own on that server, since jest runs files in
 * parallel. The schema is emptied before each warehouse so tests never see each other's tables.
 */
export class WarehouseHarness {
  private engine?: Engine;
  private serverDatabase?: ScratchDatabase;

  async warehouse(dataDir: string): Promise<LocalWarehouse> {
    return new LocalWarehouse(await this.emptyEngine(), new LocalS3({ 'test-bucket': dataDir }));
  }

  /** The file's engine, with an empty public schema. */
  protected async emptyEngine(): Promise<Engine> {
    this.engine ??= await this.openEngine();
    await this.engine.transaction(async (session) => {
      await session.query('DROP SCHEMA IF EXISTS public CASCADE');
      await session.query('CREATE SCHEMA public');
    });
    return this.engine;
  }

  private async openEngine(): Promise<Engine> {
    const admin = process.env.SPARKIFY_TEST_DATABASE_URL;
    if (!admin) return openEngine();
    this.serverDatabase = await createScratchDatabase(admin, 'test');
    return openEngine(this.serverDatabase.url);
  }

  async close(): Promise<void> {
    await this.engine?.close();
    await this.serverDatabase?.drop();
  }
}

/**
 * The deployed pipeline run locally (synthesized state machine, real handlers, local Data API),
 * one per test file, on the file's engine; each `pipeline(dataDir)` starts from an empty schema
 * with the data bucket(s) pointing at `dataDir`.
 */
export class PipelineHarness extends WarehouseHarness {
  private local?: LocalPipeline;

  constructor(private readonly context: Readonly<Record<string, unknown>> = {}) {
    super();
  }

  async pipeline(dataDir: string): Promise<LocalPipeline> {
    const engine = await this.emptyEngine();
    this.local ??= await LocalPipeline.start({
      engine,
      dataDir,
      context: this.context,
      waitMs: TEST_POLL_INTERVAL_MS,
    });
    this.local.useData(dataDir);
    return this.local;
  }

  override async close(): Promise<void> {
    await this.local?.close();
    await super.close();
  }
}

/**
 * A failed execution as an error: its name is the execution's error, its message the cause's
 * readable part (a Lambda error's message; `outcome.cause` keeps the runtime's JSON document).
 */
export class ExecutionFailed extends Error {
  constructor(readonly outcome: Extract<ExecutionOutcome, { status: 'FAILED' }>) {
    super(causeMessage(outcome.cause));
    this.name = outcome.error;
  }
}

let executions = 0;

/** Runs one execution with the given input; resolves to its outcome, or rejects with ExecutionFailed. */
export async function execute(pipeline: LocalPipeline, input: unknown): Promise<ExecutionOutcome> {
  const outcome = await pipeline.execute(input, { executionName: `test-${process.pid}-${++executions}` });
  if (outcome.status === 'FAILED') throw new ExecutionFailed(outcome);
  return outcome;
}

export const runFull = (pipeline: LocalPipeline) => execute(pipeline, { mode: 'full' });

type Queryable = LocalWarehouse | LocalPipeline;
const warehouseOf = (target: Queryable) => (target instanceof LocalPipeline ? target.warehouse : target);

export async function select(target: Queryable, sql: string): Promise<Record<string, unknown>[]> {
  const [outcome] = await warehouseOf(target).run([sql]);
  return outcome?.result?.rows ?? [];
}

/** A TIMESTAMP as the engine prints it (UTC, no zone) to epoch milliseconds. */
export const epochMs = (text: unknown) => Date.parse(`${String(text).replace(' ', 'T')}Z`);

/** The star tables in the oracle's shape, to compare with toEqual. */
export async function actualWarehouse(
  warehouse: Queryable,
): Promise<
  Omit<ExpectedWarehouse, 'stagedEvents' | 'stagedSongs'> & { stagedEvents: number; stagedSongs: number }
> {
  const count = async (table: string) =>
    Number((await select(warehouse, `SELECT COUNT(*) AS n FROM ${table}`))[0]?.n);
  const songplays = new Map(
    (await select(warehouse, 'SELECT * FROM songplays')).map((r) => [
      playKey(Number(r.user_id), Number(r.session_id), Number(r.item_in_session)),
      {
        start_time: epochMs(r.start_time),
        user_id: Number(r.user_id),
        level: r.level,
        song_id: r.song_id as string | null,
        artist_id: r.artist_id as string | null,
        session_id: Number(r.session_id),
        item_in_session: Number(r.item_in_session),
        location: r.location,
        user_agent: r.user_agent,
      },
    ]),
  );
  const users = new Map(
    (await select(warehouse, 'SELECT * FROM users')).map((r) => [
      Number(r.user_id),
      { first_name: r.first_name, last_name: r.last_name, gender: r.gender, level: r.level },
    ]),
  );
  const songs = new Map(
    (await select(warehouse, 'SELECT * FROM songs')).map((r) => [
      String(r.song_id),
      { title: String(r.title), artist_id: String(r.artist_id), year: r.year, duration: r.duration },
    ]),
  );
  const artists = new Map(
    (await select(warehouse, 'SELECT * FROM artists')).map((r) => [
      String(r.artist_id),
      { name: String(r.name), location: r.location, latitude: r.latitude, longitude: r.longitude },
    ]),
  );
  const time = new Map(
    (await select(warehouse, 'SELECT * FROM time')).map((r) => [
      epochMs(r.start_time),
      {
        hour: Number(r.hour),
        day: Number(r.day),
        week: Number(r.week),
        month: Number(r.month),
        year: Number(r.year),
        weekday: Number(r.weekday),
      },
    ]),
  );
  return {
    stagedEvents: await count('staging_events'),
    stagedSongs: await count('staging_songs'),
    songplays,
    users,
    songs,
    artists,
    time,
  };
}

/** Every table's full contents in a stable order: two runs are equal iff these are. */
export async function snapshotTables(warehouse: Queryable): Promise<Record<string, unknown[]>> {
  const tables = [
    'staging_events',
    'staging_songs',
    'songplays',
    'users',
    'user_latest_events',
    'songs',
    'artists',
    'time',
  ];
  const snapshot: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = (await select(warehouse, `SELECT * FROM ${table}`)).map((row) => JSON.stringify(row));
    snapshot[table] = rows.sort();
  }
  return snapshot;
}

/** songplays, users and time as `snapshotTables` reads them: what a run's plays are merged into. */
export async function playTables(warehouse: Queryable) {
  const { songplays, users, time } = await snapshotTables(warehouse);
  return { songplays, users, time };
}

/**
 * Runs SQL on the engine itself, past the Redshift bridge, which would rightly refuse a rule or a
 * trigger: the fault a test plants.
 */
export const onEngine = (pipeline: LocalPipeline, ...statements: string[]) =>
  pipeline.warehouse.engine.transaction(async (session) => {
    for (const sql of statements) await session.query(sql);
  });

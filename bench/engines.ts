import pg from 'pg';
import type { Engine } from '../local/engine/engine';
import { openEngine } from '../local/engine/open-engine';

/** Which engine a measurement runs on: a new PGlite database of its own, or a database on a PostgreSQL server. */
export type EngineTarget = { readonly kind: 'pglite' } | { readonly kind: 'server'; readonly url: string };

export const engineLabel = (target: EngineTarget) => (target.kind === 'pglite' ? 'PGlite' : 'PostgreSQL');

/** An engine with an empty warehouse, and how to throw it away. */
export interface FreshEngine {
  readonly engine: Engine;
  dispose(): Promise<void>;
}

let scratchDatabases = 0;

/**
 * A new, empty warehouse for each measurement, so no run is timed on tables (or caches) an earlier
 * one left: a new PGlite database (its temporary directory removed on close), or a scratch database of the bench's own on the server, never the
 * database the URL names, which may hold someone's data.
 */
export async function freshEngine(target: EngineTarget): Promise<FreshEngine> {
  if (target.kind === 'pglite') {
    const engine = await openEngine();
    return { engine, dispose: () => engine.close() };
  }
  const name = `sparkify_bench_${process.pid}_${++scratchDatabases}`;
  await onServer(target.url, `CREATE DATABASE ${name}`);
  const url = new URL(target.url);
  url.pathname = `/${name}`;
  const engine = await openEngine(url.toString());
  return {
    engine,
    dispose: async () => {
      await engine.close();
      await onServer(target.url, `DROP DATABASE IF EXISTS ${name}`);
    },
  };
}

async function onServer(url: string, command: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(command);
  } finally {
    await client.end();
  }
}

import type { Engine } from '../local/engine/engine';
import { openEngine } from '../local/engine/open-engine';
import { createScratchDatabase } from '../local/engine/scratch-database';

/** Which engine a measurement runs on: a new PGlite database of its own, or a database on a PostgreSQL server. */
export type EngineTarget = { readonly kind: 'pglite' } | { readonly kind: 'server'; readonly url: string };

export const engineLabel = (target: EngineTarget) => (target.kind === 'pglite' ? 'PGlite' : 'PostgreSQL');

/** An engine with an empty warehouse, and how to throw it away. */
export interface FreshEngine {
  readonly engine: Engine;
  dispose(): Promise<void>;
}

/**
 * Where a measurement's empty warehouse opens, and how to remove it afterwards. Creating and
 * dropping a scratch database on a server is the bench's own work, which `npm run local` (given a
 * database that exists) never does, so it stays outside the timed run.
 */
export interface ScratchWarehouse {
  open(): Promise<Engine>;
  remove(): Promise<void>;
}

/**
 * A new, empty warehouse for each measurement, so no run is timed on tables (or caches) an earlier
 * one left: a new PGlite database (its temporary directory removed on close), or a scratch database
 * of the bench's own on the server, never the database the URL names, which may hold someone's data.
 */
export async function scratchWarehouse(target: EngineTarget): Promise<ScratchWarehouse> {
  if (target.kind === 'pglite') return { open: () => openEngine(), remove: async () => undefined };
  const database = await createScratchDatabase(target.url, 'bench');
  return { open: () => openEngine(database.url), remove: () => database.drop() };
}

export async function freshEngine(target: EngineTarget): Promise<FreshEngine> {
  const warehouse = await scratchWarehouse(target);
  const engine = await warehouse.open();
  return {
    engine,
    dispose: async () => {
      await engine.close();
      await warehouse.remove();
    },
  };
}

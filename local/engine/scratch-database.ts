import { hostname } from 'node:os';
import { withConnection } from './connection';
import { formatOwner, mayBeRunning, parseOwner, THIS_PROCESS, type ProcessOwner } from './directory-lock';

/** What a scratch database is for; its name says it, so a person listing databases can tell. */
export type ScratchPurpose = 'bench' | 'test';

/** A database of this process's own on a server, and how to drop it. */
export interface ScratchDatabase {
  readonly name: string;
  /** The server URL with this database in its path. */
  readonly url: string;
  drop(): Promise<void>;
}

const LABEL = /^sparkify scratch database of process (\S+) on host (.+)$/;

/** The comment a scratch database carries: the process that created it and that process's host. */
export const scratchLabel = (owner: ProcessOwner, host: string) =>
  `sparkify scratch database of process ${formatOwner(owner)} on host ${host}`;

let created = 0;
let swept: Promise<unknown> | undefined;

/**
 * A new empty database on the server `adminUrl` names (never that database itself, which may hold
 * someone's data), for a bench measurement or a test file. Each holds up to hundreds of MB, and a
 * process that is killed cannot drop its own: so each is labelled with its process and host, and
 * the first one a process creates sweeps away those that processes now gone left behind.
 */
export async function createScratchDatabase(
  adminUrl: string,
  purpose: ScratchPurpose,
): Promise<ScratchDatabase> {
  swept ??= sweepScratchDatabases(adminUrl).catch(() => undefined);
  await swept;
  const name = `sparkify_${purpose}_${process.pid}_${++created}`;
  await withConnection(adminUrl, async (client) => {
    await client.query(`CREATE DATABASE ${name}`);
    await client.query(
      `COMMENT ON DATABASE ${name} IS ${client.escapeLiteral(scratchLabel(THIS_PROCESS, hostname()))}`,
    );
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      await withConnection(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name}`));
    },
  };
}

/**
 * Drops the scratch databases whose process, on this host, is gone; returns their names. One of
 * another host, or of a process that may still run (see mayBeRunning), is left alone: its process
 * cannot be seen from here, and dropping a live run's database would break it. A database that a
 * connection still holds is left for a later sweep.
 */
export async function sweepScratchDatabases(adminUrl: string): Promise<string[]> {
  return withConnection(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string; label: string | null }>(
      `SELECT datname, shobj_description(oid, 'pg_database') AS label FROM pg_database
       WHERE datname ~ '^sparkify_(bench|test)_[0-9]+_[0-9]+$'`,
    );
    const dropped: string[] = [];
    for (const { datname, label } of rows) {
      const [, owner, host] = LABEL.exec(label ?? '') ?? [];
      const creator = owner === undefined ? undefined : parseOwner(owner);
      if (creator === undefined || host !== hostname() || mayBeRunning(creator)) continue;
      try {
        await client.query(`DROP DATABASE IF EXISTS ${datname}`);
        dropped.push(datname);
      } catch {
        // In use after all, or dropped by another sweep at the same moment.
      }
    }
    return dropped;
  });
}

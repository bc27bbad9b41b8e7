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
/** The scratch databases this process created and has not dropped. */
const createdHere = new Set<string>();
let swept: Promise<unknown> | undefined;

/** PostgreSQL's SQLSTATE for CREATE DATABASE of a name that exists. */
const DUPLICATE_DATABASE = '42P04';

/**
 * A new empty database on the server `adminUrl` names (never that database itself, which may hold
 * someone's data), for a bench measurement or a test file. Each holds up to hundreds of MB, and a
 * process that is killed cannot drop its own: so each is labelled with its process and host, and
 * the first one a process creates sweeps away those that processes now gone left behind. A name
 * that is taken (a process of the same id in another container, a database no sweep may drop) is
 * passed over for the next one.
 */
export async function createScratchDatabase(
  adminUrl: string,
  purpose: ScratchPurpose,
): Promise<ScratchDatabase> {
  swept ??= sweepScratchDatabases(adminUrl).catch(() => undefined);
  await swept;
  const label = scratchLabel(THIS_PROCESS, hostname());
  const name = await withConnection(adminUrl, async (client) => {
    for (;;) {
      const candidate = `sparkify_${purpose}_${process.pid}_${++created}`;
      try {
        await client.query(`CREATE DATABASE ${candidate}`);
      } catch (error) {
        if ((error as { code?: string }).code === DUPLICATE_DATABASE) continue;
        throw error;
      }
      createdHere.add(candidate);
      await client.query(`COMMENT ON DATABASE ${candidate} IS ${client.escapeLiteral(label)}`);
      return candidate;
    }
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      await withConnection(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name}`));
      createdHere.delete(name);
    },
  };
}

/**
 * Whether the process that labelled a database is gone: one that no longer runs, or an earlier
 * process that had this one's id (ids are reused, in a container soon), since this process has
 * not created it.
 */
function isGone(creator: ProcessOwner): boolean {
  const thisId = creator.pid === THIS_PROCESS.pid && creator.namespace === THIS_PROCESS.namespace;
  return thisId || !mayBeRunning(creator);
}

/**
 * Drops the scratch databases whose process, on this host, is gone (see isGone); returns their
 * names. One of another host, or of a process that may still run (see mayBeRunning), is left alone:
 * its process cannot be seen from here, and dropping a live run's database would break it. A
 * database that a connection still holds is left for a later sweep.
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
      if (createdHere.has(datname) || creator === undefined || host !== hostname() || !isGone(creator))
        continue;
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

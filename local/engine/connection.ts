import pg from 'pg';

/**
 * Runs `work` on a connection of its own to the server `url` names, ended whatever happens: for
 * what must not wait for (or hold up) a pool's connections, and for commands that cannot run in a
 * transaction (CREATE and DROP DATABASE, VACUUM).
 */
export async function withConnection<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

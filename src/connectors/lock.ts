// One run of a connector per tenant at a time, across every gateway process and `npm run sync`: a
// session-level PostgreSQL advisory lock on a connection of its own (not one of the pool's), held for the
// run. If that connection is lost the lock is gone, so the run is told to stop (its signal) before
// another process can start one beside it. On PGlite one process owns the database: no lock is needed.
import pg from 'pg';
import type { Database } from '../db/client.js';

/** Runs `run` holding the connector's lock, or answers `busy` when another process holds it. */
export async function withConnectorLock<T>(
  database: Database,
  connector: string,
  tenantId: string,
  run: (lost: AbortSignal) => Promise<T>,
): Promise<T | 'busy'> {
  const lost = new AbortController();
  if (database.kind !== 'postgres' || database.url === null) return run(lost.signal);
  const client = new pg.Client({ connectionString: database.url });
  client.on('error', () => lost.abort());
  await client.connect();
  const key = [`parley:connector:${connector}`, tenantId];
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS locked', key);
    if (!rows[0]?.locked) return 'busy';
    try {
      return await run(lost.signal);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', key).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

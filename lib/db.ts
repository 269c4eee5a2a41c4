import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase, type PostgresJsQueryResultHKT } from 'drizzle-orm/postgres-js';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { fileURLToPath } from 'node:url';
import type { SubgraphName } from './config.ts';
import { assertBeforeDeadline, DEADLINE_HEADER, deadlineFrom } from './deadline.ts';

/** A subgraph's connection: drizzle for queries, the raw client for health checks and shutdown. */
export interface Database<TSchema extends Record<string, unknown>> {
  db: PostgresJsDatabase<TSchema>;
  sql: postgres.Sql;
  close(): Promise<void>;
}

/** What a query function takes: the database or a transaction on it. */
export type Queryable<TSchema extends Record<string, unknown>> = PgDatabase<PostgresJsQueryResultHKT, TSchema, ExtractTablesWithRelations<TSchema>>;

/**
 * Runs `steps` in one transaction (a savepoint inside another): all of their writes happen, or none.
 * A subgraph's db/store.ts gives it to the domain, which says with it which steps are atomic.
 */
export function inTransaction<TSchema extends Record<string, unknown>, T>(db: Queryable<TSchema>, steps: (tx: Queryable<TSchema>) => Promise<T>): Promise<T> {
  return db.transaction(steps);
}

/**
 * The database as one request of the gateway's uses it: a transaction whose steps end after the
 * deadline the gateway sent (lib/deadline.ts) rolls back, since the client has been told to retry
 * by then and committing would do the work twice. Without a deadline (a subscription, a test
 * calling the subgraph) it is the database itself. The deadline travels with the request's context,
 * not in AsyncLocalStorage: on Node 20 that costs every promise of the process (10–25 % of the
 * feed and queue benchmarks' throughput, measured).
 */
export function requestDatabase<TSchema extends Record<string, unknown>>(database: Database<TSchema>, req?: { headers: Record<string, string | string[] | undefined> }): Database<TSchema> {
  const deadline = req ? deadlineFrom(req.headers[DEADLINE_HEADER]) : null;
  if (deadline === null) return database;
  const { db } = database;
  // Everything else of drizzle's database is read through the prototype: only `transaction` differs.
  const bound = Object.create(db) as typeof db;
  bound.transaction = (steps, config) =>
    db.transaction(async (tx) => {
      const done = await steps(tx);
      assertBeforeDeadline(deadline);
      return done;
    }, config);
  return { ...database, db: bound };
}

export interface ConnectOptions {
  /** Pool size; small by default since four services share one server in development. */
  max?: number;
  /** Called with every statement sent, e.g. to count queries in a test. */
  onQuery?: (statement: string) => void;
}

/**
 * Seconds before a postgres.js client tries to connect again after `retries` failed connections in a
 * row (its `backoff` option): 50 ms doubling to at most 1 s, ±25 %. postgres.js's own grows to 20 s,
 * so a database back after an outage stayed unused for up to that long, and queries meanwhile waited
 * as long to fail (issue 15). A refused connection costs the server nothing, one a second is cheap.
 */
export const reconnectBackoff = (retries: number): number => Math.min(0.05 * 2 ** retries, 1) * (0.75 + Math.random() / 2);

export function connect<TSchema extends Record<string, unknown>>(url: string, schema: TSchema, { max = 10, onQuery }: ConnectOptions = {}): Database<TSchema> {
  const sql = postgres(url, {
    max,
    onnotice: () => {},
    backoff: reconnectBackoff,
    ...(onQuery ? { debug: (_connection: number, statement: string) => onQuery(statement) } : {}),
  });
  return { db: drizzle(sql, { schema, casing: 'snake_case' }), sql, close: () => sql.end({ timeout: 5 }) };
}

export async function ping(database: { sql: postgres.Sql }): Promise<void> {
  await database.sql`select 1`;
}

/**
 * Applies a subgraph's committed drizzle migrations to its own Postgres schema. The bookkeeping
 * table (`drizzle.<name>_migrations`) sits outside it because the first migration creates the
 * schema itself. Services may start at once against one server, so they take turns under a lock.
 */
export async function migrateSubgraph(url: string, name: SubgraphName, migrationsFolder: URL): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(hashtext('epgu-graph:migrations'))`;
    await migrate(drizzle(sql), {
      migrationsFolder: fileURLToPath(migrationsFolder),
      migrationsSchema: 'drizzle',
      migrationsTable: `${name}_migrations`,
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

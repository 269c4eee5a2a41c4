import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase, type PostgresJsQueryResultHKT } from 'drizzle-orm/postgres-js';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { fileURLToPath } from 'node:url';
import type { SubgraphName } from './config.ts';
import { assertBeforeDeadline } from './deadline.ts';

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
 * Steps that end after the request's deadline roll back (lib/deadline.ts): the gateway has told the
 * client to retry by then, so committing would do the work twice.
 */
export function inTransaction<TSchema extends Record<string, unknown>, T>(db: Queryable<TSchema>, steps: (tx: Queryable<TSchema>) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    const done = await steps(tx);
    assertBeforeDeadline();
    return done;
  });
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

import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import { outboxChannel, type OutboxTable } from './outbox.ts';

/**
 * Which entities of the graph a table's rows feed: for each entity type, the SQL expression of its
 * id over a changed row `r` (the old row or the new one). A subgraph lists its tables in its
 * events.ts; the gateway's entity cache (gateway/entity-cache.ts) drops what it holds of an entity
 * when the `<subgraph>.entities-changed` event names it.
 */
export interface EntitySource {
  table: PgTable;
  entities: Record<string, string>;
}

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
const name = (text: string) => `"${text.replaceAll('"', '""')}"`;

/**
 * Triggers on every source table that record, in the statement's own transaction, one
 * `<schema>.entities-changed` event naming every entity its changed rows feed (with the relay's
 * NOTIFY, as recordEvents does). Triggers, not calls in the domain: no write path (a mutation, a
 * consumer erasing an account, a job marking appeals overdue, a hand-written fix) can change what
 * the cache holds without the event. Statement-level, so a job updating thousands of rows records one
 * event. Installed at every start (idempotent, under a lock: replicas start together).
 */
export async function installEntityChanges(sql: postgres.Sql, outbox: OutboxTable, sources: readonly EntitySource[]): Promise<void> {
  const schema = getTableConfig(outbox).schema ?? 'public';
  const fn = `${name(schema)}.record_entity_changes`;
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${`entity-changes:${schema}`}))`;
    await tx.unsafe(`
      create or replace function ${fn}() returns trigger language plpgsql as $fn$
      declare
        changed_rows text := case tg_op when 'INSERT' then 'select * from new_rows' when 'DELETE' then 'select * from old_rows'
                                        else 'select * from new_rows union all select * from old_rows' end;
        entities text[] := '{}';
        changed jsonb;
      begin
        -- tg_argv: pairs of an entity type and the expression of its id over a changed row r
        for i in 0 .. tg_nargs / 2 - 1 loop
          entities := entities || format('select %L as type, (%s)::text as id from changed r', tg_argv[2 * i], tg_argv[2 * i + 1]);
        end loop;
        execute format('with changed as (%s) select jsonb_agg(distinct jsonb_build_object(''type'', type, ''id'', id)) from (%s) e where id is not null',
                       changed_rows, array_to_string(entities, ' union all ')) into changed;
        if changed is not null then
          insert into ${name(schema)}.outbox (id, type, payload) values (gen_random_uuid(), ${literal(`${schema}.entities-changed`)}, jsonb_build_object('entities', changed));
          perform pg_notify(${literal(outboxChannel(outbox))}, '');
        end if;
        return null;
      end $fn$`);
    for (const { table, entities } of sources) {
      const config = getTableConfig(table);
      const target = `${name(config.schema ?? 'public')}.${name(config.name)}`;
      const args = Object.entries(entities)
        .flatMap(([type, id]) => [literal(type), literal(id)])
        .join(', ');
      const transitions = { insert: 'new table as new_rows', update: 'old table as old_rows new table as new_rows', delete: 'old table as old_rows' };
      for (const [event, referencing] of Object.entries(transitions)) {
        await tx.unsafe(`create or replace trigger entity_changes_${event} after ${event} on ${target} referencing ${referencing} for each statement execute function ${fn}(${args})`);
      }
    }
  });
}

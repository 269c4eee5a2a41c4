import { sql } from 'drizzle-orm';
import { bigserial, getTableConfig, index, jsonb, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';
import type { Queryable } from '../db.ts';
import { newEvent, type DomainEvent, type EventCatalogue, type EventType } from './catalogue.ts';

/**
 * The transactional outbox: a subgraph writes its events into its own `outbox` table in the same
 * transaction as the change they describe, so an event exists exactly when the change does. A relay
 * (relay.ts) then publishes them to the bus in order.
 */
export function outboxTable(schema: PgSchema) {
  return schema.table(
    'outbox',
    {
      position: bigserial({ mode: 'number' }).primaryKey(),
      id: uuid().notNull().unique(),
      type: text().notNull(),
      payload: jsonb().notNull(),
      occurredAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
      publishedAt: timestamp({ withTimezone: true }),
    },
    // The relay's question, "what is not published yet, oldest first", stays cheap as the table grows.
    (table) => [index('outbox_unpublished_idx').on(table.position).where(sql`${table.publishedAt} is null`)],
  );
}

export type OutboxTable = ReturnType<typeof outboxTable>;

/** The channel a relay listens on for `outbox`'s commits: `epgu_outbox_<schema>`. */
export function outboxChannel(outbox: OutboxTable): string {
  return `epgu_outbox_${getTableConfig(outbox).schema ?? 'public'}`;
}

/** Records an event; call it inside the transaction that makes the change. */
export async function recordEvent<T extends EventType>(
  db: Queryable<Record<string, unknown>>,
  outbox: OutboxTable,
  type: T,
  payload: EventCatalogue[T],
): Promise<DomainEvent<T>> {
  const event = newEvent(type, payload);
  await db.insert(outbox).values({ id: event.id, type, payload, occurredAt: new Date(event.occurredAt) });
  // Wakes the relay when (and only if) the transaction commits.
  await db.execute(sql`select pg_notify(${outboxChannel(outbox)}, '')`);
  return event;
}

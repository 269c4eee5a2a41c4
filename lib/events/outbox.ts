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
    (table) => [
      index('outbox_unpublished_idx')
        .on(table.position)
        .where(sql`${table.publishedAt} is null`),
    ],
  );
}

export type OutboxTable = ReturnType<typeof outboxTable>;

/** The channel a relay listens on for `outbox`'s commits: `epgu_outbox_<schema>`. */
export function outboxChannel(outbox: OutboxTable): string {
  return `epgu_outbox_${getTableConfig(outbox).schema ?? 'public'}`;
}

/** An event to record: its type and payload (`newEvent` gives it an id and a time). */
export type NewEvent = { [K in EventType]: { type: K; payload: EventCatalogue[K] } }[EventType];

/**
 * Records events, in the given order, with the NOTIFY that wakes the relay, in one statement
 * (`with recorded as (insert …) select pg_notify(…)`); call it inside the transaction that makes the
 * change. The NOTIFY is delivered when (and only if) the transaction commits.
 */
export async function recordEvents(db: Queryable<Record<string, unknown>>, outbox: OutboxTable, events: readonly NewEvent[]): Promise<DomainEvent[]> {
  const recorded = events.map(({ type, payload }) => newEvent(type, payload) as DomainEvent);
  if (!recorded.length) return recorded;
  const rows = recorded.map((event) => ({ id: event.id, type: event.type, payload: event.payload, occurredAt: new Date(event.occurredAt) }));
  await db.execute(sql`/* recordEvents */ with recorded as (${db.insert(outbox).values(rows).getSQL()}) select pg_notify(${outboxChannel(outbox)}, '')`);
  return recorded;
}

/** `recordEvent` into one subgraph's outbox, for its db/store.ts to give the domain. */
export function eventRecorder(outbox: OutboxTable) {
  return <T extends EventType>(db: Queryable<Record<string, unknown>>, type: T, payload: EventCatalogue[T]) => recordEvent(db, outbox, type, payload);
}

/** Records one event (`recordEvents`); call it inside the transaction that makes the change. */
export async function recordEvent<T extends EventType>(db: Queryable<Record<string, unknown>>, outbox: OutboxTable, type: T, payload: EventCatalogue[T]): Promise<DomainEvent<T>> {
  const [event] = await recordEvents(db, outbox, [{ type, payload } as NewEvent]);
  return event as DomainEvent<T>;
}

import { createHash } from 'node:crypto';
import { primaryKey, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';
import type { Database, Queryable } from '../db.ts';
import type { EventOf } from './bus.ts';
import type { DomainEvent, EventType } from './catalogue.ts';
import type { Consumer } from './pipeline.ts';

/**
 * The inbox: the ids of events a consumer has already handled, in the consuming subgraph's own
 * schema. The bus delivers at least once; recording the id in the transaction that makes the
 * event's effect turns that into exactly one effect.
 */
export function inboxTable(schema: PgSchema) {
  return schema.table(
    'inbox',
    {
      /** The bus consumer name: one subgraph may run several consumers of the same event. */
      consumer: text().notNull(),
      eventId: uuid().notNull(),
      type: text().notNull(),
      processedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    },
    (table) => [primaryKey({ columns: [table.consumer, table.eventId] })],
  );
}

export type InboxTable = ReturnType<typeof inboxTable>;

/**
 * Runs `handle` in a transaction that also records `event.id` for `consumer`, unless the id is
 * there already. Resolves to whether it ran. A handler that throws rolls its record back with its
 * effects, so the redelivered event runs again. Two deliveries at once cannot both run: the second
 * insert waits for the first transaction and then finds the id.
 */
export async function processOnce<TSchema extends Record<string, unknown>>(
  db: Database<TSchema>['db'],
  inbox: InboxTable,
  consumer: string,
  event: DomainEvent,
  handle: (tx: Queryable<TSchema>) => Promise<void>,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const recorded = await tx.insert(inbox).values({ consumer, eventId: event.id, type: event.type }).onConflictDoNothing().returning({ eventId: inbox.eventId });
    if (!recorded.length) return false;
    await handle(tx);
    return true;
  });
}

/** What a consumer does with each event type it takes, inside the inbox transaction. */
export type InboxHandlers<TSchema extends Record<string, unknown>> = {
  [T in EventType]?: (tx: Queryable<TSchema>, event: DomainEvent<T>) => Promise<void>;
};

/**
 * A bus consumer named `name` that takes the event types `handlers` has entries for and runs each
 * through `processOnce`: a redelivered event has no second effect.
 */
export function idempotentConsumer<TSchema extends Record<string, unknown>>(name: string, { db }: Pick<Database<TSchema>, 'db'>, inbox: InboxTable, handlers: InboxHandlers<TSchema>): Consumer {
  const types = Object.keys(handlers) as EventType[];
  return {
    name,
    types,
    async handle(event: EventOf) {
      const handler = handlers[event.type] as ((tx: Queryable<TSchema>, event: DomainEvent) => Promise<void>) | undefined;
      if (handler) await processOnce(db, inbox, name, event, (tx) => handler(tx, event));
    },
  };
}

const NAMESPACE = Buffer.from('3f0c1b52a9d84e4f9a0e6c2d5b7e8a41', 'hex');

/**
 * A stable UUID (version 5, in the project's namespace) for a row made from an event, e.g.
 * `derivedId('security-event', payload.eventId)`: making the row twice hits the same key.
 */
export function derivedId(...parts: string[]): string {
  const hash = createHash('sha1').update(NAMESPACE).update(parts.join('\u0000')).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

import { eq } from 'drizzle-orm';
import type { Database, Queryable } from '../../../lib/db.ts';
import { eventRecorder, recordEvents as recordEventsIn, type NewEvent } from '../../../lib/events/outbox.ts';
import * as tables from './schema.ts';

/**
 * Notifications' storage: `db/<area>.ts` export every query and transaction the domain needs, named
 * for what they mean, each taking this handle (the database or a transaction on it). `domain/`
 * calls them and holds no SQL (test/architecture.test.ts).
 */
export type NotificationsDatabase = Database<typeof tables>;
export type Db = Queryable<typeof tables>;

export { inTransaction } from '../../../lib/db.ts';

/** Records an event in notifications' outbox; call it inside the transaction that makes the change. */
export const recordEvent = eventRecorder(tables.outbox);

/** Records events in notifications' outbox, in order, in one statement with the relay's NOTIFY. */
export const recordEvents = (db: Db, events: readonly NewEvent[]) => recordEventsIn(db, tables.outbox, events);

/** Deletes everything notifications keeps of a person: the feed and its counts (the words of their items too), deliveries, devices, preferences, contacts. */
export async function eraseNotifications(tx: Db, userId: string): Promise<void> {
  const { items, feedCounts, feedWordCounts, deliveries, pushDevices, preferences, contacts } = tables;
  for (const table of [items, feedCounts, feedWordCounts, deliveries, pushDevices, preferences, contacts]) await tx.delete(table).where(eq(table.userId, userId));
}

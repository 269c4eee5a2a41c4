import { sql } from 'drizzle-orm';
import type { Queryable } from '../../../lib/db.ts';
import { recordEvent } from '../../../lib/events/outbox.ts';
import * as tables from '../db/schema.ts';
import { items, outbox, type ItemRow } from '../db/schema.ts';

/**
 * Adding to the feed. Every item enters through `addItem`, whoever produces it (an event from
 * another subgraph, a trusted service's post), so each gets the same treatment: stored once, its
 * channel deliveries planned, and the live streams told.
 */

type Db = Queryable<typeof tables>;
export type NewItem = typeof items.$inferInsert & { userId: string };

/**
 * Stores an item unless one with the same id or the same (source, sourceId) exists; returns the
 * stored item and whether it is new. Call it inside the transaction of the event being handled.
 */
export async function addItem(db: Db, item: NewItem): Promise<{ item: ItemRow; added: boolean }> {
  const [added] = await db.insert(items).values(item).onConflictDoNothing().returning();
  if (added) {
    await recordEvent(db, outbox, 'notifications.item-added', { userId: added.userId, itemId: added.id });
    await recordEvent(db, outbox, 'notifications.unread-changed', { userId: added.userId });
    return { item: added, added: true };
  }
  const [existing] = await db
    .select()
    .from(items)
    .where(item.source && item.sourceId ? sql`(${items.source}, ${items.sourceId}) = (${item.source}, ${item.sourceId})` : sql`${items.id} = ${item.id!}`);
  return { item: existing!, added: false };
}

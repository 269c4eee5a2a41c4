import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { TimeIdCursor } from '../../../lib/connection.ts';
import { securityEvents } from './schema.ts';
import type { Db } from './store.ts';

/** Writes an entry of the account's event log; its id. */
export async function insertSecurityEvent(db: Db, entry: typeof securityEvents.$inferInsert): Promise<string> {
  const [inserted] = await db.insert(securityEvents).values(entry).returning({ id: securityEvents.id });
  return inserted!.id;
}

/** How many entries the account's event log has, from its (account, time) index. */
export async function securityEventsCount(db: Db, accountId: string): Promise<number> {
  const [row] = await db.select({ total: count() }).from(securityEvents).where(eq(securityEvents.accountId, accountId));
  return row?.total ?? 0;
}

/** A page of the account's event log, newest first, after the (occurredAt, id) of `after`. */
export function securityEventsPage(db: Db, accountId: string, limit: number, after: TimeIdCursor | null) {
  return db
    .select()
    .from(securityEvents)
    .where(and(eq(securityEvents.accountId, accountId), after ? sql`(${securityEvents.occurredAt}, ${securityEvents.id}) < (${after.at}::timestamptz, ${after.id}::uuid)` : undefined))
    .orderBy(desc(securityEvents.occurredAt), desc(securityEvents.id))
    .limit(limit);
}

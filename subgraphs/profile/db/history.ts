import { and, count, desc, eq, lt } from 'drizzle-orm';
import { history } from './schema.ts';
import type { Db } from './store.ts';

export async function insertHistoryEntry(tx: Db, entry: typeof history.$inferInsert): Promise<void> {
  await tx.insert(history).values(entry);
}

/** A page of a profile's history, newest first, after the position `after`. */
export function historyPage(db: Db, userId: string, limit: number, after: number | null) {
  return db
    .select()
    .from(history)
    .where(and(eq(history.userId, userId), after !== null ? lt(history.position, after) : undefined))
    .orderBy(desc(history.position))
    .limit(limit);
}

/** How many entries a profile's history has. */
export async function historyCount(db: Db, userId: string): Promise<number> {
  const [row] = await db.select({ total: count() }).from(history).where(eq(history.userId, userId));
  return row?.total ?? 0;
}

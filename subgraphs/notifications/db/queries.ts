import { and, count, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { TimeIdCursor } from '../../../lib/connection.ts';
import type { Database, Queryable } from '../../../lib/db.ts';
import * as tables from './schema.ts';
import { items, type Category } from './schema.ts';

export type NotificationsDatabase = Database<typeof tables>;
type Db = Queryable<typeof tables>;

export interface FeedFilter {
  userId: string;
  category: Category | null;
  unreadOnly: boolean;
}

function matching(filter: FeedFilter): SQL {
  return and(
    eq(items.userId, filter.userId),
    filter.category ? eq(items.category, filter.category) : undefined,
    filter.unreadOnly ? isNull(items.readAt) : undefined,
  )!;
}

/** One page of the feed, newest first, starting after the (createdAt, id) of `after`. Fetches one extra row. */
export function feedPage(db: Db, filter: FeedFilter, limit: number, after: TimeIdCursor | null) {
  return db
    .select()
    .from(items)
    .where(and(matching(filter), after ? sql`(${items.createdAt}, ${items.id}) < (${after.at}::timestamptz, ${after.id}::uuid)` : undefined))
    .orderBy(desc(items.createdAt), desc(items.id))
    .limit(limit);
}

/** Both counts of a feed in one pass: items matching the filter, and unread items overall. */
export async function feedCounts(db: Db, filter: FeedFilter): Promise<{ total: number; unread: number }> {
  const [row] = await db
    .select({
      total: sql<number>`count(*) filter (where ${matching(filter)})`.mapWith(Number),
      unread: count(sql`case when ${items.readAt} is null then 1 end`),
    })
    .from(items)
    .where(eq(items.userId, filter.userId));
  return row ?? { total: 0, unread: 0 };
}

export function itemsByIds(db: Db, ids: readonly string[]) {
  return db.select().from(items).where(inArray(items.id, [...ids]));
}

/** Inserts items whose id is not there yet (the demo seed runs on every start). */
export async function insertItemsIfMissing(db: Db, rows: (typeof items.$inferInsert)[]): Promise<void> {
  if (rows.length) await db.insert(items).values(rows).onConflictDoNothing();
}

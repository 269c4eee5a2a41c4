import { and, count, desc, eq, getTableColumns, gt, inArray, isNotNull, isNull, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { TimeIdCursor } from '../../../lib/connection.ts';
import type { ItemChange } from '../domain/feed.ts';
import { feedCounts, feedWordCounts, items, type Category, type FeedItem } from './schema.ts';
import type { Db } from './store.ts';

/** The feed's items and their kept counts: what the feed, its search and archive, and the badges read. */

export type NewItem = typeof items.$inferInsert;

// The feed's terms, each defined here once.
/** In the feed: not archived. */
const inFeed = isNull(items.archivedAt);
const inArchive = isNotNull(items.archivedAt);
/** Unread: never read, or marked unread again. */
const unread = isNull(items.readAt);
const read = isNotNull(items.readAt);

/** Every column but `search`, which only the database reads (a `FeedItem`). */
const { search: _search, ...itemColumns } = getTableColumns(items);

/** `column = any($1::uuid[])`: one statement text however many ids (an `in (…)` list is a new statement for each count). */
const anyOf = (column: SQLWrapper, ids: readonly string[]) => sql`${column} = any(${sql.param([...ids])}::uuid[])`;

// ---------------------------------------------------------------------------------------------------
// Counts

/**
 * The person's feed (not the archive) per category: items and unread ones, from `feed_counts`
 * (kept by triggers on items), a few rows however long the feed.
 */
export const feedCountsQuery = (db: Db, userId: string) =>
  db
    .select({ category: feedCounts.category, items: feedCounts.items, unread: feedCounts.unread })
    .from(feedCounts)
    .where(and(eq(feedCounts.userId, userId), gt(feedCounts.items, 0)))
    .orderBy(feedCounts.category);

export type FeedCounts = Awaited<ReturnType<typeof feedCountsQuery>>;

/** `feedCountsQuery` as a real promise, which callers may share (awaiting drizzle's builder again runs it again). */
export const countsByCategory = async (db: Db, userId: string): Promise<FeedCounts> => await feedCountsQuery(db, userId);

/** Unread items of the feed (not the archive), in all and per category (those with none left out). */
export function unreadOf(counts: FeedCounts): { unreadCount: number; unreadCountByCategory: { category: Category; count: number }[] } {
  const unreadCountByCategory = counts.filter((row) => row.unread > 0).map((row) => ({ category: row.category, count: row.unread }));
  return { unreadCount: unreadCountByCategory.reduce((sum, row) => sum + row.count, 0), unreadCountByCategory };
}

export const unreadCounts = async (db: Db, userId: string) => unreadOf(await countsByCategory(db, userId));

export type UnreadCounts = ReturnType<typeof unreadOf>;

/** `unreadCounts` of several people in one read of `feed_counts`: by person, every one of `userIds` present. */
export async function unreadCountsOf(db: Db, userIds: readonly string[]): Promise<Map<string, UnreadCounts>> {
  const rows = userIds.length
    ? await db
        .select({ userId: feedCounts.userId, category: feedCounts.category, items: feedCounts.items, unread: feedCounts.unread })
        .from(feedCounts)
        .where(and(anyOf(feedCounts.userId, userIds), gt(feedCounts.items, 0)))
        .orderBy(feedCounts.category)
    : [];
  const byPerson = new Map<string, FeedCounts>(userIds.map((userId) => [userId, []]));
  for (const row of rows) byPerson.get(row.userId)?.push(row);
  return new Map([...byPerson].map(([userId, counts]) => [userId, unreadOf(counts)]));
}

// ---------------------------------------------------------------------------------------------------
// Reading items

export interface FeedFilter {
  userId: string;
  category: Category | null;
  unreadOnly: boolean;
  /** Russian words to find; matched with `websearch_to_tsquery('russian', …)` against the indexed `search`. */
  search: string | null;
  /** The archive instead of the feed. */
  archived: boolean;
}

function matching(filter: FeedFilter): SQL {
  return and(
    eq(items.userId, filter.userId),
    filter.archived ? inArchive : inFeed,
    filter.category ? eq(items.category, filter.category) : undefined,
    filter.unreadOnly ? unread : undefined,
    filter.search ? sql`${items.search} @@ websearch_to_tsquery('russian', ${filter.search})` : undefined,
  )!;
}

/** One page of the feed, newest first, starting after the (createdAt, id) of `after`. Fetches one extra row. */
export function feedPage(db: Db, filter: FeedFilter, limit: number, after: TimeIdCursor | null) {
  return db
    .select(itemColumns)
    .from(items)
    .where(and(matching(filter), after ? sql`(${items.createdAt}, ${items.id}) < (${after.at}::timestamptz, ${after.id}::uuid)` : undefined))
    .orderBy(desc(items.createdAt), desc(items.id))
    .limit(limit);
}

/** How many items match the filter across all pages, by counting them (search and the archive). */
export async function countMatching(db: Db, filter: FeedFilter): Promise<number> {
  const [row] = await db.select({ total: count() }).from(items).where(matching(filter));
  return row?.total ?? 0;
}

/**
 * How many items of the feed (or a category of it) a search finds, in one statement: a search of one
 * word (`counted_word`, migration 0005) from `feed_word_counts`, a few rows however many items it
 * finds; any other (several words, a negation, a phrase, a number) by counting its matches.
 */
export function searchTotalQuery(db: Db, filter: FeedFilter & { search: string }): SQL {
  const kept = db
    .select({ total: sql`coalesce(sum(${feedWordCounts.items}), 0)` })
    .from(feedWordCounts)
    .where(and(eq(feedWordCounts.userId, filter.userId), sql`${feedWordCounts.word} = searched.word`, filter.category ? eq(feedWordCounts.category, filter.category) : undefined));
  const counted = db.select({ total: count() }).from(items).where(matching(filter));
  return sql`
    select (case when searched.word is null then (${counted}) else (${kept}) end)::int as total
    from (select notifications.counted_word(websearch_to_tsquery('russian', ${filter.search})) as word) as searched`;
}

/**
 * How many items match the filter across all pages: the feed, a category of it and its unread items
 * from the person's `counts` (no rows read); a search from `searchTotalQuery`; the archive, and unread
 * items a search finds, count the matching rows.
 */
export async function feedTotal(db: Db, filter: FeedFilter, counts: () => Promise<FeedCounts> = () => countsByCategory(db, filter.userId)): Promise<number> {
  if (filter.search && !filter.archived && !filter.unreadOnly) {
    const [row] = await db.execute<{ total: number }>(searchTotalQuery(db, { ...filter, search: filter.search }));
    return row!.total;
  }
  if (filter.search || filter.archived) return countMatching(db, filter);
  const rows = (await counts()).filter((row) => !filter.category || row.category === filter.category);
  return rows.reduce((sum, row) => sum + (filter.unreadOnly ? row.unread : row.items), 0);
}

export function itemsByIds(db: Db, ids: readonly string[]) {
  return db.select(itemColumns).from(items).where(anyOf(items.id, ids));
}

/** The person's items among `ids` (others' are left out). */
export function ownItems(db: Db, userId: string, ids: readonly string[]) {
  return db
    .select()
    .from(items)
    .where(and(eq(items.userId, userId), inArray(items.id, [...ids])));
}

/**
 * The person's feed items (not archived) that come after `after` in the feed's order, oldest first:
 * what a live stream replays to a client that reconnects with the cursor of the newest item it has.
 */
export function feedItemsNewerThan(db: Db, userId: string, after: TimeIdCursor, limit: number) {
  return db
    .select(itemColumns)
    .from(items)
    .where(and(eq(items.userId, userId), inFeed, sql`(${items.createdAt}, ${items.id}) > (${after.at}::timestamptz, ${after.id}::uuid)`))
    .orderBy(items.createdAt, items.id)
    .limit(limit);
}

// ---------------------------------------------------------------------------------------------------
// Writing items

/** Stores the item unless one with its id or its (source, sourceId) exists: the stored item, or null. */
export async function insertItemIfNew(tx: Db, item: NewItem): Promise<FeedItem | null> {
  const [added] = await tx.insert(items).values(item).onConflictDoNothing().returning(itemColumns);
  return added ?? null;
}

/** The item stored before `item`: the one with its (source, sourceId) when it has them, else with its id. */
export async function itemStoredAs(db: Db, item: NewItem): Promise<FeedItem | null> {
  const [existing] = await db
    .select(itemColumns)
    .from(items)
    .where(item.source && item.sourceId ? sql`(${items.source}, ${items.sourceId}) = (${item.source}, ${item.sourceId})` : sql`${items.id} = ${item.id!}`);
  return existing ?? null;
}

/** Inserts items whose id is not there yet (the demo seed runs on every start). */
export async function insertItemsIfMissing(db: Db, rows: NewItem[]): Promise<void> {
  if (rows.length) await db.insert(items).values(rows).onConflictDoNothing();
}

/** What each change sets, and on which items it changes anything. */
const CHANGES: Record<ItemChange, { set: (now: Date) => Partial<NewItem>; where: SQL }> = {
  READ: { set: (now) => ({ readAt: now }), where: unread },
  UNREAD: { set: () => ({ readAt: null }), where: read },
  ARCHIVE: { set: (now) => ({ archivedAt: now }), where: inFeed },
  UNARCHIVE: { set: () => ({ archivedAt: null }), where: inArchive },
};

/** Applies `change` to the person's items among `ids` (others' ids are ignored); how many it changed. */
export async function changeOwnItems(tx: Db, userId: string, ids: readonly string[], change: ItemChange, now: Date): Promise<number> {
  const { set, where } = CHANGES[change];
  const changed = await tx
    .update(items)
    .set(set(now))
    .where(and(eq(items.userId, userId), inArray(items.id, [...ids]), where))
    .returning();
  return changed.length;
}

/** Marks every unread item of the person's feed read, or of one category; how many. */
export async function markFeedRead(tx: Db, userId: string, category: Category | null, now: Date): Promise<number> {
  const changed = await tx
    .update(items)
    .set({ readAt: now })
    .where(and(eq(items.userId, userId), unread, inFeed, category ? eq(items.category, category) : undefined))
    .returning({ id: items.id });
  return changed.length;
}

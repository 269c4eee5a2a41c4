import { and, asc, count, eq, inArray, lte, sql, sum, type SQL } from 'drizzle-orm';
import type { TimeIdCursor } from '../../../lib/connection.ts';
import { overdueAt } from './appeals.ts';
import { appeals, isOpenSql, queueCounts, topics, type AppealStatus } from './schema.ts';
import type { Db } from './store.ts';

/** An authority's queue: the appeals its officials review, earliest due first. */

export interface QueueFilter {
  authorityId: string;
  overdueOnly: boolean;
  /** Open appeals due by this instant (domain/calendar.ts dueSoonBy). */
  dueBy: Date | null;
  statuses: AppealStatus[] | null;
  /** A topic and its subtopics. */
  topicId: string | null;
  now: Date;
}

function inQueue(filter: QueueFilter): SQL {
  return and(
    eq(appeals.authorityId, filter.authorityId),
    filter.overdueOnly ? overdueAt(filter.now) : undefined,
    filter.dueBy ? and(lte(appeals.dueAt, filter.dueBy), isOpenSql(appeals.status)) : undefined,
    filter.statuses?.length ? inArray(appeals.status, filter.statuses) : undefined,
    filter.topicId ? sql`(${appeals.topicId} = ${filter.topicId} or ${appeals.topicId} in (select ${topics.id} from ${topics} where ${topics.parentId} = ${filter.topicId}))` : undefined,
  )!;
}

/** A page of an authority's queue, earliest due first, after the (dueAt, id) of `after`. */
export function queuePage(db: Db, filter: QueueFilter, limit: number, after: TimeIdCursor | null) {
  return db
    .select()
    .from(appeals)
    .where(and(inQueue(filter), after ? sql`(${appeals.dueAt}, ${appeals.id}) > (${after.at}::timestamptz, ${after.id}::uuid)` : undefined))
    .orderBy(asc(appeals.dueAt), asc(appeals.id))
    .limit(limit);
}

/**
 * How many appeals match the queue's filter across all pages: by status from `queue_counts` (no
 * rows read); with a due date or topic filter, by counting them (overdue ones from the open-queue index).
 */
export async function queueCount(db: Db, filter: QueueFilter): Promise<number> {
  if (!filter.overdueOnly && !filter.dueBy && !filter.topicId) {
    const [kept] = await db
      .select({ total: sum(queueCounts.appeals).mapWith(Number) })
      .from(queueCounts)
      .where(and(eq(queueCounts.authorityId, filter.authorityId), filter.statuses?.length ? inArray(queueCounts.status, filter.statuses) : undefined));
    return kept?.total ?? 0;
  }
  const [row] = await db.select({ total: count() }).from(appeals).where(inQueue(filter));
  return row?.total ?? 0;
}

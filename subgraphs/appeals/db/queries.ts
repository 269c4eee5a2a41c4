import { and, asc, count, desc, eq, inArray, lt, notInArray, sql, type SQL } from 'drizzle-orm';
import type { TimeIdCursor } from '../../../lib/connection.ts';
import type { Database, Queryable } from '../../../lib/db.ts';
import { FINISHED_STATUSES } from '../domain.ts';
import * as tables from './schema.ts';
import { appeals, authorities, officials, topics } from './schema.ts';

export type AppealsDatabase = Database<typeof tables>;
type Db = Queryable<typeof tables>;

export function appealsByIds(db: Db, ids: readonly string[]) {
  return db.select().from(appeals).where(inArray(appeals.id, [...ids]));
}

export function appealsOfAuthor(db: Db, authorId: string, limit: number) {
  return db.select().from(appeals).where(eq(appeals.authorId, authorId)).orderBy(desc(appeals.createdAt), desc(appeals.id)).limit(limit);
}

export interface QueueFilter {
  authorityId: string;
  overdueOnly: boolean;
  now: Date;
}

function inQueue(filter: QueueFilter): SQL {
  return and(
    eq(appeals.authorityId, filter.authorityId),
    filter.overdueOnly ? and(lt(appeals.dueAt, filter.now), notInArray(appeals.status, [...FINISHED_STATUSES])) : undefined,
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

export async function queueCount(db: Db, filter: QueueFilter): Promise<number> {
  const [row] = await db.select({ total: count() }).from(appeals).where(inQueue(filter));
  return row?.total ?? 0;
}

export function topicsByIds(db: Db, ids: readonly string[]) {
  return db.select().from(topics).where(inArray(topics.id, [...ids]));
}

export function authoritiesByIds(db: Db, ids: readonly string[]) {
  return db.select().from(authorities).where(inArray(authorities.id, [...ids]));
}

export function officialsByUserIds(db: Db, userIds: readonly string[]) {
  return db.select().from(officials).where(inArray(officials.userId, [...userIds]));
}

/** Inserts reference data and appeals whose keys are not there yet (the demo seed runs on every start; tests build data with it). */
export async function insertRowsIfMissing(
  db: Db,
  rows: {
    topics: (typeof topics.$inferInsert)[];
    authorities: (typeof authorities.$inferInsert)[];
    officials: (typeof officials.$inferInsert)[];
    appeals: (typeof appeals.$inferInsert)[];
  },
): Promise<void> {
  await db.transaction(async (tx) => {
    if (rows.topics.length) await tx.insert(topics).values(rows.topics).onConflictDoNothing();
    if (rows.authorities.length) await tx.insert(authorities).values(rows.authorities).onConflictDoNothing();
    if (rows.officials.length) await tx.insert(officials).values(rows.officials).onConflictDoNothing();
    if (rows.appeals.length) await tx.insert(appeals).values(rows.appeals).onConflictDoNothing();
  });
}

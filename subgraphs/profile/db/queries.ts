import { and, asc, count, desc, eq, inArray, lt } from 'drizzle-orm';
import type { Database, Queryable } from '../../../lib/db.ts';
import * as tables from './schema.ts';
import { children, dataChecks, documents, history, personalData, vehicles } from './schema.ts';

export type ProfileDatabase = Database<typeof tables>;
type Db = Queryable<typeof tables>;

export function personalDataOf(db: Db, userIds: readonly string[]) {
  return db.select().from(personalData).where(inArray(personalData.userId, [...userIds]));
}

export function documentsOf(db: Db, userIds: readonly string[]) {
  return db.select().from(documents).where(inArray(documents.userId, [...userIds])).orderBy(desc(documents.createdAt), desc(documents.id));
}

export function childrenOf(db: Db, userIds: readonly string[]) {
  return db.select().from(children).where(inArray(children.userId, [...userIds])).orderBy(asc(children.birthDate), asc(children.id));
}

export function vehiclesOf(db: Db, userIds: readonly string[]) {
  return db.select().from(vehicles).where(inArray(vehicles.userId, [...userIds])).orderBy(asc(vehicles.createdAt), asc(vehicles.id));
}

/** The latest data check of each person. */
export function latestChecksOf(db: Db, userIds: readonly string[]) {
  return db
    .selectDistinctOn([dataChecks.userId])
    .from(dataChecks)
    .where(inArray(dataChecks.userId, [...userIds]))
    .orderBy(dataChecks.userId, desc(dataChecks.startedAt), desc(dataChecks.id));
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

/** Inserts rows whose key is not there yet (the demo seed runs on every start; tests build data with it). */
export async function insertPersonalDataIfMissing(db: Db, rows: (typeof personalData.$inferInsert)[]): Promise<void> {
  if (rows.length) await db.insert(personalData).values(rows).onConflictDoNothing();
}

export async function insertDocumentsIfMissing(db: Db, rows: (typeof documents.$inferInsert)[]): Promise<void> {
  if (rows.length) await db.insert(documents).values(rows).onConflictDoNothing();
}

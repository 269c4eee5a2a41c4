import { desc, inArray } from 'drizzle-orm';
import type { Database, Queryable } from '../../../lib/db.ts';
import * as tables from './schema.ts';
import { documents, personalData } from './schema.ts';

export type ProfileDatabase = Database<typeof tables>;
type Db = Queryable<typeof tables>;

export function personalDataOf(db: Db, userIds: readonly string[]) {
  return db.select().from(personalData).where(inArray(personalData.userId, [...userIds]));
}

export function documentsOf(db: Db, userIds: readonly string[]) {
  return db.select().from(documents).where(inArray(documents.userId, [...userIds])).orderBy(desc(documents.createdAt));
}

/** Inserts rows whose key is not there yet (the demo seed runs on every start). */
export async function insertPersonalDataIfMissing(db: Db, rows: (typeof personalData.$inferInsert)[]): Promise<void> {
  if (rows.length) await db.insert(personalData).values(rows).onConflictDoNothing();
}

export async function insertDocumentsIfMissing(db: Db, rows: (typeof documents.$inferInsert)[]): Promise<void> {
  if (rows.length) await db.insert(documents).values(rows).onConflictDoNothing();
}

import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { TimeIdCursor } from '../../../lib/connection.ts';
import { appeals } from './schema.ts';
import type { Db } from './store.ts';

/** Appeals and drafts themselves. */

export function appealsByIds(db: Db, ids: readonly string[]) {
  return db.select().from(appeals).where(inArray(appeals.id, [...ids]));
}

/** A page of a person's appeals, newest first, after the (createdAt, id) of `after`. */
export function appealsOfAuthor(db: Db, authorId: string, limit: number, after: TimeIdCursor | null) {
  return db
    .select()
    .from(appeals)
    .where(and(eq(appeals.authorId, authorId), after ? sql`(${appeals.createdAt}, ${appeals.id}) < (${after.at}::timestamptz, ${after.id}::uuid)` : undefined))
    .orderBy(desc(appeals.createdAt), desc(appeals.id))
    .limit(limit);
}

/** How many appeals (drafts included) a person has, from the author index. */
export async function appealsOfAuthorCount(db: Db, authorId: string): Promise<number> {
  const [row] = await db.select({ total: count() }).from(appeals).where(eq(appeals.authorId, authorId));
  return row?.total ?? 0;
}

import { and, count, desc, eq, inArray, notInArray, sql, type SQL } from 'drizzle-orm';
import type { TimeIdCursor } from '../../../lib/connection.ts';
import { FINISHED_STATUSES } from '../domain/lifecycle.ts';
import { appeals, isOpenSql, type AppealRow } from './schema.ts';
import type { Db } from './store.ts';

/** Appeals and drafts themselves. */

export type NewAppeal = typeof appeals.$inferInsert;

/**
 * Overdue (просрочено) at `now`: still open and past its due date, as domain/lifecycle.ts isOverdue
 * says of one appeal. The queue's filter, the analytics' late ones and the overdue marks all use it.
 */
export const overdueAt = (now: Date): SQL => sql`(${isOpenSql(appeals.status)} and ${appeals.dueAt} < ${now.toISOString()}::timestamptz)`;

export function appealsByIds(db: Db, ids: readonly string[]) {
  return db
    .select()
    .from(appeals)
    .where(inArray(appeals.id, [...ids]));
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

/** The appeal or draft, its row locked until the transaction ends. */
export async function lockAppeal(tx: Db, id: string): Promise<AppealRow | null> {
  const [appeal] = await tx.select().from(appeals).where(eq(appeals.id, id)).for('update');
  return appeal ?? null;
}

export async function insertAppeal(tx: Db, row: NewAppeal): Promise<AppealRow> {
  const [inserted] = await tx.insert(appeals).values(row).returning();
  return inserted!;
}

export async function updateAppeal(tx: Db, id: string, set: Partial<NewAppeal>): Promise<AppealRow> {
  const [updated] = await tx.update(appeals).set(set).where(eq(appeals.id, id)).returning();
  return updated!;
}

export async function deleteAppeal(tx: Db, id: string): Promise<void> {
  await tx.delete(appeals).where(eq(appeals.id, id));
}

/** The next registration number, from one sequence across instances (db/schema.ts `appealNumber`). */
export async function nextAppealNumber(tx: Db): Promise<number> {
  const [row] = await tx.execute<{ n: string }>(sql`select nextval('appeals.appeal_number') as n`);
  return Number(row!.n);
}

/**
 * What stays of a person's appeals when they delete their account (events.ts says why): their drafts
 * go, those still under review are closed, and in all of them the text becomes `erasedText`, the
 * address, place and files go and the author becomes a random id that leads to no account.
 */
export async function eraseAuthor(tx: Db, authorId: string, erasedText: string): Promise<void> {
  await tx.delete(appeals).where(and(eq(appeals.authorId, authorId), eq(appeals.status, 'DRAFT')));
  await tx
    .update(appeals)
    .set({ status: 'CLOSED' })
    .where(and(eq(appeals.authorId, authorId), notInArray(appeals.status, [...FINISHED_STATUSES])));
  await tx
    .update(appeals)
    .set({ text: erasedText, address: null, latitude: null, longitude: null, attachments: [], authorId: sql`gen_random_uuid()`, authorErasedAt: sql`now()` })
    .where(eq(appeals.authorId, authorId));
}

/** Inserts the appeals whose ids are not there yet; the ids of those it added. */
export async function insertAppealsIfMissing(tx: Db, rows: NewAppeal[]): Promise<string[]> {
  if (!rows.length) return [];
  return (await tx.insert(appeals).values(rows).onConflictDoNothing().returning({ id: appeals.id })).map(({ id }) => id);
}

import { and, desc, eq, inArray } from 'drizzle-orm';
import { dataChecks, type DataCheckRow } from './schema.ts';
import type { Db } from './store.ts';

/** The latest data check of each person. */
export function latestChecksOf(db: Db, userIds: readonly string[]) {
  return db
    .selectDistinctOn([dataChecks.userId])
    .from(dataChecks)
    .where(inArray(dataChecks.userId, [...userIds]))
    .orderBy(dataChecks.userId, desc(dataChecks.startedAt), desc(dataChecks.id));
}

export async function dataCheckById(db: Db, id: string): Promise<DataCheckRow | null> {
  const [check] = await db.select().from(dataChecks).where(eq(dataChecks.id, id));
  return check ?? null;
}

/** The person's check that is running, if any. */
export async function runningCheckOf(db: Db, userId: string): Promise<DataCheckRow | null> {
  const [check] = await db
    .select()
    .from(dataChecks)
    .where(and(eq(dataChecks.userId, userId), eq(dataChecks.status, 'RUNNING')));
  return check ?? null;
}

/** Every running check's id (left running by a stopped process, say). */
export async function runningCheckIds(db: Db): Promise<string[]> {
  return (await db.select({ id: dataChecks.id }).from(dataChecks).where(eq(dataChecks.status, 'RUNNING'))).map(({ id }) => id);
}

export async function insertDataCheck(tx: Db, row: typeof dataChecks.$inferInsert): Promise<DataCheckRow> {
  const [check] = await tx.insert(dataChecks).values(row).returning();
  return check!;
}

/** Cancels the person's running checks; their ids. */
export async function cancelRunningChecks(tx: Db, userId: string, now: Date): Promise<string[]> {
  const cancelled = await tx
    .update(dataChecks)
    .set({ status: 'CANCELLED', finishedAt: now })
    .where(and(eq(dataChecks.userId, userId), eq(dataChecks.status, 'RUNNING')))
    .returning({ id: dataChecks.id });
  return cancelled.map(({ id }) => id);
}

/** Ends a running check with its outcome, once: false when it is not running any more (a newer check cancelled it). */
export async function finishRunningCheck(tx: Db, id: string, outcome: Pick<DataCheckRow, 'status' | 'finishedAt' | 'failureReason'>): Promise<boolean> {
  const finished = await tx
    .update(dataChecks)
    .set(outcome)
    .where(and(eq(dataChecks.id, id), eq(dataChecks.status, 'RUNNING')))
    .returning({ id: dataChecks.id });
  return finished.length > 0;
}

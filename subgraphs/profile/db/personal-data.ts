import { and, eq, inArray, ne } from 'drizzle-orm';
import type { AccountLevel } from '../../../lib/auth.ts';
import { personalData, type PersonalDataRow } from './schema.ts';
import type { Db } from './store.ts';

export type NewPersonalData = typeof personalData.$inferInsert;
/** Where a check of the data stands. */
export type Verification = Partial<Pick<PersonalDataRow, 'verificationStatus' | 'checkedAt' | 'failureReason'>>;

export function personalDataOf(db: Db, userIds: readonly string[]) {
  return db
    .select()
    .from(personalData)
    .where(inArray(personalData.userId, [...userIds]));
}

/** The person's personal data, the row locked until the transaction ends. */
export async function lockPersonalData(tx: Db, userId: string): Promise<PersonalDataRow | null> {
  const [row] = await tx.select().from(personalData).where(eq(personalData.userId, userId)).for('update');
  return row ?? null;
}

export async function birthDateOf(db: Db, userId: string): Promise<string | null> {
  const [person] = await db.select({ birthDate: personalData.birthDate }).from(personalData).where(eq(personalData.userId, userId));
  return person?.birthDate ?? null;
}

export async function insertPersonalData(tx: Db, row: NewPersonalData): Promise<PersonalDataRow> {
  const [saved] = await tx.insert(personalData).values(row).returning();
  return saved!;
}

export async function updatePersonalDataOf(tx: Db, userId: string, fields: Partial<NewPersonalData>): Promise<PersonalDataRow> {
  const [saved] = await tx.update(personalData).set(fields).where(eq(personalData.userId, userId)).returning();
  return saved!;
}

/** Inserts rows whose key is not there yet (the demo seed runs on every start; tests build data with it). */
export async function insertPersonalDataIfMissing(db: Db, rows: NewPersonalData[]): Promise<void> {
  if (rows.length) await db.insert(personalData).values(rows).onConflictDoNothing();
}

export async function setPersonalDataVerification(tx: Db, userId: string, verification: Verification): Promise<void> {
  await tx.update(personalData).set(verification).where(eq(personalData.userId, userId));
}

/** The person's data not checked any more, unless it was not already. */
export async function uncheckPersonalData(tx: Db, userId: string): Promise<void> {
  await tx
    .update(personalData)
    .set({ verificationStatus: 'NOT_CHECKED', checkedAt: null })
    .where(and(eq(personalData.userId, userId), ne(personalData.verificationStatus, 'NOT_CHECKED')));
}

/** The account level identity last told of. */
export async function setAccountLevel(tx: Db, userId: string, level: AccountLevel): Promise<void> {
  await tx.update(personalData).set({ accountLevel: level }).where(eq(personalData.userId, userId));
}

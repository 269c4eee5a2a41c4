import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { confirmationLetters, signatureChallenges } from './schema.ts';
import type { Db } from './store.ts';

/** Registered letters with a confirmation code, and challenges for a qualified signature. */

export type ConfirmationLetter = typeof confirmationLetters.$inferSelect;

export async function insertLetter(db: Db, letter: typeof confirmationLetters.$inferInsert): Promise<void> {
  await db.insert(confirmationLetters).values(letter);
}

export async function deleteLetter(db: Db, id: string): Promise<void> {
  await db.delete(confirmationLetters).where(eq(confirmationLetters.id, id));
}

/** The id of the account's latest unused letter, as a query to read or to use inside another. */
const latestUnusedLetter = (db: Db, accountId: string) =>
  db
    .select({ id: confirmationLetters.id })
    .from(confirmationLetters)
    .where(and(eq(confirmationLetters.accountId, accountId), isNull(confirmationLetters.usedAt)))
    .orderBy(desc(confirmationLetters.orderedAt))
    .limit(1);

/**
 * Takes one code attempt on the account's latest unused letter, in one statement: the letter with
 * its attempts left after this one, or null when there is none or no attempt is left.
 */
export async function takeLetterAttempt(db: Db, accountId: string): Promise<ConfirmationLetter | null> {
  const [letter] = await db
    .update(confirmationLetters)
    .set({ attemptsLeft: sql`${confirmationLetters.attemptsLeft} - 1` })
    .where(and(eq(confirmationLetters.id, latestUnusedLetter(db, accountId)), isNull(confirmationLetters.usedAt), gt(confirmationLetters.attemptsLeft, 0)))
    .returning();
  return letter ?? null;
}

export async function hasUnusedLetter(db: Db, accountId: string): Promise<boolean> {
  return (await latestUnusedLetter(db, accountId)).length > 0;
}

/** Marks the letter used, once: false when a parallel request used it first. */
export async function useLetter(tx: Db, id: string, now: Date): Promise<boolean> {
  const used = await tx
    .update(confirmationLetters)
    .set({ usedAt: now })
    .where(and(eq(confirmationLetters.id, id), isNull(confirmationLetters.usedAt)))
    .returning({ id: confirmationLetters.id });
  return used.length > 0;
}

/** Stores a signature challenge; its id. */
export async function insertChallenge(db: Db, challenge: typeof signatureChallenges.$inferInsert): Promise<string> {
  const [row] = await db.insert(signatureChallenges).values(challenge).returning({ id: signatureChallenges.id });
  return row!.id;
}

/** Takes the account's live challenge for one use, in one statement: null when it is gone, used or expired. */
export async function takeChallenge(db: Db, id: string, accountId: string, now: Date) {
  const [challenge] = await db
    .update(signatureChallenges)
    .set({ usedAt: now })
    .where(and(eq(signatureChallenges.id, id), eq(signatureChallenges.accountId, accountId), isNull(signatureChallenges.usedAt), gt(signatureChallenges.expiresAt, now)))
    .returning();
  return challenge ?? null;
}

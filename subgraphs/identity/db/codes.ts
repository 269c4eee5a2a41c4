import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { verificationCodes, type VerificationCode } from './schema.ts';
import type { Db } from './store.ts';

type CodePurpose = VerificationCode['purpose'];

const ofRequest = (purpose: CodePurpose, requestId: string) => and(eq(verificationCodes.id, requestId), eq(verificationCodes.purpose, purpose));

/** Stores a new code, in one transaction with ending the unused one of the same recipient and purpose. */
export async function replaceCode(db: Db, code: typeof verificationCodes.$inferInsert & { createdAt: Date }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(verificationCodes)
      .set({ usedAt: code.createdAt })
      .where(and(eq(verificationCodes.recipient, code.recipient), eq(verificationCodes.purpose, code.purpose), isNull(verificationCodes.usedAt)));
    await tx.insert(verificationCodes).values(code);
  });
}

export async function codeById(db: Db, id: string): Promise<VerificationCode | null> {
  const [code] = await db.select().from(verificationCodes).where(eq(verificationCodes.id, id));
  return code ?? null;
}

export async function codeOfRequest(db: Db, purpose: CodePurpose, requestId: string): Promise<VerificationCode | null> {
  const [code] = await db.select().from(verificationCodes).where(ofRequest(purpose, requestId));
  return code ?? null;
}

/**
 * Takes one attempt of the live code of the request (unused, not expired, attempts left), in one
 * statement; the code with its attempts left after this one, or null when no attempt was left to take.
 */
export async function takeCodeAttempt(db: Db, purpose: CodePurpose, requestId: string, now: Date): Promise<VerificationCode | null> {
  const [code] = await db
    .update(verificationCodes)
    .set({ attemptsLeft: sql`${verificationCodes.attemptsLeft} - 1` })
    .where(and(ofRequest(purpose, requestId), isNull(verificationCodes.usedAt), gt(verificationCodes.expiresAt, now), gt(verificationCodes.attemptsLeft, 0)))
    .returning();
  return code ?? null;
}

/** A right code: its attempt is given back and it is confirmed (the first confirmation's time stays). */
export async function confirmCode(db: Db, id: string, now: Date): Promise<VerificationCode | null> {
  const [confirmed] = await db
    .update(verificationCodes)
    .set({ attemptsLeft: sql`${verificationCodes.attemptsLeft} + 1`, confirmedAt: sql`coalesce(${verificationCodes.confirmedAt}, ${now.toISOString()}::timestamptz)` })
    .where(eq(verificationCodes.id, id))
    .returning();
  return confirmed ?? null;
}

/** Marks the code used, once: false when a parallel request used it first (its effect must not happen twice). */
export async function consumeCode(db: Db, requestId: string, now: Date): Promise<boolean> {
  const used = await db
    .update(verificationCodes)
    .set({ usedAt: now })
    .where(and(eq(verificationCodes.id, requestId), isNull(verificationCodes.usedAt)))
    .returning({ id: verificationCodes.id });
  return used.length === 1;
}

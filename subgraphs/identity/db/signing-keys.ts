import { notInArray, sql } from 'drizzle-orm';
import { signingKeys } from './schema.ts';
import type { Db } from './store.ts';

/** The token-signing keys, newest first. */
export async function loadSigningKeys(db: Db) {
  return db
    .select()
    .from(signingKeys)
    .orderBy(sql`${signingKeys.createdAt} desc`);
}

export async function insertSigningKey(db: Db, key: typeof signingKeys.$inferInsert): Promise<void> {
  await db.insert(signingKeys).values(key);
}

export async function deleteSigningKeysOtherThan(db: Db, kids: string[]): Promise<void> {
  await db.delete(signingKeys).where(notInArray(signingKeys.kid, kids));
}

/** Runs `steps` in a transaction that instances rotating the keys at once take in turns. */
export function withSigningKeysLocked<T>(db: Db, steps: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext('identity:signing-keys'))`);
    return steps(tx);
  });
}

import { asc, eq, inArray } from 'drizzle-orm';
import { authorities, officials, type AuthorityRow } from './schema.ts';
import type { Db } from './store.ts';

/** The authorities that review appeals, and which of them each official works for. */

export function authoritiesOfRegion(db: Db, regionCode: string) {
  return db.select().from(authorities).where(eq(authorities.regionCode, regionCode)).orderBy(asc(authorities.name));
}

export function authoritiesByIds(db: Db, ids: readonly string[]) {
  return db
    .select()
    .from(authorities)
    .where(inArray(authorities.id, [...ids]));
}

export function officialsByUserIds(db: Db, userIds: readonly string[]) {
  return db
    .select()
    .from(officials)
    .where(inArray(officials.userId, [...userIds]));
}

export async function authorityById(db: Db, id: string): Promise<AuthorityRow | null> {
  const [authority] = await db.select().from(authorities).where(eq(authorities.id, id));
  return authority ?? null;
}

/** The person works for no authority any more. */
export async function deleteOfficial(tx: Db, userId: string): Promise<void> {
  await tx.delete(officials).where(eq(officials.userId, userId));
}

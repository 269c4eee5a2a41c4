import { asc, eq, inArray } from 'drizzle-orm';
import { authorities, officials } from './schema.ts';
import type { Db } from './store.ts';

/** The authorities that review appeals, and which of them each official works for. */

export function authoritiesOfRegion(db: Db, regionCode: string) {
  return db.select().from(authorities).where(eq(authorities.regionCode, regionCode)).orderBy(asc(authorities.name));
}

export function authoritiesByIds(db: Db, ids: readonly string[]) {
  return db.select().from(authorities).where(inArray(authorities.id, [...ids]));
}

export function officialsByUserIds(db: Db, userIds: readonly string[]) {
  return db.select().from(officials).where(inArray(officials.userId, [...userIds]));
}

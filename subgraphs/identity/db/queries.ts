import { and, count, desc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { TimeIdCursor } from '../../../lib/connection.ts';
import type { Database, Queryable } from '../../../lib/db.ts';
import type { LoginIdentifier } from '../domain/credentials.ts';
import * as tables from './schema.ts';
import { accounts, type Account } from './schema.ts';

export type IdentityDatabase = Database<typeof tables>;
type Db = Queryable<typeof tables>;

export async function findAccountByLogin(db: Db, login: LoginIdentifier): Promise<Account | null> {
  const column = { phone: accounts.phone, email: accounts.email, snils: accounts.snils }[login.kind];
  const [account] = await db.select().from(accounts).where(eq(column, login.value)).limit(1);
  return account ?? null;
}

export async function accountsByIds(db: Db, ids: readonly string[]): Promise<Account[]> {
  return db.select().from(accounts).where(inArray(accounts.id, [...ids]));
}

export type NewAccount = typeof accounts.$inferInsert;

/** Inserts accounts whose id is not there yet (the demo seed runs on every start). */
export async function insertAccountsIfMissing(db: Db, rows: NewAccount[]): Promise<void> {
  if (rows.length) await db.insert(accounts).values(rows).onConflictDoNothing({ target: accounts.id });
}

export async function loadSigningKeys(db: Db) {
  return db.select().from(tables.signingKeys).orderBy(sql`${tables.signingKeys.createdAt} desc`);
}

export async function insertSigningKey(db: Db, key: typeof tables.signingKeys.$inferInsert): Promise<void> {
  await db.insert(tables.signingKeys).values(key);
}

export async function deleteSigningKeysOtherThan(db: Db, kids: string[]): Promise<void> {
  await db.delete(tables.signingKeys).where(notInArray(tables.signingKeys.kid, kids));
}

/** A page of the account's event log, newest first, after the (occurredAt, id) of `after`. */
/** How many entries the account's event log has, from its (account, time) index. */
export async function securityEventsCount(db: Db, accountId: string): Promise<number> {
  const { securityEvents } = tables;
  const [row] = await db.select({ total: count() }).from(securityEvents).where(eq(securityEvents.accountId, accountId));
  return row?.total ?? 0;
}

export function securityEventsPage(db: Db, accountId: string, limit: number, after: TimeIdCursor | null) {
  const { securityEvents } = tables;
  return db
    .select()
    .from(securityEvents)
    .where(and(eq(securityEvents.accountId, accountId), after ? sql`(${securityEvents.occurredAt}, ${securityEvents.id}) < (${after.at}::timestamptz, ${after.id}::uuid)` : undefined))
    .orderBy(desc(securityEvents.occurredAt), desc(securityEvents.id))
    .limit(limit);
}

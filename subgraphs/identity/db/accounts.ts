import { and, eq, inArray, ne } from 'drizzle-orm';
import type { AccountLevel } from '../../../lib/auth.ts';
import type { LoginIdentifier } from '../domain/credentials.ts';
import { accounts, type Account } from './schema.ts';
import type { Db } from './store.ts';

export type NewAccount = typeof accounts.$inferInsert;

export async function findAccountByLogin(db: Db, login: LoginIdentifier): Promise<Account | null> {
  const column = { phone: accounts.phone, email: accounts.email, snils: accounts.snils }[login.kind];
  const [account] = await db.select().from(accounts).where(eq(column, login.value)).limit(1);
  return account ?? null;
}

export async function accountById(db: Db, id: string): Promise<Account | null> {
  const [account] = await db.select().from(accounts).where(eq(accounts.id, id));
  return account ?? null;
}

export async function accountsByIds(db: Db, ids: readonly string[]): Promise<Account[]> {
  return db
    .select()
    .from(accounts)
    .where(inArray(accounts.id, [...ids]));
}

/** The account, its row locked until the transaction ends. */
export async function lockAccount(tx: Db, id: string): Promise<Account | null> {
  const [account] = await tx.select().from(accounts).where(eq(accounts.id, id)).for('update');
  return account ?? null;
}

/** Inserts accounts whose id is not there yet (the demo seed runs on every start). */
export async function insertAccountsIfMissing(db: Db, rows: NewAccount[]): Promise<void> {
  if (rows.length) await db.insert(accounts).values(rows).onConflictDoNothing({ target: accounts.id });
}

/** A new account; null when its phone or e-mail is taken. */
export async function createAccount(tx: Db, row: NewAccount): Promise<Account | null> {
  const [created] = await tx.insert(accounts).values(row).onConflictDoNothing().returning();
  return created ?? null;
}

export async function removeAccount(tx: Db, id: string): Promise<void> {
  await tx.delete(accounts).where(eq(accounts.id, id));
}

export async function switchTwoStepLogin(tx: Db, id: string, enabled: boolean): Promise<void> {
  await tx.update(accounts).set({ twoStepLogin: enabled }).where(eq(accounts.id, id));
}

export async function setPassword(tx: Db, id: string, password: Pick<Account, 'passwordHash' | 'passwordChangeRequired'>): Promise<void> {
  await tx.update(accounts).set(password).where(eq(accounts.id, id));
}

/** Sets a confirmed phone or e-mail; null when another account has it (the unique index refuses it). */
export async function setConfirmedContact(tx: Db, id: string, contact: Pick<Account, 'phone' | 'phoneConfirmedAt'> | Pick<Account, 'email' | 'emailConfirmedAt'>): Promise<Account | null> {
  const [updated] = await tx
    .update(accounts)
    .set(contact)
    .where(eq(accounts.id, id))
    .returning()
    .catch(() => []);
  return updated ?? null;
}

export async function updateLevel(tx: Db, id: string, level: AccountLevel, method: Account['confirmationMethod']): Promise<void> {
  await tx.update(accounts).set({ level, confirmationMethod: method }).where(eq(accounts.id, id));
}

/** Whether an account other than `exceptId` has this SNILS as its login. */
export async function snilsTakenByAnother(tx: Db, snils: string, exceptId: string): Promise<boolean> {
  const [holder] = await tx
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.snils, snils), ne(accounts.id, exceptId)));
  return holder !== undefined;
}

/** The SNILS and the passport's digest the state registers confirmed. */
export async function setCheckedDocuments(tx: Db, id: string, checked: Pick<Account, 'snils' | 'checkedPassportDigest'>): Promise<void> {
  await tx.update(accounts).set(checked).where(eq(accounts.id, id));
}

import { contacts } from './schema.ts';
import type { Db } from './store.ts';

/**
 * Where notifications can reach a person: the phone and e-mail identity last told (events
 * `identity.account-registered` and `identity.contacts-changed`), kept here because a subgraph never
 * reads another's tables. The worker reads them when it sends, so a changed phone is used at once.
 */

export interface Contacts {
  phone: string | null;
  email: string | null;
}

/** The person's contacts as of `at`, replacing what was known. Events arrive in order, so the last one wins. */
export async function saveContacts(db: Db, userId: string, { phone, email }: Contacts, at: Date): Promise<void> {
  await db
    .insert(contacts)
    .values({ userId, phone, email, updatedAt: at })
    .onConflictDoUpdate({ target: contacts.userId, set: { phone, email, updatedAt: at } });
}

/** Demo contacts; a contact identity has changed since (an event) is kept. */
export async function insertContactsIfMissing(db: Db, rows: (Contacts & { userId: string })[]): Promise<void> {
  if (rows.length) await db.insert(contacts).values(rows).onConflictDoNothing();
}

import { eq } from 'drizzle-orm';
import type { Queryable } from '../../../lib/db.ts';
import * as tables from '../db/schema.ts';
import { contacts, deliveries, preferences, pushDevices } from '../db/schema.ts';

/**
 * Where notifications can reach a person: the phone and e-mail identity last told (events
 * `identity.account-registered` and `identity.contacts-changed`), kept here because a subgraph never
 * reads another's tables. The worker reads them when it sends, so a changed phone is used at once.
 */

type Db = Queryable<typeof tables>;

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

/** Everything delivery keeps about a deleted account: contacts, preferences, devices, deliveries. */
export async function eraseDeliveryData(db: Db, userId: string): Promise<void> {
  await db.delete(deliveries).where(eq(deliveries.userId, userId));
  await db.delete(pushDevices).where(eq(pushDevices.userId, userId));
  await db.delete(preferences).where(eq(preferences.userId, userId));
  await db.delete(contacts).where(eq(contacts.userId, userId));
}

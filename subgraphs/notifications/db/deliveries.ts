import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import { contacts, deliveries, items, preferences, pushDevices, type DeliveryRow, type PreferencesRow } from './schema.ts';
import type { Db } from './store.ts';

/** Channel deliveries: planned with an item, shown with it, claimed, sent and retried by the delivery worker. */

export type NewDelivery = typeof deliveries.$inferInsert;

/** What a waiting delivery is set to: when it is due, and whether it waits for the person's window. */
export interface DeliverySlot {
  dueAt: Date;
  status: 'PENDING' | 'SCHEDULED';
}

/** Still to be sent: due at its time (PENDING), or at its person's window's start (SCHEDULED). */
const WAITING: DeliveryRow['status'][] = ['PENDING', 'SCHEDULED'];

/** Due at `now`: waiting, and its time has come (a first attempt, a retry, a window opened, a lease run out). */
const dueAt = (now: Date) => and(inArray(deliveries.status, WAITING), lte(deliveries.dueAt, now));

/** What planning a person's deliveries reads, in one query: preferences, contacts, whether a push device exists (rows may be missing). */
export async function deliverySettingsOf(db: Db, userId: string): Promise<{ preferences: PreferencesRow | null; phone: string | null; email: string | null; hasPushDevice: boolean }> {
  const [row] = await db
    .select({
      preferences,
      phone: contacts.phone,
      email: contacts.email,
      hasPushDevice: sql<boolean>`exists (select 1 from ${pushDevices} where ${pushDevices.userId} = ${userId})`,
    })
    .from(sql`/* deliverySettings */ (select 1) as person`)
    .leftJoin(preferences, eq(preferences.userId, userId))
    .leftJoin(contacts, eq(contacts.userId, userId));
  return { preferences: row?.preferences ?? null, phone: row?.phone ?? null, email: row?.email ?? null, hasPushDevice: Boolean(row?.hasPushDevice) };
}

/** Stores planned deliveries; one that exists already (same item and channel) is left as it is. */
export async function insertDeliveries(tx: Db, rows: NewDelivery[]): Promise<void> {
  if (rows.length) await tx.insert(deliveries).values(rows).onConflictDoNothing();
}

/** The deliveries of items, for the per-request loader; in API channel order. */
export function deliveriesOfItems(db: Db, itemIds: readonly string[]) {
  return db
    .select()
    .from(deliveries)
    .where(inArray(deliveries.itemId, [...itemIds]))
    .orderBy(deliveries.itemId, deliveries.channel);
}

/** Moves the person's deliveries that wait for their window to `slot` (the window changed). */
export async function rescheduleWaitingForWindow(tx: Db, userId: string, slot: DeliverySlot): Promise<void> {
  await tx
    .update(deliveries)
    .set(slot)
    .where(and(eq(deliveries.userId, userId), eq(deliveries.status, 'SCHEDULED')));
}

// ---------------------------------------------------------------------------------------------------
// The worker's claims

/** Up to `limit` deliveries due at `now`, the earliest first, locked (skipping those another worker has locked). */
export function lockDueDeliveries(tx: Db, now: Date, limit: number) {
  return tx.select({ id: deliveries.id }).from(deliveries).where(dueAt(now)).orderBy(deliveries.dueAt).limit(limit).for('update', { skipLocked: true });
}

/** The deliveries with what sending them needs: the item's words, the person's contacts and preferences row. */
export function deliveriesToSend(tx: Db, ids: readonly string[]) {
  return tx
    .select({
      id: deliveries.id,
      userId: deliveries.userId,
      channel: deliveries.channel,
      attempts: deliveries.attempts,
      kind: items.kind,
      title: items.title,
      body: items.body,
      link: items.link,
      phone: contacts.phone,
      email: contacts.email,
      preferences,
    })
    .from(deliveries)
    .innerJoin(items, eq(items.id, deliveries.itemId))
    .leftJoin(contacts, eq(contacts.userId, deliveries.userId))
    .leftJoin(preferences, eq(preferences.userId, deliveries.userId))
    .where(inArray(deliveries.id, [...ids]));
}

/** Sets a delivery aside for its window's start, without an attempt. */
export async function scheduleDelivery(tx: Db, id: string, dueAt: Date): Promise<void> {
  await tx.update(deliveries).set({ status: 'SCHEDULED', dueAt }).where(eq(deliveries.id, id));
}

/** Counts an attempt on each delivery and leaves them alone until `until` (a claim's lease). */
export async function leaseDeliveries(tx: Db, ids: readonly string[], until: Date): Promise<void> {
  await tx
    .update(deliveries)
    .set({ attempts: sql`${deliveries.attempts} + 1`, dueAt: until })
    .where(inArray(deliveries.id, [...ids]));
}

/** A claim: the delivery, and its attempts counting the claim. */
export interface DeliveryClaim {
  id: string;
  attempts: number;
}

/** Only while the claim is ours: `attempts` moves with every claim. */
const stillClaimed = (claim: DeliveryClaim) => and(eq(deliveries.id, claim.id), eq(deliveries.attempts, claim.attempts));

export async function markDeliverySent(db: Db, claim: DeliveryClaim, now: Date): Promise<void> {
  await db.update(deliveries).set({ status: 'SENT', sentAt: now, lastError: null }).where(stillClaimed(claim));
}

/** Gives the delivery up (FAILED) with what went wrong. */
export async function markDeliveryFailed(db: Db, claim: DeliveryClaim, error: string): Promise<void> {
  await db.update(deliveries).set({ status: 'FAILED', lastError: error }).where(stillClaimed(claim));
}

/** Sets a failed delivery due again at `slot`, with what went wrong. */
export async function retryDelivery(db: Db, claim: DeliveryClaim, slot: DeliverySlot, error: string): Promise<void> {
  await db
    .update(deliveries)
    .set({ ...slot, lastError: error })
    .where(stillClaimed(claim));
}

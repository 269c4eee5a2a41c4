import { and, asc, desc, eq, notInArray } from 'drizzle-orm';
import { pushDevices } from './schema.ts';
import type { Db } from './store.ts';

/** The `push_devices` rows: one per app installation, its platform token and its person. */

export type NewPushDevice = typeof pushDevices.$inferInsert;

/** The person's devices, the earliest registered first. */
export function pushDevicesOf(db: Db, userId: string) {
  return db.select().from(pushDevices).where(eq(pushDevices.userId, userId)).orderBy(asc(pushDevices.registeredAt), asc(pushDevices.id));
}

/** Registers a device for its person; a token already registered moves to them. */
export async function savePushDevice(tx: Db, device: NewPushDevice & { userId: string }): Promise<void> {
  await tx.insert(pushDevices).values(device).onConflictDoUpdate({ target: pushDevices.token, set: device });
}

/** Forgets all but the person's `keep` most recently registered devices. */
export async function keepNewestPushDevices(tx: Db, userId: string, keep: number): Promise<void> {
  const newest = tx.select({ id: pushDevices.id }).from(pushDevices).where(eq(pushDevices.userId, userId)).orderBy(desc(pushDevices.registeredAt), desc(pushDevices.id)).limit(keep);
  await tx.delete(pushDevices).where(and(eq(pushDevices.userId, userId), notInArray(pushDevices.id, newest)));
}

/** Removes one of the person's devices; false when they have none with this id. */
export async function deletePushDevice(db: Db, userId: string, deviceId: string): Promise<boolean> {
  const removed = await db
    .delete(pushDevices)
    .where(and(eq(pushDevices.id, deviceId), eq(pushDevices.userId, userId)))
    .returning({ id: pushDevices.id });
  return removed.length > 0;
}

import { and, eq, lt, sql } from 'drizzle-orm';
import { mobileDevices } from './schema.ts';
import type { Db } from './store.ts';

export type MobileDevice = typeof mobileDevices.$inferSelect;

/**
 * Binds a PIN to a device in one statement that also decides whether it may: the device's row is
 * locked while its PIN changes since `since` are counted, so parallel requests get exactly
 * `maxChanges`. A device of another account starts afresh. False when the limit refused it.
 */
export async function bindPinWithinLimit(tx: Db, device: { deviceId: string; accountId: string; deviceName: string | null; pinHash: string }, now: Date, limit: { since: Date; maxChanges: number }): Promise<boolean> {
  const recent = sql`array(select changed from unnest(${mobileDevices.pinChanges}) changed where changed > ${limit.since.toISOString()}::timestamptz)`;
  const sameAccount = sql`${mobileDevices.accountId} = excluded.account_id`;
  const [row] = await tx
    .insert(mobileDevices)
    .values({ ...device, wrongPinAttempts: 0, pinChanges: [now] })
    .onConflictDoUpdate({
      target: mobileDevices.deviceId,
      set: {
        accountId: sql`excluded.account_id`,
        deviceName: sql`excluded.device_name`,
        pinHash: sql`excluded.pin_hash`,
        wrongPinAttempts: 0,
        pinChanges: sql`case when ${sameAccount} then ${recent} else '{}' end || excluded.pin_changes`,
      },
      setWhere: sql`not ${sameAccount} or cardinality(${recent}) < ${limit.maxChanges}`,
    })
    .returning({ id: mobileDevices.id });
  return row !== undefined;
}

/**
 * Takes one PIN attempt of the device in one statement, while fewer than `maxAttempts` are spent:
 * the device with its attempts counted, or null when none is bound or none is left.
 */
export async function takePinAttempt(db: Db, deviceId: string, maxAttempts: number): Promise<MobileDevice | null> {
  const [bound] = await db
    .update(mobileDevices)
    .set({ wrongPinAttempts: sql`${mobileDevices.wrongPinAttempts} + 1` })
    .where(and(eq(mobileDevices.deviceId, deviceId), lt(mobileDevices.wrongPinAttempts, maxAttempts)))
    .returning();
  return bound ?? null;
}

/** Whether a PIN is bound to the device (its attempts spent or not). */
export async function isDeviceBound(db: Db, deviceId: string): Promise<boolean> {
  const [bound] = await db.select({ id: mobileDevices.id }).from(mobileDevices).where(eq(mobileDevices.deviceId, deviceId));
  return bound !== undefined;
}

export async function unbindDevice(db: Db, id: string): Promise<void> {
  await db.delete(mobileDevices).where(eq(mobileDevices.id, id));
}

export async function resetPinAttempts(db: Db, id: string): Promise<void> {
  await db.update(mobileDevices).set({ wrongPinAttempts: 0 }).where(eq(mobileDevices.id, id));
}

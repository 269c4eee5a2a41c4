import { userError, type UserError } from '../../../lib/errors.ts';
import { deletePushDevice, keepNewestPushDevices, savePushDevice } from '../db/push-devices.ts';
import { isUuid } from '../../../lib/ids.ts';
import { inTransaction, type Db } from '../db/store.ts';
import type { PushPlatform } from '../push.ts';

/** Devices with the portal's mobile app, registered for push by the person signed in on them. */

/** Devices one person keeps; registering another forgets the oldest (reinstalls leave dead tokens behind). */
export const MAX_PUSH_DEVICES = 10;

/** FCM, RuStore, HMS and APNs tokens: letters, digits and a few separators, 16 to 1024 of them. */
const TOKEN = /^[A-Za-z0-9_:.=+/-]{16,1024}$/;

export interface PushDeviceInput {
  token: string;
  platform: PushPlatform;
  name?: string | null;
}

/**
 * Registers the app on a device for the person. A token already registered moves to them: the app
 * sends pushes for whoever is signed in on it now.
 */
export async function registerPushDevice(db: Db, userId: string, input: PushDeviceInput, now = new Date()): Promise<UserError[]> {
  const name = input.name?.trim() || null;
  const errors = [
    !TOKEN.test(input.token) && userError('INVALID_FORMAT', 'Некорректный токен push-уведомлений: приложение должно передать токен, выданный платформой.', ['input', 'token']),
    name && name.length > 100 && userError('TOO_LONG', 'Название устройства — не длиннее 100 символов.', ['input', 'name']),
  ].filter((error): error is UserError => Boolean(error));
  if (errors.length) return errors;
  await inTransaction(db, async (tx) => {
    await savePushDevice(tx, { userId, token: input.token, platform: input.platform, name, registeredAt: now });
    await keepNewestPushDevices(tx, userId, MAX_PUSH_DEVICES);
  });
  return [];
}

/** Removes one of the person's devices; another person's device answers like a missing one. */
export async function removePushDevice(db: Db, userId: string, deviceId: string): Promise<UserError[]> {
  const removed = isUuid(deviceId) && (await deletePushDevice(db, userId, deviceId));
  return removed ? [] : [userError('NOT_FOUND', 'Устройство не найдено: возможно, оно уже удалено.', ['input', 'deviceId'])];
}

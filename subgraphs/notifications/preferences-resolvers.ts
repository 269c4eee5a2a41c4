import { requireSelfOrRole, requireViewer } from '../../lib/auth.ts';
import type { UserError } from '../../lib/errors.ts';
import { KINDS } from './db/preferences.ts';
import { pushDevicesOf } from './db/push-devices.ts';
import { presentDelivery } from './domain/deliveries.ts';
import { checkPreferencesInput, readPreferences, savePreferences } from './domain/preferences.ts';
import { registerPushDevice, removePushDevice } from './domain/push-devices.ts';
import type { Resolvers } from './generated/schema-types.ts';
import type { NotificationsContext } from './resolvers.ts';

/**
 * Preferences, push devices and channel deliveries in the graph: merged into the subgraph's
 * resolvers by server.ts. The rules are in domain/preferences.ts, push-devices.ts, deliveries.ts.
 */

type Db = NotificationsContext['database']['db'];

/** The person's preferences as the API shows them: every kind, the window, the devices. */
async function preferencesOf(db: Db, userId: string) {
  const [prefs, devices] = await Promise.all([readPreferences(db, userId), pushDevicesOf(db, userId)]);
  return {
    kinds: KINDS.map((kind) => ({ kind, channels: prefs.channels[kind] })),
    deliveryWindow: prefs.window,
    pushDevices: devices.map(({ id, name, platform, registeredAt }) => ({ id, name, platform, registeredAt })),
  };
}

/** A preferences payload: the preferences after the change, or the errors and no preferences. */
const payload = async (db: Db, userId: string, errors: UserError[]) => (errors.length ? { preferences: null, errors } : { preferences: await preferencesOf(db, userId), errors: [] });

export const preferencesResolvers: Resolvers = {
  User: {
    // Only the person: no staff role reads someone's notification settings.
    notificationPreferences: (user, _args, { viewer, database }) => {
      requireSelfOrRole(viewer, user.id);
      return preferencesOf(database.db, user.id);
    },
  },
  Notification: {
    // The item was checked to be the viewer's where it was resolved; a page of items is one query.
    deliveries: async (item, _args, { loaders }) => (await loaders.deliveriesByItem.load(item.id)).map(presentDelivery),
  },
  Mutation: {
    updateNotificationPreferences: async (_root, { input }, { viewer, database }) => {
      const { userId } = requireViewer(viewer);
      const checked = checkPreferencesInput(input);
      if (!checked.ok) return payload(database.db, userId, checked.errors);
      await savePreferences(database.db, userId, checked.change);
      return payload(database.db, userId, []);
    },
    registerPushDevice: async (_root, { input }, { viewer, database }) => {
      const { userId } = requireViewer(viewer);
      return payload(database.db, userId, await registerPushDevice(database.db, userId, input));
    },
    removePushDevice: async (_root, { input }, { viewer, database }) => {
      const { userId } = requireViewer(viewer);
      return payload(database.db, userId, await removePushDevice(database.db, userId, input.deviceId));
    },
  },
};

import { byId } from '../../lib/loaders.ts';
import { itemsByIds, type NotificationsDatabase } from './db/queries.ts';

/** Per-request loaders: an `_entities` call or a subscription event may name many items at once. */
export function createLoaders({ db }: NotificationsDatabase) {
  return {
    itemById: byId((ids) => itemsByIds(db, ids), (row) => row.id),
  };
}

export type NotificationsLoaders = ReturnType<typeof createLoaders>;

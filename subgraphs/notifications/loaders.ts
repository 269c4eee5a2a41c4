import { byId, manyById } from '../../lib/loaders.ts';
import { deliveriesOfItems } from './db/deliveries.ts';
import { itemsByIds } from './db/feed.ts';
import type { NotificationsDatabase } from './db/store.ts';

/** Per-request loaders: an `_entities` call or a subscription event may name many items at once. */
export function createLoaders({ db }: NotificationsDatabase) {
  return {
    itemById: byId(
      (ids) => itemsByIds(db, ids),
      (row) => row.id,
    ),
    // A page of items with their deliveries: one query, not one per item.
    deliveriesByItem: manyById(
      (ids) => deliveriesOfItems(db, ids),
      (row) => row.itemId,
    ),
  };
}

export type NotificationsLoaders = ReturnType<typeof createLoaders>;

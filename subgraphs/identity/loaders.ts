import { byId } from '../../lib/loaders.ts';
import { accountsByIds } from './db/accounts.ts';
import type { IdentityDatabase } from './db/store.ts';

/** Per-request loaders: the gateway asks for many users in one `_entities` call; one query answers it. */
export function createLoaders({ db }: IdentityDatabase) {
  return {
    accountById: byId(
      (ids) => accountsByIds(db, ids),
      (row) => row.id,
    ),
  };
}

export type IdentityLoaders = ReturnType<typeof createLoaders>;

import { byId, manyById } from '../../lib/loaders.ts';
import { documentsOf, personalDataOf, type ProfileDatabase } from './db/queries.ts';

/** Per-request loaders: the gateway resolves many users in one `_entities` call; one query each answers it. */
export function createLoaders({ db }: ProfileDatabase) {
  return {
    personalDataByUserId: byId((ids) => personalDataOf(db, ids), (row) => row.userId),
    documentsByUserId: manyById((ids) => documentsOf(db, ids), (row) => row.userId),
  };
}

export type ProfileLoaders = ReturnType<typeof createLoaders>;

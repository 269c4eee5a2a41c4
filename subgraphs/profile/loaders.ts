import { byId, manyById } from '../../lib/loaders.ts';
import { childrenOf, documentsOf, latestChecksOf, personalDataOf, vehiclesOf, type ProfileDatabase } from './db/queries.ts';

/** Per-request loaders: the gateway resolves many users in one `_entities` call; one query each answers it. */
export function createLoaders({ db }: ProfileDatabase) {
  return {
    personalDataByUserId: byId((ids) => personalDataOf(db, ids), (row) => row.userId),
    documentsByUserId: manyById((ids) => documentsOf(db, ids), (row) => row.userId),
    childrenByUserId: manyById((ids) => childrenOf(db, ids), (row) => row.userId),
    vehiclesByUserId: manyById((ids) => vehiclesOf(db, ids), (row) => row.userId),
    latestCheckByUserId: byId((ids) => latestChecksOf(db, ids), (row) => row.userId),
  };
}

export type ProfileLoaders = ReturnType<typeof createLoaders>;

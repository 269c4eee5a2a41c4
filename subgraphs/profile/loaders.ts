import { byId, manyById } from '../../lib/loaders.ts';
import { latestChecksOf } from './db/data-checks.ts';
import { documentsOf } from './db/documents.ts';
import { personalDataOf } from './db/personal-data.ts';
import { childrenOf, vehiclesOf } from './db/records.ts';
import type { ProfileDatabase } from './db/store.ts';

/** Per-request loaders: the gateway resolves many users in one `_entities` call; one query each answers it. */
export function createLoaders({ db }: ProfileDatabase) {
  return {
    personalDataByUserId: byId(
      (ids) => personalDataOf(db, ids),
      (row) => row.userId,
    ),
    documentsByUserId: manyById(
      (ids) => documentsOf(db, ids),
      (row) => row.userId,
    ),
    childrenByUserId: manyById(
      (ids) => childrenOf(db, ids),
      (row) => row.userId,
    ),
    vehiclesByUserId: manyById(
      (ids) => vehiclesOf(db, ids),
      (row) => row.userId,
    ),
    latestCheckByUserId: byId(
      (ids) => latestChecksOf(db, ids),
      (row) => row.userId,
    ),
  };
}

export type ProfileLoaders = ReturnType<typeof createLoaders>;

import { byId } from '../../lib/loaders.ts';
import { appealsByIds, authoritiesByIds, officialsByUserIds, topicsByIds, type AppealsDatabase } from './db/queries.ts';

/**
 * Per-request loaders: a page of appeals names many topics and authorities, and the gateway asks
 * for many appeals in one `_entities` call; each becomes one query.
 */
export function createLoaders({ db }: AppealsDatabase) {
  return {
    appealById: byId((ids) => appealsByIds(db, ids), (row) => row.id),
    topicById: byId((ids) => topicsByIds(db, ids), (row) => row.id),
    authorityById: byId((ids) => authoritiesByIds(db, ids), (row) => row.id),
    /** The authority an official works for, asked once per request however many appeals are checked. */
    officialByUserId: byId((ids) => officialsByUserIds(db, ids), (row) => row.userId),
  };
}

export type AppealsLoaders = ReturnType<typeof createLoaders>;

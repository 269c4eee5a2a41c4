import { byId, manyById } from '../../lib/loaders.ts';
import { appealsByIds } from './db/appeals.ts';
import { authoritiesByIds, officialsByUserIds } from './db/authorities.ts';
import { allRoutingRules, allTopics, topicsByIds } from './db/rubricator.ts';
import type { AppealsDatabase } from './db/store.ts';
import { timelinesOf } from './db/timeline.ts';

/**
 * Per-request loaders: a page of appeals names many topics, authorities and timelines, and the
 * gateway asks for many appeals in one `_entities` call; each becomes one query.
 */
export function createLoaders({ db }: AppealsDatabase) {
  let rubricator: Promise<Awaited<ReturnType<typeof allTopics>>> | undefined;
  let routingRules: Promise<Awaited<ReturnType<typeof allRoutingRules>>> | undefined;
  return {
    appealById: byId(
      (ids) => appealsByIds(db, ids),
      (row) => row.id,
    ),
    topicById: byId(
      (ids) => topicsByIds(db, ids),
      (row) => row.id,
    ),
    authorityById: byId(
      (ids) => authoritiesByIds(db, ids),
      (row) => row.id,
    ),
    timelineByAppealId: manyById(
      (ids) => timelinesOf(db, ids),
      (row) => row.appealId,
    ),
    /** The authority an official works for, asked once per request however many appeals are checked. */
    officialByUserId: byId(
      (ids) => officialsByUserIds(db, ids),
      (row) => row.userId,
    ),
    /** The whole rubricator, read once per request: `Topic.children` of every topic comes from it. */
    // A real promise: drizzle's query builder would run the query again on every await.
    rubricator: () => (rubricator ??= Promise.resolve(allTopics(db))),
    /** Every routing rule, read once per request: drafts' routing (`Appeal.routing`) comes from them. */
    routingRules: () => (routingRules ??= Promise.resolve(allRoutingRules(db))),
  };
}

export type AppealsLoaders = ReturnType<typeof createLoaders>;

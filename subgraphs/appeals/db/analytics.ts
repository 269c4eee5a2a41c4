import { and, count, eq, sql, type SQL } from 'drizzle-orm';
import { overdueAt } from './appeals.ts';
import { appeals } from './schema.ts';
import type { Db } from './store.ts';

export interface AnalyticsFilter {
  from: Date;
  to: Date;
  regionCode: string | null;
}

/** Registered appeals of the period (and region): the base of every analytics figure. */
function inPeriod(filter: AnalyticsFilter): SQL {
  return and(
    sql`${appeals.registeredAt} >= ${filter.from.toISOString()}::timestamptz`,
    sql`${appeals.registeredAt} < ${filter.to.toISOString()}::timestamptz`,
    filter.regionCode ? eq(appeals.regionCode, filter.regionCode) : undefined,
  )!;
}

/** Late: answered after the due date, or not answered and overdue. */
const late = (now: Date) => sql`(${appeals.answeredAt} > ${appeals.dueAt} or (${appeals.answeredAt} is null and ${overdueAt(now)}))`;

/**
 * Every analytics figure's base in one grouped scan of the period (an index-only scan of
 * `appeals_registered_idx`): per region, municipality and topic, the appeals, the late ones and the
 * ratings. domain/analytics.ts sums them up into totals, topics, municipalities and top problems.
 */
export function analyticsGroups(db: Db, filter: AnalyticsFilter, now: Date) {
  const place = sql<string>`coalesce(${appeals.municipality}, '')`;
  return db
    .select({
      regionCode: sql<string>`${appeals.regionCode}`,
      municipality: place,
      topicId: sql<string>`${appeals.topicId}`,
      count: count(),
      late: sql<number>`count(*) filter (where ${late(now)})`.mapWith(Number),
      ratingSum: sql<number>`coalesce(sum(${appeals.ratingScore}), 0)`.mapWith(Number),
      rated: count(appeals.ratingScore),
    })
    .from(appeals)
    .where(inPeriod(filter))
    .groupBy(appeals.regionCode, place, appeals.topicId)
    .orderBy(appeals.regionCode, place, appeals.topicId);
}

import { and, count, eq, isNull, sql, type SQLWrapper } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import { overdueAt } from './appeals.ts';
import { analyticsCounts, appeals } from './schema.ts';
import type { Db } from './store.ts';

export interface AnalyticsFilter {
  /** The first and the last day of registration (YYYY-MM-DD, Moscow dates), both included. */
  from: string;
  to: string;
  regionCode: string | null;
}

const place = (municipality: SQLWrapper) => sql<string>`coalesce(${municipality}, '')`;

/**
 * Every analytics figure's base in one statement: per region, municipality and topic, the appeals of
 * the period, the late ones and the ratings. The kept day counts (`analytics_counts`) give all of
 * it but the open appeals due today, which turn late in the course of the day without a row change:
 * those are read from `appeals_due_today_idx` (an index-only range). domain/analytics.ts sums them up
 * into totals, topics, municipalities and top problems.
 */
export function analyticsGroups(db: Db, filter: AnalyticsFilter, now: Date) {
  const region = (column: typeof appeals.regionCode | typeof analyticsCounts.regionCode) => (filter.regionCode ? eq(column, filter.regionCode) : undefined);
  const at = sql`${now.toISOString()}::timestamptz`;
  // Late: answered after the due date, or not answered and overdue (`overdueAt`): an open appeal due before today is.
  // Today is a subquery, worked out once, not for each row.
  const kept = db
    .select({
      regionCode: analyticsCounts.regionCode,
      municipality: place(analyticsCounts.municipality).as('municipality'),
      topicId: analyticsCounts.topicId,
      count: analyticsCounts.appeals,
      late: sql<number>`${analyticsCounts.answeredLate} + case when ${analyticsCounts.dueOn} < (select appeals.analytics_day(${at})) then ${analyticsCounts.openUnanswered} else 0 end`.as('late'),
      ratingSum: analyticsCounts.ratingSum,
      rated: analyticsCounts.rated,
    })
    .from(analyticsCounts)
    .where(and(sql`${analyticsCounts.registeredOn} between ${filter.from}::date and ${filter.to}::date`, region(analyticsCounts.regionCode)));
  const lateToday = db
    .select({
      regionCode: appeals.regionCode,
      municipality: place(appeals.municipality).as('municipality'),
      topicId: appeals.topicId,
      count: sql<number>`0`.as('count'),
      late: count().as('late'),
      ratingSum: sql<number>`0`.as('rating_sum'),
      rated: sql<number>`0`.as('rated'),
    })
    .from(appeals)
    .where(
      and(
        isNull(appeals.answeredAt),
        overdueAt(now),
        sql`${appeals.dueAt} >= appeals.analytics_day_start(appeals.analytics_day(${at}))`,
        // The period's instants, so that it is a range of the index, not a day computed for each entry.
        sql`${appeals.registeredAt} >= appeals.analytics_day_start(${filter.from}::date)`,
        sql`${appeals.registeredAt} < appeals.analytics_day_start(${filter.to}::date + 1)`,
        region(appeals.regionCode),
      ),
    )
    .groupBy(appeals.regionCode, place(appeals.municipality), appeals.topicId);
  const groups = unionAll(kept, lateToday).as('groups');
  const total = (column: SQLWrapper) => sql<number>`sum(${column})::int`.mapWith(Number);
  return (
    db
      .select({
        regionCode: sql<string>`${groups.regionCode}`,
        municipality: groups.municipality,
        topicId: sql<string>`${groups.topicId}`,
        count: total(groups.count),
        late: total(groups.late),
        ratingSum: total(groups.ratingSum),
        rated: total(groups.rated),
      })
      .from(groups)
      .groupBy(groups.regionCode, groups.municipality, groups.topicId)
      // A day's row may stay at zero (its appeals deleted or moved): a group without appeals is none.
      .having(sql`sum(${groups.count}) > 0`)
      .orderBy(groups.regionCode, groups.municipality, groups.topicId)
  );
}

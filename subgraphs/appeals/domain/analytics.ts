/**
 * The coordinators' analytics from one grouped read (db/analytics.ts `analyticsGroups`): the appeals of
 * a period per region, municipality and topic, summed up here into every figure `appealAnalytics`
 * shows. Groups come ordered by region, municipality and topic; ties keep that order.
 */

export interface AnalyticsGroup {
  regionCode: string;
  /** '' for appeals without one. */
  municipality: string;
  topicId: string;
  count: number;
  /** Answered after the due date, or still open past it. */
  late: number;
  ratingSum: number;
  rated: number;
}

export interface AnalyticsSummary {
  totalCount: number;
  late: number;
  averageRating: number | null;
  /** By top-level topic (a subtopic counts for its parent), the most frequent first. */
  countByTopic: { topicId: string; count: number }[];
  /** The most frequent first. */
  countByMunicipality: { municipality: string; regionCode: string; count: number; overdueCount: number }[];
  /** The `top` most frequent topics of each municipality, by region and municipality. */
  topProblems: { municipality: string; regionCode: string; problems: { topicId: string; count: number }[] }[];
}

const mostFirst = <T extends { count: number }>(rows: T[]) => rows.sort((a, b) => b.count - a.count);

export function summariseAnalytics(groups: readonly AnalyticsGroup[], topLevelOf: (topicId: string) => string, top: number): AnalyticsSummary {
  let totalCount = 0;
  let late = 0;
  let ratingSum = 0;
  let rated = 0;
  const topics = new Map<string, number>();
  const places = new Map<string, { municipality: string; regionCode: string; count: number; overdueCount: number; topics: { topicId: string; count: number }[] }>();
  for (const group of groups) {
    totalCount += group.count;
    late += group.late;
    ratingSum += group.ratingSum;
    rated += group.rated;
    const topLevel = topLevelOf(group.topicId);
    topics.set(topLevel, (topics.get(topLevel) ?? 0) + group.count);
    const key = `${group.regionCode}/${group.municipality}`;
    const place = places.get(key) ?? { municipality: group.municipality, regionCode: group.regionCode, count: 0, overdueCount: 0, topics: [] };
    place.count += group.count;
    place.overdueCount += group.late;
    place.topics.push({ topicId: group.topicId, count: group.count });
    places.set(key, place);
  }
  return {
    totalCount,
    late,
    averageRating: rated ? ratingSum / rated : null,
    countByTopic: mostFirst([...topics].map(([topicId, count]) => ({ topicId, count })).sort((a, b) => (a.topicId < b.topicId ? -1 : 1))),
    countByMunicipality: mostFirst([...places.values()].map(({ municipality, regionCode, count, overdueCount }) => ({ municipality, regionCode, count, overdueCount }))),
    topProblems: [...places.values()].map(({ municipality, regionCode, topics: counts }) => ({ municipality, regionCode, problems: mostFirst(counts).slice(0, top) })),
  };
}

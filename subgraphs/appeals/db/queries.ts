import { and, asc, count, desc, eq, inArray, lt, lte, sql, sum, type SQL } from 'drizzle-orm';
import type { TimeIdCursor } from '../../../lib/connection.ts';
import type { Database, Queryable } from '../../../lib/db.ts';
import * as tables from './schema.ts';
import { appeals, authorities, isOpenSql, officials, queueCounts, routingRules, timeline, topics, type AppealStatus, type TimelineRow } from './schema.ts';

export type AppealsDatabase = Database<typeof tables>;
type Db = Queryable<typeof tables>;

export function appealsByIds(db: Db, ids: readonly string[]) {
  return db.select().from(appeals).where(inArray(appeals.id, [...ids]));
}

/** A page of a person's appeals, newest first, after the (createdAt, id) of `after`. */
export function appealsOfAuthor(db: Db, authorId: string, limit: number, after: TimeIdCursor | null) {
  return db
    .select()
    .from(appeals)
    .where(and(eq(appeals.authorId, authorId), after ? sql`(${appeals.createdAt}, ${appeals.id}) < (${after.at}::timestamptz, ${after.id}::uuid)` : undefined))
    .orderBy(desc(appeals.createdAt), desc(appeals.id))
    .limit(limit);
}

/** How many appeals (drafts included) a person has, from the author index. */
export async function appealsOfAuthorCount(db: Db, authorId: string): Promise<number> {
  const [row] = await db.select({ total: count() }).from(appeals).where(eq(appeals.authorId, authorId));
  return row?.total ?? 0;
}

export interface QueueFilter {
  authorityId: string;
  overdueOnly: boolean;
  /** Open appeals due by this instant (the end of the third working day from today). */
  dueBy: Date | null;
  statuses: AppealStatus[] | null;
  /** A topic and its subtopics. */
  topicId: string | null;
  now: Date;
}

function inQueue(filter: QueueFilter): SQL {
  const open = isOpenSql(appeals.status);
  return and(
    eq(appeals.authorityId, filter.authorityId),
    filter.overdueOnly ? and(lt(appeals.dueAt, filter.now), open) : undefined,
    filter.dueBy ? and(lte(appeals.dueAt, filter.dueBy), open) : undefined,
    filter.statuses?.length ? inArray(appeals.status, filter.statuses) : undefined,
    filter.topicId ? sql`(${appeals.topicId} = ${filter.topicId} or ${appeals.topicId} in (select ${topics.id} from ${topics} where ${topics.parentId} = ${filter.topicId}))` : undefined,
  )!;
}

/** A page of an authority's queue, earliest due first, after the (dueAt, id) of `after`. */
export function queuePage(db: Db, filter: QueueFilter, limit: number, after: TimeIdCursor | null) {
  return db
    .select()
    .from(appeals)
    .where(and(inQueue(filter), after ? sql`(${appeals.dueAt}, ${appeals.id}) > (${after.at}::timestamptz, ${after.id}::uuid)` : undefined))
    .orderBy(asc(appeals.dueAt), asc(appeals.id))
    .limit(limit);
}

/**
 * How many appeals match the queue's filter across all pages: by status from `queue_counts` (no
 * rows read); with a due date or topic filter, by counting them (overdue ones from the open-queue index).
 */
export async function queueCount(db: Db, filter: QueueFilter): Promise<number> {
  if (!filter.overdueOnly && !filter.dueBy && !filter.topicId) {
    const [kept] = await db
      .select({ total: sum(queueCounts.appeals).mapWith(Number) })
      .from(queueCounts)
      .where(and(eq(queueCounts.authorityId, filter.authorityId), filter.statuses?.length ? inArray(queueCounts.status, filter.statuses) : undefined));
    return kept?.total ?? 0;
  }
  const [row] = await db.select({ total: count() }).from(appeals).where(inQueue(filter));
  return row?.total ?? 0;
}

export function timelinesOf(db: Db, appealIds: readonly string[]) {
  return db.select().from(timeline).where(inArray(timeline.appealId, [...appealIds])).orderBy(asc(timeline.position));
}

export function allTopics(db: Db) {
  return db.select().from(topics).orderBy(asc(topics.id));
}

export function allRoutingRules(db: Db) {
  return db.select().from(routingRules);
}

export function authoritiesOfRegion(db: Db, regionCode: string) {
  return db.select().from(authorities).where(eq(authorities.regionCode, regionCode)).orderBy(asc(authorities.name));
}

export function topicsByIds(db: Db, ids: readonly string[]) {
  return db.select().from(topics).where(inArray(topics.id, [...ids]));
}

export function authoritiesByIds(db: Db, ids: readonly string[]) {
  return db.select().from(authorities).where(inArray(authorities.id, [...ids]));
}

export function officialsByUserIds(db: Db, userIds: readonly string[]) {
  return db.select().from(officials).where(inArray(officials.userId, [...userIds]));
}

/** Inserts reference data and appeals whose keys are not there yet (the demo seed runs on every start; tests build data with it). */
export async function insertRowsIfMissing(
  db: Db,
  rows: {
    topics: (typeof topics.$inferInsert)[];
    authorities: (typeof authorities.$inferInsert)[];
    officials: (typeof officials.$inferInsert)[];
    appeals: (typeof appeals.$inferInsert)[];
  },
): Promise<void> {
  await db.transaction(async (tx) => {
    if (rows.topics.length) await tx.insert(topics).values(rows.topics).onConflictDoNothing();
    if (rows.authorities.length) await tx.insert(authorities).values(rows.authorities).onConflictDoNothing();
    if (rows.officials.length) await tx.insert(officials).values(rows.officials).onConflictDoNothing();
    if (rows.appeals.length) await tx.insert(appeals).values(rows.appeals).onConflictDoNothing();
  });
}

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

/** Late: answered after the due date, or still open past it. */
const late = (now: Date) =>
  sql`(${appeals.answeredAt} > ${appeals.dueAt} or (${appeals.answeredAt} is null and ${isOpenSql(appeals.status)} and ${appeals.dueAt} < ${now.toISOString()}::timestamptz))`;

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

/** A change of an appeal, as the timeline recorded it, with the entry before it (none for the submission). */
export interface TimelineChangeRow {
  position: number;
  appealId: string;
  at: Date;
  action: string;
  from: AppealStatus | null;
  to: AppealStatus;
  actor: TimelineRow['actor'];
  /** The authority that had the appeal before the change, and after it. */
  fromAuthorityId: string | null;
  authorityId: string | null;
}

/** Whose changes a live stream reads: an author's (of one appeal of theirs, with `appealId`), or an authority's queue. */
export type ChangeScope = { authorId: string; appealId: string | null } | { authorityId: string };

/**
 * The changes recorded after `position` that concern `scope`, oldest first. For an author: the
 * entries that changed the status. For an authority: appeals routed to it, redirected to it or away
 * from it, their status changes and overdue marks. Reads the timeline's primary key from `position`
 * on, and each entry's previous one by (appeal_id, position).
 */
export async function timelineChangesAfter(db: Db, scope: ChangeScope, position: number, limit: number): Promise<TimelineChangeRow[]> {
  const concerns =
    'authorityId' in scope
      ? sql`(change.authority_id = ${scope.authorityId} or change.from_authority_id = ${scope.authorityId})
          and (change.action in ('SUBMITTED', 'REDIRECTED', 'OVERDUE') or change."from" is distinct from change."to")`
      : sql`change.author_id = ${scope.authorId} ${scope.appealId ? sql`and change.appeal_id = ${scope.appealId}` : sql``} and change."from" is distinct from change."to"`;
  const rows = await db.execute<{ position: string | number; appeal_id: string; at: string | Date; action: string; from: AppealStatus | null; to: AppealStatus; actor: TimelineRow['actor']; from_authority_id: string | null; authority_id: string | null }>(sql`
    select change.* from (
      select t.position, t.appeal_id, a.author_id, t.at, t.action, t.status as "to", t.actor, t.authority_id, before.status as "from", before.authority_id as from_authority_id
      from ${timeline} t
      join ${appeals} a on a.id = t.appeal_id
      left join lateral (select p.status, p.authority_id from ${timeline} p where p.appeal_id = t.appeal_id and p.position < t.position order by p.position desc limit 1) before on true
      where t.position > ${position}
    ) change
    where ${concerns}
    order by change.position
    limit ${limit}`);
  return [...rows].map((row) => ({
    position: Number(row.position),
    appealId: row.appeal_id,
    at: new Date(row.at),
    action: row.action,
    from: row.from,
    to: row.to,
    actor: row.actor,
    fromAuthorityId: row.from_authority_id,
    authorityId: row.authority_id,
  }));
}

/** The last position of the timeline (0 when empty): where a stream without a cursor starts. */
export async function lastTimelinePosition(db: Db): Promise<number> {
  const [row] = await db.select({ position: sql<string | null>`max(${timeline.position})` }).from(timeline);
  return Number(row?.position ?? 0);
}

/** Whether the timeline holds an entry at `position`: a cursor the API handed out points at one. */
export async function timelineHasPosition(db: Db, position: number): Promise<boolean> {
  const [row] = await db.select({ position: timeline.position }).from(timeline).where(eq(timeline.position, position));
  return row !== undefined;
}

import { asc, eq, inArray, sql } from 'drizzle-orm';
import { overdueAt } from './appeals.ts';
import { appeals, timeline, type AppealStatus, type TimelineRow } from './schema.ts';
import type { Db } from './store.ts';

/**
 * The timeline (ход рассмотрения): every step of every appeal, in order. It is also the log of
 * changes the live streams read (live.ts): entries' positions commit in the order they were taken.
 */

export type NewTimelineEntry = typeof timeline.$inferInsert;

/** Waits for the timeline's turn, to the commit: entries' positions commit in the order they were taken. */
const timelineTurn = (tx: Db) => tx.execute(sql`select pg_advisory_xact_lock(hashtext('appeals:timeline'))`);

/**
 * Adds an entry at the end of the timeline. Entries take turns under a lock held to the commit, so
 * their positions commit in order: a live stream that has read up to one position has seen every
 * entry before it (live.ts).
 */
export async function appendTimelineEntry(tx: Db, entry: NewTimelineEntry): Promise<void> {
  await timelineTurn(tx);
  await tx.insert(timeline).values(entry);
}

/**
 * Gives the appeals overdue at `now` (overdueAt) a SYSTEM `OVERDUE` entry each, once per due
 * date (an extension gives an appeal a new one), the earliest due first and at most `limit` of them.
 * One statement picks and marks them, under the timeline's turn, so instances that run it at once
 * mark each appeal once. The authority of each appeal it marked.
 */
export async function markAppealsOverdueAt(tx: Db, now: Date, limit: number): Promise<string[]> {
  await timelineTurn(tx);
  const marked = await tx.execute<{ authority_id: string }>(sql`
    insert into ${timeline} (appeal_id, at, action, status, actor, authority_id)
    select ${appeals.id}, ${now.toISOString()}::timestamptz, 'OVERDUE', ${appeals.status}, 'SYSTEM', ${appeals.authorityId}
    from ${appeals}
    where ${overdueAt(now)}
      and not exists (select 1 from ${timeline} t where t.appeal_id = ${appeals.id} and t.action = 'OVERDUE' and t.at >= coalesce(${appeals.extendedAt}, '-infinity'))
    order by ${appeals.dueAt}
    limit ${limit}
    returning authority_id`);
  return [...marked].map((row) => row.authority_id);
}

/** Writes entries as they are, without the timeline's turn: the demo seed's history of the appeals it has just added. */
export async function insertTimelineEntries(tx: Db, entries: NewTimelineEntry[]): Promise<void> {
  if (entries.length) await tx.insert(timeline).values(entries);
}

export function timelinesOf(db: Db, appealIds: readonly string[]) {
  return db
    .select()
    .from(timeline)
    .where(inArray(timeline.appealId, [...appealIds]))
    .orderBy(asc(timeline.position));
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
  const rows = await db.execute<{
    position: string | number;
    appeal_id: string;
    at: string | Date;
    action: string;
    from: AppealStatus | null;
    to: AppealStatus;
    actor: TimelineRow['actor'];
    from_authority_id: string | null;
    authority_id: string | null;
  }>(sql`
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

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsGroups, type AnalyticsFilter } from '../subgraphs/appeals/db/analytics.ts';
import { queueCount, queuePage, type QueueFilter } from '../subgraphs/appeals/db/queue.ts';
import { addCalendarDays, dateIn, startOfDayIn } from '../subgraphs/appeals/domain/calendar.ts';
import { startGraph, type TestGraph } from './graph.ts';

/**
 * An authority with 100,000 appeals: its officials' queue and the coordinators' analytics must answer
 * from indexes, not by reading the appeals table through. Checked with EXPLAIN on the real queries.
 */
const AUTHORITY = '00000000-0000-4000-b000-000000000001';
let graph: TestGraph;

beforeAll(async () => {
  graph = await startGraph();
  const { db } = graph.databases.appeals;
  await db.execute(sql`
    insert into appeals.appeals (number, author_id, topic_id, authority_id, region_code, municipality, text, status, created_at, registered_at, due_at)
    select 'ПОС-T-' || n, gen_random_uuid(), (array['roads.potholes', 'roads.repair', 'transport.schedule'])[1 + n % 3], ${AUTHORITY}::uuid, '50',
           (array['городской округ Химки', 'городской округ Балашиха'])[1 + n % 2], 'Текст обращения',
           (array['REGISTERED', 'IN_WORK', 'ANSWERED', 'CLOSED'])[1 + n % 4]::appeals.appeal_status,
           now() - n * interval '5 minutes', now() - n * interval '5 minutes', now() - n * interval '5 minutes' + interval '30 days'
    from generate_series(1, 100000) as n`);
  // Other authorities' appeals, and older years, so that the period and authority select a part.
  await db.execute(sql`
    insert into appeals.appeals (number, author_id, topic_id, authority_id, region_code, text, status, created_at, registered_at, due_at)
    select 'ПОС-O-' || n, gen_random_uuid(), 'yards.lighting', '00000000-0000-4000-b000-000000000002'::uuid, '50', 'Текст', 'REGISTERED',
           now() - interval '2 years' - n * interval '1 minute', now() - interval '2 years' - n * interval '1 minute', now() - interval '2 years'
    from generate_series(1, 100000) as n`);
  // As autovacuum would after a bulk load: statistics, and the visibility map index-only scans need.
  await db.execute(sql`vacuum analyze appeals.appeals, appeals.analytics_counts`);
}, 180_000);
afterAll(() => graph?.stop());

/** The plan of a query with its parameters' values known, as the driver runs it. */
async function explain(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string> {
  const { sql: text, params } = query.toSQL();
  const literal = (value: unknown) => (typeof value === 'number' ? String(value) : `'${String(value).replaceAll("'", "''")}'`);
  const rows = await graph.databases.appeals.sql.unsafe(`explain ${text.replace(/\$(\d+)/g, (_match, n: string) => literal(params[Number(n) - 1]))}`);
  return rows.map((row) => Object.values(row)[0]).join('\n');
}

const filter = (overrides: Partial<QueueFilter> = {}): QueueFilter => ({ authorityId: AUTHORITY, overdueOnly: false, dueBy: null, statuses: null, topicId: null, now: new Date(), ...overrides });

describe('The queue of an authority with 100,000 appeals answers from indexes', () => {
  it('reads a page of the queue with the queue index', async () => {
    const { db } = graph.databases.appeals;
    expect(await explain(queuePage(db, filter(), 21, null))).toMatch(/Index Scan using appeals_queue_idx/);
    expect(await queuePage(db, filter(), 21, null)).toHaveLength(21);
  });

  it('filters overdue and due-soon appeals with the open-queue index', async () => {
    const { db } = graph.databases.appeals;
    for (const query of [queuePage(db, filter({ overdueOnly: true }), 21, null), queuePage(db, filter({ dueBy: new Date(Date.now() + 3 * 86_400_000) }), 21, null)]) {
      expect(await explain(query)).toMatch(/Index Scan using appeals_open_queue_idx/);
    }
    const overdue = await explain(
      db
        .select()
        .from(sql`appeals.appeals`)
        .where(sql`authority_id = ${AUTHORITY} and due_at < now() and status in ('REGISTERED', 'IN_WORK', 'CLARIFICATION_REQUESTED', 'REDIRECTED')`),
    );
    expect(overdue).not.toMatch(/Seq Scan on appeals/);
    // Due 30 days after registration, 5 minutes apart: n from 8,640 on is past due; open when n % 4 is 0 or 1.
    expect(await queueCount(db, filter({ overdueOnly: true }))).toBe(45_681);
  });

  it('counts the queue from the counts the triggers keep, equal to counting the rows', async () => {
    const { db } = graph.databases.appeals;
    const counted = async (statuses: QueueFilter['statuses']) => {
      const [row] = await db.execute<{ n: number }>(
        sql`select count(*)::int as n from appeals.appeals where authority_id = ${AUTHORITY} ${
          statuses
            ? sql`and status::text in (${sql.join(
                statuses.map((status) => sql`${status}`),
                sql`, `,
              )})`
            : sql``
        }`,
      );
      return row!.n;
    };
    expect(await queueCount(db, filter())).toBe(100_000);
    expect(await queueCount(db, filter({ statuses: ['IN_WORK', 'CLOSED'] }))).toBe(50_000);
    await db.execute(sql`update appeals.appeals set status = 'CLOSED' where authority_id = ${AUTHORITY} and status = 'IN_WORK' and created_at > now() - interval '1 day'`);
    await db.execute(sql`update appeals.appeals set authority_id = '00000000-0000-4000-b000-000000000002' where authority_id = ${AUTHORITY} and created_at > now() - interval '2 hours'`);
    await db.execute(sql`delete from appeals.appeals where authority_id = ${AUTHORITY} and created_at < now() - interval '340 days'`);
    for (const statuses of [null, ['CLOSED'], ['IN_WORK', 'REGISTERED']] as QueueFilter['statuses'][]) {
      expect(await queueCount(db, filter({ statuses }))).toBe(await counted(statuses));
    }
  });

  it("computes a half year's analytics from the kept day counts and an index-only range of the open appeals due today", async () => {
    const { db } = graph.databases.appeals;
    const now = new Date();
    const plan = await explain(analyticsGroups(db, period(180), now));
    expect(plan).not.toMatch(/Seq Scan on appeals /);
    expect(plan).not.toMatch(/appeals_registered_idx/);
    expect(plan).toMatch(/on analytics_counts/);
    expect(plan).toMatch(/Index Only Scan using appeals_due_today_idx on appeals/);
    for (const filter of [period(30), period(180), period(1000, null), { ...period(400), to: dateIn(new Date(Date.now() - 200 * 86_400_000)) }]) {
      expect(await analyticsGroups(db, filter, now)).toEqual(await countedGroups(filter, now));
    }
    const total = (await analyticsGroups(db, period(30), now)).reduce((sum, group) => sum + group.count, 0);
    // One appeal every 5 minutes: 30 days and today so far.
    expect(total).toBeGreaterThan(8640);
    expect(total).toBeLessThanOrEqual(8640 + 288);
  });

  it('keeps the day counts right through answers on time and late, closing, extensions, ratings, moves, new appeals and deletes', async () => {
    const { db } = graph.databases.appeals;
    const now = new Date();
    await db.execute(sql`update appeals.appeals set status = 'ANSWERED', answered_at = due_at + interval '1 day' where number like 'ПОС-T-%' and status = 'IN_WORK' and created_at < now() - interval '40 days'`);
    await db.execute(sql`update appeals.appeals set status = 'ANSWERED', answered_at = due_at - interval '1 day' where number like 'ПОС-T-%' and status = 'REGISTERED' and created_at > now() - interval '20 days'`);
    await db.execute(sql`update appeals.appeals set rating_score = 1 + length(number) % 5 where number like 'ПОС-T-%' and status = 'ANSWERED'`);
    await db.execute(sql`update appeals.appeals set status = 'IN_WORK' where number like 'ПОС-T-%' and status = 'REGISTERED'`);
    await db.execute(sql`update appeals.appeals set status = 'CLOSED' where number like 'ПОС-T-%' and status = 'IN_WORK' and created_at between now() - interval '110 days' and now() - interval '100 days'`);
    // Extended: no longer late, or due today.
    await db.execute(
      sql`update appeals.appeals set due_at = due_at + interval '10 days' where number like 'ПОС-T-%' and status = 'IN_WORK' and created_at between now() - interval '34 days' and now() - interval '31 days'`,
    );
    await db.execute(
      sql`update appeals.appeals set due_at = now() - interval '1 minute' where number like 'ПОС-T-%' and status = 'IN_WORK' and created_at between now() - interval '29 days' and now() - interval '28 days'`,
    );
    await db.execute(sql`update appeals.appeals set region_code = '77', municipality = null where number like 'ПОС-T-%' and created_at between now() - interval '90 days' and now() - interval '80 days'`);
    await db.execute(sql`update appeals.appeals set registered_at = registered_at - interval '3 days' where number like 'ПОС-T-%' and created_at between now() - interval '70 days' and now() - interval '69 days'`);
    await db.execute(sql`delete from appeals.appeals where number like 'ПОС-T-%' and created_at between now() - interval '60 days' and now() - interval '50 days'`);
    await db.execute(sql`
      insert into appeals.appeals (number, author_id, topic_id, authority_id, region_code, municipality, text, status, created_at, registered_at, due_at, answered_at, rating_score)
      select 'ПОС-N-' || n, gen_random_uuid(), 'roads.repair', ${AUTHORITY}::uuid, '50', 'городской округ Химки', 'Текст', 'ANSWERED',
             now() - n * interval '1 hour', now() - n * interval '1 hour', now() - n * interval '1 hour' + interval '1 day', now(), 4
      from generate_series(1, 500) as n`);
    for (const filter of [period(30), period(180), period(400, '77'), period(1000, null)]) {
      expect(await analyticsGroups(db, filter, now)).toEqual(await countedGroups(filter, now));
    }
  });
});

/** The `days` days before today and today, in a region (or all of them). */
const period = (days: number, regionCode: string | null = '50'): AnalyticsFilter => ({ from: addCalendarDays(dateIn(new Date()), -days), to: dateIn(new Date()), regionCode });

/** The analytics' groups counted from the appeals themselves, as they were before the kept counts: what those must equal. */
async function countedGroups(filter: AnalyticsFilter, now: Date) {
  const rows = await graph.databases.appeals.db.execute<{ regionCode: string; municipality: string; topicId: string; count: number; late: number; ratingSum: number; rated: number }>(sql`
    select region_code as "regionCode", coalesce(municipality, '') as municipality, topic_id as "topicId", count(*)::int as count,
           (count(*) filter (where answered_at > due_at or (answered_at is null and status in ('REGISTERED', 'IN_WORK', 'CLARIFICATION_REQUESTED', 'REDIRECTED') and due_at < ${now.toISOString()}::timestamptz)))::int as late,
           coalesce(sum(rating_score), 0)::int as "ratingSum", count(rating_score)::int as rated
    from appeals.appeals
    where registered_at >= ${startOfDayIn(filter.from).toISOString()}::timestamptz and registered_at < ${startOfDayIn(addCalendarDays(filter.to, 1)).toISOString()}::timestamptz
      ${filter.regionCode ? sql`and region_code = ${filter.regionCode}` : sql``}
    group by 1, 2, 3 order by 1, 2, 3`);
  return [...rows];
}

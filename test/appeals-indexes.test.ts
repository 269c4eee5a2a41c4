import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsGroups } from '../subgraphs/appeals/db/analytics.ts';
import { queueCount, queuePage, type QueueFilter } from '../subgraphs/appeals/db/queue.ts';
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
  await db.execute(sql`vacuum analyze appeals.appeals`);
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

  it('computes the analytics of a month in one index-only scan of the registration index', async () => {
    const { db } = graph.databases.appeals;
    const period = { from: new Date(Date.now() - 30 * 86_400_000), to: new Date(), regionCode: '50' };
    const plan = await explain(analyticsGroups(db, period, new Date()));
    expect(plan).not.toMatch(/Seq Scan on appeals /);
    expect(plan).toMatch(/Index Only Scan using appeals_registered_idx/);
    const groups = await analyticsGroups(db, period, new Date());
    const total = groups.reduce((sum, group) => sum + group.count, 0);
    // One appeal every 5 minutes for 30 days: 8,640, give or take the one at the edge of the period.
    expect(total).toBeGreaterThanOrEqual(8638);
    expect(total).toBeLessThanOrEqual(8640);
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsTotals, countsByMunicipality, countsByTopic, queuePage, type QueueFilter } from '../subgraphs/appeals/db/queries.ts';
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
  await db.execute(sql`analyze appeals.appeals`);
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

  it('filters overdue and due-soon appeals without reading the table through', async () => {
    const { db } = graph.databases.appeals;
    for (const query of [queuePage(db, filter({ overdueOnly: true }), 21, null), queuePage(db, filter({ dueBy: new Date(Date.now() + 3 * 86_400_000) }), 21, null)]) {
      expect(await explain(query)).not.toMatch(/Seq Scan on appeals/);
    }
  });

  it('computes the analytics of a month from the registration index', async () => {
    const { db } = graph.databases.appeals;
    const period = { from: new Date(Date.now() - 30 * 86_400_000), to: new Date(), regionCode: '50' };
    for (const query of [countsByTopic(db, period), countsByMunicipality(db, period, new Date())]) {
      const plan = await explain(query);
      expect(plan).not.toMatch(/Seq Scan on appeals /);
      expect(plan).toMatch(/appeals_registered_idx/);
    }
    const totals = await analyticsTotals(db, period, new Date());
    // One appeal every 5 minutes for 30 days: 8,640, give or take the one at the edge of the period.
    expect(totals.total).toBeGreaterThanOrEqual(8638);
    expect(totals.total).toBeLessThanOrEqual(8640);
  });
});

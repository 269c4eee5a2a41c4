import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countMatching, feedCountsQuery, feedPage, feedTotal, searchTotalQuery, unreadCounts, type FeedFilter } from '../subgraphs/notifications/db/feed.ts';
import { startGraph, type TestGraph } from './graph.ts';

/**
 * The feed of a person with 100,000 items must answer from indexes, not by reading the items table:
 * the plans of the feed's own queries are checked with EXPLAIN.
 */
let graph: TestGraph;
const heavyUser = randomUUID();

beforeAll(async () => {
  graph = await startGraph();
  const { db } = graph.databases.notifications;
  await db.execute(sql`
    insert into notifications.items (user_id, category, kind, title, body, created_at, read_at)
    select ${heavyUser}::uuid,
           (array['PAYMENT','APPLICATION','APPOINTMENT','GOVERNMENT_MAIL','SUPPORT','ACCOUNT'])[1 + n % 6]::notifications.category,
           'OTHER',
           (array['Заявление принято ведомством', 'Новый штраф ГИБДД', 'Запись к врачу подтверждена', 'Письмо из налоговой', 'Ответ службы поддержки', 'Вход в личный кабинет'])[1 + n % 6] || ' №' || n,
           'Подробности в личном кабинете',
           now() - n * interval '1 minute',
           case when n % 10 = 0 then null else now() end
    from generate_series(1, 100000) as n`);
  // Other people's items, so that the user's own are a part of the table, as in life.
  await db.execute(sql`
    insert into notifications.items (user_id, category, kind, title, body, created_at)
    select gen_random_uuid(), 'SUPPORT', 'OTHER', 'Ответ службы поддержки', 'Текст', now() - n * interval '1 second'
    from generate_series(1, 20000) as n`);
  await db.execute(sql`analyze notifications.items`);
}, 120_000);
afterAll(() => graph?.stop());

/**
 * The plan of a query as the driver runs it: with its parameters' values known (a prepared
 * statement with unknown values, the LIMIT above all, gets a generic plan the driver never uses).
 */
async function explain(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string> {
  const { sql: text, params } = query.toSQL();
  const literal = (value: unknown) => (typeof value === 'number' ? String(value) : `'${String(value).replaceAll("'", "''")}'`);
  const inlined = text.replace(/\$(\d+)/g, (_match, n: string) => literal(params[Number(n) - 1]));
  const rows = await graph.databases.notifications.sql.unsafe(`explain ${inlined}`);
  return rows.map((row) => Object.values(row)[0]).join('\n');
}

const filter = (overrides: Partial<FeedFilter> = {}): FeedFilter => ({ userId: heavyUser, category: null, unreadOnly: false, search: null, archived: false, ...overrides });

/** What the statement of a search's totalCount read, run as the driver runs it (EXPLAIN ANALYZE: a branch it skipped says "never executed", or is gone). */
async function searchTotalPlan(search: string): Promise<string> {
  const { db } = graph.databases.notifications;
  const rows = await db.execute(sql`explain (analyze, costs off) ${searchTotalQuery(db, { ...filter(), search })}`);
  return rows.map((row) => Object.values(row)[0]).join('\n');
}

/** Searches of one word, of a word in a category, and those counted by their rows: several words, a negation, a phrase, a number, a stop word. */
const SEARCHES: Partial<FeedFilter>[] = [
  { search: 'заявление' },
  { search: 'Заявления', category: 'APPLICATION' },
  { search: 'заявление', category: 'PAYMENT' },
  { search: 'кабинете' },
  { search: 'штраф ГИБДД' },
  { search: 'кабинет -заявление' },
  { search: '"принято ведомством"' },
  { search: '12345' },
  { search: 'и' },
];

describe('The feed of a person with 100,000 items answers from indexes', () => {
  it('reads the first page and a page deep in the feed with the feed index', async () => {
    const { db } = graph.databases.notifications;
    expect(await explain(feedPage(db, filter(), 21, null))).toMatch(/Index Scan using items_feed_idx/);
    const deep = await feedPage(db, filter(), 1, { at: new Date(Date.now() - 90_000 * 60_000).toISOString(), id: 'ffffffff-ffff-4fff-bfff-ffffffffffff' });
    expect(deep).toHaveLength(1);
    expect(await explain(feedPage(db, filter(), 21, { at: new Date().toISOString(), id: heavyUser }))).not.toMatch(/Seq Scan on items/);
  });

  it('searches in Russian with the text-search index on (owner, words)', async () => {
    const { db } = graph.databases.notifications;
    const plan = await explain(feedPage(db, filter({ search: 'заявление' }), 21, null));
    expect(plan).not.toMatch(/Seq Scan on items/);
    expect(plan).toMatch(/items_search_idx|items_feed_idx/);
    expect((await feedPage(db, filter({ search: 'заявление' }), 3, null)).map((row) => row.title.split(' №')[0])).toEqual(Array(3).fill('Заявление принято ведомством'));
    // Counting the matches reads only this person's entries of the GIN index, not everyone's.
    const count = await explain(
      db
        .select()
        .from(sql`notifications.items`)
        .where(sql`user_id = ${heavyUser} and archived_at is null and search @@ websearch_to_tsquery('russian', 'заявление')`),
    );
    expect(count).toMatch(/Bitmap Index Scan on items_search_idx.*\n\s+Index Cond: \(\(user_id = /);
    // Every sixth item is «Заявление принято ведомством».
    expect(await feedTotal(db, filter({ search: 'заявление' }))).toBe(16_666);
  });

  it("answers a one-word search's totalCount from the kept word counts, without reading its 16,666 matches", async () => {
    const { db } = graph.databases.notifications;
    const oneWord = await searchTotalPlan('заявление');
    expect(oneWord).toMatch(/Scan (using|on) feed_word_counts_user_id_word_category_pk \(actual/);
    expect(oneWord).not.toMatch(/on items .*\(actual/);
    // Two words are counted by their rows, through the GIN index.
    expect(await searchTotalPlan('заявление ведомством')).toMatch(/Bitmap Index Scan on items_search_idx \(actual/);
    for (const search of SEARCHES) expect(await feedTotal(db, filter(search)), search.search!).toBe(await countMatching(db, filter(search)));
    expect(await feedTotal(db, filter({ search: 'кабинете' }))).toBe(100_000);
  });

  it('reads a category of the feed with the category index, without reading the table through', async () => {
    const { db } = graph.databases.notifications;
    expect(await explain(feedPage(db, filter({ category: 'PAYMENT' }), 21, null))).toMatch(/Index Scan using items_category_idx/);
    expect(await explain(feedPage(db, filter({ category: 'PAYMENT', unreadOnly: true }), 21, null))).not.toMatch(/Seq Scan on items/);
  });

  it('reads the archive with the archive index', async () => {
    const { db } = graph.databases.notifications;
    expect(await explain(feedPage(db, filter({ archived: true }), 21, null))).toMatch(/items_archive_idx/);
  });

  it('answers totalCount and the unread counts from the counts the triggers keep, equal to counting the rows', async () => {
    const { db } = graph.databases.notifications;
    expect(await explain(feedCountsQuery(db, heavyUser))).toMatch(/feed_counts_user_id_category_pk/);
    expect((await unreadCounts(db, heavyUser)).unreadCount).toBe(10_000);
    for (const overrides of [{}, { unreadOnly: true }, { category: 'PAYMENT' as const }, { category: 'SUPPORT' as const, unreadOnly: true }]) {
      expect(await feedTotal(db, filter(overrides))).toBe(await countMatching(db, filter(overrides)));
    }
    expect(await feedTotal(db, filter())).toBe(100_000);
    expect(await feedTotal(db, filter({ unreadOnly: true }))).toBe(10_000);
  });

  it('keeps the counts right through bulk reads, archiving, restoring and deleting', async () => {
    const { db } = graph.databases.notifications;
    const counted = async () => Promise.all([{}, { unreadOnly: true }, { category: 'APPLICATION' as const }, { archived: true }].map((overrides) => countMatching(db, filter(overrides))));
    const kept = async () => Promise.all([{}, { unreadOnly: true }, { category: 'APPLICATION' as const }, { archived: true }].map((overrides) => feedTotal(db, filter(overrides))));
    await db.execute(sql`update notifications.items set read_at = null where user_id = ${heavyUser} and category = 'APPLICATION' and created_at > now() - interval '1 day'`);
    await db.execute(sql`update notifications.items set archived_at = now() where user_id = ${heavyUser} and created_at > now() - interval '2 days'`);
    await db.execute(sql`update notifications.items set archived_at = null, read_at = now() where user_id = ${heavyUser} and created_at > now() - interval '1 day'`);
    await db.execute(sql`delete from notifications.items where user_id = ${heavyUser} and created_at < now() - interval '69 days'`);
    expect(await kept()).toEqual(await counted());
    expect((await counted())[3]).toBeGreaterThan(0);
  });

  it('keeps the word counts right through new items, reads, archiving, restoring, new texts, categories and deletes', async () => {
    const { db } = graph.databases.notifications;
    const totals = async (count: (filter: FeedFilter) => Promise<number>) => Promise.all(SEARCHES.map((search) => count(filter(search))));
    await db.execute(sql`
      insert into notifications.items (user_id, category, kind, title, body, created_at)
      select ${heavyUser}::uuid, 'APPLICATION', 'OTHER', 'Заявление на загранпаспорт №' || n, 'Подробности в личном кабинете', now() - n * interval '1 second'
      from generate_series(1, 500) as n`);
    await db.execute(sql`update notifications.items set read_at = now() where user_id = ${heavyUser} and created_at > now() - interval '3 days'`);
    await db.execute(sql`update notifications.items set archived_at = now() where user_id = ${heavyUser} and created_at > now() - interval '4 days'`);
    await db.execute(sql`update notifications.items set archived_at = null where user_id = ${heavyUser} and created_at > now() - interval '1 day'`);
    await db.execute(sql`update notifications.items set title = 'Новый штраф ГИБДД к оплате' where user_id = ${heavyUser} and title like 'Заявление принято%' and created_at < now() - interval '60 days'`);
    await db.execute(sql`update notifications.items set category = 'PAYMENT' where user_id = ${heavyUser} and category = 'APPLICATION' and created_at < now() - interval '50 days'`);
    await db.execute(sql`delete from notifications.items where user_id = ${heavyUser} and title like 'Заявление на загранпаспорт%' and created_at < now() - interval '250 seconds'`);
    expect(await totals((search) => feedTotal(db, search))).toEqual(await totals((search) => countMatching(db, search)));
  });
});

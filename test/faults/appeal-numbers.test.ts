import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../subgraphs/appeals/seed.ts';
import { createPerson, signIn } from '../fixtures.ts';
import { createTestDatabase } from '../database.ts';
import { startGraph, type TestGraph } from '../graph.ts';

/**
 * Appeal numbers never collide (issue 15, defect 6): the sequence started at 1 while the demo appeals
 * are ПОС-2026-000101…103, so the 101st to 103rd appeals submitted failed on the unique number.
 */
let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());

const SUBMIT = 'mutation ($i: AppealInput!) { submitAppeal(input: $i) { appeal { number } errors { code } } }';
const pothole = { topicId: 'roads.potholes', regionCode: '50', municipality: 'городской округ Химки', address: 'г. Химки, ул. Молодёжная, 8', text: 'Глубокая яма у подъезда, машины бьют колёса.' };

describe('Appeal numbers', () => {
  // Guards subgraphs/appeals/db/schema.ts, appealNumber (MINVALUE 1000, migration 0005): the sequence
  // never draws the demo data's numbers.
  it('are all distinct and all given, for 110 appeals sent in parallel batches on top of the demo data', async () => {
    await seedDemoData(graph.databases.appeals);
    const person = await createPerson(graph, { level: 'CONFIRMED' });
    const token = await signIn(graph, person.phone);
    const numbers: string[] = [];
    for (let batch = 0; batch < 5; batch++) {
      const answers = await Promise.all(Array.from({ length: 22 }, () => graph.request(SUBMIT, { token, variables: { i: pothole } })));
      for (const { body } of answers) {
        expect(body.errors).toBeUndefined();
        expect(body.data.submitAppeal.errors).toEqual([]);
        numbers.push(body.data.submitAppeal.appeal.number);
      }
    }
    expect(new Set(numbers).size).toBe(110);
    expect(numbers.filter((number) => ['ПОС-2026-000101', 'ПОС-2026-000102', 'ПОС-2026-000103'].includes(number))).toEqual([]);
  });

  // Guards subgraphs/appeals/db/migrations/0005_appeal_numbers.sql: a database that has numbers
  // already (demo ones, and ones given before) continues after the highest of them.
  it('continue after the highest number a database holds when the migration runs', async () => {
    const database = await createTestDatabase();
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      // The state before migration 0005: the sequence from 1, and appeals numbered up to 1500.
      await sql.unsafe('alter sequence appeals.appeal_number minvalue 1 restart with 1');
      const [topic] = await sql`select id from appeals.topics limit 1`;
      const [authority] = await sql`select id from appeals.authorities limit 1`;
      for (const number of ['ПОС-2026-000101', 'ПОС-2026-001500', 'ПОС-2025-000007']) {
        await sql`insert into appeals.appeals (id, number, author_id, topic_id, authority_id, region_code, text, status)
                  values (gen_random_uuid(), ${number}, gen_random_uuid(), ${topic!.id}, ${authority!.id}, '50', 'Текст обращения', 'REGISTERED')`;
      }
      const migration = readFileSync(new URL('../../subgraphs/appeals/db/migrations/0005_appeal_numbers.sql', import.meta.url), 'utf8');
      for (const statement of migration.split('--> statement-breakpoint')) await sql.unsafe(statement);
      const [next] = await sql<{ n: string }[]>`select nextval('appeals.appeal_number')::text as n`;
      expect(next!.n).toBe('1501');
    } finally {
      await sql.end();
      await database.drop();
    }
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appeals } from '../../subgraphs/appeals/db/schema.ts';
import { createPerson, graphQLErrorCodes, signIn, type Person } from '../fixtures.ts';
import { startGraph, type TestGraph } from '../graph.ts';

/**
 * A submission the gateway gave up on is not committed later (lib/deadline.ts). The gateway tells
 * the client SUBGRAPH_UNAVAILABLE after its timeout, and docs/reliability.md tells clients to retry
 * that; a subgraph still waiting (here: behind a lock on the appeals table, as behind a database
 * that is restarting) must then roll back, or the retry makes a second appeal. Seen in
 * test/faults/postgres-restart.test.ts: an appeal committed after the server came back, seconds
 * after its client was told it failed.
 */
const SUBGRAPH_TIMEOUT_MS = 1_000;
let graph: TestGraph;
let gateway: Awaited<ReturnType<TestGraph['startGatewayInstance']>>;
let person: Person;
let token: string;

beforeAll(async () => {
  graph = await startGraph();
  gateway = await graph.startGatewayInstance({ subgraphTimeoutMs: SUBGRAPH_TIMEOUT_MS });
  person = await createPerson(graph, { lastName: 'Поспешный' });
  token = await signIn(graph, person.phone);
});

afterAll(() => graph?.stop());

const SUBMIT = 'mutation ($i: AppealInput!) { submitAppeal(input: $i) { appeal { id } errors { code } } }';
const POTHOLE = { topicId: 'roads.potholes', regionCode: '50', municipality: 'городской округ Химки', address: 'г. Химки, ул. Молодёжная, 8', text: 'Глубокая яма у подъезда, машины бьют колёса.' };

const submit = () =>
  fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: SUBMIT, variables: { i: POTHOLE } }),
  }).then((response) => response.json() as Promise<{ data?: { submitAppeal: { appeal: { id: string } | null } | null }; errors?: { extensions?: { code?: string } }[] }>);

const storedAppeals = () => graph.databases.appeals.db.select({ id: appeals.id }).from(appeals).where(eq(appeals.authorId, person.id));

describe('A request the gateway gave up on', () => {
  it('is rolled back when its work ends after the deadline: the client told to retry finds no appeal, and its retry makes the only one', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // Three submissions at once wait behind the lock for twice the gateway's timeout.
    const holding = graph.databases.appeals.sql.begin(async (tx) => {
      await tx`lock table appeals.appeals in access exclusive mode`;
      locked();
      await released;
    });
    await isLocked;
    const answers = await Promise.all([submit(), submit(), submit()]);
    expect(answers.map((answer) => answer.data?.submitAppeal ?? null)).toEqual([null, null, null]);
    expect(answers.flatMap(graphQLErrorCodes)).toEqual(['SUBGRAPH_UNAVAILABLE', 'SUBGRAPH_UNAVAILABLE', 'SUBGRAPH_UNAVAILABLE']);
    await sleep(SUBGRAPH_TIMEOUT_MS);
    release();
    await holding;
    // The waiting inserts go on once the lock is gone; each reaches its commit past its deadline.
    await sleep(500);
    await graph.eventsSettled();
    expect(await storedAppeals()).toEqual([]);

    const retried = await submit();
    expect(retried.errors).toBeUndefined();
    expect((await storedAppeals()).map((appeal) => appeal.id)).toEqual([retried.data!.submitAppeal!.appeal!.id]);
  }, 30_000);
});

import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisEntityStore, type EntityCacheStats } from '../gateway/entity-cache.ts';
import { insertRowsIfMissing } from '../subgraphs/appeals/db/store.ts';
import { personalData } from '../subgraphs/profile/db/schema.ts';
import { createFeedItem, createPerson, signIn, type Person } from './fixtures.ts';
import { graphql, startGraph, type TestGraph } from './graph.ts';
import { probeRedis, REDIS_URL, redisTitle } from './redis.ts';

/**
 * The gateway's entity cache (gateway/entity-cache.ts, docs/performance.md) from a client's side:
 * a second read is answered without the subgraph, and no read made after a change's event was
 * handled shows the data from before it — whoever made the change, through the graph or not.
 */

let graph: TestGraph;
type Who = Person & { token: string };
let official: Who;
const KHIMKI = '00000000-0000-4000-b000-000000000002';

async function person(roles?: 'OFFICIAL'[]): Promise<Who> {
  const created = await createPerson(graph, roles ? { roles } : {});
  return { ...created, token: await signIn(graph, created.phone) };
}

beforeAll(async () => {
  graph = await startGraph({ entityCache: true });
  official = await person(['OFFICIAL']);
  await insertRowsIfMissing(graph.databases.appeals.db, { topics: [], authorities: [], appeals: [], officials: [{ userId: official.id, authorityId: KHIMKI }] });
});
afterAll(() => graph?.stop());

const CABINET = `{ me { id
  profile { lastName firstName }
  documents { id type }
  appeals(first: 5) { totalCount edges { node { id status authority { name } timeline { action status } } } }
} }`;

const PERSONAL = 'mutation ($i: PersonalDataInput!) { updatePersonalData(input: $i) { personalData { lastName } errors { code } } }';
const SUBMIT = 'mutation ($i: AppealInput!) { submitAppeal(input: $i) { appeal { id } errors { code } } }';
const TAKE = 'mutation ($i: AppealIdInput!) { takeAppealIntoWork(input: $i) { appeal { status } errors { code } } }';

type Cabinet = { profile: { lastName: string } | null; appeals: { totalCount: number; edges: { node: { id: string; status: string } }[] } };

async function cabinet(who: Who, url = graph.url): Promise<Cabinet> {
  const { body } = await graphql(url, CABINET, { token: who.token });
  expect(body.errors).toBeUndefined();
  return body.data.me as Cabinet;
}

async function citizenWithAppeal(): Promise<Who & { appealId: string }> {
  const citizen = await person();
  const { body } = await graph.request(SUBMIT, {
    token: citizen.token,
    variables: { i: { topicId: 'roads.potholes', regionCode: '50', municipality: 'городской округ Химки', text: 'Яма во дворе у третьего подъезда.' } },
  });
  expect(body.data.submitAppeal.errors).toEqual([]);
  return { ...citizen, appealId: body.data.submitAppeal.appeal.id as string };
}

/** Resolves once the cache has handled more invalidation events than `before`. */
async function invalidatedAfter(stats: () => EntityCacheStats, before: number): Promise<void> {
  await expect.poll(() => stats().invalidations, { timeout: 10_000 }).toBeGreaterThan(before);
}

const statementsOf = (subgraph: 'profile' | 'appeals') => graph.statements[subgraph].length;
const cacheStats = () => graph.gatewayEntityCache!.stats();

describe('the entity cache, through the gateway', () => {
  it("answers a person's second read of their profile and appeals without those subgraphs", async () => {
    const citizen = await citizenWithAppeal();
    await graph.eventsSettled();
    const first = await cabinet(citizen);
    const [profile, appeals, hits] = [statementsOf('profile'), statementsOf('appeals'), cacheStats().hits];
    expect(await cabinet(citizen)).toEqual(first);
    expect(statementsOf('profile')).toBe(profile);
    expect(statementsOf('appeals')).toBe(appeals);
    expect(cacheStats().hits).toBeGreaterThan(hits);
  });

  it("shows a person's own change at their very next read", async () => {
    const citizen = await person();
    await cabinet(citizen);
    const { body } = await graph.request(PERSONAL, { token: citizen.token, variables: { i: { lastName: 'Смирнова', firstName: 'Анна' } } });
    expect(body.data.updatePersonalData.errors).toEqual([]);
    expect((await cabinet(citizen)).profile?.lastName).toBe('Смирнова');
  });

  it("shows an official's answer to the citizen's next read once its event is handled", async () => {
    const citizen = await citizenWithAppeal();
    await graph.eventsSettled();
    expect((await cabinet(citizen)).appeals.edges[0]!.node.status).toBe('REGISTERED');
    const before = cacheStats().invalidations;
    const { body } = await graph.request(TAKE, { token: official.token, variables: { i: { appealId: citizen.appealId } } });
    expect(body.data.takeAppealIntoWork.errors).toEqual([]);
    await invalidatedAfter(cacheStats, before);
    expect((await cabinet(citizen)).appeals.edges[0]!.node.status).toBe('IN_WORK');
  });

  it('sees a change made past the graph (straight in the database) once its event is handled', async () => {
    const citizen = await person();
    const lastName = (await cabinet(citizen)).profile?.lastName;
    expect(lastName).toBeTruthy();
    const before = cacheStats().invalidations;
    await graph.databases.profile.db.update(personalData).set({ lastName: 'Исправленная' }).where(eq(personalData.userId, citizen.id));
    await invalidatedAfter(cacheStats, before);
    expect((await cabinet(citizen)).profile?.lastName).toBe('Исправленная');
  });

  it('never keeps what must be live: the unread count moves at once', async () => {
    const citizen = await person();
    const unread = async () => (await graph.request('{ me { notifications(first: 1) { unreadCount } } }', { token: citizen.token })).body.data.me.notifications.unreadCount as number;
    const count = await unread();
    await createFeedItem(graph, { userId: citizen.id });
    expect(await unread()).toBe(count + 1);
  });
});

const redisSkip = await probeRedis();

describe.skipIf(redisSkip !== null)(redisTitle('the entity cache in Redis, shared by two gateways', redisSkip), () => {
  it("one gateway's kept entities answer the other's reads, and an event clears them for both", async () => {
    const prefix = `epgu-test:entity-cache:${randomUUID().slice(0, 8)}:`;
    const clients = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
    try {
      const [one, two] = await Promise.all(clients.map((client) => graph.startGatewayInstance({ entityCache: { store: redisEntityStore(client, { prefix }), bus: graph.bus } })));
      const citizen = await citizenWithAppeal();
      await graph.eventsSettled();
      await cabinet(citizen, one!.url);
      const appeals = statementsOf('appeals');
      await cabinet(citizen, two!.url);
      expect(statementsOf('appeals')).toBe(appeals);
      expect(two!.entityCache!.stats().hits).toBeGreaterThan(0);

      const before = [one!, two!].map((gateway) => gateway.entityCache!.stats().invalidations);
      const { body } = await graph.request(TAKE, { token: official.token, variables: { i: { appealId: citizen.appealId } } });
      expect(body.data.takeAppealIntoWork.errors).toEqual([]);
      await invalidatedAfter(() => one!.entityCache!.stats(), before[0]!);
      expect((await cabinet(citizen, two!.url)).appeals.edges[0]!.node.status).toBe('IN_WORK');
    } finally {
      const keys = await clients[0]!.keys(`${prefix}*`);
      if (keys.length) await clients[0]!.del(...keys);
      await Promise.all(clients.map((client) => client.quit()));
    }
  });
});

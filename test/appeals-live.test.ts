import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { insertRowsIfMissing } from '../subgraphs/appeals/db/queries.ts';
import { createPerson, signIn, type Person } from './fixtures.ts';
import { startGraph, type TestGraph } from './graph.ts';
import { subscriptionClients } from './ws-client.ts';

/** Live statuses of a citizen's own appeals over the appeals subgraph's WebSocket endpoint. */
let graph: TestGraph;
const ws = subscriptionClients();
type Who = Person & { token: string };
let author: Who;
let stranger: Who;
let official: Who;

const KHIMKI = '00000000-0000-4000-b000-000000000002';

beforeAll(async () => {
  graph = await startGraph();
  author = { ...(await createPerson(graph)), token: '' };
  author.token = await signIn(graph, author.phone);
  stranger = { ...(await createPerson(graph)), token: '' };
  stranger.token = await signIn(graph, stranger.phone);
  const person = await createPerson(graph, { roles: ['OFFICIAL'] });
  await insertRowsIfMissing(graph.databases.appeals.db, { topics: [], authorities: [], appeals: [], officials: [{ userId: person.id, authorityId: KHIMKI }] });
  official = { ...person, token: await signIn(graph, person.phone) };
});
afterEach(() => ws.disposeAll());
afterAll(() => graph?.stop());

const STATUS_CHANGED = 'subscription { appealStatusChanged { id status } }';

describe('appealStatusChanged: the citizen’s own appeals, live', () => {
  it('tells the author of each status change of their appeal, and nobody else', async () => {
    const mine = ws.subscribe(graph.appealsWsUrl, STATUS_CHANGED, { token: author.token });
    const theirs = ws.subscribe(graph.appealsWsUrl, STATUS_CHANGED, { token: stranger.token });
    await expect.poll(() => graph.appealsLive.streams(author.id) + graph.appealsLive.streams(stranger.id), { timeout: 5_000 }).toBe(2);

    const submitted = await graph.request('mutation ($i: AppealInput!) { submitAppeal(input: $i) { appeal { id } errors { code } } }', {
      token: author.token,
      variables: { i: { topicId: 'roads.potholes', regionCode: '50', municipality: 'городской округ Химки', text: 'Яма во дворе у третьего подъезда.' } },
    });
    const { id } = submitted.body.data.submitAppeal.appeal;
    await graph.request('mutation ($i: AppealIdInput!) { takeAppealIntoWork(input: $i) { errors { code } } }', { token: official.token, variables: { i: { appealId: id } } });
    await graph.eventsSettled();

    await expect.poll(() => mine.messages.length, { timeout: 10_000 }).toBe(2);
    expect(mine.messages).toEqual([
      { data: { appealStatusChanged: { id, status: expect.stringMatching(/REGISTERED|IN_WORK/) } } },
      { data: { appealStatusChanged: { id, status: 'IN_WORK' } } },
    ]);
    expect(theirs.messages).toEqual([]);
  });

  it('closes a connection without a token with 4401', async () => {
    const anonymous = ws.subscribe(graph.appealsWsUrl, STATUS_CHANGED);
    await anonymous.done;
    expect(anonymous.errors).toEqual([{ code: 4401, reason: expect.any(String) }]);
  });
});

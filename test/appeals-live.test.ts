import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../lib/connection.ts';
import { insertRowsIfMissing } from '../subgraphs/appeals/db/queries.ts';
import { createPerson, signIn, type Person } from './fixtures.ts';
import { gatewayClients, type ClientStream, type Transport } from './gateway-clients.ts';
import { startGraph, type TestGraph } from './graph.ts';
import { subscriptionClients } from './ws-client.ts';

/**
 * `appealStatusChanged`: the status changes of a citizen's own appeals as change events with
 * cursors, straight at the appeals subgraph and through the gateway on each transport: resumed with
 * the last cursor, a stream brings exactly the changes missed, oldest first, then live ones, none
 * twice (docs/appeals.md, "Live status changes").
 */
let graph: TestGraph;
let clients: ReturnType<typeof gatewayClients>;
const ws = subscriptionClients();
type Who = Person & { token: string };
let official: Who;

const KHIMKI = '00000000-0000-4000-b000-000000000002';

async function person(roles?: string[]): Promise<Who> {
  const created = await createPerson(graph, roles ? { roles } : {});
  return { ...created, token: await signIn(graph, created.phone) };
}

beforeAll(async () => {
  graph = await startGraph();
  clients = gatewayClients({ http: graph.url, ws: graph.gatewayWsUrl });
  official = await person(['OFFICIAL']);
  await insertRowsIfMissing(graph.databases.appeals.db, { topics: [], authorities: [], appeals: [], officials: [{ userId: official.id, authorityId: KHIMKI }] });
});
afterEach(async () => {
  await ws.disposeAll();
  await clients.disposeAll();
});
afterAll(() => graph?.stop());

const CHANGES = 'subscription ($after: String, $appealId: ID) { appealStatusChanged(after: $after, appealId: $appealId) { cursor from to by appeal { id status } } }';

async function submit(author: Who): Promise<string> {
  const { body } = await graph.request('mutation ($i: AppealInput!) { submitAppeal(input: $i) { appeal { id } errors { code } } }', {
    token: author.token,
    variables: { i: { topicId: 'roads.potholes', regionCode: '50', municipality: 'городской округ Химки', text: 'Яма во дворе у третьего подъезда.' } },
  });
  expect(body.data.submitAppeal.errors).toEqual([]);
  return body.data.submitAppeal.appeal.id;
}

async function act(token: string, mutation: 'takeAppealIntoWork' | 'requestAppealClarification' | 'replyToClarification', appealId: string) {
  const input = mutation === 'takeAppealIntoWork' ? 'AppealIdInput' : 'AppealTextInput';
  const i = mutation === 'takeAppealIntoWork' ? { appealId } : { appealId, text: 'Уточните, пожалуйста, номер дома.' };
  const { body } = await graph.request(`mutation ($i: ${input}!) { ${mutation}(input: $i) { errors { code } } }`, { token, variables: { i } });
  expect(body.data[mutation].errors).toEqual([]);
}

/** What a stream received, as (appeal, from, to) steps. */
const steps = (stream: { messages: unknown[] }) =>
  (stream.messages as { data: { appealStatusChanged: { appeal: { id: string }; from: string | null; to: string } } }[]).map(({ data: { appealStatusChanged: c } }) => [c.appeal.id, c.from, c.to]);
const cursors = (stream: { messages: unknown[] }) => (stream.messages as { data: { appealStatusChanged: { cursor: string } } }[]).map(({ data }) => data.appealStatusChanged.cursor);
const positionOf = (cursor: string) => Number(decodeCursor(cursor, 2)![1]);

async function listening(userId: string, count: number) {
  await expect.poll(() => graph.appealsLive.streams(userId), { timeout: 5_000 }).toBe(count);
}

async function received(stream: { messages: unknown[] }, count: number) {
  await expect.poll(() => stream.messages.length, { timeout: 10_000 }).toBe(count);
}

describe('appealStatusChanged: change events of the citizen’s own appeals', () => {
  it('straight at the subgraph: each change with from, to and who, to the author and nobody else', async () => {
    const [author, stranger] = [await person(), await person()];
    const mine = ws.subscribe(graph.appealsWsUrl, CHANGES, { token: author.token });
    const theirs = ws.subscribe(graph.appealsWsUrl, CHANGES, { token: stranger.token });
    await listening(author.id, 1);
    await listening(stranger.id, 1);

    const id = await submit(author);
    await act(official.token, 'takeAppealIntoWork', id);
    await received(mine, 2);
    expect(mine.messages).toEqual([
      { data: { appealStatusChanged: { cursor: expect.any(String), from: null, to: 'REGISTERED', by: 'CITIZEN', appeal: { id, status: expect.any(String) } } } },
      { data: { appealStatusChanged: { cursor: expect.any(String), from: 'REGISTERED', to: 'IN_WORK', by: 'OFFICIAL', appeal: { id, status: 'IN_WORK' } } } },
    ]);
    await graph.eventsSettled();
    expect(theirs.messages).toEqual([]);
  });

  it('closes a connection without a token with 4401', async () => {
    const anonymous = ws.subscribe(graph.appealsWsUrl, CHANGES);
    await anonymous.done;
    expect(anonymous.errors).toEqual([{ code: 4401, reason: expect.any(String) }]);
  });
});

describe('Resuming with the last cursor through the gateway', () => {
  it.each<Transport>(['graphql-ws', 'sse', 'apollo-multipart'])('%s: subscribe, receive, disconnect, changes meanwhile, resume → exactly the missed ones oldest first, then live ones, none twice', async (transport) => {
    const author = await person();
    const first = clients.subscribe(transport, CHANGES, { token: author.token });
    await listening(author.id, 1);
    const a = await submit(author);
    await received(first, 1);
    const [last] = cursors(first);
    await first.dispose();
    await listening(author.id, 0);

    // Missed while disconnected: three changes of two appeals.
    await act(official.token, 'takeAppealIntoWork', a);
    const b = await submit(author);
    await act(official.token, 'requestAppealClarification', a);

    const resumed: ClientStream = clients.subscribe(transport, CHANGES, { token: author.token, variables: { after: last } });
    await received(resumed, 3);
    expect(steps(resumed)).toEqual([
      [a, 'REGISTERED', 'IN_WORK'],
      [b, null, 'REGISTERED'],
      [a, 'IN_WORK', 'CLARIFICATION_REQUESTED'],
    ]);
    await listening(author.id, 1);
    await act(author.token, 'replyToClarification', a);
    await received(resumed, 4);
    await graph.eventsSettled();
    expect(steps(resumed).at(-1)).toEqual([a, 'CLARIFICATION_REQUESTED', 'IN_WORK']);
    expect(resumed.messages).toHaveLength(4);
    expect(new Set([last, ...cursors(resumed)]).size).toBe(5);
    expect(resumed.errors).toEqual([]);
  });

  it('graphql-ws: changes committed while the replay reads come once each, in the order they happened', async () => {
    const author = await person();
    const first = ws.subscribe(graph.appealsWsUrl, CHANGES, { token: author.token });
    await listening(author.id, 1);
    await submit(author);
    await received(first, 1);
    const [last] = cursors(first);
    await ws.disposeAll();
    const missed = await Promise.all(Array.from({ length: 10 }, () => submit(author)));

    // Thirty more submitted in parallel while the resumed stream starts and replays.
    const resumed = clients.subscribe('graphql-ws', CHANGES, { token: author.token, variables: { after: last } });
    const during = await Promise.all(Array.from({ length: 30 }, () => submit(author)));
    await received(resumed, 40);
    await graph.eventsSettled();
    expect(resumed.messages).toHaveLength(40);
    expect(new Set(steps(resumed).map(([id]) => id))).toEqual(new Set([...missed, ...during]));
    const positions = cursors(resumed).map(positionOf);
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    expect(positions[0]).toBeGreaterThan(positionOf(last!));
  });

  it('with appealId: only that appeal’s changes; another citizen’s appeal is refused, and so is an appeal that does not exist', async () => {
    const [author, stranger] = [await person(), await person()];
    const [a, b] = [await submit(author), await submit(author)];
    const one = clients.subscribe('graphql-ws', CHANGES, { token: author.token, variables: { appealId: a } });
    await listening(author.id, 1);
    await act(official.token, 'takeAppealIntoWork', b);
    await act(official.token, 'takeAppealIntoWork', a);
    await received(one, 1);
    await graph.eventsSettled();
    expect(steps(one)).toEqual([[a, 'REGISTERED', 'IN_WORK']]);

    const foreign = clients.subscribe('sse', CHANGES, { token: stranger.token, variables: { appealId: a } });
    const missing = clients.subscribe('graphql-ws', CHANGES, { token: stranger.token, variables: { appealId: '00000000-0000-4000-8000-00000000dead' } });
    await foreign.done;
    await missing.done;
    const codes = (stream: ClientStream) => JSON.stringify([stream.messages, stream.errors]).match(/"code":"[A-Z_]+"/g);
    expect(codes(foreign)).toEqual(['"code":"FORBIDDEN"']);
    expect(codes(missing)).toEqual(['"code":"NOT_FOUND"']);
    expect(JSON.stringify(foreign.messages)).not.toContain('IN_WORK');
  });

  it('refuses a cursor the API did not hand out with BAD_USER_INPUT', async () => {
    const author = await person();
    const bad = ['garbage', encodeCursor(['timeline', 999_999_999]), encodeCursor(['2026-01-01T00:00:00.000Z', '00000000-0000-4000-8000-000000000001']), encodeCursor(['timeline', -1])];
    for (const after of bad) {
      const stream = clients.subscribe('graphql-ws', CHANGES, { token: author.token, variables: { after } });
      await stream.done;
      expect({ after, codes: JSON.stringify([stream.messages, stream.errors]).match(/"code":"[A-Z_]+"/g) }).toEqual({ after, codes: ['"code":"BAD_USER_INPUT"'] });
    }
  });
});

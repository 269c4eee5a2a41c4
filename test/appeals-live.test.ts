import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../lib/connection.ts';
import { insertRowsIfMissing } from '../subgraphs/appeals/db/store.ts';
import { markOverdueAppeals } from '../subgraphs/appeals/domain/appeals.ts';
import { createAuthority, createPerson, signIn, type Person } from './fixtures.ts';
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

async function person(roles?: ('OFFICIAL' | 'COORDINATOR')[]): Promise<Who> {
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
  // Every transport, resumed over all the citizen's appeals or over one (`appealId`): one table, one test.
  const RESUMES = (['graphql-ws', 'sse', 'apollo-multipart'] as const satisfies readonly Transport[]).flatMap((transport) => [
    { transport, scope: 'all appeals' as const },
    { transport, scope: 'one appeal' as const },
  ]);
  it.each(RESUMES)('$transport, $scope: subscribe, receive, disconnect, changes meanwhile, resume → exactly the missed ones oldest first, then live ones, none twice', async ({ transport, scope }) => {
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

    const variables = scope === 'one appeal' ? { after: last, appealId: a } : { after: last };
    const resumed: ClientStream = clients.subscribe(transport, CHANGES, { token: author.token, variables });
    const missed = [
      [a, 'REGISTERED', 'IN_WORK'],
      [b, null, 'REGISTERED'],
      [a, 'IN_WORK', 'CLARIFICATION_REQUESTED'],
    ].filter(([appeal]) => scope === 'all appeals' || appeal === a);
    await received(resumed, missed.length);
    expect(steps(resumed)).toEqual(missed);
    await listening(author.id, 1);
    await act(author.token, 'replyToClarification', a);
    await received(resumed, missed.length + 1);
    await graph.eventsSettled();
    expect(steps(resumed).at(-1)).toEqual([a, 'CLARIFICATION_REQUESTED', 'IN_WORK']);
    expect(resumed.messages).toHaveLength(missed.length + 1);
    expect(new Set([last, ...cursors(resumed)]).size).toBe(missed.length + 2);
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

const QUEUE = 'subscription ($after: String) { authorityQueueChanged(after: $after) { cursor kind from to by appeal { id } } }';

type QueueEvent = { data?: { authorityQueueChanged: { cursor: string; kind: string; from: string | null; to: string; by: string; appeal: { id: string } | null } } | null; errors?: unknown[] };
const queueOf = (stream: ClientStream) => (stream.messages as QueueEvent[]).map(({ data }) => data!.authorityQueueChanged);

describe('authorityQueueChanged: the official’s own authority queue, live', () => {
  it('NEW, STATUS_CHANGED, REASSIGNED_OUT to the authority, REASSIGNED_IN to the other one, OVERDUE to each; resumed with the last cursor, exactly the missed ones', async () => {
    const author = await person();
    const otherOfficial = await person(['OFFICIAL']);
    const { authorityId: other } = await createAuthority(graph, { officialId: otherOfficial.id });
    const ours = clients.subscribe('graphql-ws', QUEUE, { token: official.token });
    const theirs = clients.subscribe('sse', QUEUE, { token: otherOfficial.token });
    await listening(official.id, 1);
    await listening(otherOfficial.id, 1);

    const x = await submit(author);
    await received(ours, 1);
    const [last] = queueOf(ours).map((change) => change.cursor);
    await ours.dispose();
    await listening(official.id, 0);
    await act(official.token, 'takeAppealIntoWork', x);
    const redirected = await graph.request('mutation ($i: RedirectAppealInput!) { redirectAppeal(input: $i) { errors { code } } }', {
      token: official.token,
      variables: { i: { appealId: x, authorityId: other, reason: 'Дорога региональная: ею занимается министерство.' } },
    });
    expect(redirected.body.data.redirectAppeal.errors).toEqual([]);

    const resumed = clients.subscribe('apollo-multipart', QUEUE, { token: official.token, variables: { after: last } });
    await received(resumed, 2);
    await listening(official.id, 1);
    const y = await submit(author);
    await received(resumed, 3);
    expect(queueOf(resumed).map(({ kind, from, to, by, appeal }) => [kind, from, to, by, appeal?.id ?? null])).toEqual([
      // The appeal is read as it is now: redirected away, it is no longer this authority's to read.
      ['STATUS_CHANGED', 'REGISTERED', 'IN_WORK', 'OFFICIAL', null],
      ['REASSIGNED_OUT', 'IN_WORK', 'REDIRECTED', 'OFFICIAL', null],
      ['NEW', null, 'REGISTERED', 'CITIZEN', y],
    ]);

    // Thirty instances' jobs at once, past every due date: each open appeal is marked once (guards
    // db/timeline.ts markAppealsOverdueAt's timelineTurn: without it, the other official gets x's OVERDUE several times).
    const later = new Date(Date.now() + 400 * 86_400_000);
    const [{ open }] = [
      ...(await graph.databases.appeals.db.execute<{ open: number }>(sql`select count(*)::int as open from appeals.appeals where status in ('REGISTERED', 'IN_WORK', 'CLARIFICATION_REQUESTED', 'REDIRECTED')`)),
    ] as [{ open: number }];
    const marked = await Promise.all(Array.from({ length: 30 }, () => markOverdueAppeals(graph.databases.appeals.db, later)));
    expect(marked.reduce((sum, count) => sum + count, 0)).toBe(open);
    expect(await markOverdueAppeals(graph.databases.appeals.db, later)).toBe(0);
    await graph.eventsSettled();

    await expect.poll(() => queueOf(resumed).some((change) => change.kind === 'OVERDUE' && change.appeal?.id === y), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => theirs.messages.length, { timeout: 10_000 }).toBe(2);
    // The other authority hears of x only once it is theirs, and of nothing of ours.
    expect(queueOf(theirs).map(({ kind, from, to, appeal }) => [kind, from, to, appeal?.id])).toEqual([
      ['REASSIGNED_IN', 'IN_WORK', 'REDIRECTED', x],
      ['OVERDUE', 'REDIRECTED', 'REDIRECTED', x],
    ]);
    const overdue = queueOf(resumed).filter((change) => change.kind === 'OVERDUE');
    expect(overdue.map((change) => change.appeal?.id)).not.toContain(x);
    expect(new Set(overdue.map((change) => change.appeal?.id)).size).toBe(overdue.length);
    expect(new Set(queueOf(resumed).map((change) => change.cursor)).size).toBe(queueOf(resumed).length);
  });

  it('a citizen gets no queue: the stream is refused with FORBIDDEN and sends nothing', async () => {
    const citizen = await person();
    const stream = clients.subscribe('graphql-ws', QUEUE, { token: citizen.token });
    await stream.done.then(
      () => undefined,
      () => undefined,
    );
    await expect.poll(() => JSON.stringify([stream.messages, stream.errors]).match(/"code":"[A-Z_]+"/g), { timeout: 5_000 }).toEqual(['"code":"FORBIDDEN"']);
    expect(graph.appealsLive.streams(citizen.id)).toBe(0);
  });
});

import { unsealJwk } from '../subgraphs/identity/domain/key-seal.ts';
import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN } from '../lib/auth.ts';
import { LIVE_ENDS, NO_TOKEN_OVER_HTTP } from '../lib/live/ends.ts';
import { SUBSCRIPTION_TRANSPORTS } from '../gateway/subscriptions/transport-multipart.ts';
import { insertRowsIfMissing } from '../subgraphs/appeals/db/store.ts';
import { loadSigningKeys } from '../subgraphs/identity/db/signing-keys.ts';
import { createPerson, signIn, type Person } from './fixtures.ts';
import { gatewayClients, postSubscription, TRANSPORTS, type ClientStream } from './gateway-clients.ts';
import { startGraph, type TestGraph } from './graph.ts';

/**
 * Federated subscriptions at the gateway (docs/subscriptions.md): one subscription at the gateway's
 * `/graphql`, over each transport and with the clients front ends use, gets events whose fields
 * come from two subgraphs; the token is checked at connection; a failing entity subgraph gives
 * partial events; limits and protocol details.
 */

let graph: TestGraph;
let clients: ReturnType<typeof gatewayClients>;
type Who = Person & { token: string };
let official: Who;

const KHIMKI = '00000000-0000-4000-b000-000000000002';
const KHIMKI_AUTHORITY = 'Администрация городского округа Химки';

beforeAll(async () => {
  graph = await startGraph();
  clients = gatewayClients({ http: graph.url, ws: graph.gatewayWsUrl });
  const person = await createPerson(graph, { roles: ['OFFICIAL'] });
  await insertRowsIfMissing(graph.databases.appeals.db, { topics: [], authorities: [], appeals: [], officials: [{ userId: person.id, authorityId: KHIMKI }] });
  official = { ...person, token: await signIn(graph, person.phone) };
});
afterEach(() => clients.disposeAll());
afterAll(() => graph?.stop());

async function citizen(lastName = 'Подписчиков'): Promise<Who> {
  const person = await createPerson(graph, { lastName });
  return { ...person, token: await signIn(graph, person.phone) };
}

async function submitAppeal(author: Who): Promise<{ id: string; number: string }> {
  const { body } = await graph.request('mutation ($i: AppealInput!) { submitAppeal(input: $i) { appeal { id number } errors { code } } }', {
    token: author.token,
    variables: { i: { topicId: 'roads.potholes', regionCode: '50', municipality: 'городской округ Химки', text: 'Яма во дворе у третьего подъезда.' } },
  });
  return body.data.submitAppeal.appeal;
}

/** The citizen sends an appeal; the official takes it into work and answers it. */
async function answeredAppeal(author: Who): Promise<string> {
  const { id, number } = await submitAppeal(author);
  const take = await graph.request('mutation ($i: AppealIdInput!) { takeAppealIntoWork(input: $i) { errors { code } } }', { token: official.token, variables: { i: { appealId: id } } });
  expect(take.body.data.takeAppealIntoWork.errors).toEqual([]);
  const answer = await graph.request('mutation ($i: AppealTextInput!) { answerAppeal(input: $i) { appeal { status } errors { code } } }', {
    token: official.token,
    variables: { i: { appealId: id, text: 'Яма будет заделана до 1 декабря.' } },
  });
  expect(answer.body.data.answerAppeal).toEqual({ appeal: { status: 'ANSWERED' }, errors: [] });
  await graph.eventsSettled();
  return number;
}

/** Waits until the notifications subgraph holds `count` streams of the person: the gateway subscribed upstream. */
async function listening(userId: string, count = 1, live: { streams(userId: string): number } = graph.notificationsLive) {
  await expect.poll(() => live.streams(userId), { timeout: 5_000 }).toBe(count);
}

async function received(stream: ClientStream, count: number) {
  await expect.poll(() => stream.messages.length, { timeout: 10_000 }).toBe(count);
}

const FEED_WITH_APPEAL = 'subscription { notificationAdded { node { title appeal { status authority { name } } } } }';

describe('One subscription at the gateway, fields from two subgraphs', () => {
  it.each(TRANSPORTS)('%s: an official answers an appeal, and the citizen’s feed events carry the appeal’s status and authority from appeals', async (transport) => {
    const person = await citizen();
    const stream = clients.subscribe(transport, FEED_WITH_APPEAL, { token: person.token });
    await listening(person.id);

    const number = await answeredAppeal(person);
    await received(stream, 3);

    expect(stream.messages.map((message) => message.data.notificationAdded.node.title)).toEqual([`Обращение ${number}: зарегистрировано`, `Обращение ${number}: взято в работу`, `Обращение ${number}: получен ответ`]);
    // The appeal's fields are read when each event goes out: by the last one it is answered.
    expect(stream.messages[2]).toEqual({
      data: { notificationAdded: { node: { title: `Обращение ${number}: получен ответ`, appeal: { status: 'ANSWERED', authority: { name: KHIMKI_AUTHORITY } } } } },
    });
    expect(stream.errors).toEqual([]);
  });

  it('keeps aliases, fragments and variables as a query would', async () => {
    const person = await citizen();
    const stream = clients.subscribe(
      'graphql-ws',
      `subscription Feed($after: String) { added: notificationAdded(after: $after) { ...Edge } }
       fragment Edge on NotificationEdge { cursor item: node { title ... on Notification { about: appeal { state: status } } } }`,
      { token: person.token, variables: { after: null } },
    );
    await listening(person.id);
    const { number } = await submitAppeal(person);
    await graph.eventsSettled();
    await received(stream, 1);
    expect(stream.messages).toEqual([{ data: { added: { cursor: expect.any(String), item: { title: `Обращение ${number}: зарегистрировано`, about: { state: 'REGISTERED' } } } } }]);
  });

  it('sends each person only their own events, over connections of their own upstream too', async () => {
    const [alice, bob] = [await citizen('Алисова'), await citizen('Бобров')];
    const aliceStream = clients.subscribe('graphql-ws', FEED_WITH_APPEAL, { token: alice.token });
    const bobStream = clients.subscribe('sse', FEED_WITH_APPEAL, { token: bob.token });
    await listening(alice.id);
    await listening(bob.id);
    // Each person's subscription reached the subgraph as that person: one upstream connection each
    // (once those earlier tests left behind have lingered and closed).
    await expect.poll(() => graph.gatewaySubscriptions.stats().upstream, { timeout: 5_000 }).toEqual({ connections: 2, subscriptions: 2 });

    const alices = await submitAppeal(alice);
    const bobs = await submitAppeal(bob);
    await graph.eventsSettled();
    await received(aliceStream, 1);
    await received(bobStream, 1);
    expect(aliceStream.messages.map((message) => message.data.notificationAdded.node.title)).toEqual([`Обращение ${alices.number}: зарегистрировано`]);
    expect(bobStream.messages.map((message) => message.data.notificationAdded.node.title)).toEqual([`Обращение ${bobs.number}: зарегистрировано`]);
  });
});

describe('The token, at connection and while connected', () => {
  const BAD_TOKEN = 'eyJhbGciOiJFUzI1NiJ9.e30.c2lnbmF0dXJl';

  it('graphql-ws: closes a connection without a token or with a bad one with 4401 and the reason', async () => {
    const anonymous = clients.subscribe('graphql-ws', FEED_WITH_APPEAL);
    const bad = clients.subscribe('graphql-ws', FEED_WITH_APPEAL, { token: BAD_TOKEN });
    await Promise.all([anonymous.done, bad.done]);
    expect([anonymous.messages, anonymous.errors]).toEqual([[], [{ code: 4401, reason: LIVE_ENDS.noToken.reason }]]);
    expect([bad.messages, bad.errors]).toEqual([[], [{ code: 4401, reason: 'Токен доступа недействителен. Войдите снова.' }]]);
  });

  it('SSE and multipart: answer 401 with the reason before streaming anything', async () => {
    for (const accept of ['text/event-stream', 'multipart/mixed;subscriptionSpec="1.0",application/json']) {
      const anonymous = await postSubscription(graph.url, FEED_WITH_APPEAL, { accept });
      expect([anonymous.status, await anonymous.json()]).toEqual([401, { errors: [{ message: NO_TOKEN_OVER_HTTP, extensions: { code: 'UNAUTHENTICATED' } }] }]);
      const bad = await postSubscription(graph.url, FEED_WITH_APPEAL, { accept, token: BAD_TOKEN });
      expect([bad.status, await bad.json()]).toEqual([401, { errors: [{ message: 'Токен доступа недействителен. Войдите снова.', extensions: { code: 'UNAUTHENTICATED' } }] }]);
    }
    // The graphql-sse client reports the refusal as it ends.
    const stream = clients.subscribe('sse', FEED_WITH_APPEAL);
    await stream.done;
    expect(stream.errors).toHaveLength(1);
    expect(String(stream.errors[0])).toMatch(/401/);
  });

  it('ends every transport’s subscription when its token expires: 4401 «token expired», or an UNAUTHENTICATED error', async () => {
    const person = await createPerson(graph, { lastName: 'Истекающий' });
    const [key] = await loadSigningKeys(graph.databases.identity.db);
    const token = await new SignJWT({ lvl: 'CONFIRMED', roles: [] })
      .setProtectedHeader({ alg: 'ES256', kid: key!.kid })
      .setSubject(person.id)
      .setIssuer(ACCESS_TOKEN.issuer)
      .setAudience(ACCESS_TOKEN.audience)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + 2)
      .sign(await importJWK(unsealJwk(key!.privateJwk, null), 'ES256'));
    const ws = clients.subscribe('graphql-ws', FEED_WITH_APPEAL, { token });
    const sse = clients.subscribe('sse', FEED_WITH_APPEAL, { token });
    const multipart = clients.subscribe('apollo-multipart', FEED_WITH_APPEAL, { token });
    // graphql-ws and SSE send the same operation with one token: one upstream subscription, ending for
    // each of them; Apollo Client's multipart adds `__typename`, another operation, its own.
    await listening(person.id, 2);
    await Promise.all([ws.done, sse.done, multipart.done]);

    const expired = { message: LIVE_ENDS.expired.reason, extensions: { code: 'UNAUTHENTICATED' } };
    expect([ws.messages, ws.errors]).toEqual([[], [{ code: 4401, reason: LIVE_ENDS.expired.reason }]]);
    expect([sse.messages, sse.errors]).toEqual([[{ errors: [expired] }], []]);
    expect(multipart.messages).toEqual([]);
    expect(multipart.errors).toEqual([expect.objectContaining({ protocolErrors: [expired] })]);
    // Nothing is left upstream.
    await listening(person.id, 0);
  });
});

describe('An entity subgraph that fails mid-stream', () => {
  it('gives partial events with an error at the entity’s path, and full events again once it is back', async () => {
    const person = await citizen('Стойкий');
    const { id, number } = await submitAppeal(person);
    await graph.eventsSettled();
    const stream = clients.subscribe('graphql-ws', 'subscription { notificationAdded { node { title appeal { status } } } }', { token: person.token });
    await listening(person.id);
    const statusChanged = (status: 'IN_WORK' | 'CLARIFICATION_REQUESTED') =>
      graph.bus.publish([
        {
          id: randomUUID(),
          type: 'appeals.status-changed',
          occurredAt: new Date().toISOString(),
          payload: { appealId: id, userId: person.id, number, status, previousStatus: 'REGISTERED', authorityName: KHIMKI_AUTHORITY, dueAt: new Date().toISOString(), comment: null },
        },
      ]);

    await graph.appealsServer.stop();
    try {
      await statusChanged('IN_WORK');
      await graph.eventsSettled();
      await received(stream, 1);
    } finally {
      await graph.appealsServer.start();
    }
    await statusChanged('CLARIFICATION_REQUESTED');
    await graph.eventsSettled();
    await received(stream, 2);

    expect(stream.messages).toEqual([
      {
        data: { notificationAdded: { node: { title: `Обращение ${number}: взято в работу`, appeal: null } } },
        errors: [
          {
            message: 'Сервис «appeals» временно не отвечает: эти поля придут в следующих событиях.',
            path: ['notificationAdded', 'node', 'appeal'],
            extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'appeals' },
          },
        ],
      },
      // The appeal itself never changed (the events were the test's): it is still registered.
      { data: { notificationAdded: { node: { title: `Обращение ${number}: нужны уточнения`, appeal: { status: 'REGISTERED' } } } } },
    ]);
    expect(stream.errors).toEqual([]);
  });
});

describe('Validation, as for queries', () => {
  const UNKNOWN_FIELD = 'subscription { notificationAdded { node { titel } } }';

  it('refuses an invalid subscription on every transport, without field suggestions', async () => {
    const person = await citizen();
    const invalid = { message: 'Cannot query field "titel" on type "Notification".', locations: [{ line: 1, column: 43 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    const ws = clients.subscribe('graphql-ws', UNKNOWN_FIELD, { token: person.token });
    const sse = clients.subscribe('sse', UNKNOWN_FIELD, { token: person.token });
    await Promise.all([ws.done, sse.done]);
    expect(ws.errors).toEqual([[invalid]]);
    expect(sse.messages).toEqual([{ data: null, errors: [invalid] }]);
    const multipart = await postSubscription(graph.url, UNKNOWN_FIELD, { accept: 'multipart/mixed;subscriptionSpec="1.0",application/json', token: person.token });
    expect([multipart.status, await multipart.json()]).toEqual([400, { errors: [invalid] }]);
  });

  it('applies the operation limits of queries (here: depth) to subscriptions on every transport', async () => {
    const person = await citizen();
    const deep = 'subscription { notificationAdded { node { appeal { author { appeals { edges { node { author { appeals { edges { node { id } } } } } } } } } } } }';
    const refused = expect.objectContaining({ extensions: expect.objectContaining({ limit: 'depth', maximum: 10 }) });
    const ws = clients.subscribe('graphql-ws', deep, { token: person.token });
    const sse = clients.subscribe('sse', deep, { token: person.token });
    await Promise.all([ws.done, sse.done]);
    expect(ws.errors).toEqual([[refused]]);
    expect(sse.messages).toEqual([{ data: null, errors: [refused] }]);
    const multipart = await postSubscription(graph.url, deep, { accept: 'multipart/mixed;subscriptionSpec="1.0",application/json', token: person.token });
    expect([multipart.status, await multipart.json()]).toEqual([400, { errors: [refused] }]);
  });

  it('takes only subscriptions on the subscription transports, and refuses a subscription POSTed as a query', async () => {
    const person = await citizen();
    const query = clients.subscribe('graphql-ws', '{ me { id } }', { token: person.token });
    await query.done;
    expect(query.errors).toEqual([[expect.objectContaining({ message: expect.stringMatching(/^Здесь принимаются только подписки/) })]]);
    const plain = await graph.request(FEED_WITH_APPEAL, { token: person.token });
    expect(plain).toEqual({ status: 400, body: { errors: [{ message: SUBSCRIPTION_TRANSPORTS, extensions: { code: 'BAD_REQUEST' } }] } });
  });
});

describe('Limits', () => {
  it('refuses more subscriptions per connection and more connections per person than allowed', async () => {
    const gateway = await graph.startGatewayInstance({ subscriptionLimits: { maxSubscriptionsPerConnection: 2, maxConnectionsPerUser: 2 } });
    const limited = gatewayClients({ http: gateway.url, ws: gateway.wsUrl });
    try {
      const person = await citizen();
      const { createClient } = await import('graphql-ws');
      const WebSocket = (await import('ws')).default;
      const client = createClient({ url: gateway.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${person.token}` }, retryAttempts: 0 });
      const results: unknown[][] = [[], [], []];
      for (const i of [0, 1, 2]) client.subscribe({ query: 'subscription { unreadCountChanged { unreadCount } }' }, { next: () => {}, error: (error) => results[i]!.push(error), complete: () => {} });
      await expect.poll(() => results[2]!.length, { timeout: 5_000 }).toBe(1);
      expect(results).toEqual([[], [], [[expect.objectContaining({ message: 'Не больше 2 подписок на одно соединение.' })]]]);

      // This person's second connection is allowed, a third is not, whatever its transport.
      const second = limited.subscribe('sse', 'subscription { unreadCountChanged { unreadCount } }', { token: person.token });
      // The three identical subscriptions share one upstream subscription.
      await expect.poll(() => gateway.subscriptions.stats(), { timeout: 5_000 }).toMatchObject({ connections: 2, streams: 3, upstream: { subscriptions: 1 } });
      await listening(person.id, 1);
      const third = limited.subscribe('graphql-ws', 'subscription { unreadCountChanged { unreadCount } }', { token: person.token });
      await third.done;
      expect(third.errors).toEqual([{ code: 4429, reason: LIVE_ENDS.tooManyConnections.reason }]);
      const fourth = await postSubscription(gateway.url, 'subscription { unreadCountChanged { unreadCount } }', { accept: 'multipart/mixed;subscriptionSpec="1.0"', token: person.token });
      expect([fourth.status, await fourth.json()]).toEqual([429, { errors: [{ message: LIVE_ENDS.tooManyConnections.reason, extensions: { code: 'TOO_MANY_CONNECTIONS' } }] }]);
      expect(second.errors).toEqual([]);
      await client.dispose();
    } finally {
      await limited.disposeAll();
      await gateway.stop();
    }
  });
});

describe('HTTP transports, byte for byte', () => {
  it('answers with boundary "graphql", a heartbeat at once and every few seconds, and each event as {"payload": …}', async () => {
    const gateway = await graph.startGatewayInstance({ subscriptionLimits: { heartbeatMs: 200 } });
    const person = await citizen();
    const abort = new AbortController();
    try {
      const response = await postSubscription(gateway.url, 'subscription ($after: String) { notificationAdded(after: $after) { node { title } } }', {
        accept: 'multipart/mixed;subscriptionSpec="1.0", application/json',
        token: person.token,
        variables: { after: null },
        signal: abort.signal,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('multipart/mixed;boundary="graphql";subscriptionSpec="1.0"');
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const readUntil = async (predicate: (text: string) => boolean) => {
        while (!predicate(text)) {
          const { value, done } = await reader.read();
          if (done) break;
          text += decoder.decode(value, { stream: true });
        }
      };
      await listening(person.id);
      await readUntil((t) => t.split('{}').length > 2); // the first heartbeat and a timed one
      const { number } = await submitAppeal(person);
      await graph.eventsSettled();
      await readUntil((t) => t.includes('"payload"'));
      const part = '\r\n--graphql\r\nContent-Type: application/json\r\n\r\n{}';
      expect(text.startsWith(part)).toBe(true);
      expect(text).toContain(`\r\nContent-Type: application/json\r\n\r\n${JSON.stringify({ payload: { data: { notificationAdded: { node: { title: `Обращение ${number}: зарегистрировано` } } } } })}\r\n--graphql`);
    } finally {
      abort.abort();
      await listening(person.id, 0);
      await gateway.stop();
    }
  });

  it('SSE: a GET with the operation in the URL (what EventSource sends) streams too, and ends upstream when it is closed', async () => {
    const person = await citizen();
    const abort = new AbortController();
    const query = encodeURIComponent('subscription { unreadCountChanged { unreadCount } }');
    const response = await fetch(`${graph.url}?query=${query}`, { signal: abort.signal, headers: { accept: 'text/event-stream', authorization: `Bearer ${person.token}` } });
    expect([response.status, response.headers.get('content-type')]).toEqual([200, 'text/event-stream; charset=utf-8']);
    await listening(person.id);
    abort.abort();
    await listening(person.id, 0);
  });

  it('lets Apollo Studio’s origin make the preflight of a multipart subscription', async () => {
    const response = await fetch(graph.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://studio.apollographql.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'accept,authorization,content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://studio.apollographql.com');
  });
});

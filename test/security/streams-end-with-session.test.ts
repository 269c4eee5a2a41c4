import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt } from 'jose';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_ENDED } from '../../lib/auth.ts';
import { createAppeal, createAuthority, createPerson, signIn, TEST_PASSWORD, type Person } from '../fixtures.ts';
import { gatewayClients, postSubscription, type ClientStream } from '../gateway-clients.ts';
import { graphql, startGraph, type TestGraph } from '../graph.ts';
import { subscriptionClients } from '../ws-client.ts';

/**
 * Issue 14, finding 4: a stream opened before its session ended must not outlive it. Whichever way
 * the session ends (logout, revokeSession from another session, a password change that ends the
 * other sessions, account deletion), every open stream of it ends within 5 s (SESSION_CHECK_TTL_MS)
 * on each of the gateway's transports, with the coded error first, and nothing arrives after it.
 * And (finding 1) a subgraph refuses a logged-out token by itself, HTTP and WebSocket, and ends the
 * streams it serves for it: the gateway is not the only check.
 *
 * The main gateway and the subgraphs check at the default 5 s; `quick` is a gateway instance that
 * checks every 300 ms, for the tests of the other ways.
 */
let graph: TestGraph;
let quick: Awaited<ReturnType<TestGraph['startGatewayInstance']>>;
let clients: ReturnType<typeof gatewayClients>;
const subgraphClients = subscriptionClients();
let authority: { authorityId: string; topicId: string };

beforeAll(async () => {
  graph = await startGraph();
  quick = await graph.startGatewayInstance({ sessionCheckTtlMs: 300 });
  authority = await createAuthority(graph);
});
afterEach(async () => {
  await clients?.disposeAll();
  await subgraphClients.disposeAll();
});
afterAll(() => graph?.stop());

const FEED = 'subscription { notificationAdded { node { title } } }';
const STATUSES = 'subscription { appealStatusChanged { to appeal { id } } }';
const revoked = { message: SESSION_ENDED, extensions: { code: 'SESSION_REVOKED' } };
const deleted = { message: 'Учётная запись удалена.', extensions: { code: 'ACCOUNT_DELETED' } };
const DEFAULT_CHECK_MS = 5_000;
/**
 * `quick` checks every 300 ms: its streams end well before the subgraphs' own 5 s check could end
 * them, so these tests prove the gateway's check (the subgraphs' is proved on its own below).
 */
const QUICK_END_MS = 1_500;

/** An appeal of the person changes status: appeals' live statuses and notifications' feed both hear it. */
async function statusChanged(person: Person, appeal: { id: string; number: string | null }) {
  await graph.bus.publish([
    {
      id: randomUUID(),
      type: 'appeals.status-changed',
      occurredAt: new Date().toISOString(),
      payload: { appealId: appeal.id, userId: person.id, number: appeal.number ?? '', status: 'IN_WORK', previousStatus: 'REGISTERED', authorityName: 'Министерство', dueAt: new Date().toISOString(), comment: null },
    },
  ]);
  await graph.eventsSettled();
}

const listening = (live: { streams(userId: string): number }, userId: string, count: number) => expect.poll(() => live.streams(userId), { timeout: 5_000 }).toBe(count);

/** Milliseconds from now until `ended` resolves. */
async function timeUntil(ended: Promise<unknown>): Promise<number> {
  const from = Date.now();
  await ended;
  return Date.now() - from;
}

/** An SSE or multipart subscription at `quick`, read as it arrives; `ended` resolves when the gateway ends it. */
const httpStreams: AbortController[] = [];
afterEach(() => httpStreams.splice(0).forEach((controller) => controller.abort()));
async function openHttpStream(accept: string, query: string, token: string) {
  const controller = new AbortController();
  httpStreams.push(controller);
  const response = await postSubscription(quick.url, query, { accept, token, signal: controller.signal });
  expect(response.status).toBe(200);
  const state = { text: '' };
  const ended = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) state.text += decoder.decode(chunk as Uint8Array, { stream: true });
  })().catch(() => {});
  return { state, ended };
}

const mutate = (url: string, query: string, token: string, variables?: Record<string, unknown>) => graphql(url, query, { token, variables });

describe('An open stream ends when its session ends', () => {
  // Guards LiveSessions.renew (lib/sessions.ts: the timer asks again before an answer runs out) and
  // the LiveConnection constructor's `sessions.watch` (lib/live/connection.ts),
  // with endSocket (lib/live/graphql-ws.ts) for what graphql-ws hears.
  it('graphql-ws, logout: within 5 s at the default check time, an error with SESSION_REVOKED, then nothing', async () => {
    clients = gatewayClients({ http: graph.url, ws: graph.gatewayWsUrl });
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    const stream = clients.subscribe('graphql-ws', FEED, { token });
    await listening(graph.notificationsLive, person.id, 1);

    expect((await graph.request('mutation { logout { revokedCount } }', { token })).body.data.logout).toEqual({ revokedCount: 1 });
    expect(await timeUntil(stream.done)).toBeLessThan(DEFAULT_CHECK_MS);
    expect([stream.errors, stream.messages]).toEqual([[[revoked]], []]);
    await listening(graph.notificationsLive, person.id, 0);

    // The person's other session still gets the feed: the event really goes out, only not to the ended one.
    const other = clients.subscribe('graphql-ws', FEED, { token: await signIn(graph, person.phone) });
    await listening(graph.notificationsLive, person.id, 1);
    const appeal = await createAppeal(graph, { authorId: person.id, ...authority });
    await statusChanged(person, appeal);
    await expect.poll(() => other.messages.length).toBe(1);
    expect(stream.messages).toEqual([]);
  });

  // Guards the same watch, with the SSE transport's end (gateway/subscriptions/transport-sse.ts: the
  // last `next` with the coded error, then `complete`).
  it('SSE, revokeSession from another session: appealStatusChanged ends with SESSION_REVOKED, and a status change afterwards never arrives', async () => {
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    const appeal = await createAppeal(graph, { authorId: person.id, ...authority });
    const body = await openHttpStream('text/event-stream', STATUSES, token);
    await listening(graph.appealsLive, person.id, 1);
    const own = await signIn(graph, person.phone);
    const revoke = await mutate(quick.url, 'mutation ($i: RevokeSessionInput!) { revokeSession(input: $i) { revokedCount } }', own, { i: { sessionId: decodeJwt(token).sid } });
    expect(revoke.body.data.revokeSession).toEqual({ revokedCount: 1 });
    expect(await timeUntil(body.ended)).toBeLessThan(QUICK_END_MS);
    // After graphql-sse's opening comment line, the end and nothing else.
    expect(body.state.text).toBe(`:\n\nevent: next\ndata: ${JSON.stringify({ errors: [revoked] })}\n\nevent: complete\ndata:\n\n`);
    await listening(graph.appealsLive, person.id, 0);
    await statusChanged(person, appeal);
    await sleep(200);
    expect(body.state.text).not.toContain(appeal.id);
  });

  // Guards the same watch, with the multipart transport's end (transport-multipart.ts: a last part
  // `{payload: null, errors}`, then the closing boundary), and identity's sessionStatus for a
  // session a password change ended (subgraphs/identity/domain/sessions.ts).
  it('multipart, a password change in another session: notificationAdded ends with SESSION_REVOKED, and a notification afterwards never arrives', async () => {
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    const body = await openHttpStream('multipart/mixed;subscriptionSpec="1.0"', FEED, token);
    await listening(graph.notificationsLive, person.id, 1);
    const own = await signIn(graph, person.phone);
    const change = await mutate(quick.url, 'mutation ($i: ChangePasswordInput!) { changePassword(input: $i) { errors { code } } }', own, {
      i: { oldPassword: TEST_PASSWORD, newPassword: 'Novyi2026parol', newPasswordConfirmation: 'Novyi2026parol' },
    });
    expect(change.body.data.changePassword.errors).toEqual([]);
    expect(await timeUntil(body.ended)).toBeLessThan(QUICK_END_MS);
    // The change's own notification («Пароль изменён») may come before the end; nothing comes after it.
    const end = `\r\nContent-Type: application/json\r\n\r\n${JSON.stringify({ payload: null, errors: [revoked] })}\r\n--graphql--\r\n`;
    expect(body.state.text.endsWith(end)).toBe(true);
    await listening(graph.notificationsLive, person.id, 0);
    const appeal = await createAppeal(graph, { authorId: person.id, ...authority });
    await statusChanged(person, appeal);
    await sleep(200);
    expect(body.state.text.endsWith(end)).toBe(true);
    expect(body.state.text).not.toContain(appeal.number);
  });

  // Guards identity's sessionStatus (ACCOUNT_DELETED when the account is gone), and endSocket's
  // `error` message per subscription (lib/live/graphql-ws.ts), which Apollo Client hands over as GraphQL errors.
  it('Apollo Client over graphql-ws, account deletion: both streams of the session end with ACCOUNT_DELETED', async () => {
    // GraphQLWsLink reads the browser's global WebSocket when a subscription errors; Node 20 has none.
    globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;
    clients = gatewayClients({ http: quick.url, ws: quick.wsUrl });
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    const feed = clients.subscribe('apollo-ws', FEED, { token });
    const statuses = clients.subscribe('apollo-ws', STATUSES, { token });
    await listening(graph.notificationsLive, person.id, 1);
    await listening(graph.appealsLive, person.id, 1);

    const deletion = await mutate(quick.url, 'mutation ($i: DeleteAccountInput!) { deleteAccount(input: $i) { errors { code } } }', token, { i: { password: TEST_PASSWORD } });
    expect(deletion.body.data.deleteAccount.errors).toEqual([]);
    expect(await timeUntil(Promise.all([feed.done, statuses.done]))).toBeLessThan(QUICK_END_MS);
    for (const stream of [feed, statuses] as ClientStream[]) {
      expect(stream.errors).toEqual([expect.objectContaining({ graphQLErrors: [expect.objectContaining(deleted)] })]);
      expect(stream.messages).toEqual([]);
    }
    expect(quick.subscriptions.stats().connections).toBe(0);
    // And a query with that token is refused with the same code.
    const query = await graphql(quick.url, '{ me { id } }', { token });
    expect([query.status, query.body.errors]).toEqual([401, [deleted]]);
  });
});

describe('A subgraph refuses an ended session by itself', () => {
  // Guards FederatedSubscriptions.upstreamFailed (gateway/subscriptions/execute.ts): the subgraph's
  // session end ends the client's whole connection with the same code, not as a subgraph refusal.
  it('ends the gateway stream with the code when the subgraph sees the end before the gateway does', async () => {
    const slow = await graph.startGatewayInstance({ sessionCheckTtlMs: 60_000 });
    try {
      clients = gatewayClients({ http: slow.url, ws: slow.wsUrl });
      const person = await createPerson(graph);
      const token = await signIn(graph, person.phone);
      const stream = clients.subscribe('graphql-ws', FEED, { token });
      await listening(graph.notificationsLive, person.id, 1);
      await graph.request('mutation { logout { revokedCount } }', { token });
      expect(await timeUntil(stream.done)).toBeLessThan(DEFAULT_CHECK_MS);
      expect([stream.errors, stream.messages]).toEqual([[[revoked]], []]);
      expect(slow.subscriptions.stats().connections).toBe(0);
    } finally {
      await clients.disposeAll();
      await slow.stop();
    }
  });

  // Guards createSubgraphService's `sessions.verifying(...)` (lib/service.ts): each subgraph asks
  // identity (identity its own tables), not only the gateway.
  it.each([
    ['identity', '{ me { id } }'],
    ['profile', 'mutation { saveVehicle(input: { make: "Lada", model: "Vesta", registrationPlate: "А123ВС750", vin: "XTAGFL110KY123456" }) { errors { code } } }'],
    ['notifications', `{ notification(id: "${randomUUID()}") { id } }`],
    ['appeals', `{ appeal(id: "${randomUUID()}") { id } }`],
  ] as const)('%s over HTTP, with a valid gateway credential', async (subgraph, query) => {
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    await graph.request('mutation { logout { revokedCount } }', { token });
    const response = await graphql(graph.subgraphUrls[subgraph], query, { token });
    expect(response.body.errors).toEqual([expect.objectContaining(revoked)]);
    // 401 for the whole request (lib/errors.ts refusedToken). Identity remembered the session live
    // from the logout itself: its own account check refuses `me` then (200, `me: null`).
    expect(response.status).toBe(subgraph === 'identity' ? 200 : 401);
    expect(Object.values(response.body.data ?? {}).filter((value) => value !== null)).toEqual([]);
  });

  // Guards refusedToken in createSubgraphService's context (lib/service.ts): the subgraph's refusal
  // is a 401 with its code, which the gateway passes on (a 500 would read as the subgraph being down).
  it('reaches the caller through the gateway with its code when the subgraph hears of the end first', async () => {
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    // The gateway now remembers the session live for 5 s; notifications has not been asked yet.
    expect((await graph.request('{ me { id } }', { token })).body.data.me).toEqual({ id: person.id });
    await graph.request('mutation { logout { revokedCount } }', { token });
    const response = await graph.request(`{ notification(id: "${randomUUID()}") { id } }`, { token });
    expect(response.body).toEqual({ data: { notification: null }, errors: [expect.objectContaining({ message: SESSION_ENDED, extensions: expect.objectContaining({ code: 'SESSION_REVOKED' }) })] });
  });

  // Guards the graphql-ws adapter's onConnect (lib/live/graphql-ws.ts, with refusalOf of lib/live/ends.ts: the refusal carries the session's code).
  it.each(['notifications', 'appeals'] as const)('%s over WebSocket: a connection with a logged-out token is closed with 4401 and the code', async (subgraph) => {
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    await graph.request('mutation { logout { revokedCount } }', { token });
    const url = subgraph === 'notifications' ? graph.notificationsWsUrl : graph.appealsWsUrl;
    const stream = subgraphClients.subscribe(url, subgraph === 'notifications' ? FEED : STATUSES, { token });
    await stream.done;
    expect([stream.errors, stream.messages]).toEqual([[{ code: 4401, reason: `SESSION_REVOKED: ${SESSION_ENDED}` }], []]);
  });

  // Guards LiveConnection's `sessions.watch` (lib/live/connection.ts) at a subgraph: a stream it serves
  // straight (as it does for the gateway) ends within the default 5 s of the logout.
  it.each(['notifications', 'appeals'] as const)('%s over WebSocket: an open stream ends within 5 s of the logout, with the code', async (subgraph) => {
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    const notifications = subgraph === 'notifications';
    const stream = subgraphClients.subscribe(notifications ? graph.notificationsWsUrl : graph.appealsWsUrl, notifications ? FEED : STATUSES, { token });
    const live = notifications ? graph.notificationsLive : graph.appealsLive;
    await listening(live, person.id, 1);
    await graph.request('mutation { logout { revokedCount } }', { token });
    expect(await timeUntil(stream.done)).toBeLessThan(DEFAULT_CHECK_MS);
    expect([stream.errors, stream.messages]).toEqual([[[revoked]], []]);
    await listening(live, person.id, 0);
  });
});

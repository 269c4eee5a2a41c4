import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KEY_SOURCE_UNAVAILABLE, remoteTokenKeys, SERVICE_TOKEN } from '../../lib/auth.ts';
import { SUBGRAPH_NAMES } from '../../lib/config.ts';
import { createAppeal, createAuthority, createFeedItem, createPerson, graphQLErrorCodes, signIn } from '../fixtures.ts';
import { fakeSubgraphs } from '../fake-subgraphs.ts';
import { postSubscription } from '../gateway-clients.ts';
import { graphql, startGraph, type TestGraph } from '../graph.ts';
import { subscriptionClients } from '../ws-client.ts';

/**
 * Identity down (issue 15, defects 1 and 2): the keys the gateway and the subgraphs fetched from
 * identity keep verifying the tokens it signed, past their age; a process that never got them
 * answers 503 SERVICE_UNAVAILABLE (retry), never 401 (sign in again); trusted services' tokens do not
 * need identity at all. The key age is 300 ms here instead of 10 minutes.
 */
const KEY_AGE_MS = 300;
let graph: TestGraph;
let paymentsToken: string;
let servicesJwks: string;
const stubs = fakeSubgraphs();
const sockets = subscriptionClients();

beforeAll(async () => {
  // A trusted portal service with its own key, published to the graph as TRUSTED_SERVICES_JWKS.
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  servicesJwks = join(mkdtempSync(join(tmpdir(), 'epgu-services-')), 'jwks.json');
  writeFileSync(servicesJwks, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'payments-1', alg: 'ES256', use: 'sig' }] }));
  vi.stubEnv('TRUSTED_SERVICES_JWKS', servicesJwks);
  graph = await startGraph({ tokenKeys: { maxAgeMs: KEY_AGE_MS } });
  vi.unstubAllEnvs();
  paymentsToken = await new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: 'payments-1' })
    .setSubject('payments')
    .setIssuer(SERVICE_TOKEN.issuer)
    .setAudience(SERVICE_TOKEN.audience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
});
afterAll(async () => {
  await sockets.disposeAll();
  await graph?.stop();
});

/** A person with an appeal and a feed item, and tokens never used yet (no verifier remembers them). */
async function personWithData(tokens: number) {
  const person = await createPerson(graph);
  const { authorityId, topicId } = await createAuthority(graph);
  const appeal = await createAppeal(graph, { authorId: person.id, authorityId, topicId });
  const item = await createFeedItem(graph, { userId: person.id });
  const issued: string[] = [];
  for (let n = 0; n < tokens; n++) issued.push(await signIn(graph, person.phone));
  return { person, appeal, item, tokens: issued };
}

/** While identity is stopped; it is started again afterwards, whatever the test's outcome. */
async function whileIdentityIsDown(run: () => Promise<void>): Promise<void> {
  vi.spyOn(console, 'error').mockImplementation(() => {}); // the key source and session checks log the outage
  await graph.identityServer.stop();
  try {
    await run();
  } finally {
    await graph.identityServer.start();
    vi.restoreAllMocks();
  }
}

const APPEAL_AND_ITEM = 'query ($a: ID!, $n: ID!) { appeal(id: $a) { id } notification(id: $n) { id title } }';
const FEED_ENTITIES = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { notifications { totalCount } } } }';
const APPEAL_ENTITIES = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { appeals { edges { node { id } } } } } }';

describe('Identity down: signed-in people go on (issue 15, defect 1)', () => {
  // Guards lib/auth.ts, remoteTokenKeys: a failed fetch past maxAgeMs keeps the known keys serving,
  // at the gateway (gateway/server.ts) and in each subgraph (lib/service.ts), which share that key source.
  it('answers appeals and feed through the gateway and at each subgraph, past the keys’ age', async () => {
    const { person, appeal, item, tokens } = await personWithData(4);
    const [first, viaGateway, atNotifications, atAppeals] = tokens as [string, string, string, string];
    const before = await graph.request(APPEAL_AND_ITEM, { token: first, variables: { a: appeal.id, n: item.id } });
    expect(before.body.errors).toBeUndefined(); // the keys are fetched now

    await whileIdentityIsDown(async () => {
      await sleep(KEY_AGE_MS + 100);
      const gateway = await graph.request(APPEAL_AND_ITEM, { token: viaGateway, variables: { a: appeal.id, n: item.id } });
      expect(gateway.status).toBe(200);
      expect(gateway.body).toEqual({ data: { appeal: { id: appeal.id }, notification: { id: item.id, title: item.title } } });
      // The feed as the gateway fetches it for `me { notifications }` (`me` itself is identity's, so it waits for identity).
      const representations = { r: [{ __typename: 'User', id: person.id }] };
      const feed = await graphql(graph.subgraphUrls.notifications, FEED_ENTITIES, { token: atNotifications, variables: representations });
      expect(feed).toEqual({ status: 200, body: { data: { _entities: [{ notifications: { totalCount: 1 } }] } } });
      const appeals = await graphql(graph.subgraphUrls.appeals, APPEAL_ENTITIES, { token: atAppeals, variables: representations });
      expect(appeals).toEqual({ status: 200, body: { data: { _entities: [{ appeals: { edges: [{ node: { id: appeal.id } }] } }] } } });
    });
  });

  // Guards lib/auth.ts, remoteTokenKeys (no keys yet: KeySourceUnavailable) → createTokenVerifier
  // (SERVICE_UNAVAILABLE) → lib/errors.ts, asRequestError (HTTP 503) in gateway/server.ts's context;
  // for subscriptions lib/live/connection.ts, authenticate (`unavailable` of lib/live/ends.ts: SSE 503, close 1013).
  it('a gateway started while identity is down answers 503 SERVICE_UNAVAILABLE, then works once identity is back', async () => {
    const { appeal, item, tokens } = await personWithData(1);
    let gateway: { url: string; wsUrl: string } | undefined;
    await whileIdentityIsDown(async () => {
      gateway = await graph.startGatewayInstance({ tokenKeys: remoteTokenKeys(graph.jwksUrl, { retry: { baseMs: 100, maxMs: 200 } }) });
      const refused = await graphql(gateway.url, APPEAL_AND_ITEM, { token: tokens[0], variables: { a: appeal.id, n: item.id } });
      expect(refused.status).toBe(503);
      expect(refused.body.errors).toEqual([{ message: KEY_SOURCE_UNAVAILABLE, extensions: { code: 'SERVICE_UNAVAILABLE' } }]);
      const live = 'subscription { notificationAdded { node { id } } }';
      const sse = await postSubscription(gateway.url, live, { accept: 'text/event-stream', token: tokens[0] });
      expect({ status: sse.status, codes: graphQLErrorCodes((await sse.json()) as { errors?: { extensions?: { code?: string } }[] }) }).toEqual({ status: 503, codes: ['SERVICE_UNAVAILABLE'] });
      const socket = sockets.subscribe(gateway.wsUrl, live, { token: tokens[0] });
      await socket.done;
      expect(socket.errors).toEqual([{ code: 1013, reason: KEY_SOURCE_UNAVAILABLE }]);
    });
    // Identity is back: served as soon as the gateway has its keys (a background retry, or a request's own fetch).
    const served = () => graphql(gateway!.url, APPEAL_AND_ITEM, { token: tokens[0], variables: { a: appeal.id, n: item.id } });
    await expect.poll(served, { timeout: 5_000, interval: 50 }).toEqual({ status: 200, body: { data: { appeal: { id: appeal.id }, notification: { id: item.id, title: item.title } } } });
  });
});

describe('Identity down: trusted services and refused tokens (issue 15, defect 2)', () => {
  // Guards lib/auth.ts, createTokenVerifier: the token's issuer picks TRUSTED_SERVICES_JWKS, so
  // identity's keys (none fetched by this new key source, identity unreachable) are never asked.
  it('takes postNotification from a trusted service while identity is down, at a gateway that never reached identity', async () => {
    const person = await createPerson(graph);
    await whileIdentityIsDown(async () => {
      vi.stubEnv('TRUSTED_SERVICES_JWKS', servicesJwks);
      const gateway = await graph.startGatewayInstance({ tokenKeys: remoteTokenKeys(graph.jwksUrl) });
      vi.unstubAllEnvs();
      const { status, body } = await graphql(gateway.url, 'mutation ($i: PostNotificationInput!) { postNotification(input: $i) { notification { title } errors { code } } }', {
        token: paymentsToken,
        variables: { i: { userId: person.id, sourceId: 'receipt-1', category: 'PAYMENT', kind: 'OTHER', title: 'Оплата получена', body: 'Госпошлина оплачена.' } },
      });
      expect({ status, body }).toEqual({ status: 200, body: { data: { postNotification: { notification: { title: 'Оплата получена' }, errors: [] } } } });
    });
  });

  // Guards lib/service.ts, createSubgraphService's context: the verifier's error goes through
  // asRequestError (401), where Apollo Server answered 500 for an error thrown in the context.
  it('a subgraph refuses a bad token with 401 UNAUTHENTICATED, never 500', async () => {
    for (const name of SUBGRAPH_NAMES) {
      const { status, body } = await graphql(graph.subgraphUrls[name], '{ __typename }', { token: 'not-a-token' });
      expect({ name, status, codes: graphQLErrorCodes(body) }).toEqual({ name, status: 401, codes: ['UNAUTHENTICATED'] });
    }
  });

  // Guards gateway/server.ts, SubgraphDataSource.errorFromResponse: a subgraph's coded refusal or
  // outage passes on with its code and message instead of becoming SUBGRAPH_UNAVAILABLE.
  it('the gateway passes on a subgraph’s 401 UNAUTHENTICATED and 503 SERVICE_UNAVAILABLE as they are', async () => {
    const { appeal, item, tokens } = await personWithData(1);
    const answering = (status: number, code: string, message: string) => stubs.start((respond) => respond(status, JSON.stringify({ errors: [{ message, extensions: { code } }] })));
    const cases = [
      { status: 401, code: 'UNAUTHENTICATED', message: 'Токен доступа недействителен. Войдите снова.' },
      { status: 500, code: 'UNAUTHENTICATED', message: 'Токен доступа недействителен. Войдите снова.' },
      { status: 503, code: 'SERVICE_UNAVAILABLE', message: KEY_SOURCE_UNAVAILABLE },
      { status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'Внутренняя ошибка сервиса. Попробуйте позже.' },
    ];
    for (const { status, code, message } of cases) {
      const gateway = await graph.startGatewayInstance({ subgraphUrls: { ...graph.subgraphUrls, notifications: await answering(status, code, message) } });
      const { body } = await graphql(gateway.url, APPEAL_AND_ITEM, { token: tokens[0], variables: { a: appeal.id, n: item.id } });
      const expected = code === 'INTERNAL_SERVER_ERROR' ? { code: 'SUBGRAPH_UNAVAILABLE', message: 'Сервис «notifications» временно не отвечает. Попробуйте позже.' } : { code, message };
      expect({ status, data: body.data, errors: body.errors?.map((error) => ({ code: error.extensions?.code, message: error.message })) }).toEqual({
        status,
        data: { appeal: { id: appeal.id }, notification: null },
        errors: [expected],
      });
      await gateway.stop();
    }
  });
});

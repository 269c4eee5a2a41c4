import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import express from 'express';
import WebSocket from 'ws';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig, serviceConfig, SUBGRAPH_NAMES, type SubgraphName } from '../../lib/config.ts';
import { CLIENT_ADDRESS_HEADER, GATEWAY_CREDENTIAL_HEADER, signGatewayCredential, type CredentialUse } from '../../lib/gateway-credential.ts';
import { SESSION_STATUS_BATCH_BYTES, SESSION_STATUS_BATCH_MAX, SESSION_STATUSES_PATH } from '../../lib/sessions.ts';
import { securityEvents } from '../../subgraphs/identity/db/schema.ts';
import { closeServer, listen } from '../../lib/service.ts';
import { createPerson, signIn, TEST_PASSWORD } from '../fixtures.ts';
import { gatewayUpgradeHeaders, graphql, startGraph, type TestGraph } from '../graph.ts';

/**
 * Issue 14, finding 1: a subgraph reached past the gateway runs nothing. The only way in to its
 * `/graphql` is the gateway's POST of one JSON operation, signed for that subgraph, caller and
 * operation; every other way an operation could arrive (GET, a batch, another content type, a
 * WebSocket upgrade) is refused before it is parsed, and what does arrive meets the subgraph's own
 * depth, alias and token ceilings. Subgraphs listen on loopback unless HOST says otherwise.
 */
let graph: TestGraph;
let token: string;
let otherToken: string;
let userId: string;

beforeAll(async () => {
  graph = await startGraph();
  const person = await createPerson(graph);
  const other = await createPerson(graph);
  userId = person.id;
  token = await signIn(graph, person.phone);
  otherToken = await signIn(graph, other.phone);
});
afterAll(() => graph?.stop());

const secret = () => process.env.GATEWAY_SECRET!;
const credential = (subgraph: SubgraphName, query: string, { authorization, variables }: { authorization?: string; variables?: unknown } = {}) =>
  signGatewayCredential(secret(), { subgraph, authorization, query, variables });
const SDL_QUERY = '{ _service { sdl } }';
const ENTITIES = 'query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }';
/** Words any subgraph's SDL has: none may be in a refusal. */
const SCHEMA_TEXT = /type Query|extend schema|@link|_Entity|_Any/;

async function send(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

const refusal = (code: string) => ({ errors: [{ message: expect.stringMatching(/[а-яА-Я]/), extensions: expect.objectContaining({ code }) }] });

describe.each(SUBGRAPH_NAMES)('%s /graphql, reached directly', (name) => {
  const url = () => graph.subgraphUrls[name];

  // Guards lib/gateway-credential.ts gatewayPerimeter: `req.method !== 'POST'` refused first (405).
  it('refuses GET altogether: `_service { sdl }` and `_entities` by query string, even with a credential and a token', async () => {
    const sdl = new URL(url());
    sdl.searchParams.set('query', SDL_QUERY);
    const entities = new URL(url());
    entities.searchParams.set('query', ENTITIES);
    entities.searchParams.set('variables', JSON.stringify({ r: [{ __typename: 'User', id: userId }] }));
    const answers = [
      await send(sdl.href),
      await send(sdl.href, { headers: { [GATEWAY_CREDENTIAL_HEADER]: credential(name, SDL_QUERY) } }),
      await send(entities.href, {
        headers: { authorization: `Bearer ${token}`, [GATEWAY_CREDENTIAL_HEADER]: credential(name, ENTITIES, { authorization: `Bearer ${token}`, variables: { r: [{ __typename: 'User', id: userId }] } }) },
      }),
      await send(sdl.href, { headers: { accept: 'text/html' } }),
    ];
    for (const answer of answers) {
      expect([answer.status, answer.body]).toEqual([405, refusal('METHOD_NOT_ALLOWED')]);
      expect(answer.text).not.toMatch(SCHEMA_TEXT);
    }
  });

  // Guards lib/gateway-credential.ts gatewayPerimeter: the credential (signature, audience, caller)
  // is checked from the headers before express.json reads the body.
  it('refuses a POST without the credential, with another subgraph’s or another caller’s, before its body is parsed', async () => {
    const other = SUBGRAPH_NAMES.find((candidate) => candidate !== name)!;
    const cases: Record<string, string>[] = [
      {},
      { [GATEWAY_CREDENTIAL_HEADER]: credential(other, SDL_QUERY) },
      { authorization: `Bearer ${token}`, [GATEWAY_CREDENTIAL_HEADER]: credential(name, SDL_QUERY, { authorization: `Bearer ${otherToken}` }) },
    ];
    for (const headers of cases) {
      // Not even JSON: a 400 from the parser would mean the body was read before the credential.
      const answer = await send(url(), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"query": "{ _service { sdl ' });
      expect([answer.status, answer.body]).toEqual([403, refusal('FORBIDDEN')]);
      const wellFormed = await graphql(url(), SDL_QUERY, { headers, asGateway: false });
      expect([wellFormed.status, JSON.stringify(wellFormed.body)]).toEqual([403, expect.not.stringMatching(SCHEMA_TEXT)]);
    }
  });

  // Guards lib/gateway-credential.ts gatewayPerimeter: an array body is refused after parsing,
  // even with a valid operation credential (here for the empty operation).
  it('refuses a batch (an array of operations)', async () => {
    const answer = await send(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [GATEWAY_CREDENTIAL_HEADER]: credential(name, '') },
      body: JSON.stringify([{ query: SDL_QUERY }, { query: SDL_QUERY }]),
    });
    expect([answer.status, answer.body]).toEqual([400, refusal('BAD_REQUEST')]);
    expect(answer.text).not.toMatch(SCHEMA_TEXT);
  });

  // Guards lib/gateway-credential.ts gatewayPerimeter: `req.is('application/json')`, before parsing.
  it('refuses multipart, text/plain and application/graphql bodies, even with the credential of their operation', async () => {
    const headers = { [GATEWAY_CREDENTIAL_HEADER]: credential(name, SDL_QUERY) };
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: SDL_QUERY }));
    form.set('map', '{}');
    const bodies: RequestInit[] = [
      { body: form },
      { headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: SDL_QUERY }) },
      { headers: { 'content-type': 'application/graphql' }, body: SDL_QUERY },
      { headers: {}, body: new Blob([JSON.stringify({ query: SDL_QUERY })]) },
    ];
    for (const init of bodies) {
      const answer = await send(url(), { ...init, method: 'POST', headers: { ...headers, ...(init.headers as Record<string, string>) } });
      expect([answer.status, answer.body]).toEqual([415, refusal('UNSUPPORTED_MEDIA_TYPE')]);
      expect(answer.text).not.toMatch(SCHEMA_TEXT);
    }
  });

  // Guards lib/gateway-credential.ts gatewayPerimeter: after parsing, the operation must be the one
  // signed; a persisted-query hash without the text is not.
  it('refuses a body whose operation the credential does not cover', async () => {
    const persisted = { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } };
    const answer = await send(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [GATEWAY_CREDENTIAL_HEADER]: credential(name, '') },
      body: JSON.stringify(persisted),
    });
    expect([answer.status, answer.body]).toEqual([403, refusal('FORBIDDEN')]);
  });

  // Guards lib/service.ts createSubgraphService: the subgraph's own ceilings (SUBGRAPH_CEILINGS in
  // lib/operation-limits.ts) as validationRules and parseOptions of its Apollo Server.
  it('refuses 150 aliases, too deep a query and too many tokens even with a valid credential', async () => {
    const aliases = `{ ${Array.from({ length: 150 }, (_, i) => `a${i}: _service { sdl }`).join(' ')} }`;
    const deep = `{ ${'... on Query { '.repeat(25)}__typename${' }'.repeat(25)} }`;
    const long = `{ ${'__typename '.repeat(2_100)}}`;
    const cases = [
      { query: aliases, code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases' },
      { query: deep, code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' },
      { query: long, code: 'GRAPHQL_PARSE_FAILED', limit: 'tokens' },
    ];
    for (const { query, code, limit } of cases) {
      const answer = await graphql(url(), query);
      expect([answer.status, answer.body.data, answer.body.errors?.[0]?.extensions]).toEqual([400, undefined, expect.objectContaining({ code, limit })]);
      expect(JSON.stringify(answer.body)).not.toMatch(SCHEMA_TEXT);
    }
  });
});

/** A raw WebSocket upgrade: how it ended before any message could be sent. */
function upgrade(url: string, headers: Record<string, string>) {
  return new Promise<{ opened: boolean; status?: number; body?: string }>((resolve) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
    socket.on('open', () => {
      socket.terminate();
      resolve({ opened: true });
    });
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ opened: false, status: response.statusCode, body }));
    });
    socket.on('error', () => resolve({ opened: false }));
  });
}

describe('Subgraph WebSockets, reached directly', () => {
  const wsUrl = (name: 'notifications' | 'appeals') => graph.subgraphUrls[name].replace(/^http/, 'ws');

  // Guards lib/live/graphql-ws.ts attachWebSocketServer (`admit`) with lib/gateway-credential.ts
  // upgradeRefusal, set by lib/service.ts createSubgraphService: refused at the upgrade, no handshake.
  it.each(['notifications', 'appeals'] as const)('%s refuses an upgrade without the gateway credential for its caller with 403, before the handshake', async (name) => {
    const bearer = `Bearer ${token}`;
    const cases: Record<string, string>[] = [
      { authorization: bearer },
      { authorization: bearer, [GATEWAY_CREDENTIAL_HEADER]: signGatewayCredential(secret(), { subgraph: name === 'appeals' ? 'notifications' : 'appeals', authorization: bearer, use: 'socket' }) },
      { authorization: bearer, [GATEWAY_CREDENTIAL_HEADER]: signGatewayCredential(secret(), { subgraph: name, authorization: `Bearer ${otherToken}`, use: 'socket' }) },
    ];
    for (const headers of cases) {
      const answer = await upgrade(wsUrl(name), headers);
      expect(answer.opened).toBe(false);
      expect([answer.status, JSON.parse(answer.body ?? 'null')]).toEqual([403, refusal('FORBIDDEN')]);
    }
    // The control: the gateway's headers open it.
    expect(await upgrade(wsUrl(name), gatewayUpgradeHeaders(wsUrl(name), bearer))).toEqual({ opened: true });
  });

  // Guards lib/gateway-credential.ts gatewayPerimeter: a subgraph without subscriptions gets an
  // upgrade as the GET it is, and refuses it (405) like any other.
  it.each(['identity', 'profile'] as const)('%s, which serves no subscriptions, refuses an upgrade, the gateway’s headers or not', async (name) => {
    const url = graph.subgraphUrls[name].replace(/^http/, 'ws');
    for (const headers of [{}, gatewayUpgradeHeaders(url, `Bearer ${token}`)]) {
      const answer = await upgrade(url, headers);
      expect([answer.opened, answer.status, JSON.parse(answer.body ?? 'null')]).toEqual([false, 405, refusal('METHOD_NOT_ALLOWED')]);
    }
  });

  // Guards lib/live/graphql-ws.ts onConnect (`callerOfUpgradeOnly`, set by lib/subscriptions.ts): connection_init cannot name another
  // caller than the upgrade the credential was checked for.
  it('closes with 4403 a connection whose connection_init names another caller than its upgrade', async () => {
    const url = wsUrl('notifications');
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers: gatewayUpgradeHeaders(url, `Bearer ${token}`) });
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${otherToken}` } }));
    // A connection_ack would come first if the connection were taken.
    const ended = await new Promise((resolve) => {
      socket.once('message', (data: Buffer) => resolve({ message: data.toString() }));
      socket.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() }));
    });
    socket.terminate();
    expect(ended).toEqual({ code: 4403, reason: 'Подграф принимает запросы только от шлюза.' });
  });
});

describe('Where a subgraph listens, and with what', () => {
  // Guards lib/service.ts listen (its default role) and lib/config.ts defaultHost, serviceConfig (HOST).
  it('listens on 127.0.0.1 by default (the gateway on every interface), on HOST when it is set', async () => {
    const loopback = await listen(express(), 0);
    expect([(loopback.server.address() as AddressInfo).address, loopback.url]).toEqual(['127.0.0.1', expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/)]);
    await closeServer(loopback.server);
    // The gateway, the public entry, on every interface (Node's own default).
    const gateway = await listen(express(), 0, 'gateway');
    expect((gateway.server.address() as AddressInfo).address).toMatch(/^(::|0\.0\.0\.0)$/);
    await closeServer(gateway.server);
    const configured = (env: Record<string, string>, role: 'subgraph' | 'gateway') =>
      readConfig({ GATEWAY_SECRET: 'x'.repeat(32), ...env }, (reader) => serviceConfig(reader, role === 'gateway' ? 'gateway' : 'profile')).host;
    expect([configured({}, 'subgraph'), configured({}, 'gateway'), configured({ HOST: '0.0.0.0' }, 'subgraph')]).toEqual(['127.0.0.1', undefined, '0.0.0.0']);
    const everywhere = await listen(express(), 0, 'subgraph', configured({ HOST: '0.0.0.0' }, 'subgraph'));
    expect((everywhere.server.address() as AddressInfo).address).toBe('0.0.0.0');
    await closeServer(everywhere.server);
    // The graph's own subgraphs too.
    for (const name of SUBGRAPH_NAMES) expect(new URL(graph.subgraphUrls[name]).hostname).toBe('127.0.0.1');
  });

  // Guards lib/service.ts runSubgraph (the configuration read first) and lib/config.ts EnvReader.secret.
  it('refuses to start without GATEWAY_SECRET, or with a short one, in one line naming it', () => {
    for (const value of [undefined, 'too-short']) {
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
      if (value === undefined) delete env.GATEWAY_SECRET;
      else env.GATEWAY_SECRET = value;
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'subgraphs/profile/index.ts'], { env, encoding: 'utf8', timeout: 20_000 });
      // One JSON line (lib/log.ts), and nothing else: the subgraph stopped before anything started.
      const lines = run.stdout.trim().split('\n');
      expect([run.status, lines.length, run.stderr.trim()]).toEqual([1, 1, '']);
      expect(JSON.parse(lines[0]!)).toMatchObject({
        level: 'fatal',
        service: 'profile',
        variables: ['GATEWAY_SECRET'],
        msg: expect.stringMatching(/^configuration refused: GATEWAY_SECRET: (not set|too short \(9 characters\)); accepts 32\+ random characters/),
      });
    }
  });
});

describe('What a credential is bound to besides the caller and the operation', () => {
  const LOGIN = 'mutation ($i: LoginInput!) { login(input: $i) { accessToken errors { code } } }';
  const reason = (answer: { body: { errors?: { extensions?: Record<string, unknown> }[] } }) => answer.body.errors?.[0]?.extensions?.reason;

  // Guards lib/gateway-credential.ts checkCaller: the `adr` claim compared with X-Client-Address
  // (signed by gateway/server.ts SubgraphDataSource.willSendRequest, read by subgraphs/identity/server.ts).
  it('identity refuses a credential whose signed client address is not the X-Client-Address it comes with, and records only the signed one', async () => {
    const person = await createPerson(graph);
    const variables = { i: { login: person.phone, password: TEST_PASSWORD } };
    const signed = '198.51.100.77';
    const forged = '203.0.113.99';
    const headersWith = (address: string | null, clientAddress: string | null) => ({
      [GATEWAY_CREDENTIAL_HEADER]: signGatewayCredential(secret(), { subgraph: 'identity', authorization: undefined, query: LOGIN, variables, clientAddress }),
      ...(address ? { [CLIENT_ADDRESS_HEADER]: address } : {}),
    });
    // A captured credential replayed with another address, with none, or a header added to a credential signed without one.
    for (const headers of [headersWith(forged, signed), headersWith(null, signed), headersWith(forged, null)]) {
      const replayed = await graphql(graph.subgraphUrls.identity, LOGIN, { variables, headers, asGateway: false });
      expect([replayed.status, replayed.body]).toEqual([403, refusal('FORBIDDEN')]);
      expect(reason(replayed)).toBe('credential of another client address');
    }
    // The control: with the signed address it signs in, and the event log has that address alone.
    const taken = await graphql(graph.subgraphUrls.identity, LOGIN, { variables, headers: headersWith(signed, signed), asGateway: false });
    expect(taken.body.data.login.accessToken).toEqual(expect.any(String));
    const events = await graph.databases.identity.db.select({ kind: securityEvents.kind, address: securityEvents.clientAddress }).from(securityEvents).where(eq(securityEvents.accountId, person.id));
    expect(events).toEqual([{ kind: expect.any(String), address: signed }]);
  });

  const statusesBody = (authorizations: string[]) => JSON.stringify({ authorizations });
  const askStatuses = (body: string, credential: string | null, headers: Record<string, string> = {}) =>
    send(new URL(SESSION_STATUSES_PATH, graph.subgraphUrls.identity).href, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(credential ? { [GATEWAY_CREDENTIAL_HEADER]: credential } : {}), ...headers },
      body,
    });

  // Guards lib/gateway-credential.ts gatewaySignedBody (`bodyDigest(text)` against the `bdy` claim,
  // the byte limit) and identity's count check: a credential covers its body alone, so one seen on
  // the wire cannot ask about other sessions (nor note their use).
  it("identity's session statuses: only the gateway's credential for exactly this body, of a bounded batch, each token answered its own", async () => {
    const asked = statusesBody([`Bearer ${token}`, 'Bearer not-a-token', `Bearer ${otherToken}`]);
    const signed = signGatewayCredential(secret(), { subgraph: 'identity', use: 'session-statuses', body: asked });
    const answered = await askStatuses(asked, signed);
    expect([answered.status, answered.body]).toEqual([200, { statuses: [{ live: true }, { live: null, reason: 'UNAUTHENTICATED' }, { live: true }] }]);

    const none = await askStatuses(asked, null);
    expect([none.status, none.body, reason(none)]).toEqual([403, refusal('FORBIDDEN'), 'no gateway credential']);
    // The captured credential replayed with the tokens swapped, or with another token list.
    for (const replayed of [statusesBody([`Bearer ${otherToken}`, 'Bearer not-a-token', `Bearer ${token}`]), statusesBody([`Bearer ${otherToken}`])]) {
      const answer = await askStatuses(replayed, signed);
      expect([answer.status, answer.body, reason(answer)]).toEqual([403, refusal('FORBIDDEN'), 'credential of another body']);
    }
    // It is the gateway's own: a caller's Authorization is not what it was signed for.
    const withCaller = await askStatuses(asked, signed, { authorization: `Bearer ${token}` });
    expect([withCaller.status, reason(withCaller)]).toEqual([403, 'credential of another caller']);

    const tooMany = statusesBody(Array.from({ length: SESSION_STATUS_BATCH_MAX + 1 }, () => `Bearer ${token}`));
    const counted = await askStatuses(tooMany, signGatewayCredential(secret(), { subgraph: 'identity', use: 'session-statuses', body: tooMany }));
    expect([counted.status, counted.body]).toEqual([413, refusal('PAYLOAD_TOO_LARGE')]);
    const tooLarge = statusesBody([`Bearer ${'x'.repeat(SESSION_STATUS_BATCH_BYTES)}`]);
    const weighed = await askStatuses(tooLarge, signGatewayCredential(secret(), { subgraph: 'identity', use: 'session-statuses', body: tooLarge }));
    expect([weighed.status, weighed.body]).toEqual([413, refusal('PAYLOAD_TOO_LARGE')]);
  });

  const signedFor = (use: CredentialUse, subgraph: SubgraphName, authorization: string) =>
    use === 'operation'
      ? signGatewayCredential(secret(), { subgraph, authorization, query: '', variables: undefined })
      : use === 'socket'
        ? signGatewayCredential(secret(), { subgraph, authorization, use })
        : signGatewayCredential(secret(), { subgraph, use, body: statusesBody([authorization]) });

  // Guards lib/gateway-credential.ts checkCaller: `payload.use !== expected.use`, with the use each
  // door asks for (gatewayPerimeter 'operation', upgradeRefusal 'socket', gatewaySignedBody 'session-statuses').
  it('a credential for one use is refused at the others: an operation, a WebSocket upgrade, the session status', async () => {
    const bearer = `Bearer ${token}`;
    const wsUrl = graph.subgraphUrls.notifications.replace(/^http/, 'ws');
    const doors: Record<CredentialUse, (use: CredentialUse) => Promise<{ status?: number; reason?: unknown }>> = {
      // A POST whose query is the empty one, as the socket's and the session check's used to be signed for.
      operation: async (use) => {
        const answer = await send(graph.subgraphUrls.notifications, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: bearer, [GATEWAY_CREDENTIAL_HEADER]: signedFor(use, 'notifications', bearer) },
          body: JSON.stringify({ query: '' }),
        });
        return { status: answer.status, reason: reason(answer) };
      },
      socket: async (use) => {
        const answer = await upgrade(wsUrl, { authorization: bearer, [GATEWAY_CREDENTIAL_HEADER]: signedFor(use, 'notifications', bearer) });
        return answer.opened ? { status: 101 } : { status: answer.status, reason: JSON.parse(answer.body ?? '{}').errors?.[0]?.extensions?.reason };
      },
      'session-statuses': async (use) => {
        const answer = await askStatuses(statusesBody([bearer]), signedFor(use, 'identity', bearer));
        return { status: answer.status, reason: reason(answer) };
      },
    };
    const uses = Object.keys(doors) as CredentialUse[];
    for (const door of uses) {
      for (const use of uses.filter((other) => other !== door)) {
        expect([door, use, await doors[door](use)]).toEqual([door, use, { status: 403, reason: 'credential of another use' }]);
      }
    }
    // The controls: each door takes its own use (an empty query then fails in Apollo, not at the door).
    expect(await doors.socket('socket')).toEqual({ status: 101 });
    expect((await doors['session-statuses']('session-statuses')).status).toBe(200);
    expect((await doors.operation('operation')).status).toBe(400);
  });
});

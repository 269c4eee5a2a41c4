import { createHash } from 'node:crypto';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_MANIFEST_PATH, readTrustedDocuments, type TrustedDocuments } from '../gateway/trusted-documents.ts';
import { signedInPerson } from './fixtures.ts';
import { gatewayClients } from './gateway-clients.ts';
import { startGraph, type GraphQLResponse, type TestGraph } from './graph.ts';
import { parallel, tally } from './parallel-requests.ts';

/**
 * Trusted documents (docs/security.md, "Trusted documents"): a production gateway with a manifest
 * (test/trusted-documents.json stands for the cabinet's build) runs its documents by hash or exact
 * text, still under every limit, and refuses anything else with DOCUMENT_NOT_TRUSTED on every
 * transport; the development gateway (the graph's own) runs anything, with automatic persisted queries.
 */

const manifest: TrustedDocuments = readTrustedDocuments(new URL('trusted-documents.json', import.meta.url));
const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');
const named = (start: string) => [...manifest.values()].find((text) => text.startsWith(start))!;
const ME = named('query Me ');
const FEED = named('subscription Feed ');
const TOO_MANY_ALIASES = named('query TooManyAliases ');
const UNKNOWN = 'query Other { me { id } }';
const persisted = (text: string) => ({ persistedQuery: { version: 1, sha256Hash: hashOf(text) } });

let graph: TestGraph;
let gateway: Awaited<ReturnType<TestGraph['startGatewayInstance']>>;
let token: string;
let person: { id: string };

beforeAll(async () => {
  graph = await startGraph();
  // As gateway/index.ts builds it in production: the manifest, no automatic persisted queries.
  vi.stubEnv('NODE_ENV', 'production');
  gateway = await graph.startGatewayInstance({ trustedDocuments: manifest, automaticPersistedQueries: false });
  vi.unstubAllEnvs();
  const signedIn = await signedInPerson(graph);
  token = signedIn.token;
  person = signedIn;
});
afterAll(() => graph?.stop());

async function post(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
}

async function get(url: string, params: Record<string, unknown>): Promise<GraphQLResponse> {
  const search = new URLSearchParams(Object.entries(params).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)] as [string, string]));
  const response = await fetch(`${url}?${search}`, { headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' } });
  return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
}

const code = (response: GraphQLResponse) => response.body.errors?.[0]?.extensions?.code ?? 'OK';

const SSE = { accept: 'text/event-stream' };
const MULTIPART = { accept: 'multipart/mixed;boundary="graphql";subscriptionSpec="1.0",application/json' };

/** A graphql-ws subscription of `payload`: its first error's code, or OK once the gateway holds its stream. */
async function overWebSocket(url: string, payload: { query: string; extensions?: Record<string, unknown> }, streamsBefore: () => number): Promise<string> {
  const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
  try {
    return await new Promise<string>((resolve) => {
      client.subscribe(payload, {
        next: () => {},
        error: (error) => resolve((error as { extensions?: { code?: string } }[])[0]?.extensions?.code ?? String(error)),
        complete: () => resolve('COMPLETE'),
      });
      const opened = setInterval(() => {
        if (streamsBefore() > 0) {
          clearInterval(opened);
          resolve('OK');
        }
      }, 20);
    });
  } finally {
    await client.dispose();
  }
}

describe('The production gateway runs the manifest only', () => {
  it('serves a manifest document by its hash and by its exact text, over POST and GET, and the credential still binds the subgraph request', async () => {
    // `me` comes from identity, which answers only a request the gateway signed for this caller and operation.
    const expected = { data: { me: { id: person.id } } };
    expect((await post(gateway.url, { extensions: persisted(ME) })).body).toEqual(expected);
    expect((await post(gateway.url, { query: ME })).body).toEqual(expected);
    expect((await post(gateway.url, { query: ME, extensions: persisted(ME) })).body).toEqual(expected);
    expect((await get(gateway.url, { extensions: persisted(ME) })).body).toEqual(expected);
    expect((await get(gateway.url, { query: ME })).body).toEqual(expected);
  });

  it('serves a manifest subscription by its hash over graphql-ws, SSE and multipart', async () => {
    const streams = () => gateway.subscriptions.stats().streams;
    // Apollo Client's persisted-queries link in front of GraphQLWsLink: an empty query and the hash.
    expect(await overWebSocket(gateway.wsUrl, { query: '', extensions: persisted(FEED) }, streams)).toBe('OK');
    for (const accept of [SSE, MULTIPART]) {
      const controller = new AbortController();
      const response = await fetch(gateway.url, {
        method: 'POST',
        signal: controller.signal,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...accept },
        body: JSON.stringify({ extensions: persisted(FEED) }),
      });
      expect([response.status, response.headers.get('content-type')?.split(';')[0]]).toEqual([200, accept.accept.split(';')[0]]);
      controller.abort();
    }
  });

  it('holds a manifest document to every limit', async () => {
    const { status, body } = await post(gateway.url, { extensions: persisted(TOO_MANY_ALIASES) });
    expect([status, body.errors?.[0]?.extensions]).toEqual([400, expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases', maximum: 15 })]);
  });

  it('refuses an unknown document with DOCUMENT_NOT_TRUSTED on every transport', async () => {
    const subscription = 'subscription Other { notificationAdded { node { id } } }';
    const refusals = {
      post: code(await post(gateway.url, { query: UNKNOWN })),
      get: code(await get(gateway.url, { query: UNKNOWN })),
      // A manifest text under another document's hash is not that document.
      postWithHash: code(await post(gateway.url, { query: UNKNOWN, extensions: persisted(ME) })),
      sse: code(await post(gateway.url, { query: subscription }, SSE)),
      multipart: code(await post(gateway.url, { query: subscription }, MULTIPART)),
      graphqlWs: await overWebSocket(gateway.wsUrl, { query: subscription }, () => 0),
    };
    expect(refusals).toEqual({
      post: 'DOCUMENT_NOT_TRUSTED',
      get: 'DOCUMENT_NOT_TRUSTED',
      postWithHash: 'DOCUMENT_NOT_TRUSTED',
      sse: 'DOCUMENT_NOT_TRUSTED',
      multipart: 'DOCUMENT_NOT_TRUSTED',
      graphqlWs: 'DOCUMENT_NOT_TRUSTED',
    });
    const { status, body } = await post(gateway.url, { query: UNKNOWN });
    expect([status, body.errors?.[0]?.message]).toEqual([400, 'Сервис выполняет только операции личного кабинета, этот запрос к ним не относится.']);
  });

  it('refuses an unknown hash, not as a miss a client would answer with the text', async () => {
    const refusals = {
      post: await post(gateway.url, { extensions: persisted(UNKNOWN) }),
      get: await get(gateway.url, { extensions: persisted(UNKNOWN) }),
      version2: await post(gateway.url, { extensions: { persistedQuery: { version: 2, sha256Hash: hashOf(ME) } } }),
    };
    expect(Object.values(refusals).map((response) => [response.status, code(response)])).toEqual(Array(3).fill([400, 'DOCUMENT_NOT_TRUSTED']));
    expect(await overWebSocket(gateway.wsUrl, { query: '', extensions: persisted(UNKNOWN) }, () => 0)).toBe('DOCUMENT_NOT_TRUSTED');
  });

  it('takes a parallel burst of unknown documents, refusing each before parsing it, and serves its own meanwhile', async () => {
    // 900 KB is far past the token limit (1,000): refused as untrusted, so it was never parsed.
    const huge = `query Huge { ${'__typename '.repeat(80_000)}}`;
    // The cabinet's own request goes while the burst is in flight.
    const [outcomes, served] = await Promise.all([
      parallel(300, async (i) => {
        const response =
          i % 3 === 0 ? await post(gateway.url, { query: huge }) : i % 3 === 1 ? await get(gateway.url, { query: `query Q${i} { me { id } }` }) : await post(gateway.url, { query: `query Q${i} { me { id } }` }, SSE);
        return code(response);
      }),
      post(gateway.url, { extensions: persisted(ME) }),
    ]);
    expect({ outcomes: tally(outcomes), served: served.body.data }).toEqual({ outcomes: { DOCUMENT_NOT_TRUSTED: 300 }, served: { me: { id: person.id } } });
  });
});

describe('The development gateway runs any document', () => {
  const clients = () => gatewayClients({ http: graph.url, ws: graph.gatewayWsUrl });
  it('runs a text outside the manifest, and automatic persisted queries register it', async () => {
    expect((await post(graph.url, { query: UNKNOWN })).body).toEqual({ data: { me: { id: person.id } } });
    const text = 'query Registered { me { id } }';
    expect(code(await post(graph.url, { extensions: persisted(text) }))).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await post(graph.url, { query: text, extensions: persisted(text) })).body.data).toEqual({ me: { id: person.id } });
    expect((await post(graph.url, { extensions: persisted(text) })).body.data).toEqual({ me: { id: person.id } });
    const open = clients();
    const stream = open.subscribe('graphql-ws', 'subscription Other { notificationAdded { node { id } } }', { token });
    await expect.poll(() => graph.gatewaySubscriptions.stats().streams, { timeout: 5_000 }).toBe(1);
    expect(stream.errors).toEqual([]);
    await open.disposeAll();
  });
});

describe("The production gateway with the cabinet's own manifest", () => {
  it('serves the cabinet by hash (its queries without variables run) and refuses a query outside it', async () => {
    const cabinet = readTrustedDocuments(DEFAULT_MANIFEST_PATH);
    vi.stubEnv('NODE_ENV', 'production');
    const production = await graph.startGatewayInstance({ trustedDocuments: cabinet, automaticPersistedQueries: false });
    vi.unstubAllEnvs();
    const queries = [...cabinet].filter(([, text]) => /^(fragment [\s\S]*)?query \w+ \{/.test(text) || /\}\s*query \w+ \{/.test(text));
    expect(queries.length).toBeGreaterThan(3);
    for (const [hash, text] of queries) {
      const answer = await post(production.url, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
      // Run, not refused: a citizen's token gets FORBIDDEN only for the official's queue.
      const codes = (answer.body.errors ?? []).map((error) => error.extensions?.code).filter((refusal) => refusal !== 'FORBIDDEN');
      expect({ text: text.slice(0, 60), codes, executed: 'data' in answer.body }).toEqual({ text: text.slice(0, 60), codes: [], executed: true });
    }
    expect(code(await post(production.url, { query: UNKNOWN }))).toBe('DOCUMENT_NOT_TRUSTED');
  });
});

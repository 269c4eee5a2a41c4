import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLocalJWKSet } from 'jose';
import { SUBGRAPH_NAMES } from '../lib/config.ts';
import { closeServer, listen } from '../lib/service.ts';
import { buildGateway } from '../gateway/server.ts';
import { readCommittedSupergraph } from '../schema/compose.ts';
import { graphql, startGraph, type TestGraph } from './graph.ts';
import { createMemoryRateLimitStore, createRateLimiter } from '../lib/rate-limit.ts';

const noRateLimits = () => createRateLimiter({ store: createMemoryRateLimitStore(), rules: { perUser: null, perAddress: null } });

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());

const baseOf = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '');

describe('Every service reports liveness and readiness', () => {
  it.each(['gateway', ...SUBGRAPH_NAMES])('%s answers /health/live and /health/ready', async (name) => {
    const base = name === 'gateway' ? graph.gatewayBase : baseOf(graph.subgraphUrls[name as (typeof SUBGRAPH_NAMES)[number]]);
    for (const path of ['/health/live', '/health/ready']) {
      const response = await fetch(`${base}${path}`);
      expect([path, response.status, await response.json()]).toEqual([path, 200, { status: 'ok' }]);
    }
  });

  it('reports the gateway not ready, naming the subgraph, when a subgraph cannot be reached', async () => {
    const service = await buildGateway({
      supergraphSdl: readCommittedSupergraph(),
      subgraphUrls: { ...graph.subgraphUrls, appeals: 'http://127.0.0.1:9/graphql' },
      tokenKeys: createLocalJWKSet({ keys: [] }),
      corsOrigins: [],
      rateLimiter: noRateLimits(),
    });
    const { server, url } = await listen(service.app, 0);
    try {
      const response = await fetch(`${url}/health/ready`);
      expect([response.status, await response.json()]).toEqual([503, { status: 'unavailable', reason: 'subgraphs not ready: appeals' }]);
    } finally {
      await closeServer(server);
      await service.stop();
    }
  });
});

describe('Identity publishes the keys that verify its tokens', () => {
  it('serves a JWKS with one ES256 signing key and no private part', async () => {
    const response = await fetch(`${baseOf(graph.subgraphUrls.identity)}/.well-known/jwks.json`);
    const { keys } = (await response.json()) as { keys: Record<string, string>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: expect.any(String) });
    expect(keys[0]).not.toHaveProperty('d');
  });
});

describe('Exploring the graph in development', () => {
  it('serves Apollo Sandbox to a browser at the gateway URL', async () => {
    const response = await fetch(graph.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('embeddable-sandbox');
  });

  it('lets Apollo Studio call the gateway from the browser (CORS)', async () => {
    const response = await fetch(graph.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://studio.apollographql.com', 'access-control-request-method': 'POST' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('https://studio.apollographql.com');
  });

  it('answers introspection', async () => {
    const { body } = await graph.request('{ __schema { queryType { name } } }');
    expect(body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });
});

describe('The gateway in production', () => {
  let url: string;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const service = await buildGateway({ supergraphSdl: readCommittedSupergraph(), subgraphUrls: graph.subgraphUrls, tokenKeys: createLocalJWKSet({ keys: [] }), corsOrigins: [], rateLimiter: noRateLimits() });
    vi.unstubAllEnvs();
    const listening = await listen(service.app, 0);
    url = `${listening.url}/graphql`;
    stop = () => closeServer(listening.server).then(service.stop);
  });
  afterAll(() => stop?.());

  it('refuses introspection', async () => {
    const { body } = await graphql(url, '{ __schema { queryType { name } } }');
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.data).toBeUndefined();
  });

  it('serves no landing page', async () => {
    const response = await fetch(url, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toContain('embeddable-sandbox');
  });

  it('allows no browser origin it was not told to', async () => {
    const response = await fetch(url, { method: 'OPTIONS', headers: { origin: 'https://studio.apollographql.com', 'access-control-request-method': 'POST' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

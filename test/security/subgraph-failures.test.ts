import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, signIn, type Person } from '../fixtures.ts';
import { fakeSubgraphs } from '../fake-subgraphs.ts';
import { graphql, startGraph, type TestGraph } from '../graph.ts';

/**
 * A subgraph that is down, hangs or fails costs the caller its own fields only: the gateway answers
 * in time, the rest of the data stands, and nothing of the subgraph's internals (URL, stack) leaks.
 */
let graph: TestGraph;
let alice: Person;
let token: string;
const { start: fakeSubgraph } = fakeSubgraphs();

/** A port nothing listens on: a server started and closed again. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/graphql`;
}

beforeAll(async () => {
  graph = await startGraph();
  alice = await createPerson(graph, { lastName: 'Алексеева' });
  token = await signIn(graph, alice.phone);
});

afterAll(() => graph?.stop());

const ME = '{ me { id level profile { lastName } } }';

async function askWithProfileAt(profileUrl: string) {
  const gateway = await graph.startGatewayInstance({ subgraphUrls: { ...graph.subgraphUrls, profile: profileUrl }, subgraphTimeoutMs: 500 });
  try {
    return await graphql(gateway.url, ME, { token });
  } finally {
    await gateway.stop();
  }
}

function expectOnlyProfileMissing(response: { status: number; body: unknown }) {
  expect(response.status).toBe(200);
  expect(response.body).toEqual({
    data: { me: { id: alice.id, level: 'CONFIRMED', profile: null } },
    errors: [{ message: 'Сервис «profile» временно не отвечает. Попробуйте позже.', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }],
  });
}

describe('Gateway: a subgraph that does not answer', () => {
  it('answers the other subgraphs’ fields when one is down (connection refused)', async () => {
    expectOnlyProfileMissing(await askWithProfileAt(await closedPort()));
  });

  it('gives up on a subgraph that hangs after its timeout instead of holding the caller', async () => {
    const hung = await fakeSubgraph(() => {});
    expectOnlyProfileMissing(await askWithProfileAt(hung));
  });

  it('hides a failing subgraph’s status, URL and body behind the same error', async () => {
    const failing = await fakeSubgraph((respond) => respond(500, JSON.stringify({ message: 'ECONNRESET at db-internal.local:5432', stack: 'at Pool.connect (/srv/profile/db.ts:1)' })));
    const response = await askWithProfileAt(failing);
    expectOnlyProfileMissing(response);
    expect(JSON.stringify(response.body)).not.toMatch(/127\.0\.0\.1|db-internal|stack|500/);
  });

  it('passes a subgraph’s own refusal on with its code, without its URL', async () => {
    const refusing = await fakeSubgraph((respond) => respond(403, JSON.stringify({ errors: [{ message: 'Подграф принимает запросы только от шлюза.', extensions: { code: 'FORBIDDEN' } }] })));
    const response = await askWithProfileAt(refusing);
    expect(response.body).toEqual({
      data: { me: { id: alice.id, level: 'CONFIRMED', profile: null } },
      errors: [{ message: 'Подграф принимает запросы только от шлюза.', extensions: { code: 'FORBIDDEN' } }],
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBGRAPH_NAMES } from '../../lib/config.ts';
import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential } from '../../lib/gateway-credential.ts';
import { createPerson, signIn } from '../fixtures.ts';
import { graphql, startGraph, type TestGraph } from '../graph.ts';

/** A subgraph reached directly, past the gateway, answers nothing: `_service` and `_entities` included. */
let graph: TestGraph;
let token: string;
let userId: string;

beforeAll(async () => {
  graph = await startGraph();
  const person = await createPerson(graph);
  userId = person.id;
  token = await signIn(graph, person.phone);
});
afterAll(() => graph?.stop());

const refused = { errors: [{ message: 'Подграф принимает запросы только от шлюза.', extensions: { code: 'FORBIDDEN', reason: expect.any(String) } }] };

describe.each(SUBGRAPH_NAMES)('%s, reached directly', (name) => {
  it('refuses `_service` and `_entities` without the gateway credential, even with a valid person token', async () => {
    const url = graph.subgraphUrls[name];
    const sdl = await graphql(url, '{ _service { sdl } }', { asGateway: false });
    expect([sdl.status, sdl.body]).toEqual([403, refused]);
    const entities = await graphql(url, 'query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { token, variables: { r: [{ __typename: 'User', id: userId }] }, asGateway: false });
    expect([entities.status, entities.body]).toEqual([403, refused]);
  });

  it('refuses a credential signed for another subgraph, another caller or another operation', async () => {
    const url = graph.subgraphUrls[name];
    const query = '{ _service { sdl } }';
    const other = SUBGRAPH_NAMES.find((candidate) => candidate !== name)!;
    const secret = process.env.GATEWAY_SECRET!;
    const cases = [
      await signGatewayCredential(secret, { subgraph: other, authorization: undefined, query, variables: undefined }),
      await signGatewayCredential(secret, { subgraph: name, authorization: `Bearer ${token}`, query, variables: undefined }),
      await signGatewayCredential(secret, { subgraph: name, authorization: undefined, query: '{ __typename }', variables: undefined }),
    ];
    for (const credential of cases) {
      const response = await graphql(url, query, { headers: { [GATEWAY_CREDENTIAL_HEADER]: credential }, asGateway: false });
      expect(response.status).toBe(403);
    }
  });
});

// The subgraphs' WebSockets, GET, batches and other bodies: test/security/subgraph-perimeter.test.ts.

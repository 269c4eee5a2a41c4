import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN } from '../../lib/auth.ts';
import { createPerson, graphQLErrorCodes, signIn, type Person } from '../fixtures.ts';
import { startGraph, type TestGraph } from '../graph.ts';

/** An attacker's view of the gateway: tokens that must not pass, and operations that must not run. */
let graph: TestGraph;
let person: Person;
let token: string;

beforeAll(async () => {
  graph = await startGraph();
  person = await createPerson(graph);
  token = await signIn(graph, person.phone);
});
afterAll(() => graph?.stop());

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = () => ({ sub: person.id, lvl: 'CONFIRMED', roles: ['OFFICIAL', 'OPERATOR'], iss: ACCESS_TOKEN.issuer, aud: ACCESS_TOKEN.audience, exp: Math.floor(Date.now() / 1000) + 600 });

async function meWith(bearer: string) {
  const response = await graph.request('{ me { id } }', { headers: { authorization: `Bearer ${bearer}` } });
  return { status: response.status, codes: graphQLErrorCodes(response.body), data: response.body.data };
}

describe('Tokens the gateway refuses', () => {
  it('refuses `alg: none`', async () => {
    expect(await meWith(`${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims())}.`)).toMatchObject({ status: 401, codes: ['UNAUTHENTICATED'] });
  });

  it('refuses a token signed with a key identity does not publish, even with its key id', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const kid = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid as string;
    const forged = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', kid }).sign(privateKey);
    expect(await meWith(forged)).toMatchObject({ status: 401, codes: ['UNAUTHENTICATED'] });
  });

  it('refuses an HS256 token made with the public key as the secret (algorithm confusion)', async () => {
    const { keys } = (await (await fetch(graph.subgraphUrls.identity.replace('/graphql', '/.well-known/jwks.json'))).json()) as { keys: Record<string, string>[] };
    const confused = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: keys[0]!.kid! }).sign(new TextEncoder().encode(JSON.stringify(keys[0])));
    expect(await meWith(confused)).toMatchObject({ status: 401, codes: ['UNAUTHENTICATED'] });
  });

  it('refuses an expired token, and a token with its claims edited', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const expired = await new SignJWT({ ...claims(), exp: Math.floor(Date.now() / 1000) - 60 }).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
    expect(await meWith(expired)).toMatchObject({ status: 401, codes: ['UNAUTHENTICATED'] });
    const [header, , signature] = token.split('.');
    expect(await meWith(`${header}.${base64url(claims())}.${signature}`)).toMatchObject({ status: 401, codes: ['UNAUTHENTICATED'] });
  });

  it("refuses a revoked session's token", async () => {
    const session = await signIn(graph, person.phone);
    await graph.request('mutation { logout { revokedCount } }', { token: session });
    expect((await meWith(session)).codes).toEqual(['SESSION_REVOKED']);
  });
});

describe('Authorization declared in the schema, enforced by the gateway', () => {
  it('nulls only the fields the caller may not have; the rest of the response arrives', async () => {
    const { body } = await graph.request('{ topics { id } authorityAppeals { totalCount } }', { token });
    expect(body.data).toBeNull();
    expect(graphQLErrorCodes(body)).toEqual(['FORBIDDEN']);
    const partial = await graph.request('{ me { id notifications { totalCount } } topics { id } }');
    expect(partial.body.data).toMatchObject({ me: null, topics: expect.any(Array) });
    expect(graphQLErrorCodes(partial.body)).toEqual(['UNAUTHENTICATED']);
  });

  it('checks fields selected through named fragments too', async () => {
    const { body } = await graph.request('query { ...Q } fragment Q on Query { appealAnalytics(input: { from: "2026-01-01", to: "2026-12-31" }) { totalCount } }', { token });
    expect(graphQLErrorCodes(body)).toEqual(['FORBIDDEN']);
  });
});

describe('Operations the gateway refuses before running them', () => {
  const codeOf = async (query: string) => {
    const response = await graph.request(query, { token });
    return [response.status, graphQLErrorCodes(response.body)[0]];
  };

  it('refuses a query deeper than 10', async () => {
    expect(await codeOf('{ me { notifications { edges { node { appeal { author { appeals { edges { node { topic { parent { id } } } } } } } } } } } }')).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
  });

  it('refuses more than 15 aliases', async () => {
    expect(await codeOf(`{ ${Array.from({ length: 16 }, (_, n) => `a${n}: me { id }`).join(' ')} }`)).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
  });

  it('refuses a query of more than 1,000 tokens', async () => {
    expect(await codeOf(`{ me { ${'id '.repeat(1001)} } }`)).toEqual([400, 'GRAPHQL_PARSE_FAILED']);
  });

  it('refuses a costly wide query', async () => {
    expect(await codeOf('{ me { notifications(first: 100) { edges { node { id title body category appeal { id status number text timeline { action status } } } } } } }')).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
  });

  it('refuses a request body over 1 MB', async () => {
    const response = await fetch(graph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(1_100_000)}` }),
    });
    expect(response.status).toBe(413);
  }, 20_000);

  it('refuses a CSRF-style simple request (a form post or a GET without a preflight header)', async () => {
    const form = await fetch(graph.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ me { id } }' }) });
    expect(form.status).toBe(415);
    const get = await fetch(`${graph.url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/CSRF|preflight/i);
  });
});

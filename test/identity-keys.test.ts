import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { ACCESS_TOKEN } from '../lib/auth.ts';
import { readConfig } from '../lib/config.ts';
import { keySeal } from '../subgraphs/identity/domain/key-seal.ts';
import { loadSigningKeys } from '../subgraphs/identity/db/signing-keys.ts';
import { KEY_ROTATION_MS, loadTokenIssuer } from '../subgraphs/identity/tokens.ts';
import { startGraph, type TestGraph } from './graph.ts';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());

const account = { id: '00000000-0000-4000-8000-00000000abcd', level: 'STANDARD' as const, roles: [], sessionId: '00000000-0000-4000-8000-00000000beef' };

describe('Token-signing keys rotate', () => {
  it('signs with a new key once the current one is 30 days old, and keeps the previous one published', async () => {
    const issuer = await loadTokenIssuer(graph.databases.identity);
    const [before] = issuer.jwks().keys;
    const oldToken = (await issuer.issueAccessToken(account)).token;

    await issuer.rotateIfDue(new Date(Date.now() + KEY_ROTATION_MS + 60_000));
    const published = issuer.jwks().keys.map((key) => key.kid);
    expect(published).toHaveLength(2);
    expect(published[1]).toBe(before!.kid);
    const newToken = (await issuer.issueAccessToken(account)).token;
    const keys = createLocalJWKSet(issuer.jwks());
    const verified = await Promise.all([oldToken, newToken].map(async (token) => (await jwtVerify(token, keys, ACCESS_TOKEN)).protectedHeader.kid));
    expect(verified).toEqual([before!.kid, published[0]]);

    // Another instance of identity loads the same keys from the database.
    const other = await loadTokenIssuer(graph.databases.identity);
    expect(other.jwks().keys.map((key) => key.kid)).toEqual(published);
  });

  it('publishes only public keys at the JWKS endpoint', async () => {
    const { keys } = (await (await fetch(graph.subgraphUrls.identity.replace('/graphql', '/.well-known/jwks.json'))).json()) as { keys: Record<string, string>[] };
    for (const key of keys) expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  });

  it('keeps new keys sealed under SIGNING_KEY_SECRET in the database, and signs with them after a restart', async () => {
    const seal = readConfig({ SIGNING_KEY_SECRET: 'a-test-secret-of-at-least-32-characters' }, keySeal);
    const issuer = await loadTokenIssuer(graph.databases.identity, new Date(), seal);
    await issuer.rotateIfDue(new Date(Date.now() + 3 * KEY_ROTATION_MS));
    const [newest] = await loadSigningKeys(graph.databases.identity.db);
    expect(newest!.privateJwk).toMatchObject({ sealed: 'A256GCM' });
    expect(JSON.stringify(newest!.privateJwk)).not.toMatch(/"d":/);
    const restarted = await loadTokenIssuer(graph.databases.identity, new Date(Date.now() + 3 * KEY_ROTATION_MS), seal);
    const { token } = await restarted.issueAccessToken(account);
    expect((await jwtVerify(token, createLocalJWKSet(restarted.jwks()), ACCESS_TOKEN)).protectedHeader.kid).toBe(newest!.kid);
  });
});

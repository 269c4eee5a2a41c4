import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTVerifyGetKey } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { useFakeClock } from '../test/fake-clock.ts';
import { captureLogs } from '../test/logs.ts';
import { ACCESS_TOKEN, createTokenVerifier, KEY_SOURCE_UNAVAILABLE, remoteTokenKeys, SERVICE_TOKEN } from './auth.ts';

const { privateKey, publicKey } = await generateKeyPair('ES256');
const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };

/** The keys, counting how many times a signature was checked against them. */
function countingKeys(): { keys: JWTVerifyGetKey; checks: () => number } {
  const local = createLocalJWKSet({ keys: [jwk] });
  let checks = 0;
  return {
    keys: (header, token) => {
      checks++;
      return local(header, token);
    },
    checks: () => checks,
  };
}

const tokenFor = (sub: string, expiresAt: number) =>
  new SignJWT({ lvl: 'CONFIRMED', sid: 's1', roles: [] })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer(ACCESS_TOKEN.issuer)
    .setAudience(ACCESS_TOKEN.audience)
    .setSubject(sub)
    .setExpirationTime(expiresAt)
    .sign(privateKey);

describe('The access token verifier', () => {
  afterEach(() => vi.useRealTimers());

  it('checks a token’s signature once while it is remembered, and again after maxAgeMs', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T10:00:00Z'), toFake: ['Date'] });
    const { keys, checks } = countingKeys();
    const verify = createTokenVerifier(keys, undefined, { maxAgeMs: 60_000 });
    const authorization = `Bearer ${await tokenFor('alice', Math.floor(Date.now() / 1000) + 900)}`;
    const first = await verify(authorization);
    expect(await verify(authorization)).toEqual(first);
    expect(first).toMatchObject({ userId: 'alice', level: 'CONFIRMED', sessionId: 's1' });
    expect(checks()).toBe(1);
    vi.setSystemTime(Date.now() + 61_000);
    expect(await verify(authorization)).toEqual(first);
    expect(checks()).toBe(2);
  });

  it('refuses a remembered token once it expires, with the expiry message', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T10:00:00Z'), toFake: ['Date'] });
    const { keys } = countingKeys();
    const verify = createTokenVerifier(keys, undefined, { maxAgeMs: 60_000 });
    const authorization = `Bearer ${await tokenFor('alice', Math.floor(Date.now() / 1000) + 10)}`;
    await verify(authorization);
    vi.setSystemTime(Date.now() + 11_000);
    await expect(verify(authorization)).rejects.toThrow('Срок действия сессии истёк');
  });

  it('remembers no refusal: an edited token fails every time, and the good one beside it still passes', async () => {
    const { keys, checks } = countingKeys();
    const verify = createTokenVerifier(keys, undefined);
    const token = await tokenFor('alice', Math.floor(Date.now() / 1000) + 900);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const edited = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'mallory' })).toString('base64url')}.${signature}`;
    await expect(verify(`Bearer ${edited}`)).rejects.toThrow('Токен доступа недействителен');
    await expect(verify(`Bearer ${edited}`)).rejects.toThrow('Токен доступа недействителен');
    expect(checks()).toBe(2);
    expect(await verify(`Bearer ${token}`)).toMatchObject({ userId: 'alice' });
  });

  it('gives every request the same viewer, which nobody can change', async () => {
    const { keys } = countingKeys();
    const verify = createTokenVerifier(keys, undefined);
    const authorization = `Bearer ${await tokenFor('alice', Math.floor(Date.now() / 1000) + 900)}`;
    const viewer = (await verify(authorization))!;
    expect(() => viewer.roles.push('OPERATOR')).toThrow();
    expect(() => Object.assign(viewer, { userId: 'mallory' })).toThrow();
    expect(await verify(authorization)).toMatchObject({ userId: 'alice', roles: [] });
  });
});

/** Identity's JWKS endpoint as a key source sees it: answering, failing with 503, or refusing connections. */
async function jwksEndpoint() {
  let state: 'up' | 'failing' = 'up';
  let published: JWK[] = [jwk];
  let fetches = 0;
  let server: Server | null = null;
  let port = 0;
  const handler = (_req: unknown, res: import('node:http').ServerResponse) => {
    fetches++;
    if (state === 'failing') return void res.writeHead(503).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published }));
  };
  const endpoint = {
    url: '',
    fetches: () => fetches,
    publish: (keys: JWK[]) => void (published = keys),
    fail: () => void (state = 'failing'),
    async up() {
      state = 'up';
      if (server) return;
      server = createServer(handler);
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
      endpoint.url = `http://127.0.0.1:${port}/.well-known/jwks.json`;
    },
    /** Stops listening: fetches get ECONNREFUSED, as when identity is down. */
    async down() {
      const current = server;
      server = null;
      current?.closeAllConnections();
      await new Promise((resolve) => current?.close(resolve) ?? resolve(null));
    },
  };
  await endpoint.up();
  return endpoint;
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'verified',
    (error: { extensions?: { code?: string } }) => error.extensions?.code,
  );
const freshToken = (sub = 'alice') => tokenFor(sub, Math.floor(Date.now() / 1000) + 900).then((token) => `Bearer ${token}`);
const quiet = () => {
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'log').mockImplementation(() => {});
};

describe("Identity's keys while identity is unreachable (issue 15)", () => {
  let endpoint: Awaited<ReturnType<typeof jwksEndpoint>>;
  beforeAll(async () => {
    endpoint = await jwksEndpoint();
  });
  afterEach(async () => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    endpoint.publish([jwk]);
    await endpoint.up();
  });
  afterAll(() => endpoint.down());

  // Guards lib/auth.ts, remoteTokenKeys: a failed fetch past maxAgeMs keeps the known keys serving
  // (jose's createRemoteJWKSet threw, and every token got «Токен доступа недействителен»).
  it('keeps verifying with the keys it has when a fetch past their age fails, down or failing', async () => {
    quiet();
    useFakeClock();
    const verify = createTokenVerifier(remoteTokenKeys(endpoint.url, { maxAgeMs: 50 }), undefined, { maxAgeMs: 0 });
    expect(await verify(await freshToken())).toMatchObject({ userId: 'alice' });
    await endpoint.down();
    await vi.advanceTimersByTimeAsync(60);
    expect(await verify(await freshToken('bob'))).toMatchObject({ userId: 'bob' });
    await endpoint.up();
    endpoint.fail();
    await vi.advanceTimersByTimeAsync(60);
    expect(await verify(await freshToken('carol'))).toMatchObject({ userId: 'carol' });
  });

  // Guards lib/auth.ts, remoteTokenKeys (KeySourceUnavailable when no keys were ever fetched) and
  // createTokenVerifier (it becomes SERVICE_UNAVAILABLE, not UNAUTHENTICATED).
  it('answers SERVICE_UNAVAILABLE, never UNAUTHENTICATED, while no keys were ever fetched, and verifies once identity answers', async () => {
    quiet();
    useFakeClock();
    await endpoint.down();
    const verify = createTokenVerifier(remoteTokenKeys(endpoint.url, { retry: { baseMs: 50, maxMs: 50 } }), undefined);
    const token = await freshToken();
    await expect(verify(token)).rejects.toMatchObject({ message: KEY_SOURCE_UNAVAILABLE, extensions: { code: 'SERVICE_UNAVAILABLE' } });
    await endpoint.up();
    await vi.advanceTimersByTimeAsync(60);
    expect(await verify(token)).toMatchObject({ userId: 'alice' });
  });

  // Guards lib/auth.ts, remoteTokenKeys: the retry timer set when a fetch fails.
  it('fetches again in the background after a failure, until identity answers', async () => {
    quiet();
    useFakeClock();
    // Counted when asked: the retry timer calls fetch as it fires, inside the fake clock's advance.
    const fetches = vi.spyOn(globalThis, 'fetch');
    const keys = remoteTokenKeys(endpoint.url, { maxAgeMs: 20, retry: { baseMs: 30, maxMs: 30 } });
    const verify = createTokenVerifier(keys, undefined, { maxAgeMs: 0 });
    await verify(await freshToken());
    endpoint.fail();
    await vi.advanceTimersByTimeAsync(30);
    await verify(await freshToken()); // past maxAgeMs: fetches, fails, serves the known keys
    const afterFailure = fetches.mock.calls.length;
    // Two more with no token to verify: the background retries, each once its failure is in.
    await vi.waitFor(async () => {
      await vi.advanceTimersByTimeAsync(30);
      expect(fetches.mock.calls.length).toBeGreaterThan(afterFailure + 1);
    });
    const logs = captureLogs();
    onTestFinished(logs.stop);
    await endpoint.up();
    await vi.waitFor(async () => {
      await vi.advanceTimersByTimeAsync(30);
      expect(logs.entries()).toContainEqual(expect.objectContaining({ msg: "identity's keys fetched again" }));
    });
    // Identity answered: no retry is left, ten retry times on the fake clock ask nothing.
    const settled = fetches.mock.calls.length;
    await vi.advanceTimersByTimeAsync(300);
    expect(fetches.mock.calls.length).toBe(settled);
  });

  // Guards lib/auth.ts, remoteTokenKeys: an unknown key id is asked of identity, and refused only on its answer.
  it('refuses a key id identity does not have with UNAUTHENTICATED, and one it cannot be asked about with SERVICE_UNAVAILABLE', async () => {
    quiet();
    const other = await generateKeyPair('ES256');
    const stranger = `Bearer ${await new SignJWT({ lvl: 'CONFIRMED' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k2' })
      .setIssuer(ACCESS_TOKEN.issuer)
      .setAudience(ACCESS_TOKEN.audience)
      .setSubject('mallory')
      .setExpirationTime('15m')
      .sign(other.privateKey)}`;
    const verify = createTokenVerifier(remoteTokenKeys(endpoint.url, { cooldownMs: 0, retry: { baseMs: 0, maxMs: 1_000 } }), undefined);
    expect(await verify(await freshToken())).toMatchObject({ userId: 'alice' });
    expect(await codeOf(verify(stranger))).toBe('UNAUTHENTICATED');
    await endpoint.down();
    expect(await codeOf(verify(stranger))).toBe('SERVICE_UNAVAILABLE');
    // Identity rotated to k2 meanwhile: once it answers, the new key is fetched and verifies.
    endpoint.publish([jwk, { ...(await exportJWK(other.publicKey)), kid: 'k2', alg: 'ES256' }]);
    await endpoint.up();
    expect(await verify(stranger)).toMatchObject({ userId: 'mallory' });
  });

  // Guards lib/auth.ts, createTokenVerifier: the token's issuer picks the service keys, so a fetch
  // error from identity's keys never stops a trusted service's token (issue 15, defect 2).
  it('verifies a trusted service’s token whatever the state of identity’s keys', async () => {
    quiet();
    const service = await generateKeyPair('ES256');
    const serviceKeys = createLocalJWKSet({ keys: [{ ...(await exportJWK(service.publicKey)), kid: 'payments-1', alg: 'ES256' }] });
    const serviceToken = `Bearer ${await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'payments-1' })
      .setIssuer(SERVICE_TOKEN.issuer)
      .setAudience(SERVICE_TOKEN.audience)
      .setSubject('payments')
      .setExpirationTime('5m')
      .sign(service.privateKey)}`;
    await endpoint.down();
    const verify = createTokenVerifier(remoteTokenKeys(endpoint.url), serviceKeys);
    expect(await verify(serviceToken)).toMatchObject({ userId: 'service:payments', service: 'payments' });
    expect(await codeOf(verify(await freshToken()))).toBe('SERVICE_UNAVAILABLE');
  });
});

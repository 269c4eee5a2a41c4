import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTVerifyGetKey } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACCESS_TOKEN, createTokenVerifier } from './auth.ts';

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

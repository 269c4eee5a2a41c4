import { generateKeyPair, exportJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { keySealFromEnv, sealJwk, unsealJwk } from './key-seal.ts';

describe('Signing keys at rest', () => {
  it('are sealed under SIGNING_KEY_SECRET: the stored form holds none of the private key, and opens to it again', async () => {
    const jwk = await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey);
    const seal = keySealFromEnv({ SIGNING_KEY_SECRET: 'a'.repeat(40) });
    const stored = sealJwk(jwk, seal);
    expect(JSON.stringify(stored)).not.toContain(jwk.d!);
    expect(unsealJwk(stored, seal)).toEqual(jwk);
  });

  it('will not open with another secret or none, and says what to set', async () => {
    const jwk = await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey);
    const stored = sealJwk(jwk, keySealFromEnv({ SIGNING_KEY_SECRET: 'a'.repeat(40) }));
    expect(() => unsealJwk(stored, keySealFromEnv({ SIGNING_KEY_SECRET: 'b'.repeat(40) }))).toThrow(/another secret sealed them/);
    expect(() => unsealJwk(stored, null)).toThrow(/set SIGNING_KEY_SECRET/);
  });

  it('is required in production, and long enough; development keeps its dev keys unsealed', () => {
    expect(() => keySealFromEnv({ NODE_ENV: 'production' })).toThrow(/required in production/);
    expect(() => keySealFromEnv({ SIGNING_KEY_SECRET: 'short' })).toThrow(/at least 32/);
    expect(keySealFromEnv({})).toBeNull();
  });
});

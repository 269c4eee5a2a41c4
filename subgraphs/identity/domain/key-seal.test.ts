import { generateKeyPair, exportJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../../lib/config.ts';
import { keySeal, sealJwk, unsealJwk } from './key-seal.ts';

const sealFrom = (env: Record<string, string>) => readConfig(env, keySeal);

describe('Signing keys at rest', () => {
  it('are sealed under SIGNING_KEY_SECRET: the stored form holds none of the private key, and opens to it again', async () => {
    const jwk = await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey);
    const seal = sealFrom({ SIGNING_KEY_SECRET: 'a'.repeat(40) });
    const stored = sealJwk(jwk, seal);
    expect(JSON.stringify(stored)).not.toContain(jwk.d!);
    expect(unsealJwk(stored, seal)).toEqual(jwk);
  });

  it('will not open with another secret or none, and says what to set', async () => {
    const jwk = await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey);
    const stored = sealJwk(jwk, sealFrom({ SIGNING_KEY_SECRET: 'a'.repeat(40) }));
    expect(() => unsealJwk(stored, sealFrom({ SIGNING_KEY_SECRET: 'b'.repeat(40) }))).toThrow(/another secret sealed them/);
    expect(() => unsealJwk(stored, null)).toThrow(/set SIGNING_KEY_SECRET/);
  });

  it('is required in production, and long enough; development keeps its dev keys unsealed', () => {
    expect(() => sealFrom({ NODE_ENV: 'production' })).toThrow(
      new ConfigError(['SIGNING_KEY_SECRET: not set; accepts 32+ random characters, required in production: it seals the token-signing keys in the database'], ['SIGNING_KEY_SECRET']),
    );
    expect(() => sealFrom({ SIGNING_KEY_SECRET: 'short' })).toThrow(/SIGNING_KEY_SECRET: too short \(5 characters\); accepts 32\+ random characters$/);
    expect(sealFrom({})).toBeNull();
  });
});

import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import type { EnvReader } from '../../../lib/config.ts';

/**
 * Token-signing private keys at rest: sealed with AES-256-GCM under SIGNING_KEY_SECRET (from the
 * configuration, never from the database), so a copy of the database — a backup, a replica — holds
 * no key that can sign a token. Development without the secret keeps the dev keys made on first
 * start unsealed; production refuses to start without it.
 */
export interface SealedJwk {
  sealed: 'A256GCM';
  iv: string;
  tag: string;
  data: string;
}

export type StoredJwk = JWK | SealedJwk;

const isSealed = (stored: StoredJwk): stored is SealedJwk => (stored as SealedJwk).sealed === 'A256GCM';

/** The sealing key from SIGNING_KEY_SECRET (32+ characters, required in production); null in development without one. */
export function keySeal(env: EnvReader): Buffer | null {
  const secret = env.secret('SIGNING_KEY_SECRET', { required: env.production && 'required in production: it seals the token-signing keys in the database' });
  return secret ? createHash('sha256').update(secret).digest() : null;
}

export function sealJwk(jwk: JWK, seal: Buffer | null): StoredJwk {
  if (!seal) return jwk;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', seal, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(jwk), 'utf8'), cipher.final()]);
  return { sealed: 'A256GCM', iv: iv.toString('base64url'), tag: cipher.getAuthTag().toString('base64url'), data: data.toString('base64url') };
}

export function unsealJwk(stored: StoredJwk, seal: Buffer | null): JWK {
  if (!isSealed(stored)) return stored;
  if (!seal) throw new Error('The signing keys in the database are sealed: set SIGNING_KEY_SECRET to the secret they were sealed with');
  const decipher = createDecipheriv('aes-256-gcm', seal, Buffer.from(stored.iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(stored.tag, 'base64url'));
  try {
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(stored.data, 'base64url')), decipher.final()]).toString('utf8')) as JWK;
  } catch {
    throw new Error('SIGNING_KEY_SECRET does not open the signing keys in the database (another secret sealed them)');
  }
}

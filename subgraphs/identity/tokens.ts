import {
  calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, SignJWT,
  type JSONWebKeySet, type JWTVerifyGetKey,
} from 'jose';
import { ACCESS_TOKEN, type AccountLevel, type Role } from '../../lib/auth.ts';
import { insertSigningKey, loadSigningKeys, type IdentityDatabase } from './db/queries.ts';

/** Access tokens live briefly: a level change or a revoked session shows within this time. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

export interface TokenIssuer {
  /** Public keys to publish as the JWKS. */
  jwks: JSONWebKeySet;
  /** Verifies tokens against the same keys, without a round trip to our own endpoint. */
  verificationKeys: JWTVerifyGetKey;
  issueAccessToken(account: { id: string; level: AccountLevel; roles: Role[] }): Promise<{ token: string; expiresAt: Date }>;
}

/**
 * Loads the signing key from the database, creating one on first start. Several identity
 * instances starting at once take turns under a transaction-scoped advisory lock.
 */
export async function loadTokenIssuer({ db }: IdentityDatabase): Promise<TokenIssuer> {
  const keys = await db.transaction(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext('identity:signing-keys'))`);
    const existing = await loadSigningKeys(tx);
    if (existing.length) return existing;
    const pair = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = await exportJWK(pair.publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const key = { kid, publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' }, privateJwk: await exportJWK(pair.privateKey) };
    await insertSigningKey(tx, key);
    return [{ ...key, createdAt: new Date() }];
  });
  const current = keys[0]!;
  const privateKey = await importJWK(current.privateJwk, 'ES256');
  const jwks = { keys: keys.map((key) => key.publicJwk) };
  return {
    jwks,
    verificationKeys: createLocalJWKSet(jwks),
    async issueAccessToken(account) {
      const expiresAt = new Date(Date.now() + ACCESS_TOKEN_TTL_SECONDS * 1000);
      const token = await new SignJWT({ lvl: account.level, roles: account.roles })
        .setProtectedHeader({ alg: 'ES256', kid: current.kid })
        .setSubject(account.id)
        .setIssuer(ACCESS_TOKEN.issuer)
        .setAudience(ACCESS_TOKEN.audience)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(privateKey);
      return { token, expiresAt };
    },
  };
}

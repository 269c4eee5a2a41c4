import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { ACCESS_TOKEN, type AccountLevel, type Role } from '../../lib/auth.ts';
import { deleteSigningKeysOtherThan, insertSigningKey, loadSigningKeys, withSigningKeysLocked } from './db/signing-keys.ts';
import type { IdentityDatabase } from './db/store.ts';
import { sealJwk, unsealJwk } from './domain/key-seal.ts';

/** Access tokens live briefly: a level change or a revoked session shows within this time. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** A new signing key this often; the previous one stays published until the next rotation. */
export const KEY_ROTATION_MS = 30 * 24 * 60 * 60 * 1000;

export interface TokenIssuer {
  /** Public keys to publish as the JWKS: the signing key and the one before it. */
  jwks(): JSONWebKeySet;
  /** Verifies tokens against the same keys, without a round trip to our own endpoint. */
  verificationKeys: JWTVerifyGetKey;
  issueAccessToken(account: { id: string; level: AccountLevel; roles: Role[]; sessionId: string }): Promise<{ token: string; expiresAt: Date }>;
  /** Creates a new key when the current one is older than KEY_ROTATION_MS, and reloads keys another instance made. */
  rotateIfDue(now?: Date): Promise<void>;
}

async function newKey(seal: Buffer | null) {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(pair.publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' }, privateJwk: sealJwk(await exportJWK(pair.privateKey), seal) };
}

/**
 * Signing keys live in the database so every identity instance signs with the same key and a
 * restart keeps issued tokens valid. Instances rotating at once take turns under an advisory lock.
 */
async function currentKeys({ db }: IdentityDatabase, now: Date, seal: Buffer | null) {
  return withSigningKeysLocked(db, async (tx) => {
    const keys = await loadSigningKeys(tx);
    if (keys[0] && keys[0].createdAt.getTime() + KEY_ROTATION_MS > now.getTime()) return keys.slice(0, 2);
    const created = { ...(await newKey(seal)), createdAt: now };
    await insertSigningKey(tx, created);
    const kept = [created, ...keys].slice(0, 2);
    await deleteSigningKeysOtherThan(
      tx,
      kept.map((key) => key.kid),
    );
    return kept;
  });
}

/** `seal`: the configuration's SIGNING_KEY_SECRET as a key (domain/key-seal.ts `keySeal`), null for unsealed dev keys. */
export async function loadTokenIssuer(database: IdentityDatabase, now = new Date(), seal: Buffer | null = null): Promise<TokenIssuer> {
  let keys = await currentKeys(database, now, seal);
  let privateKey = await importJWK(unsealJwk(keys[0]!.privateJwk, seal), 'ES256');
  let published: JSONWebKeySet = { keys: keys.map((key) => key.publicJwk) };
  let localKeys = createLocalJWKSet(published);
  return {
    jwks: () => published,
    verificationKeys: (header, token) => localKeys(header, token),
    async rotateIfDue(at = new Date()) {
      const next = await currentKeys(database, at, seal);
      if (next.map((key) => key.kid).join() === keys.map((key) => key.kid).join()) return;
      keys = next;
      privateKey = await importJWK(unsealJwk(keys[0]!.privateJwk, seal), 'ES256');
      published = { keys: keys.map((key) => key.publicJwk) };
      localKeys = createLocalJWKSet(published);
    },
    async issueAccessToken(account) {
      const expiresAt = new Date(Date.now() + ACCESS_TOKEN_TTL_SECONDS * 1000);
      const token = await new SignJWT({ lvl: account.level, roles: account.roles, sid: account.sessionId })
        .setProtectedHeader({ alg: 'ES256', kid: keys[0]!.kid })
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

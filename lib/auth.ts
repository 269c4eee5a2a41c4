import { readFileSync } from 'node:fs';
import { createLocalJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { forbidden, serviceUnavailable, unauthenticated } from './errors.ts';
import { backoffMs } from './events/worker.ts';
import { logger } from './log.ts';

/** Account levels of the identity system (уровни учётной записи ЕСИА), lowest first. */
export const ACCOUNT_LEVELS = ['SIMPLIFIED', 'STANDARD', 'CONFIRMED'] as const;
export type AccountLevel = (typeof ACCOUNT_LEVELS)[number];

/** Roles beyond the citizen: a service-centre operator, an official of an authority, a coordinator. */
export const ROLES = ['OPERATOR', 'OFFICIAL', 'COORDINATOR'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as the access token says: a person, or a trusted portal service. */
export interface Viewer {
  /** The person's account id; `service:<name>` for a service. */
  userId: string;
  level: AccountLevel;
  roles: Role[];
  /** The identity session the token belongs to. */
  sessionId: string | null;
  /** The trusted portal service calling (`payments`), null for a person. */
  service: string | null;
}

/** Claims of the access token that identity issues and every service verifies. */
export const ACCESS_TOKEN = { issuer: 'epgu-identity', audience: 'epgu-graph' } as const;

/**
 * Claims of a trusted portal service's own token (payments, applications…): signed with the
 * service's key, whose public half is in the `TRUSTED_SERVICES_JWKS` file; `sub` names the service.
 */
export const SERVICE_TOKEN = { issuer: 'epgu-services', audience: 'epgu-graph' } as const;

/** The public keys of trusted portal services, from the JWKS file named by TRUSTED_SERVICES_JWKS. */
export function trustedServiceKeys(path = process.env.TRUSTED_SERVICES_JWKS): JWTVerifyGetKey | undefined {
  // jose checks the set's shape itself and throws on a malformed one.
  return path ? createLocalJWKSet(JSON.parse(readFileSync(path, 'utf8')) as JSONWebKeySet) : undefined;
}

function personOf(payload: JWTPayload): Viewer {
  const level = payload.lvl as AccountLevel;
  if (typeof payload.sub !== 'string' || !ACCOUNT_LEVELS.includes(level)) throw new Error('claims');
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((r: unknown): r is Role => ROLES.includes(r as Role)) : [];
  return { userId: payload.sub, level, roles, sessionId: typeof payload.sid === 'string' ? payload.sid : null, service: null };
}

function serviceOf(payload: JWTPayload): Viewer {
  if (typeof payload.sub !== 'string' || !/^[a-z][a-z0-9-]{1,40}$/.test(payload.sub)) throw new Error('claims');
  return { userId: `service:${payload.sub}`, level: 'SIMPLIFIED', roles: [], sessionId: null, service: payload.sub };
}

/** What a token of an ended session gets, from identity and from the gateway alike (lib/sessions.ts). */
export const SESSION_ENDED = 'Сеанс завершён. Войдите снова.';

export type TokenVerifier = (authorization: string | undefined) => Promise<Viewer | null>;

/** Identity's keys cannot be fetched and none of those known fits the token: an outage, not a bad token. */
export class KeySourceUnavailable extends Error {
  override name = 'KeySourceUnavailable';
}

/** What a token gets while identity's keys cannot be fetched: try again, not "sign in again". */
export const KEY_SOURCE_UNAVAILABLE = 'Сервис входа временно недоступен. Повторите попытку позже.';

export interface RemoteKeyOptions {
  /** How long fetched keys serve before identity is asked again (a withdrawn key stops within this). Default 10 minutes. */
  maxAgeMs?: number;
  /** Shortest pause between two fetches for a key id the set does not have. Default 10 s. */
  cooldownMs?: number;
  /** How long one fetch may take. Default 5 s. */
  timeoutMs?: number;
  /** Fetches again in the background after a failure: doubling from `baseMs` up to `maxMs`. Default 1 s to 30 s. */
  retry?: { baseMs: number; maxMs: number };
}

/**
 * Identity's public keys, fetched from its JWKS endpoint and kept. They are fetched again when they
 * are older than `maxAgeMs`, and when a token names a key id they lack (identity rotated), at most
 * once per `cooldownMs`. A fetch that fails keeps the known keys serving (identity down must not sign
 * everybody out: issue 15) and is retried in the background until it succeeds. Only a token that
 * needs keys nobody has (none fetched yet, or an unknown key id while identity is unreachable) gets
 * `KeySourceUnavailable`. jose's `createRemoteJWKSet` cannot do this: past its `cacheMaxAge` it waits
 * for the fetch and throws when it fails, whatever keys it had.
 */
export function remoteTokenKeys(url: string, { maxAgeMs = 10 * 60_000, cooldownMs = 10_000, timeoutMs = 5_000, retry = { baseMs: 1_000, maxMs: 30_000 } }: RemoteKeyOptions = {}): JWTVerifyGetKey {
  let keys: ReturnType<typeof createLocalJWKSet> | null = null;
  let fetchedAt = -Infinity;
  let attemptedAt = -Infinity;
  /** Failed fetches in a row: identity is unreachable while this is above 0. */
  let failures = 0;
  let pending: Promise<void> | null = null;
  let retryTimer: NodeJS.Timeout | undefined;

  const fetchKeys = (): Promise<void> =>
    (pending ??= (async () => {
      attemptedAt = Date.now();
      try {
        const response = await fetch(url, { redirect: 'manual', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
        if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
        keys = createLocalJWKSet((await response.json()) as JSONWebKeySet);
        fetchedAt = Date.now();
        if (failures) logger('auth').info({ failures }, "identity's keys fetched again");
        failures = 0;
        clearTimeout(retryTimer);
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
        if (!failures++) logger('auth').error({ cause, knownKeys: Boolean(keys) }, "identity's keys could not be fetched: retrying in the background");
        clearTimeout(retryTimer);
        retryTimer = setTimeout(() => void fetchKeys().catch(() => {}), backoffMs(failures, retry));
        retryTimer.unref();
        throw new KeySourceUnavailable(`identity's keys could not be fetched: ${cause}`, { cause: error });
      } finally {
        pending = null;
      }
    })());

  /** A token needs identity now: asked at once, or, while identity is unreachable, at most once per `retry.baseMs`. */
  const askIdentity = (): Promise<void> => {
    if (failures && !pending && Date.now() - attemptedAt < retry.baseMs) return Promise.reject(new KeySourceUnavailable('identity is unreachable'));
    return fetchKeys();
  };

  return async (header, token) => {
    if (!keys) await askIdentity();
    // Old keys are refreshed first; while identity is unreachable the background retries do it.
    else if (Date.now() - fetchedAt >= maxAgeMs && !failures) await fetchKeys().catch(() => {});
    try {
      return await keys!(header, token);
    } catch (error) {
      if (!(error instanceof joseErrors.JWKSNoMatchingKey) || (!failures && Date.now() - attemptedAt < cooldownMs)) throw error;
      await askIdentity();
      return keys!(header, token);
    }
  };
}

/** How long a verified token's viewer is remembered (never past the token's own expiry), and how many. */
export interface VerifiedTokenMemory {
  /** Default 60 s: a key identity withdraws stops working for new tokens at once, for a remembered one within this. */
  maxAgeMs?: number;
  /** Default 10,000: the oldest goes first. */
  maxEntries?: number;
}

/**
 * Reads `Authorization: Bearer <jwt>`. No header means an anonymous caller (null); a header with a
 * token that does not verify is an error, so a client knows to refresh instead of seeing empty data
 * (`UNAUTHENTICATED`); a token whose keys cannot be fetched is `SERVICE_UNAVAILABLE`, to retry.
 *
 * A token that verified is remembered by its exact header text until it expires, for at most
 * `maxAgeMs`: the same person's next requests skip the ES256 signature check (the most expensive
 * step of a request at the gateway, and at each subgraph again). Only successes are remembered, so a
 * token that failed fails again, and an expired one gets the expiry message. What the token says is
 * fixed by its signature; whether its session still lives is not, and is asked separately
 * (lib/sessions.ts).
 */
export function createTokenVerifier(keys: JWTVerifyGetKey, serviceKeys = trustedServiceKeys(), memory: VerifiedTokenMemory = {}): TokenVerifier {
  const { maxAgeMs = 60_000, maxEntries = 10_000 } = memory;
  const verified = new Map<string, { viewer: Viewer; until: number }>();
  const check = async (token: string): Promise<{ viewer: Viewer; expires: number | undefined }> => {
    try {
      // The token's issuer picks the keys (the signature then proves it): a trusted service's token
      // is checked against its own keys alone, whether identity answers or not.
      const fromService = serviceKeys !== undefined && decodeJwt(token).iss === SERVICE_TOKEN.issuer;
      const { payload } = fromService ? await jwtVerify(token, serviceKeys, { ...SERVICE_TOKEN, algorithms: ['ES256'] }) : await jwtVerify(token, keys, { ...ACCESS_TOKEN, algorithms: ['ES256'] });
      return { viewer: fromService ? serviceOf(payload) : personOf(payload), expires: payload.exp };
    } catch (error) {
      if (error instanceof KeySourceUnavailable) throw serviceUnavailable(KEY_SOURCE_UNAVAILABLE);
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('Срок действия сессии истёк. Обновите токен или войдите снова.');
      throw unauthenticated('Токен доступа недействителен. Войдите снова.');
    }
  };
  return async (authorization) => {
    if (!authorization) return null;
    const now = Date.now();
    const known = verified.get(authorization);
    if (known && known.until > now) return known.viewer;
    if (known) verified.delete(authorization);
    const match = /^Bearer (.+)$/i.exec(authorization.trim());
    if (!match?.[1]) throw unauthenticated('Неверный формат заголовка Authorization: ожидается «Bearer <токен>».');
    const { viewer, expires } = await check(match[1]);
    const until = Math.min(now + maxAgeMs, expires === undefined ? now : expires * 1000);
    if (until > now && maxAgeMs > 0) {
      if (verified.size >= maxEntries) {
        for (const [key, entry] of verified) if (entry.until <= now) verified.delete(key);
        if (verified.size >= maxEntries) verified.delete(verified.keys().next().value!);
      }
      // Shared by every request of this token from now on: nobody may change it.
      const remembered = Object.freeze({ ...viewer, roles: Object.freeze([...viewer.roles]) as Role[] });
      verified.set(authorization, { viewer: remembered, until });
      return remembered;
    }
    return viewer;
  };
}

/** The signed-in person; a service's token is refused here: it acts for no one. */
export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw unauthenticated();
  if (viewer.service) throw forbidden('Это действие выполняет только сам человек, а не сервис портала.');
  return viewer;
}

/** The trusted portal service calling; a person's token is refused. */
export function requireService(viewer: Viewer | null): string {
  if (!viewer) throw unauthenticated('Нужен токен сервиса портала.');
  if (!viewer.service) throw forbidden('Это действие доступно только доверенным сервисам портала, а не учётным записям граждан.');
  return viewer.service;
}

export const hasRole = (viewer: Viewer | null, role: Role): boolean => viewer?.roles.includes(role) ?? false;

/** Throws unless the caller is the person `userId`, or holds one of `roles` that may see others' data. */
export function requireSelfOrRole(viewer: Viewer | null, userId: string, roles: readonly Role[] = []): Viewer {
  const caller = requireViewer(viewer);
  if (caller.userId !== userId && !roles.some((role) => caller.roles.includes(role))) throw forbidden();
  return caller;
}

/**
 * `User.__resolveReference` for a subgraph that extends the user: only the person, or staff with
 * one of `roles`, may resolve it. Async, so that a refused representation nulls only its own entry
 * of `_entities` rather than the whole batch.
 */
export function resolveOwnUser(roles: readonly Role[] = []) {
  return async <Reference extends { id: string }>(user: Reference, { viewer }: { viewer: Viewer | null }) => {
    requireSelfOrRole(viewer, user.id, roles);
    return user;
  };
}

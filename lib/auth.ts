import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { forbidden, unauthenticated } from './errors.ts';

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
  return path ? createLocalJWKSet(JSON.parse(readFileSync(path, 'utf8'))) : undefined;
}

function personOf(payload: JWTPayload): Viewer {
  const level = payload.lvl as AccountLevel;
  if (typeof payload.sub !== 'string' || !ACCOUNT_LEVELS.includes(level)) throw new Error('claims');
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => ROLES.includes(r)) : [];
  return { userId: payload.sub, level, roles, sessionId: typeof payload.sid === 'string' ? payload.sid : null, service: null };
}

function serviceOf(payload: JWTPayload): Viewer {
  if (typeof payload.sub !== 'string' || !/^[a-z][a-z0-9-]{1,40}$/.test(payload.sub)) throw new Error('claims');
  return { userId: `service:${payload.sub}`, level: 'SIMPLIFIED', roles: [], sessionId: null, service: payload.sub };
}

/** What a token of an ended session gets, from identity and from the gateway alike (lib/sessions.ts). */
export const SESSION_ENDED = 'Сеанс завершён. Войдите снова.';

export type TokenVerifier = (authorization: string | undefined) => Promise<Viewer | null>;

/** Keys fetched from identity's JWKS endpoint, cached, and refetched when an unknown key id appears. */
export const remoteTokenKeys = (url: string): JWTVerifyGetKey =>
  createRemoteJWKSet(new URL(url), { cooldownDuration: 10_000, cacheMaxAge: 10 * 60_000 });

/** How long a verified token's viewer is remembered (never past the token's own expiry), and how many. */
export interface VerifiedTokenMemory {
  /** Default 60 s: a key identity withdraws stops working for new tokens at once, for a remembered one within this. */
  maxAgeMs?: number;
  /** Default 10,000: the oldest goes first. */
  maxEntries?: number;
}

/**
 * Reads `Authorization: Bearer <jwt>`. No header means an anonymous caller (null); a header with a
 * token that does not verify is an error, so a client knows to refresh instead of seeing empty data.
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
      try {
        const { payload } = await jwtVerify(token, keys, { ...ACCESS_TOKEN, algorithms: ['ES256'] });
        return { viewer: personOf(payload), expires: payload.exp };
      } catch (error) {
        // A key identity does not know may be a trusted service's.
        if (!serviceKeys || !(error instanceof joseErrors.JWKSNoMatchingKey)) throw error;
        const { payload } = await jwtVerify(token, serviceKeys, { ...SERVICE_TOKEN, algorithms: ['ES256'] });
        return { viewer: serviceOf(payload), expires: payload.exp };
      }
    } catch (error) {
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
  return async (user: { id: string }, { viewer }: { viewer: Viewer | null }) => {
    requireSelfOrRole(viewer, user.id, roles);
    return user;
  };
}

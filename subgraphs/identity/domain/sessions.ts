import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SESSION_ENDED } from '../../../lib/auth.ts';
import type { TimeIdCursor } from '../../../lib/connection.ts';
import { userError, type UserError } from '../../../lib/errors.ts';
import { isUuid } from '../../../lib/ids.ts';
import type { SessionStatus } from '../../../lib/sessions.ts';
import { accountById } from '../db/accounts.ts';
import type { Account, Session } from '../db/schema.ts';
import {
  checkSessionsNotingUse,
  hasOtherSession,
  hasSessionFrom,
  insertSession,
  lockSession,
  markSessionRevoked,
  revokeOtherSessions,
  revokeSessionOf,
  rotateRefreshToken,
  sessionsCount,
  sessionsPage,
  type SessionOfToken,
} from '../db/sessions.ts';
import { inTransaction, type Db } from '../db/store.ts';
import type { TokenIssuer } from '../tokens.ts';
import { logSecurityEvent, type Device } from './security-log.ts';

/**
 * Sessions and their tokens. The access token is a short-lived JWT; the refresh token is
 * `<session>.<generation>.<secret>` and changes on every use. A refresh token of an older generation
 * coming back means it was copied: the session is revoked, for the thief and the owner alike.
 */

const DAY = 24 * 60 * 60 * 1000;
/** A session ends this long after sign-in, however active. */
export const SESSION_ABSOLUTE_MS = 30 * DAY;
/** …or after this long without a refresh. */
export const SESSION_IDLE_MS = 7 * DAY;

export interface SessionTokens {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  session: Session;
  account: Account;
}

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');
const refreshTokenOf = (session: Session, secret: string) => `${session.id}.${session.refreshGeneration}.${secret}`;

async function tokensFor(tokens: TokenIssuer, account: Account, session: Session, secret: string): Promise<SessionTokens> {
  const { token, expiresAt } = await tokens.issueAccessToken({ ...account, sessionId: session.id });
  return { accessToken: token, accessTokenExpiresAt: expiresAt, refreshToken: refreshTokenOf(session, secret), session, account };
}

/** Opens a session after a complete sign-in, and writes the sign-in to the event log. */
export async function openSession(db: Db, tokens: TokenIssuer, account: Account, authMethod: Session['authMethod'], device: Device, now = new Date()): Promise<SessionTokens> {
  const secret = newSecret();
  const session = await inTransaction(db, async (tx) => {
    const known = device.userAgent ? await hasSessionFrom(tx, account.id, device.userAgent) : false;
    const created = await insertSession(tx, {
      accountId: account.id,
      authMethod,
      deviceName: device.deviceName ?? null,
      userAgent: device.userAgent,
      clientAddress: device.clientAddress,
      refreshTokenHash: hashSecret(secret),
      createdAt: now,
      lastActiveAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
    });
    const firstSession = !(await hasOtherSession(tx, account.id, created.id));
    const kind = authMethod === 'PIN' ? 'LOGIN_WITH_PIN' : known || firstSession ? 'LOGIN' : 'LOGIN_NEW_DEVICE';
    await logSecurityEvent(tx, account.id, kind, device, now);
    return created;
  });
  return tokensFor(tokens, account, session, secret);
}

/** Why a refresh token was refused: the caller's to act on (sign in again), so in the payload's `errors`. */
const refreshRefusal = (code: 'REFRESH_TOKEN_INVALID' | 'REFRESH_TOKEN_REUSED' | 'SESSION_EXPIRED' | 'SESSION_REVOKED', message: string) => ({
  errors: [userError(code, message, ['input', 'refreshToken'])],
});
const invalidToken = () => refreshRefusal('REFRESH_TOKEN_INVALID', 'Токен обновления недействителен. Войдите снова.');

/**
 * Exchanges a refresh token for new tokens. The access token carries the account's level and roles
 * as they are now, so a level change applies here, without a new sign-in.
 */
export async function refreshSession(db: Db, tokens: TokenIssuer, refreshToken: string, now = new Date()): Promise<{ session: SessionTokens } | { errors: UserError[] }> {
  const match = /^([0-9a-f-]{36})\.(\d{1,9})\.([A-Za-z0-9_-]{43})$/.exec(refreshToken.trim());
  if (!match || !isUuid(match[1]!)) return invalidToken();
  const [, sessionId, generationText, secret] = match as unknown as [string, string, string, string];
  const generation = Number(generationText);
  const rotated = await inTransaction(db, async (tx) => {
    const session = await lockSession(tx, sessionId);
    if (!session) return invalidToken();
    if (session.revokedAt) return refreshRefusal('SESSION_REVOKED', SESSION_ENDED);
    if (session.expiresAt <= now || session.lastActiveAt.getTime() + SESSION_IDLE_MS <= now.getTime()) {
      return refreshRefusal('SESSION_EXPIRED', 'Сеанс истёк. Войдите снова.');
    }
    if (generation < session.refreshGeneration) {
      await markSessionRevoked(tx, session.id, 'REFRESH_TOKEN_REUSED', now);
      await logSecurityEvent(tx, session.accountId, 'REFRESH_TOKEN_REUSED', { clientAddress: null, userAgent: null }, now);
      // A refusal returned, not thrown: the transaction commits, so the revocation stays.
      return refreshRefusal('REFRESH_TOKEN_REUSED', 'Этот токен обновления уже использовался: сеанс завершён ради безопасности. Войдите снова.');
    }
    const expected = Buffer.from(session.refreshTokenHash, 'hex');
    const given = Buffer.from(hashSecret(secret), 'hex');
    if (generation !== session.refreshGeneration || !timingSafeEqual(expected, given)) return invalidToken();
    const account = await accountById(tx, session.accountId);
    if (!account) return refreshRefusal('SESSION_REVOKED', SESSION_ENDED);
    const next = newSecret();
    const updated = await rotateRefreshToken(tx, session, hashSecret(next), now);
    return { session: updated, secret: next, account };
  });
  if ('errors' in rotated) return rotated;
  return { session: await tokensFor(tokens, rotated.account, rotated.session, rotated.secret) };
}

/** Ends one session of the account; false when there is no such live session. */
export async function revokeSession(db: Db, accountId: string, sessionId: string, reason: string, device: Device, now = new Date()): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const ended = await revokeSessionOf(tx, accountId, sessionId, reason, now);
    if (ended) await logSecurityEvent(tx, accountId, reason === 'LOGOUT' ? 'LOGOUT' : 'SESSION_REVOKED', device, now);
    return ended;
  });
}

/** The person ends every session but the one in hand (`keep`; all of them when null), and the event log says so. */
export async function endOtherSessions(db: Db, accountId: string, keep: string | null, device: Device, now = new Date()): Promise<number> {
  return inTransaction(db, async (tx) => {
    const count = await revokeOtherSessions(tx, accountId, keep, 'REVOKED_BY_USER', now);
    if (count) await logSecurityEvent(tx, accountId, 'OTHER_SESSIONS_REVOKED', device, now);
    return count;
  });
}

/** Sessions refreshed since then are live at `now`; older ones have ended idle. */
const activeSince = (now: Date) => new Date(now.getTime() - SESSION_IDLE_MS);

/** A page of the account's live sessions after `after`, the most recently used first (the device in the person's hand on top). */
export function liveSessions(db: Db, accountId: string, limit: number, after: TimeIdCursor | null, now = new Date()) {
  return sessionsPage(db, accountId, now, activeSince(now), limit, after);
}

/** How many live sessions the account has. */
export function liveSessionCount(db: Db, accountId: string, now = new Date()) {
  return sessionsCount(db, accountId, now, activeSince(now));
}

/** How precisely a session's last use is kept: one UPDATE a minute at most, however busy the session. */
export const LAST_USE_PRECISION_MS = 60_000;

/**
 * Whether the sessions of access tokens are still live, and if not why, in order: a revoked (or
 * expired) session, or no account any more (a deleted account takes its sessions with it). One
 * statement for all of them, which also notes the uses: the gateway and the subgraphs ask about
 * every session they see requests or streams of, so this is where identity sees an access token
 * used. The note is an UPDATE of the session's row, only when the last one is older than
 * LAST_USE_PRECISION_MS.
 */
export async function sessionStatuses(db: Db, asked: readonly SessionOfToken[], now = new Date()): Promise<SessionStatus[]> {
  const checked = await checkSessionsNotingUse(db, asked, now, new Date(now.getTime() - LAST_USE_PRECISION_MS));
  return checked.map(({ accountExists, sessionLive }) => (!accountExists ? { live: false, reason: 'ACCOUNT_DELETED' } : sessionLive ? { live: true } : { live: false, reason: 'SESSION_REVOKED' }));
}

/** `sessionStatuses` of one session. */
export async function sessionStatus(db: Db, accountId: string, sessionId: string, now = new Date()): Promise<SessionStatus> {
  const [status] = await sessionStatuses(db, [{ accountId, sessionId }], now);
  return status!;
}

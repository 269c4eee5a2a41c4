import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { SESSION_ENDED } from '../../../lib/auth.ts';
import type { Queryable } from '../../../lib/db.ts';
import { userError, type UserError } from '../../../lib/errors.ts';
import type { SessionStatus } from '../../../lib/sessions.ts';
import * as tables from '../db/schema.ts';
import { sessions, type Account, type Session } from '../db/schema.ts';
import type { TokenIssuer } from '../tokens.ts';
import { logSecurityEvent, type Device } from './security-log.ts';

/**
 * Sessions and their tokens. The access token is a short-lived JWT; the refresh token is
 * `<session>.<generation>.<secret>` and changes on every use. A refresh token of an older generation
 * coming back means it was copied: the session is revoked, for the thief and the owner alike.
 */

type Db = Queryable<typeof tables>;

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
export async function openSession(
  db: Db,
  tokens: TokenIssuer,
  account: Account,
  authMethod: Session['authMethod'],
  device: Device,
  now = new Date(),
): Promise<SessionTokens> {
  const secret = newSecret();
  const session = await db.transaction(async (tx) => {
    const known = device.userAgent
      ? await tx.select({ id: sessions.id }).from(sessions).where(and(eq(sessions.accountId, account.id), eq(sessions.userAgent, device.userAgent))).limit(1)
      : [];
    const [created] = await tx
      .insert(sessions)
      .values({
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
      })
      .returning();
    const firstSession = (await tx.select({ id: sessions.id }).from(sessions).where(and(eq(sessions.accountId, account.id), ne(sessions.id, created!.id))).limit(1)).length === 0;
    const kind = authMethod === 'PIN' ? 'LOGIN_WITH_PIN' : known.length || firstSession ? 'LOGIN' : 'LOGIN_NEW_DEVICE';
    await logSecurityEvent(tx, account.id, kind, device, now);
    return created!;
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
  if (!match) return invalidToken();
  const [, sessionId, generationText, secret] = match as unknown as [string, string, string, string];
  const generation = Number(generationText);
  const rotated = await db.transaction(async (tx) => {
    const [session] = await tx.select().from(sessions).where(eq(sessions.id, sessionId)).for('update');
    if (!session) return invalidToken();
    if (session.revokedAt) return refreshRefusal('SESSION_REVOKED', SESSION_ENDED);
    if (session.expiresAt <= now || session.lastActiveAt.getTime() + SESSION_IDLE_MS <= now.getTime()) {
      return refreshRefusal('SESSION_EXPIRED', 'Сеанс истёк. Войдите снова.');
    }
    if (generation < session.refreshGeneration) {
      await tx.update(sessions).set({ revokedAt: now, revokeReason: 'REFRESH_TOKEN_REUSED' }).where(eq(sessions.id, session.id));
      await logSecurityEvent(tx, session.accountId, 'REFRESH_TOKEN_REUSED', { clientAddress: null, userAgent: null }, now);
      // A refusal returned, not thrown: the transaction commits, so the revocation stays.
      return refreshRefusal('REFRESH_TOKEN_REUSED', 'Этот токен обновления уже использовался: сеанс завершён ради безопасности. Войдите снова.');
    }
    const expected = Buffer.from(session.refreshTokenHash, 'hex');
    const given = Buffer.from(hashSecret(secret), 'hex');
    if (generation !== session.refreshGeneration || !timingSafeEqual(expected, given)) return invalidToken();
    const [account] = await tx.select().from(tables.accounts).where(eq(tables.accounts.id, session.accountId));
    if (!account) return refreshRefusal('SESSION_REVOKED', SESSION_ENDED);
    const next = newSecret();
    const [updated] = await tx
      .update(sessions)
      .set({ refreshGeneration: session.refreshGeneration + 1, refreshTokenHash: hashSecret(next), lastActiveAt: now, lastUsedAt: now })
      .where(eq(sessions.id, session.id))
      .returning();
    return { session: updated!, secret: next, account };
  });
  if ('errors' in rotated) return rotated;
  return { session: await tokensFor(tokens, rotated.account, rotated.session, rotated.secret) };
}

/** Ends one session of the account; false when there is no such live session. */
export async function revokeSession(db: Db, accountId: string, sessionId: string, reason: string, device: Device, now = new Date()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const ended = await tx
      .update(sessions)
      .set({ revokedAt: now, revokeReason: reason })
      .where(and(eq(sessions.id, sessionId), eq(sessions.accountId, accountId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    if (ended.length) await logSecurityEvent(tx, accountId, reason === 'LOGOUT' ? 'LOGOUT' : 'SESSION_REVOKED', device, now);
    return ended.length > 0;
  });
}

/** Ends every session of the account but `keep` (all of them when `keep` is null). */
export async function revokeOtherSessions(db: Db, accountId: string, keep: string | null, reason: string, now = new Date()): Promise<number> {
  const ended = await db
    .update(sessions)
    .set({ revokedAt: now, revokeReason: reason })
    .where(and(eq(sessions.accountId, accountId), isNull(sessions.revokedAt), keep ? ne(sessions.id, keep) : undefined))
    .returning({ id: sessions.id });
  return ended.length;
}

/** The account's live sessions, the most recently used first (the device in the person's hand on top). */
export function liveSessions(db: Db, accountId: string, now = new Date()) {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.accountId, accountId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), gt(sessions.lastActiveAt, new Date(now.getTime() - SESSION_IDLE_MS))))
    .orderBy(desc(sessions.lastUsedAt), desc(sessions.createdAt));
}

/** How precisely a session's last use is kept: one UPDATE a minute at most, however busy the session. */
export const LAST_USE_PRECISION_MS = 60_000;

/**
 * Whether the session of an access token is still live, and if not why: a revoked (or expired)
 * session, or no account any more (a deleted account takes its sessions with it). One statement,
 * which also notes the use: the gateway and the subgraphs ask about every session they see requests
 * or streams of, so this is where identity sees an access token used. The note is one UPDATE of the
 * session's row, only when the last one is older than LAST_USE_PRECISION_MS.
 */
export async function sessionStatus(db: Db, accountId: string, sessionId: string, now = new Date()): Promise<SessionStatus> {
  const at = (time: Date) => sql`${time.toISOString()}::timestamptz`;
  const [row] = await db.execute<{ session: string | null }>(sql`
    with used as (
      update ${sessions} set last_used_at = ${at(now)}
      where id = ${sessionId} and account_id = ${accountId} and revoked_at is null and expires_at > ${at(now)}
        and last_used_at < ${at(new Date(now.getTime() - LAST_USE_PRECISION_MS))}
    )
    select s.id as session from ${tables.accounts} a
    left join ${sessions} s on s.id = ${sessionId} and s.account_id = a.id and s.revoked_at is null and s.expires_at > ${at(now)}
    where a.id = ${accountId}`);
  if (!row) return { live: false, reason: 'ACCOUNT_DELETED' };
  return row.session ? { live: true } : { live: false, reason: 'SESSION_REVOKED' };
}

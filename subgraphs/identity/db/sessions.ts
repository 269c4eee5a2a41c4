import { and, count, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { TimeIdCursor } from '../../../lib/connection.ts';
import { accounts, sessions, type Session } from './schema.ts';
import type { Db } from './store.ts';

export type NewSession = typeof sessions.$inferInsert;

export async function insertSession(tx: Db, row: NewSession): Promise<Session> {
  const [created] = await tx.insert(sessions).values(row).returning();
  return created!;
}

export async function sessionById(db: Db, id: string): Promise<Session | null> {
  const [session] = await db.select().from(sessions).where(eq(sessions.id, id));
  return session ?? null;
}

/** The session, its row locked until the transaction ends. */
export async function lockSession(tx: Db, id: string): Promise<Session | null> {
  const [session] = await tx.select().from(sessions).where(eq(sessions.id, id)).for('update');
  return session ?? null;
}

/** Whether the account has had a session from this user agent (revoked or not). */
export async function hasSessionFrom(tx: Db, accountId: string, userAgent: string): Promise<boolean> {
  return (
    (
      await tx
        .select({ id: sessions.id })
        .from(sessions)
        .where(and(eq(sessions.accountId, accountId), eq(sessions.userAgent, userAgent)))
        .limit(1)
    ).length > 0
  );
}

/** Whether the account has a session (revoked or not) other than `sessionId`. */
export async function hasOtherSession(tx: Db, accountId: string, sessionId: string): Promise<boolean> {
  return (
    (
      await tx
        .select({ id: sessions.id })
        .from(sessions)
        .where(and(eq(sessions.accountId, accountId), ne(sessions.id, sessionId)))
        .limit(1)
    ).length > 0
  );
}

/** The next refresh token's generation and digest, the session used at `now`. */
export async function rotateRefreshToken(tx: Db, session: Session, refreshTokenHash: string, now: Date): Promise<Session> {
  const [updated] = await tx
    .update(sessions)
    .set({ refreshGeneration: session.refreshGeneration + 1, refreshTokenHash, lastActiveAt: now, lastUsedAt: now })
    .where(eq(sessions.id, session.id))
    .returning();
  return updated!;
}

/** Ends a session whatever its state. */
export async function markSessionRevoked(tx: Db, id: string, reason: string, now: Date): Promise<void> {
  await tx.update(sessions).set({ revokedAt: now, revokeReason: reason }).where(eq(sessions.id, id));
}

/** Ends one live session of the account; false when there is no such live session. */
export async function revokeSessionOf(tx: Db, accountId: string, sessionId: string, reason: string, now: Date): Promise<boolean> {
  const ended = await tx
    .update(sessions)
    .set({ revokedAt: now, revokeReason: reason })
    .where(and(eq(sessions.id, sessionId), eq(sessions.accountId, accountId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return ended.length > 0;
}

/** Ends every live session of the account but `keep` (all of them when `keep` is null); how many. */
export async function revokeOtherSessions(tx: Db, accountId: string, keep: string | null, reason: string, now: Date): Promise<number> {
  const ended = await tx
    .update(sessions)
    .set({ revokedAt: now, revokeReason: reason })
    .where(and(eq(sessions.accountId, accountId), isNull(sessions.revokedAt), keep ? ne(sessions.id, keep) : undefined))
    .returning({ id: sessions.id });
  return ended.length;
}

/** The account's sessions not revoked, not expired at `now` and refreshed after `activeSince`. */
const liveSessionsOf = (accountId: string, now: Date, activeSince: Date) => and(eq(sessions.accountId, accountId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), gt(sessions.lastActiveAt, activeSince));

/** A page of the account's live sessions (`liveSessionsOf`), the most recently used first, after the (lastUsedAt, id) of `after`. */
export function sessionsPage(db: Db, accountId: string, now: Date, activeSince: Date, limit: number, after: TimeIdCursor | null) {
  return db
    .select()
    .from(sessions)
    .where(and(liveSessionsOf(accountId, now, activeSince), after ? sql`(${sessions.lastUsedAt}, ${sessions.id}) < (${after.at}::timestamptz, ${after.id}::uuid)` : undefined))
    .orderBy(desc(sessions.lastUsedAt), desc(sessions.id))
    .limit(limit);
}

/** How many live sessions (`liveSessionsOf`) the account has. */
export async function sessionsCount(db: Db, accountId: string, now: Date, activeSince: Date): Promise<number> {
  const [row] = await db
    .select({ total: count() })
    .from(sessions)
    .where(liveSessionsOf(accountId, now, activeSince));
  return row?.total ?? 0;
}

/** A session an access token names, with its account. */
export interface SessionOfToken {
  accountId: string;
  sessionId: string;
}

/**
 * In one statement, for each of `asked` in order: whether the account exists and the session is
 * neither revoked nor expired at `now`; noting each such session used at `now` when its last noted
 * use is before `noteIfUsedBefore`. One statement text however many sessions (arrays, not a list).
 */
export async function checkSessionsNotingUse(db: Db, asked: readonly SessionOfToken[], now: Date, noteIfUsedBefore: Date): Promise<{ accountExists: boolean; sessionLive: boolean }[]> {
  if (!asked.length) return [];
  const at = (time: Date) => sql`${time.toISOString()}::timestamptz`;
  const live = sql`s.revoked_at is null and s.expires_at > ${at(now)}`;
  const rows = await db.execute<{ account_exists: boolean; session_live: boolean }>(sql`
    with asked as (
      select account_id, session_id, n from unnest(${sql.param(asked.map((one) => one.accountId))}::uuid[], ${sql.param(asked.map((one) => one.sessionId))}::uuid[])
        with ordinality as q(account_id, session_id, n)
    ), used as (
      update ${sessions} s set last_used_at = ${at(now)} from asked q
      where s.id = q.session_id and s.account_id = q.account_id and ${live} and s.last_used_at < ${at(noteIfUsedBefore)}
    )
    select a.id is not null as account_exists, s.id is not null as session_live from asked q
    left join ${accounts} a on a.id = q.account_id
    left join ${sessions} s on s.id = q.session_id and s.account_id = a.id and ${live}
    order by q.n`);
  return rows.map((row) => ({ accountExists: row.account_exists, sessionLive: row.session_live }));
}

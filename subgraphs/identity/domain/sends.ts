import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../../lib/db.ts';
import * as tables from '../db/schema.ts';
import { sends } from '../db/schema.ts';

/**
 * Limits on sending to one recipient: a cool-down per purpose and a budget across purposes. Both are
 * decided by one statement on the recipient's row of `identity.sends` (an upsert locks the row, and
 * its condition reads the row as the previous send left it), never by reading first and writing after.
 */

type Db = Queryable<typeof tables>;
export type Sent = (typeof sends.$inferSelect)['sent'][number];

export interface SendRule {
  /** No second send of the same purpose to the recipient sooner than this. */
  cooldownMs: number;
  /** At most `count` sends of any purpose to the recipient within `windowMs`. */
  budget?: { count: number; windowMs: number };
}

/** Why a send must wait, and how long. */
export interface SendWait {
  rule: 'cooldown' | 'budget';
  ms: number;
}

const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;
const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);

/**
 * Reserves a send of `purpose` to `recipient`, or answers how long it must wait. The caller sends only
 * after a reservation: parallel requests get exactly what the limits allow.
 */
export async function reserveSend(db: Db, recipient: string, purpose: string, rule: SendRule, now: Date): Promise<SendWait | null> {
  const budget = rule.budget ?? { count: Number.MAX_SAFE_INTEGER, windowMs: 0 };
  const within = (since: Date) => sql`(e->>'at')::timestamptz > ${at(since)}`;
  const reserved = await db.execute(sql`
    insert into ${sends} as s (recipient, sent) values (${recipient}, jsonb_build_array(jsonb_build_object('purpose', ${purpose}::text, 'at', ${now.toISOString()}::text)))
    on conflict (recipient) do update
      set sent = coalesce((select jsonb_agg(e) from jsonb_array_elements(s.sent) e where ${within(ago(now, Math.max(rule.cooldownMs, budget.windowMs)))}), '[]'::jsonb) || excluded.sent
      where not exists (select from jsonb_array_elements(s.sent) e where e->>'purpose' = ${purpose}::text and ${within(ago(now, rule.cooldownMs))})
        and (select count(*) from jsonb_array_elements(s.sent) e where ${within(ago(now, budget.windowMs))}) < ${budget.count}
    returning recipient`);
  if (reserved.length) return null;
  // Refused: the row now says how long to wait (read for the message only, the decision is made).
  const [row] = await db.select().from(sends).where(eq(sends.recipient, recipient));
  // Between the two statements an instance whose clock runs ahead may have pruned the sends that
  // refused this one; then there is nothing left to time the wait by, and a second is said.
  return sendWait(row?.sent ?? [], purpose, rule, now) ?? { rule: 'cooldown', ms: 1000 };
}

/**
 * Gives back the reservation `reserveSend` made at `now` for `purpose` when the message could not
 * be sent (a provider's failure), so the person may try again at once: one statement, removing only
 * that entry.
 */
export async function releaseSend(db: Db, recipient: string, purpose: string, now: Date): Promise<void> {
  await db.execute(sql`
    update ${sends} as s
      set sent = coalesce((select jsonb_agg(e) from jsonb_array_elements(s.sent) e where not (e->>'purpose' = ${purpose}::text and e->>'at' = ${now.toISOString()}::text)), '[]'::jsonb)
    where recipient = ${recipient}`);
}

/** How long a send of `purpose` must wait after `sent`, by the same rules as `reserveSend`; null if it need not. */
export function sendWait(sent: Sent[], purpose: string, rule: SendRule, now: Date): SendWait | null {
  const times = (of: Sent[]) => of.map((entry) => Date.parse(entry.at));
  const latest = Math.max(0, ...times(sent.filter((entry) => entry.purpose === purpose)));
  if (latest + rule.cooldownMs > now.getTime()) return { rule: 'cooldown', ms: latest + rule.cooldownMs - now.getTime() };
  if (!rule.budget) return null;
  const inWindow = times(sent).filter((time) => time > now.getTime() - rule.budget!.windowMs).sort((a, b) => a - b);
  if (inWindow.length < rule.budget.count) return null;
  // The budget frees up when enough of the window's sends have left it.
  return { rule: 'budget', ms: inWindow[inWindow.length - rule.budget.count]! + rule.budget.windowMs - now.getTime() };
}

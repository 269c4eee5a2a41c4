import type { sends } from '../db/schema.ts';
import { recordSendWithinRule, sendsTo } from '../db/sends.ts';
import type { Db } from '../db/store.ts';

/**
 * Limits on sending to one recipient: a cool-down per purpose and a budget across purposes. Both are
 * decided by one statement on the recipient's row of `identity.sends` (an upsert locks the row, and
 * its condition reads the row as the previous send left it), never by reading first and writing after.
 */

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

/**
 * Reserves a send of `purpose` to `recipient`, or answers how long it must wait. The caller sends only
 * after a reservation: parallel requests get exactly what the limits allow.
 */
export async function reserveSend(db: Db, recipient: string, purpose: string, rule: SendRule, now: Date): Promise<SendWait | null> {
  if (await recordSendWithinRule(db, recipient, purpose, rule, now)) return null;
  // Refused: the row now says how long to wait (read for the message only, the decision is made).
  const sent = await sendsTo(db, recipient);
  // Between the two statements an instance whose clock runs ahead may have pruned the sends that
  // refused this one; then there is nothing left to time the wait by, and a second is said.
  return sendWait(sent, purpose, rule, now) ?? { rule: 'cooldown', ms: 1000 };
}

/** How long a send of `purpose` must wait after `sent`, by the same rules as `reserveSend`; null if it need not. */
export function sendWait(sent: Sent[], purpose: string, rule: SendRule, now: Date): SendWait | null {
  const times = (of: Sent[]) => of.map((entry) => Date.parse(entry.at));
  const latest = Math.max(0, ...times(sent.filter((entry) => entry.purpose === purpose)));
  if (latest + rule.cooldownMs > now.getTime()) return { rule: 'cooldown', ms: latest + rule.cooldownMs - now.getTime() };
  if (!rule.budget) return null;
  const inWindow = times(sent)
    .filter((time) => time > now.getTime() - rule.budget!.windowMs)
    .sort((a, b) => a - b);
  if (inWindow.length < rule.budget.count) return null;
  // The budget frees up when enough of the window's sends have left it.
  return { rule: 'budget', ms: inWindow[inWindow.length - rule.budget.count]! + rule.budget.windowMs - now.getTime() };
}

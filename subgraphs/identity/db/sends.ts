import { eq, sql } from 'drizzle-orm';
import type { SendRule, Sent } from '../domain/sends.ts';
import { sends } from './schema.ts';
import type { Db } from './store.ts';

const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;
const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);

/**
 * Records a send of `purpose` to `recipient` at `now` if `rule` allows it, in one statement on the
 * recipient's row (an upsert locks the row, and its condition reads the row as the previous send
 * left it); false when the rule refused it. Sends older than the rule looks back are pruned.
 */
export async function recordSendWithinRule(db: Db, recipient: string, purpose: string, rule: SendRule, now: Date): Promise<boolean> {
  const budget = rule.budget ?? { count: Number.MAX_SAFE_INTEGER, windowMs: 0 };
  const within = (since: Date) => sql`(e->>'at')::timestamptz > ${at(since)}`;
  const reserved = await db.execute(sql`
    insert into ${sends} as s (recipient, sent) values (${recipient}, jsonb_build_array(jsonb_build_object('purpose', ${purpose}::text, 'at', ${now.toISOString()}::text)))
    on conflict (recipient) do update
      set sent = coalesce((select jsonb_agg(e) from jsonb_array_elements(s.sent) e where ${within(ago(now, Math.max(rule.cooldownMs, budget.windowMs)))}), '[]'::jsonb) || excluded.sent
      where not exists (select from jsonb_array_elements(s.sent) e where e->>'purpose' = ${purpose}::text and ${within(ago(now, rule.cooldownMs))})
        and (select count(*) from jsonb_array_elements(s.sent) e where ${within(ago(now, budget.windowMs))}) < ${budget.count}
    returning recipient`);
  return reserved.length > 0;
}

/** The sends recorded for `recipient`. */
export async function sendsTo(db: Db, recipient: string): Promise<Sent[]> {
  const [row] = await db.select().from(sends).where(eq(sends.recipient, recipient));
  return row?.sent ?? [];
}

/**
 * Gives back the send of `purpose` recorded at `at` when the message could not be sent (a
 * provider's failure), so the person may try again at once: one statement, removing only that entry.
 */
export async function releaseSend(db: Db, recipient: string, purpose: string, at: Date): Promise<void> {
  await db.execute(sql`
    update ${sends} as s
      set sent = coalesce((select jsonb_agg(e) from jsonb_array_elements(s.sent) e where not (e->>'purpose' = ${purpose}::text and e->>'at' = ${at.toISOString()}::text)), '[]'::jsonb)
    where recipient = ${recipient}`);
}

import { sql, type SQL } from 'drizzle-orm';
import type { Counted } from '../domain/throttle.ts';
import { loginThrottles } from './schema.ts';
import type { Db } from './store.ts';

const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/**
 * One key's count in one step of the statement below. A window that ended, or a lock that passed,
 * starts the count again; reaching the limit locks the key, and a lock is never lengthened.
 */
function countStep(step: number, { key, rule }: Counted, previous: Counted | undefined, now: Date): SQL {
  const restart = sql`(t.window_started_at <= ${at(new Date(now.getTime() - rule.windowMs))} or t.locked_until <= ${at(now)})`;
  // A key counts the attempt only when the key before it let it through.
  const source = previous ? sql` from ${sql.raw(`s${step - 1}`)} where ${sql.raw(`s${step - 1}`)}.failures <= ${previous.rule.maxAttempts}` : sql``;
  return sql`${sql.raw(`s${step}`)} as (
    insert into ${loginThrottles} as t (key, failures, window_started_at) select ${key}, 1, ${at(now)}${source}
    on conflict (key) do update set
      failures = case when ${restart} then 1 else t.failures + 1 end,
      window_started_at = case when ${restart} then ${at(now)} else t.window_started_at end,
      locked_until = case when ${restart} then null when t.locked_until is null and t.failures + 1 >= ${rule.maxAttempts} then ${at(new Date(now.getTime() + rule.lockMs))} else t.locked_until end
    returning key, failures, locked_until
  )`;
}

/** A key's count after an attempt, and its lock. */
export type AttemptCount = { key: string; failures: number; locked_until: string | Date | null };

/**
 * Counts one attempt under every key, narrowest first, in one statement: each key's row is locked
 * while it counts, so parallel attempts get distinct numbers. A key whose count went past its
 * limit does not pass the attempt on to the keys after it, which then have no row in the answer.
 */
export async function countAttempt(db: Db, counted: Counted[], now: Date): Promise<AttemptCount[]> {
  const steps = counted.map((item, step) => countStep(step, item, counted[step - 1], now));
  const results = sql.join(
    counted.map((_, step) => sql.raw(`select key, failures, locked_until from s${step}`)),
    sql` union all `,
  );
  return [...(await db.execute<AttemptCount>(sql`with ${sql.join(steps, sql`, `)} ${results}`))];
}

/**
 * Gives an attempt back, in one transaction: the narrowest key (`pair`) is forgotten, each of
 * `others` counts one failure less (a lock it set is lifted while the count is below the limit).
 */
export async function giveBackAttempt(db: Db, pair: Counted, others: Counted[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(loginThrottles).where(sql`${loginThrottles.key} = ${pair.key}`);
    for (const { key, rule } of others) {
      await tx
        .update(loginThrottles)
        .set({
          failures: sql`greatest(${loginThrottles.failures} - 1, 0)`,
          lockedUntil: sql`case when ${loginThrottles.failures} - 1 < ${rule.maxAttempts} then null else ${loginThrottles.lockedUntil} end`,
        })
        .where(sql`${loginThrottles.key} = ${key}`);
    }
  });
}

import { sql } from 'drizzle-orm';
import type { AppealsDatabase } from './db/store.ts';
import { authorities, calendarDays, routingRules, topics } from './db/schema.ts';
import { CALENDAR_DAYS } from './domain/calendar-data.ts';
import { AUTHORITIES, ROUTING_RULES, TOPICS } from './reference-data.ts';

/**
 * Loads the platform's reference data (rubricator, authorities, routing rules, production calendar)
 * on every start, in production too: what is missing is added, what an administrator changed in the
 * tables stays. The data itself is in reference-data.ts and domain/calendar-data.ts.
 */
export async function loadReferenceData({ db }: AppealsDatabase): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('appeals:reference-data'))`);
    // Parents first, as listed: a subtopic refers to its parent.
    await tx.insert(topics).values([...TOPICS]).onConflictDoNothing();
    await tx.insert(authorities).values([...AUTHORITIES]).onConflictDoNothing();
    await tx.insert(routingRules).values(ROUTING_RULES.map((rule) => ({ ...rule }))).onConflictDoNothing();
    await tx.insert(calendarDays).values([...CALENDAR_DAYS]).onConflictDoNothing();
  });
}

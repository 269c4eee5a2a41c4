import { insertReferenceDataIfMissing, type AppealsDatabase } from './db/store.ts';
import { CALENDAR_DAYS } from './domain/calendar-data.ts';
import { AUTHORITIES, ROUTING_RULES, TOPICS } from './reference-data.ts';

/**
 * Loads the platform's reference data (rubricator, authorities, routing rules, production calendar)
 * on every start, in production too: what is missing is added, what an administrator changed in the
 * tables stays. The data itself is in reference-data.ts and domain/calendar-data.ts.
 */
export function loadReferenceData({ db }: AppealsDatabase): Promise<void> {
  return insertReferenceDataIfMissing(db, { topics: [...TOPICS], authorities: [...AUTHORITIES], routingRules: ROUTING_RULES.map((rule) => ({ ...rule })), calendarDays: [...CALENDAR_DAYS] });
}

import { calendarDays } from './schema.ts';
import type { Db } from './store.ts';

/** The production calendar's exceptions as the `calendar_days` table holds them now (authorities may update it). */
export function productionCalendarDays(db: Db) {
  return db.select().from(calendarDays);
}

import { eq, sql } from 'drizzle-orm';
import type { PreferencesChange } from '../domain/preferences.ts';
import { channel, kind, preferences, type Channel, type Kind, type PreferencesRow } from './schema.ts';
import type { Db } from './store.ts';

/** What a person chose: channels per kind and the delivery window; no row means the defaults (domain/preferences.ts). */

/** The kinds a person chooses channels for, as the database's enum lists them. */
export const KINDS: readonly Kind[] = kind.enumValues;
/** Channels in the order the API lists them (the database's enum). */
export const CHANNELS: readonly Channel[] = channel.enumValues;

export async function preferencesRowOf(db: Db, userId: string): Promise<PreferencesRow | null> {
  const [row] = await db.select().from(preferences).where(eq(preferences.userId, userId));
  return row ?? null;
}

/**
 * Stores a checked change at `now`. Kinds merge into the stored ones in SQL, so two changes at once
 * do not undo each other; the window is set, removed or (undefined) kept.
 */
export async function mergePreferences(tx: Db, userId: string, change: PreferencesChange, now: Date): Promise<void> {
  const window = change.window === undefined ? {} : { windowStartsAt: change.window?.startsAt ?? null, windowEndsAt: change.window?.endsAt ?? null, ...(change.window ? { timeZone: change.window.timeZone } : {}) };
  await tx
    .insert(preferences)
    .values({ userId, channels: change.channels, ...window, updatedAt: now })
    .onConflictDoUpdate({
      target: preferences.userId,
      set: { channels: sql`${preferences.channels} || excluded.channels`, ...window, updatedAt: now },
    });
}

import { insertHistoryEntry } from '../db/history.ts';
import type { Db } from '../db/store.ts';

/** The profile's history (история изменений): every change, with the fields that changed. */

export type Subject = 'PERSONAL_DATA' | 'DOCUMENT' | 'CHILD' | 'VEHICLE' | 'DATA_CHECK';
export type Action = 'CREATED' | 'UPDATED' | 'DELETED' | 'CHECK_STARTED' | 'CHECKED' | 'CHECK_FAILED' | 'CHECK_CANCELLED';
export type Actor = 'PERSON' | 'REGISTERS';

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

const shown = (value: unknown) => (value === undefined || value === null || value === '' ? null : value);

/** The fields whose values differ between two versions of a record (missing ones count as empty). */
export function diff(before: Record<string, unknown> | null, after: Record<string, unknown> | null, fields?: readonly string[]): FieldChange[] {
  const keys = fields ?? [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return keys.map((field) => ({ field, before: shown(before?.[field]), after: shown(after?.[field]) })).filter((change) => JSON.stringify(change.before) !== JSON.stringify(change.after));
}

export async function recordChange(
  db: Db,
  entry: { userId: string; subject: Subject; subjectId: string | null; subjectName: string; action: Action; changes?: FieldChange[]; actor?: Actor },
  now = new Date(),
): Promise<void> {
  await insertHistoryEntry(db, { ...entry, changes: entry.changes ?? [], actor: entry.actor ?? 'PERSON', occurredAt: now });
}

/** A history value as text for the API: addresses and lists are written out. */
export function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object')
    return Object.values(value as Record<string, unknown>)
      .filter((part) => part !== null && part !== '')
      .join(', ');
  return String(value);
}

import DataLoader from 'dataloader';

/**
 * A per-request DataLoader over a "rows by ids" query: every id asked for within one tick becomes
 * one SQL statement, answered in the order asked (null where no row matches).
 */
export function byId<TRow, TKey extends string = string>(fetch: (ids: readonly TKey[]) => Promise<TRow[]>, keyOf: (row: TRow) => TKey): DataLoader<TKey, TRow | null> {
  return new DataLoader(async (ids) => {
    const rows = new Map((await fetch(ids)).map((row) => [keyOf(row), row]));
    return ids.map((id) => rows.get(id) ?? null);
  });
}

/** Like `byId`, for one-to-many: every id gets the (possibly empty) list of its rows. */
export function manyById<TRow, TKey extends string = string>(fetch: (ids: readonly TKey[]) => Promise<TRow[]>, keyOf: (row: TRow) => TKey): DataLoader<TKey, TRow[]> {
  return new DataLoader(async (ids) => {
    const groups = new Map<TKey, TRow[]>(ids.map((id) => [id, []]));
    for (const row of await fetch(ids)) groups.get(keyOf(row))?.push(row);
    return ids.map((id) => groups.get(id) ?? []);
  });
}

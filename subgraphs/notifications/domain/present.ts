import type { ItemRow } from '../db/schema.ts';

/** The rules of the feed, free of GraphQL and SQL. */

/** A stored item as the API shows it. */
export const presentItem = (row: Omit<ItemRow, 'search'>) => ({
  ...row,
  isRead: row.readAt !== null,
  amount: row.amount !== null ? { amount: row.amount, currency: row.currency ?? 'RUB' } : null,
  appeal: row.appealId ? { id: row.appealId } : null,
});

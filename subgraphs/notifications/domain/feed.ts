import { userError, type UserError } from '../../../lib/errors.ts';
import { changeOwnItems, insertItemIfNew, itemStoredAs, markFeedRead, type NewItem } from '../db/feed.ts';
import { isUuid } from '../../../lib/ids.ts';
import type { Category, FeedItem, Kind } from '../db/schema.ts';
import { inTransaction, recordEvent, recordEvents, type Db } from '../db/store.ts';
import { deliverySettings, planDeliveries } from './deliveries.ts';

/**
 * Adding to the feed. Every item enters through `addItem`, whoever produces it (an event from
 * another subgraph, a trusted service's post), so each gets the same treatment: stored once, its
 * channel deliveries planned, and the live streams told.
 */

/**
 * Stores an item unless one with the same id or the same (source, sourceId) exists; returns the
 * stored item and whether it is new. Call it inside the transaction of the event being handled.
 *
 * A new item costs four statements in two round trips: the insert (ON CONFLICT DO NOTHING is the
 * existence check, RETURNING the read-back) with the person's delivery settings, then its deliveries
 * (when a channel applies) with both events and the relay's NOTIFY in one statement (`recordEvents`).
 * Statements sent together on the transaction's connection are pipelined by postgres.js.
 * An item that exists already costs one more read, for the stored row.
 */
export async function addItem(db: Db, item: NewItem): Promise<{ item: FeedItem; added: boolean }> {
  const [settings, added] = await Promise.all([deliverySettings(db, item.userId), insertItemIfNew(db, item)]);
  if (added) {
    await Promise.all([
      planDeliveries(db, added, settings),
      recordEvents(db, [
        { type: 'notifications.item-added', payload: { userId: added.userId, itemId: added.id } },
        { type: 'notifications.unread-changed', payload: { userId: added.userId } },
      ]),
    ]);
    return { item: added, added: true };
  }
  return { item: (await itemStoredAs(db, item))!, added: false };
}

export type ItemChange = 'READ' | 'UNREAD' | 'ARCHIVE' | 'UNARCHIVE';

/** At most this many items in one change: a client sends what is on screen, not the whole feed. */
export const MAX_IDS = 100;

/**
 * Reads, unreads, archives or restores the person's items among `ids`; ids of other people's items
 * (or of none) are ignored, so a client cannot learn whether they exist. The live streams hear of it.
 */
export async function changeItems(db: Db, userId: string, ids: readonly string[], change: ItemChange, now = new Date()): Promise<{ updated: number; errors: UserError[] }> {
  if (ids.length > MAX_IDS) return { updated: 0, errors: [userError('TOO_MANY_ITEMS', `За один раз можно изменить не больше ${MAX_IDS} уведомлений.`, ['input', 'ids'])] };
  const own = ids.filter(isUuid);
  if (!own.length) return { updated: 0, errors: [] };
  return inTransaction(db, async (tx) => {
    const updated = await changeOwnItems(tx, userId, own, change, now);
    if (updated) await recordEvent(tx, 'notifications.unread-changed', { userId });
    return { updated, errors: [] };
  });
}

/** Marks every unread item of the feed read, or of one category. */
export async function markAllRead(db: Db, userId: string, category: Category | null, now = new Date()): Promise<number> {
  return inTransaction(db, async (tx) => {
    const changed = await markFeedRead(tx, userId, category, now);
    if (changed) await recordEvent(tx, 'notifications.unread-changed', { userId });
    return changed;
  });
}

export interface ServicePost {
  userId: string;
  sourceId: string;
  category: Category;
  kind: Kind;
  title: string;
  body: string;
  amount?: string | null;
  currency?: string | null;
  stage?: string | null;
  dueAt?: Date | null;
  link?: string | null;
}

/** Categories only their own subgraphs post: account news come from identity, appeals from appeals. */
const RESERVED: readonly Category[] = ['ACCOUNT', 'APPEAL'];

function servicePostProblems(post: ServicePost): UserError[] {
  const field = (name: string) => ['input', name];
  const problems: (UserError | false)[] = [
    !isUuid(post.userId) && userError('INVALID_FORMAT', 'Укажите идентификатор учётной записи (UUID).', field('userId')),
    !/^[\w.:-]{1,200}$/.test(post.sourceId) && userError('INVALID_FORMAT', 'Идентификатор у сервиса: от 1 до 200 латинских букв, цифр и знаков . : _ -', field('sourceId')),
    RESERVED.includes(post.category) && userError('CATEGORY_NOT_ALLOWED', 'Уведомления этой категории публикуют только личный кабинет и платформа обратной связи.', field('category')),
    !post.title.trim() && userError('REQUIRED', 'Укажите заголовок.', field('title')),
    post.title.length > 200 && userError('TOO_LONG', 'Заголовок — не длиннее 200 символов.', field('title')),
    !post.body.trim() && userError('REQUIRED', 'Укажите текст.', field('body')),
    post.body.length > 4000 && userError('TOO_LONG', 'Текст — не длиннее 4000 символов.', field('body')),
    post.amount != null && !/^\d{1,12}(\.\d{1,2})?$/.test(post.amount) && userError('INVALID_FORMAT', 'Сумма — число с точкой и не более чем двумя знаками после неё, например 500.00.', field('amount')),
    post.currency != null && !/^[A-Z]{3}$/.test(post.currency) && userError('INVALID_FORMAT', 'Валюта — код ISO 4217 из трёх латинских букв, например RUB.', field('currency')),
    post.link != null && (post.link.length > 500 || !/^(\/|https:\/\/)/.test(post.link)) && userError('INVALID_FORMAT', 'Ссылка должна начинаться с «/» или «https://» и быть не длиннее 500 символов.', field('link')),
  ];
  return problems.filter((problem): problem is UserError => problem !== false);
}

/** An item posted by a trusted portal service; the same `sourceId` twice makes one item. */
export async function postFromService(db: Db, service: string, post: ServicePost): Promise<{ item: FeedItem; errors: [] } | { errors: UserError[] }> {
  const errors = servicePostProblems(post);
  if (errors.length) return { errors };
  const amount = post.amount != null ? Number(post.amount).toFixed(2) : null;
  const { item } = await inTransaction(db, (tx) =>
    addItem(tx, {
      userId: post.userId,
      category: post.category,
      kind: post.kind,
      title: post.title.trim(),
      body: post.body.trim(),
      amount,
      currency: amount ? (post.currency ?? 'RUB') : null,
      stage: post.stage ?? null,
      dueAt: post.dueAt ?? null,
      link: post.link ?? null,
      source: `service:${service}`,
      sourceId: post.sourceId,
    }),
  );
  return { item, errors: [] };
}

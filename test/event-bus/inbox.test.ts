import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../database.ts';
import * as tables from '../../subgraphs/notifications/db/schema.ts';
import { connect, type Database, type Queryable } from '../../lib/db.ts';
import type { DomainEvent } from '../../lib/events/catalogue.ts';
import { derivedId, idempotentConsumer, processOnce } from '../../lib/events/inbox.ts';

/** Notifications' inbox and feed stand in for any consumer's: a feed item is the effect. */
const { inbox, items } = tables;

let database: TestDatabase;
let subgraph: Database<typeof tables>;

beforeAll(async () => {
  database = await createTestDatabase();
  subgraph = connect(database.url, tables, { max: 4 });
});

afterAll(async () => {
  await subgraph?.close();
  await database?.drop();
});

function accountDeleted(): DomainEvent<'identity.account-deleted'> {
  return { id: randomUUID(), type: 'identity.account-deleted', occurredAt: new Date().toISOString(), payload: { userId: randomUUID() } };
}

/** The effect: one feed item for the event's user. */
const addItem = (event: DomainEvent<'identity.account-deleted'>) => async (tx: Queryable<typeof tables>) => {
  await tx.insert(items).values({ userId: event.payload.userId, category: 'ACCOUNT', title: 'Событие', body: '' });
};

const itemTitlesOf = async (userId: string) => (await subgraph.db.query.items.findMany({ where: (item, { eq }) => eq(item.userId, userId) })).map((item) => item.title);
const inboxOf = async (eventId: string) => (await subgraph.db.query.inbox.findMany({ where: (row, { eq }) => eq(row.eventId, eventId) })).map(({ consumer, type }) => ({ consumer, type }));

describe('Inbox', () => {
  it('runs the handler of an event delivered twice only once', async () => {
    const event = accountDeleted();
    const runs = [await processOnce(subgraph.db, inbox, 'feed', event, addItem(event)), await processOnce(subgraph.db, inbox, 'feed', event, addItem(event))];
    expect({ runs, items: await itemTitlesOf(event.payload.userId), inbox: await inboxOf(event.id) }).toEqual({
      runs: [true, false],
      items: ['Событие'],
      inbox: [{ consumer: 'feed', type: 'identity.account-deleted' }],
    });
  });

  it('runs a redelivery at the same moment only once', async () => {
    const event = accountDeleted();
    const runs = await Promise.all([1, 2, 3].map(() => processOnce(subgraph.db, inbox, 'feed', event, addItem(event))));
    expect({ runs: runs.filter(Boolean).length, items: await itemTitlesOf(event.payload.userId) }).toEqual({ runs: 1, items: ['Событие'] });
  });

  it('rolls the record back with the effects when the handler throws, so the retry runs it', async () => {
    const event = accountDeleted();
    const failing = processOnce(subgraph.db, inbox, 'feed', event, async (tx) => {
      await addItem(event)(tx);
      throw new Error('сбой');
    });
    await expect(failing).rejects.toThrow('сбой');
    expect({ items: await itemTitlesOf(event.payload.userId), inbox: await inboxOf(event.id) }).toEqual({ items: [], inbox: [] });

    expect(await processOnce(subgraph.db, inbox, 'feed', event, addItem(event))).toBe(true);
    expect(await itemTitlesOf(event.payload.userId)).toEqual(['Событие']);
  });

  it('keeps a separate record for each consumer of the same event', async () => {
    const event = accountDeleted();
    const runs = [await processOnce(subgraph.db, inbox, 'feed', event, async () => {}), await processOnce(subgraph.db, inbox, 'mail', event, async () => {})];
    expect({ runs, inbox: (await inboxOf(event.id)).sort((a, b) => a.consumer.localeCompare(b.consumer)) }).toEqual({
      runs: [true, true],
      inbox: [
        { consumer: 'feed', type: 'identity.account-deleted' },
        { consumer: 'mail', type: 'identity.account-deleted' },
      ],
    });
  });

  it('builds a consumer that takes the types it has handlers for and handles each event once', async () => {
    const event = accountDeleted();
    const consumer = idempotentConsumer('feed', subgraph, inbox, { 'identity.account-deleted': (tx, deleted) => addItem(deleted)(tx) });
    await consumer.handle(event);
    await consumer.handle(event);
    expect({ types: consumer.types, items: await itemTitlesOf(event.payload.userId) }).toEqual({ types: ['identity.account-deleted'], items: ['Событие'] });
  });

  it('derives the same version 5 UUID from the same parts, and different ones from different parts', () => {
    const id = derivedId('identity.security-event', 'a');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([derivedId('identity.security-event', 'a'), derivedId('identity.security-event', 'b'), derivedId('identity.security-eventa')]).toEqual([id, expect.not.stringMatching(id), expect.not.stringMatching(id)]);
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SERVICE_TOKEN } from '../lib/auth.ts';
import type { DomainEvent, EventCatalogue, EventType } from '../lib/events/catalogue.ts';
import { eq, sql } from 'drizzle-orm';
import { deliveries, outbox } from '../subgraphs/notifications/db/schema.ts';
import { saveContacts } from '../subgraphs/notifications/db/contacts.ts';
import { addItem } from '../subgraphs/notifications/domain/feed.ts';
import { createPerson, errorCodes, graphQLErrorCodes, signIn, type Person } from './fixtures.ts';
import { startGraph, type TestGraph } from './graph.ts';

function event<T extends EventType>(type: T, payload: EventCatalogue[T]): DomainEvent<T> {
  return { id: randomUUID(), type, occurredAt: new Date().toISOString(), payload };
}

let graph: TestGraph;
let paymentsToken: string;

beforeAll(async () => {
  // A trusted portal service with its own key, published to the graph as TRUSTED_SERVICES_JWKS.
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'payments-1', alg: 'ES256', use: 'sig' };
  const jwksFile = join(mkdtempSync(join(tmpdir(), 'epgu-services-')), 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }));
  vi.stubEnv('TRUSTED_SERVICES_JWKS', jwksFile);
  graph = await startGraph();
  vi.unstubAllEnvs();
  paymentsToken = await new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: 'payments-1' })
    .setSubject('payments')
    .setIssuer(SERVICE_TOKEN.issuer)
    .setAudience(SERVICE_TOKEN.audience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
});
afterAll(() => graph?.stop());

const FEED = `query ($search: String, $category: NotificationCategory, $archived: Boolean) {
  me { notifications(search: $search, category: $category, archived: $archived) { totalCount unreadCount unreadCountByCategory { category count } edges { node { id title category } } } }
}`;
const titles = (body: { data?: { me: { notifications: { edges: { node: { title: string } }[] } } } }) => body.data!.me.notifications.edges.map((edge) => edge.node.title);

async function personWithToken(): Promise<Person & { token: string }> {
  const person = await createPerson(graph);
  return { ...person, token: await signIn(graph, person.phone) };
}

const POST = `mutation ($i: PostNotificationInput!) { postNotification(input: $i) {
  notification { id title category kind amount { amount currency } stage link } errors { field code } } }`;
const post = (token: string, input: Record<string, unknown>) => graph.request(POST, { token, variables: { i: input } });

describe('Events become feed items exactly once', () => {
  it('turns an appeal status change into one APPEAL item, even when the event comes twice', async () => {
    const person = await personWithToken();
    const change = event('appeals.status-changed', {
      appealId: randomUUID(),
      userId: person.id,
      number: 'ПОС-2026-000777',
      status: 'IN_WORK',
      previousStatus: 'REGISTERED',
      authorityName: 'Администрация городского округа Химки',
      dueAt: '2026-12-20T21:00:00.000Z',
      comment: null,
    });
    await graph.bus.publish([change]);
    await graph.bus.publish([change]);
    await graph.eventsSettled();
    const { body } = await graph.request('{ me { notifications(category: APPEAL) { totalCount edges { node { title body link appeal { id } } } } } }', { token: person.token });
    expect(body.data.me.notifications).toEqual({
      totalCount: 1,
      edges: [
        {
          node: {
            title: 'Обращение ПОС-2026-000777: взято в работу',
            body: 'Администрация городского округа Химки. Срок ответа — 21.12.2026.',
            link: `/appeals/${change.payload.appealId}`,
            appeal: { id: change.payload.appealId },
          },
        },
      ],
    });
  });

  it('turns the end of a data check into one ACCOUNT item, even when the event comes twice', async () => {
    const person = await personWithToken();
    const done = event('profile.data-check-completed', { userId: person.id, checkId: randomUUID(), outcome: 'FAILED', reason: 'МВД России сообщает, что паспорт недействителен.', passport: null, snils: null });
    await graph.bus.publish([done, done]);
    await graph.eventsSettled();
    const { body } = await graph.request(FEED, { token: person.token, variables: { category: 'ACCOUNT' } });
    expect(titles(body)).toEqual(['Данные не прошли проверку']);
  });
});

describe('What adding an item costs', () => {
  /** What `addItem` sent in its transaction: a statement by the name in its comment, others by what they do to which table (not BEGIN/COMMIT, nor postgres.js's type lookup on a new connection). */
  const sentBy = (statements: string[]) =>
    statements
      .splice(0)
      .map((statement) => statement.trim())
      .filter((statement) => !/^(begin|commit|select b\.oid)/.test(statement))
      .map((statement) => statement.match(/\/\* (\w+) \*\//)?.[1] ?? `${statement.split(' ')[0]} ${statement.match(/(?:^insert into| from) "\w+"\."(\w+)"/)?.[1]}`);

  it('a new item: the insert and the person’s delivery settings, then its deliveries and both events with the relay’s NOTIFY; a repeated one: the insert, the settings and a read', async () => {
    const person = await createPerson(graph);
    const { db } = graph.databases.notifications;
    await saveContacts(db, person.id, { phone: person.phone, email: person.email }, new Date()); // a security notice goes by e-mail and SMS
    const item = { id: randomUUID(), userId: person.id, category: 'ACCOUNT' as const, kind: 'SECURITY' as const, title: 'Вход с нового устройства', body: 'Windows, Москва' };
    const statements = graph.statements.notifications;

    statements.length = 0;
    const first = await db.transaction((tx) => addItem(tx, item));
    expect(first.added).toBe(true);
    expect(sentBy(statements)).toEqual(['deliverySettings', 'insert items', 'insert deliveries', 'recordEvents']);
    expect(
      await db
        .select({ type: outbox.type })
        .from(outbox)
        .where(sql`${outbox.payload} ->> 'userId' = ${person.id}`),
    ).toEqual([{ type: 'notifications.item-added' }, { type: 'notifications.unread-changed' }]);
    expect((await db.select({ channel: deliveries.channel }).from(deliveries).where(eq(deliveries.itemId, item.id))).map((row) => row.channel).sort()).toEqual(['EMAIL', 'SMS']);

    statements.length = 0;
    const again = await db.transaction((tx) => addItem(tx, item));
    expect(again).toEqual({ item: first.item, added: false });
    expect(sentBy(statements)).toEqual(['deliverySettings', 'insert items', 'select items']);
  });
});

describe('Searching and filtering the feed', () => {
  let reader: Person & { token: string };
  beforeAll(async () => {
    reader = await personWithToken();
    for (const [sourceId, category, kind, title] of [
      ['a1', 'APPLICATION', 'SERVICE_STAGES', 'Ваши заявления на загранпаспорт приняты'],
      ['a2', 'PAYMENT', 'DEBTS_AND_FINES', 'Новый штраф ГИБДД'],
      ['a3', 'APPOINTMENT', 'OTHER', 'Запись к врачу подтверждена'],
    ] as const) {
      await post(paymentsToken, { userId: reader.id, sourceId, category, kind, title, body: 'Подробности в личном кабинете.' });
    }
  });

  it('finds word forms in Russian: «заявление» finds «заявления»', async () => {
    const { body } = await graph.request(FEED, { token: reader.token, variables: { search: 'заявление' } });
    expect(titles(body)).toEqual(['Ваши заявления на загранпаспорт приняты']);
    const none = await graph.request(FEED, { token: reader.token, variables: { search: 'пенсия' } });
    expect(titles(none.body)).toEqual([]);
  });

  it('answers a search of stop words only («и», «в»), which finds nothing, without an error', async () => {
    for (const search of ['и', 'и в']) {
      const { body } = await graph.request(FEED, { token: reader.token, variables: { search } });
      expect(body.errors).toBeUndefined();
      expect(body.data.me.notifications.totalCount).toBe(0);
    }
  });

  it('counts unread items per category', async () => {
    const { body } = await graph.request(FEED, { token: reader.token });
    expect(body.data.me.notifications).toMatchObject({
      totalCount: 3,
      unreadCount: 3,
      unreadCountByCategory: [
        { category: 'PAYMENT', count: 1 },
        { category: 'APPLICATION', count: 1 },
        { category: 'APPOINTMENT', count: 1 },
      ],
    });
  });

  it('refuses a search of more than 200 characters', async () => {
    const { body } = await graph.request(FEED, { token: reader.token, variables: { search: 'штраф '.repeat(40) } });
    expect(graphQLErrorCodes(body)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('Reading, archiving and counting', () => {
  it('marks items read and unread, all read, and moves them to the archive and back; other people’s ids change nothing', async () => {
    const [person, stranger] = [await personWithToken(), await personWithToken()];
    const ids: string[] = [];
    for (const n of [1, 2, 3])
      ids.push((await post(paymentsToken, { userId: person.id, sourceId: `r${n}`, category: 'SUPPORT', kind: 'OTHER', title: `Ответ поддержки ${n}`, body: 'Текст' })).body.data.postNotification.notification.id);
    const strangersItem = (await post(paymentsToken, { userId: stranger.id, sourceId: 'x', category: 'SUPPORT', kind: 'OTHER', title: 'Чужое', body: 'Текст' })).body.data.postNotification.notification.id;

    const CHANGE = (name: string) => `mutation ($ids: [ID!]!) { ${name}(input: { ids: $ids }) { updatedCount unreadCounts { unreadCount } notifications { id isRead archivedAt } errors { code } } }`;
    const read = await graph.request(CHANGE('markNotificationsRead'), { token: person.token, variables: { ids: [ids[0], strangersItem] } });
    expect(read.body.data.markNotificationsRead).toMatchObject({ updatedCount: 1, unreadCounts: { unreadCount: 2 }, notifications: [{ id: ids[0], isRead: true }], errors: [] });
    const unread = await graph.request(CHANGE('markNotificationsUnread'), { token: person.token, variables: { ids: [ids[0]] } });
    expect(unread.body.data.markNotificationsUnread).toMatchObject({ updatedCount: 1, unreadCounts: { unreadCount: 3 } });
    const all = await graph.request('mutation { markAllNotificationsRead { updatedCount unreadCounts { unreadCount } } }', { token: person.token });
    expect(all.body.data.markAllNotificationsRead).toEqual({ updatedCount: 3, unreadCounts: { unreadCount: 0 } });

    const archived = await graph.request(CHANGE('archiveNotifications'), { token: person.token, variables: { ids: [ids[1]] } });
    expect(archived.body.data.archiveNotifications.updatedCount).toBe(1);
    expect(titles((await graph.request(FEED, { token: person.token })).body)).toEqual(['Ответ поддержки 3', 'Ответ поддержки 1']);
    expect(titles((await graph.request(FEED, { token: person.token, variables: { archived: true } })).body)).toEqual(['Ответ поддержки 2']);
    await graph.request(CHANGE('unarchiveNotifications'), { token: person.token, variables: { ids: [ids[1]] } });
    expect(titles((await graph.request(FEED, { token: person.token })).body)).toHaveLength(3);

    const strangerView = await graph.request('{ me { notifications { edges { node { isRead } } } } }', { token: stranger.token });
    expect(strangerView.body.data.me.notifications.edges).toEqual([{ node: { isRead: false } }]);
  });

  it('opens one item by id for its owner only', async () => {
    const [person, stranger] = [await personWithToken(), await personWithToken()];
    const id = (await post(paymentsToken, { userId: person.id, sourceId: 'one', category: 'GOVERNMENT_MAIL', kind: 'OTHER', title: 'Письмо из ФНС', body: 'Налоговое уведомление' })).body.data.postNotification
      .notification.id;
    const QUERY = 'query ($id: ID!) { notification(id: $id) { title } }';
    expect((await graph.request(QUERY, { token: person.token, variables: { id } })).body.data.notification).toEqual({ title: 'Письмо из ФНС' });
    expect((await graph.request(QUERY, { token: stranger.token, variables: { id } })).body.data.notification).toBeNull();
  });
});

describe('Posts from trusted portal services', () => {
  it('takes a payment with its amount from a service credential, once per source id', async () => {
    const person = await personWithToken();
    const input = {
      userId: person.id,
      sourceId: 'fine-18810177250000123456',
      category: 'PAYMENT',
      kind: 'DEBTS_AND_FINES',
      title: 'Штраф ГИБДД: 500 ₽',
      body: 'Оплатите со скидкой 50 % до 5 декабря.',
      amount: '500',
      stage: null,
      link: '/payments/fines',
    };
    const first = (await post(paymentsToken, input)).body.data.postNotification;
    expect(first).toEqual({
      notification: { id: expect.any(String), title: 'Штраф ГИБДД: 500 ₽', category: 'PAYMENT', kind: 'DEBTS_AND_FINES', amount: { amount: '500.00', currency: 'RUB' }, stage: null, link: '/payments/fines' },
      errors: [],
    });
    const again = (await post(paymentsToken, input)).body.data.postNotification;
    expect(again.notification.id).toBe(first.notification.id);
    const { body } = await graph.request(FEED, { token: person.token, variables: { category: 'PAYMENT' } });
    expect(body.data.me.notifications.totalCount).toBe(1);
  });

  it('refuses a citizen’s token and no token', async () => {
    const person = await personWithToken();
    const input = { userId: person.id, sourceId: 'forged', category: 'PAYMENT', kind: 'DEBTS_AND_FINES', title: 'Штраф', body: 'Оплатите' };
    expect(graphQLErrorCodes((await post(person.token, input)).body)).toEqual(['FORBIDDEN']);
    expect(graphQLErrorCodes((await graph.request(POST, { variables: { i: input } })).body)).toEqual(['UNAUTHENTICATED']);
  });

  it('keeps account and appeal news to their own subgraphs, and checks what it is given', async () => {
    const person = await personWithToken();
    const { body } = await post(paymentsToken, { userId: person.id, sourceId: 'bad', category: 'ACCOUNT', kind: 'OTHER', title: '', body: 'x', amount: '12,50', link: 'javascript:alert(1)' });
    expect(errorCodes(body.data.postNotification)).toEqual(['CATEGORY_NOT_ALLOWED', 'REQUIRED', 'INVALID_FORMAT', 'INVALID_FORMAT']);
  });

  it('does not let a service act as a person', async () => {
    const { body } = await graph.request('{ me { id } }', { token: paymentsToken });
    expect(graphQLErrorCodes(body)).toEqual(['FORBIDDEN']);
  });
});

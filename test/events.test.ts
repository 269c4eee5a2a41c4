import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountLevel } from '../lib/auth.ts';
import { newEvent, type EventCatalogue } from '../lib/events/catalogue.ts';
import { ERASED_APPEAL_TEXT } from '../subgraphs/appeals/events.ts';
import { insertAccountsIfMissing } from '../subgraphs/identity/db/accounts.ts';
import { hashPassword } from '../subgraphs/identity/domain/credentials.ts';
import { feedWordCounts } from '../subgraphs/notifications/db/schema.ts';
import { createAppeal, createAuthority, createFeedItem, createPerson, signIn, TEST_PASSWORD, type Person } from './fixtures.ts';
import { startGraph, type TestGraph } from './graph.ts';

type ConfirmationMethod = NonNullable<EventCatalogue['identity.level-changed']['confirmationMethod']>;

/** Identity's events are published straight onto the bus here: these tests are about their consumers. */
const CABINET = /* GraphQL */ `
  query {
    me {
      profile {
        lastName
        firstName
      }
      documents {
        type
      }
      notifications(first: 10) {
        totalCount
        edges {
          node {
            category
            title
          }
        }
      }
      appeals {
        totalCount
        edges {
          node {
            number
            status
            text
          }
        }
      }
    }
  }
`;

const APPEAL_FOR_OFFICIAL = /* GraphQL */ `
  query ($id: ID!) {
    appeal(id: $id) {
      number
      status
      text
      address
      regionCode
      topic {
        name
      }
      author {
        name {
          lastName
        }
      }
    }
  }
`;

let graph: TestGraph;
let official: Person;
let officialToken: string;
let authority: { authorityId: string; topicId: string };

beforeAll(async () => {
  graph = await startGraph();
  official = await createPerson(graph, { roles: ['OFFICIAL'], lastName: 'Должностная' });
  authority = await createAuthority(graph, { officialId: official.id });
  officialToken = await signIn(graph, official.phone);
});

afterAll(() => graph?.stop());

describe('Events: identity.account-deleted erases the person everywhere', () => {
  let leaving: Person;
  let staying: Person;
  let leavingToken: string;
  let inWork: Awaited<ReturnType<typeof createAppeal>>;
  let answered: Awaited<ReturnType<typeof createAppeal>>;

  beforeAll(async () => {
    leaving = await createPerson(graph, { lastName: 'Уходящий' });
    staying = await createPerson(graph, { lastName: 'Остающийся' });
    inWork = await createAppeal(graph, { authorId: leaving.id, ...authority, status: 'IN_WORK', address: 'ул. Ленина, д. 1, кв. 5' });
    answered = await createAppeal(graph, { authorId: leaving.id, ...authority, status: 'ANSWERED', text: 'Не горит фонарь' });
    await createAppeal(graph, { authorId: staying.id, ...authority, text: 'Яма во дворе' });
    await createFeedItem(graph, { userId: leaving.id, title: 'Ответ техподдержки' });
    await createFeedItem(graph, { userId: staying.id, title: 'Запись к врачу' });
    leavingToken = await signIn(graph, leaving.phone);

    await graph.bus.publish([newEvent('identity.account-deleted', { userId: leaving.id })]);
    await graph.eventsSettled();
  });

  it("erases the person's personal data, documents, feed and the link to their appeals", async () => {
    const { body } = await graph.request(CABINET, { token: leavingToken });
    expect(body).toEqual({ data: { me: { profile: null, documents: [], notifications: { totalCount: 0, edges: [] }, appeals: { totalCount: 0, edges: [] } } } });
    // Nor the words of their feed, kept for its search counts.
    const { db } = graph.databases.notifications;
    expect(await db.select().from(feedWordCounts).where(eq(feedWordCounts.userId, leaving.id))).toEqual([]);
    expect(await db.select().from(feedWordCounts).where(eq(feedWordCounts.userId, staying.id))).not.toEqual([]);
  });

  it("keeps the appeals as the authority's records without the author's text, address or name, closing the one under review", async () => {
    const read = async (id: string) => (await graph.request(APPEAL_FOR_OFFICIAL, { token: officialToken, variables: { id } })).body;
    const kept = { text: ERASED_APPEAL_TEXT, address: null, regionCode: '50', topic: { name: 'Дороги' }, author: { name: null } };
    expect([await read(inWork.id), await read(answered.id)]).toEqual([
      { data: { appeal: { number: inWork.number, status: 'CLOSED', ...kept } } },
      { data: { appeal: { number: answered.number, status: 'ANSWERED', ...kept } } },
    ]);
  });

  it("leaves everyone else's data as it was", async () => {
    const { body } = await graph.request(CABINET, { token: await signIn(graph, staying.phone) });
    expect(body).toEqual({
      data: {
        me: {
          profile: { lastName: 'Остающийся', firstName: 'Тест' },
          documents: [{ type: 'RUSSIAN_PASSPORT' }],
          notifications: { totalCount: 1, edges: [{ node: { category: 'SUPPORT', title: 'Запись к врачу' } }] },
          appeals: { totalCount: 1, edges: [{ node: { number: expect.stringMatching(/^ПОС-T-/), status: 'REGISTERED', text: 'Яма во дворе' } }] },
        },
      },
    });
  });
});

describe('Events: identity.account-registered starts the profile', () => {
  it('creates the personal data of a new account from the names given at registration', async () => {
    const id = randomUUID();
    const phone = `+7998${String(process.pid % 10_000).padStart(4, '0')}001`;
    await insertAccountsIfMissing(graph.databases.identity.db, [{ id, phone, level: 'SIMPLIFIED', roles: [], passwordHash: await hashPassword(TEST_PASSWORD) }]);

    await graph.bus.publish([newEvent('identity.account-registered', { userId: id, lastName: 'Новикова', firstName: 'Анна', phone, email: null })]);
    await graph.eventsSettled();

    const { body } = await graph.request('{ me { profile { lastName firstName middleName } } }', { token: await signIn(graph, phone) });
    expect(body).toEqual({ data: { me: { profile: { lastName: 'Новикова', firstName: 'Анна', middleName: null } } } });
  });

  it('leaves personal data that already exists as it is', async () => {
    const person = await createPerson(graph, { lastName: 'Прежняя' });
    await graph.bus.publish([newEvent('identity.account-registered', { userId: person.id, lastName: 'Другая', firstName: 'Иная', phone: person.phone, email: null })]);
    await graph.eventsSettled();

    const { body } = await graph.request('{ me { profile { lastName firstName } } }', { token: await signIn(graph, person.phone) });
    expect(body).toEqual({ data: { me: { profile: { lastName: 'Прежняя', firstName: 'Тест' } } } });
  });
});

describe('Events: identity tells the person through the feed', () => {
  const ACCOUNT_FEED = '{ me { notifications(first: 10, category: ACCOUNT) { totalCount edges { node { category title body isRead createdAt } } } } }';

  it('turns a security event into one ACCOUNT feed item, however often it is delivered', async () => {
    const person = await createPerson(graph);
    const login = newEvent('identity.security-event', {
      userId: person.id,
      eventId: randomUUID(),
      kind: 'LOGIN_NEW_DEVICE',
      title: 'Вход с нового устройства',
      body: 'Выполнен вход с нового устройства: Firefox, Казань.',
      occurredAt: '2026-11-20T08:30:00.000Z',
    });
    await graph.bus.publish([login]);
    await graph.bus.publish([login]);
    // The same security event again under a new bus event, as a retried identity transaction would record it.
    await graph.bus.publish([{ ...login, id: randomUUID() }]);
    await graph.eventsSettled();

    const { body } = await graph.request(ACCOUNT_FEED, { token: await signIn(graph, person.phone) });
    expect(body).toEqual({
      data: {
        me: {
          notifications: {
            totalCount: 1,
            edges: [
              {
                node: {
                  category: 'ACCOUNT',
                  title: 'Вход с нового устройства',
                  body: 'Выполнен вход с нового устройства: Firefox, Казань.',
                  isRead: false,
                  createdAt: '2026-11-20T08:30:00.000Z',
                },
              },
            ],
          },
        },
      },
    });
  });

  it('tells the person in Russian which level change happened: each raise, each way of confirming and a lowering have their own headline', async () => {
    const person = await createPerson(graph, { level: 'CONFIRMED' });
    const change = (level: AccountLevel, previousLevel: AccountLevel, confirmationMethod: ConfirmationMethod | null, day: number) => ({
      ...newEvent('identity.level-changed', { userId: person.id, level, previousLevel, confirmationMethod }),
      occurredAt: `2026-11-0${day}T09:00:00.000Z`,
    });
    const changes = [
      change('STANDARD', 'SIMPLIFIED', null, 1),
      change('CONFIRMED', 'STANDARD', 'IN_PERSON', 2),
      change('CONFIRMED', 'STANDARD', 'POSTAL_CODE', 3),
      change('CONFIRMED', 'STANDARD', 'ELECTRONIC_SIGNATURE', 4),
      change('CONFIRMED', 'STANDARD', 'BANK', 5),
      change('STANDARD', 'CONFIRMED', null, 6),
      change('SIMPLIFIED', 'STANDARD', null, 7),
    ];
    await graph.bus.publish(changes);
    await graph.bus.publish([changes[1]!]);
    await graph.eventsSettled();

    const { body } = await graph.request(ACCOUNT_FEED, { token: await signIn(graph, person.phone) });
    const item = (title: string, text: string, day: number) => ({ node: { category: 'ACCOUNT', title, body: text, isRead: false, createdAt: changes[day - 1]!.occurredAt } });
    expect(body).toEqual({
      data: {
        me: {
          notifications: {
            totalCount: 7,
            edges: [
              item('Уровень учётной записи понижен до упрощённой', 'Теперь у вас упрощённая учётная запись. Доступны справочная информация, проверка штрафов и задолженностей.', 7),
              item('Уровень учётной записи понижен до стандартной', 'Теперь у вас стандартная учётная запись. Доступны основные услуги портала.', 6),
              item('Учётная запись подтверждена: через банк', 'Личность подтверждена через банк, теперь у вас подтверждённая учётная запись. Доступны все услуги портала.', 5),
              item('Учётная запись подтверждена: электронной подписью', 'Личность подтверждена квалифицированной электронной подписью, теперь у вас подтверждённая учётная запись. Доступны все услуги портала.', 4),
              item('Учётная запись подтверждена: кодом из письма', 'Личность подтверждена кодом из заказного письма, теперь у вас подтверждённая учётная запись. Доступны все услуги портала.', 3),
              item('Учётная запись подтверждена: лично в центре обслуживания', 'Личность подтверждена в центре обслуживания по паспорту, теперь у вас подтверждённая учётная запись. Доступны все услуги портала.', 2),
              item('Учётная запись стандартная: данные проверены', 'Государственные реестры проверили ваши СНИЛС и паспорт, теперь у вас стандартная учётная запись. Доступны основные услуги портала.', 1),
            ],
          },
        },
      },
    });
  });
});

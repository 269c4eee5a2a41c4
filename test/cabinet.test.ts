import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppeal, createAuthority, createFeedItem, createPerson, signIn, TEST_PASSWORD, type Person } from './fixtures.ts';
import { graphql, startGraph, type TestGraph } from './graph.ts';

const CABINET = /* GraphQL */ `
  query Cabinet {
    me {
      id
      level
      phone
      profile {
        lastName
      }
      documents {
        type
        ... on RussianPassport {
          divisionCode
        }
      }
      notifications(first: 5) {
        totalCount
        unreadCount
        edges {
          node {
            title
            isRead
            appeal {
              id
              status
            }
          }
        }
      }
      appeals {
        totalCount
        edges {
          node {
            id
            status
            authority {
              name
            }
          }
        }
      }
    }
  }
`;

let graph: TestGraph;
let alice: Person;
let bob: Person;
let aliceToken: string;
let bobAppealId: string;
let aliceAppealId: string;

beforeAll(async () => {
  graph = await startGraph();
  alice = await createPerson(graph, { lastName: 'Алексеева' });
  bob = await createPerson(graph, { lastName: 'Борисов', level: 'STANDARD' });
  const { authorityId, topicId } = await createAuthority(graph);
  aliceAppealId = (await createAppeal(graph, { authorId: alice.id, authorityId, topicId, status: 'IN_WORK' })).id;
  bobAppealId = (await createAppeal(graph, { authorId: bob.id, authorityId, topicId })).id;
  await createFeedItem(graph, { userId: alice.id, category: 'APPEAL', title: 'Обращение взято в работу', appealId: aliceAppealId, createdAt: new Date('2026-11-20T10:00:00Z') });
  await createFeedItem(graph, { userId: alice.id, title: 'Ответ техподдержки', readAt: new Date(), createdAt: new Date('2026-11-19T10:00:00Z') });
  await createFeedItem(graph, { userId: bob.id, title: 'Чужое уведомление' });
  aliceToken = await signIn(graph, alice.phone);
});

afterAll(() => graph?.stop());

describe('Gateway: a citizen signs in and reads the cabinet from all four subgraphs', () => {
  it('signs in with the phone written in any common format, or with the e-mail', async () => {
    const local = `8 (${alice.phone.slice(2, 5)}) ${alice.phone.slice(5, 8)}-${alice.phone.slice(8, 10)}-${alice.phone.slice(10)}`;
    for (const login of [alice.phone, local, alice.email.toUpperCase()]) {
      const { body } = await graph.request('mutation ($i: LoginInput!) { login(input: $i) { user { id level } errors { code } } }', {
        variables: { i: { login, password: TEST_PASSWORD } },
      });
      expect(body).toEqual({ data: { login: { user: { id: alice.id, level: 'CONFIRMED' }, errors: [] } } });
    }
  });

  it('answers the cabinet query with each subgraph contributing its part', async () => {
    const { status, body } = await graph.request(CABINET, { token: aliceToken });
    expect(status).toBe(200);
    expect(body).toEqual({
      data: {
        me: {
          id: alice.id,
          level: 'CONFIRMED',
          phone: alice.phone,
          profile: { lastName: 'Алексеева' },
          documents: [{ type: 'RUSSIAN_PASSPORT', divisionCode: '770-001' }],
          notifications: {
            totalCount: 2,
            unreadCount: 1,
            edges: [{ node: { title: 'Обращение взято в работу', isRead: false, appeal: { id: aliceAppealId, status: 'IN_WORK' } } }, { node: { title: 'Ответ техподдержки', isRead: true, appeal: null } }],
          },
          appeals: { totalCount: 1, edges: [{ node: { id: aliceAppealId, status: 'IN_WORK', authority: { name: expect.stringMatching(/^Министерство/) } } }] },
        },
      },
    });
  });

  it('refuses `me` without a token with UNAUTHENTICATED', async () => {
    const { body } = await graph.request('{ me { id } }');
    expect(body.data).toEqual({ me: null });
    expect(body.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([['UNAUTHENTICATED', 'Войдите на портал, чтобы продолжить.']]);
  });

  it('refuses a token it did not sign with HTTP 401 and UNAUTHENTICATED, whatever the query', async () => {
    const [header, payload] = aliceToken.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(86)}`;
    const { status, body } = await graph.request('{ __typename }', { token: forged });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers a wrong password and an unknown login with the same message', async () => {
    const attempt = async (login: string, password: string) =>
      (
        await graph.request('mutation ($i: LoginInput!) { login(input: $i) { accessToken errors { field code message } } }', {
          variables: { i: { login, password } },
        })
      ).body;
    const wrongPassword = await attempt(alice.email, 'Wrong2026pass');
    expect(wrongPassword).toEqual({
      data: { login: { accessToken: null, errors: [{ field: null, code: 'INVALID_CREDENTIALS', message: 'Неверный логин или пароль. Проверьте данные или восстановите пароль.' }] } },
    });
    expect(await attempt('nobody@test.example', 'Wrong2026pass')).toEqual(wrongPassword);
    expect((await attempt('не логин', 'x')).data.login.errors).toEqual([
      { field: ['input', 'login'], code: 'INVALID_LOGIN_FORMAT', message: 'Введите мобильный телефон (+7…), адрес электронной почты или СНИЛС из 11 цифр.' },
    ]);
  });
});

describe('Gateway: the notification feed pages like a Relay connection', () => {
  const FEED =
    'query ($first: Int, $after: String, $unreadOnly: Boolean) { me { notifications(first: $first, after: $after, unreadOnly: $unreadOnly) { totalCount edges { cursor node { title } } pageInfo { hasNextPage hasPreviousPage endCursor } } } }';

  it('walks the pages with the cursors it hands out', async () => {
    const first = await graph.request(FEED, { token: aliceToken, variables: { first: 1 } });
    const page1 = first.body.data.me.notifications;
    expect(page1.edges.map((edge: { node: { title: string } }) => edge.node.title)).toEqual(['Обращение взято в работу']);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await graph.request(FEED, { token: aliceToken, variables: { first: 1, after: page1.pageInfo.endCursor } });
    const page2 = second.body.data.me.notifications;
    expect(page2.edges.map((edge: { node: { title: string } }) => edge.node.title)).toEqual(['Ответ техподдержки']);
    expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('filters unread items and counts only those', async () => {
    const { body } = await graph.request(FEED, { token: aliceToken, variables: { unreadOnly: true } });
    expect(body.data.me.notifications.totalCount).toBe(1);
    expect(body.data.me.notifications.edges.map((edge: { node: { title: string } }) => edge.node.title)).toEqual(['Обращение взято в работу']);
  });

  it('rejects a made-up cursor and an oversized page with BAD_USER_INPUT', async () => {
    for (const variables of [{ after: 'bm90LWEtY3Vyc29y' }, { first: 1000 }]) {
      const { body } = await graph.request(FEED, { token: aliceToken, variables });
      expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe("No path returns another person's data", () => {
  it("refuses another person's appeal by id with FORBIDDEN", async () => {
    const { body } = await graph.request('query ($id: ID!) { appeal(id: $id) { id text } }', { token: aliceToken, variables: { id: bobAppealId } });
    expect(body.data).toEqual({ appeal: null });
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  const ENTITY_FIELDS = {
    identity: '... on User { phone email }',
    profile: '... on User { profile { lastName } documents { type } }',
    notifications: '... on User { notifications { totalCount edges { node { title } } } }',
    appeals: '... on User { appeals { edges { node { id text } } } }',
  } as const;

  for (const [subgraph, fields] of Object.entries(ENTITY_FIELDS)) {
    it(`${subgraph}, called directly, gives another person's user entity to nobody but them`, async () => {
      const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ${fields} } }`;
      const variables = { r: [{ __typename: 'User', id: bob.id }] };
      const url = graph.subgraphUrls[subgraph as keyof typeof ENTITY_FIELDS];
      const asAlice = await graphql(url, query, { token: aliceToken, variables });
      expect(asAlice.body.data).toEqual({ _entities: [null] });
      expect(asAlice.body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
      const anonymous = await graphql(url, query, { variables });
      expect(anonymous.body.data).toEqual({ _entities: [null] });
      expect(anonymous.body.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    });
  }

  it("appeals, called directly, refuses another person's appeal entity", async () => {
    const { body } = await graphql(graph.subgraphUrls.appeals, 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Appeal { text } } }', {
      token: aliceToken,
      variables: { r: [{ __typename: 'Appeal', id: bobAppealId }] },
    });
    expect(body.data).toEqual({ _entities: [null] });
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('keeps an official to the appeals of their own authority', async () => {
    const official = await createPerson(graph, { roles: ['OFFICIAL'], lastName: 'Должностная' });
    const own = await createAuthority(graph, { officialId: official.id });
    const ownAppeal = await createAppeal(graph, { authorId: bob.id, ...own });
    const token = await signIn(graph, official.email);
    const queue = await graph.request('{ authorityAppeals { totalCount edges { node { id author { name { lastName } } } } } }', { token });
    expect(queue.body).toEqual({ data: { authorityAppeals: { totalCount: 1, edges: [{ node: { id: ownAppeal.id, author: { name: { lastName: 'Борисов' } } } }] } } });
    const foreign = await graph.request('query ($id: ID!) { appeal(id: $id) { id } }', { token, variables: { id: aliceAppealId } });
    expect(foreign.body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const documents = await graph.request('query ($id: ID!) { appeal(id: $id) { author { documents { type } } } }', { token, variables: { id: ownAppeal.id } });
    expect(documents.body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('refuses the officials queue to a citizen', async () => {
    const { body } = await graph.request('{ authorityAppeals { totalCount } }', { token: aliceToken });
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, errorCodes, lastCode, signIn, TEST_PASSWORD } from './fixtures.ts';
import { graphql, startGraph, type TestGraph } from './graph.ts';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());

const FEED = '{ me { notifications(first: 10, category: ACCOUNT) { edges { node { title body } } } } }';
const feedTitles = async (token: string) => (await graph.request(FEED, { token })).body.data.me.notifications.edges.map((edge: { node: { title: string } }) => edge.node.title);

describe('Identity tells the rest of the portal through events', () => {
  it('a successful data check raises the account to STANDARD, makes the SNILS a login and says so in the feed', async () => {
    const person = await createPerson(graph, { level: 'SIMPLIFIED' });
    await graph.bus.publish([
      {
        id: randomUUID(),
        type: 'profile.data-check-completed',
        occurredAt: new Date().toISOString(),
        payload: { userId: person.id, checkId: randomUUID(), outcome: 'SUCCEEDED', reason: null, passport: { series: '4510', number: '765432' }, snils: '11223344797' },
      },
    ]);
    await graph.eventsSettled();
    const token = await signIn(graph, '112-233-447 97');
    expect((await graph.request('{ me { id level snils } }', { token })).body.data.me).toEqual({ id: person.id, level: 'STANDARD', snils: '112-233-447 97' });
    expect(await feedTitles(token)).toContain('Учётная запись стандартная: данные проверены');
  });

  it('a data check with a SNILS of another account raises nothing, and the feed does not say it did', async () => {
    const checked = (userId: string) => ({
      id: randomUUID(),
      type: 'profile.data-check-completed' as const,
      occurredAt: new Date().toISOString(),
      payload: { userId, checkId: randomUUID(), outcome: 'SUCCEEDED' as const, reason: null, passport: { series: '4510', number: '765433' }, snils: '11223344999' },
    });
    const holder = await createPerson(graph, { level: 'SIMPLIFIED' });
    await graph.bus.publish([checked(holder.id)]);
    await graph.eventsSettled();
    const newcomer = await createPerson(graph, { level: 'SIMPLIFIED' });
    await graph.bus.publish([checked(newcomer.id)]);
    await graph.eventsSettled();
    const token = await signIn(graph, newcomer.phone);
    expect((await graph.request('{ me { level snils } }', { token })).body.data.me).toEqual({ level: 'SIMPLIFIED', snils: null });
    expect((await graph.request(FEED, { token })).body.data.me.notifications.edges.map((edge: { node: unknown }) => edge.node)).toEqual(
      expect.arrayContaining([
        { title: 'Данные проверены', body: 'Социальный фонд и МВД России подтвердили ваши личные данные, СНИЛС и паспорт.' },
        { title: 'СНИЛС уже привязан к другой учётной записи', body: expect.stringContaining('этот СНИЛС уже используется в другой учётной записи') },
      ]),
    );
    expect(await feedTitles(token)).toHaveLength(2);
  });

  it('a failed data check changes nothing in identity', async () => {
    const person = await createPerson(graph, { level: 'SIMPLIFIED' });
    await graph.bus.publish([
      {
        id: randomUUID(),
        type: 'profile.data-check-completed',
        occurredAt: new Date().toISOString(),
        payload: { userId: person.id, checkId: randomUUID(), outcome: 'FAILED', reason: 'СНИЛС не найден', passport: null, snils: null },
      },
    ]);
    await graph.eventsSettled();
    expect((await graph.request('{ me { level snils } }', { token: await signIn(graph, person.phone) })).body.data.me).toEqual({ level: 'SIMPLIFIED', snils: null });
  });

  it('a password change reaches the feed, with where it came from', async () => {
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    await graph.request('mutation ($i: ChangePasswordInput!) { changePassword(input: $i) { errors { code } } }', {
      token,
      headers: { 'user-agent': 'Firefox/140.0' },
      variables: { i: { oldPassword: TEST_PASSWORD, newPassword: 'Volga2026stream', newPasswordConfirmation: 'Volga2026stream' } },
    });
    await graph.eventsSettled();
    const { body } = await graph.request(FEED, { token });
    expect(body.data.me.notifications.edges[0].node).toEqual({
      title: 'Пароль изменён',
      body: expect.stringMatching(
        /^Пароль изменён \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2} \(мск\)\. Устройство: Firefox\/140\.0, адрес .+\. Если это были не вы, смените пароль и завершите другие сеансы в настройках безопасности\.$/,
      ),
    });
  });

  it('a registration through the gateway starts the person’s profile with the names given', async () => {
    const phone = `+7966${String(process.pid % 10_000_000).padStart(7, '0')}`;
    const started = (await graph.request('mutation { startRegistration(input: { lastName: "Кузьмина", firstName: "Вера", phone: "' + phone + '" }) { codeSent { requestId } } }')).body.data.startRegistration;
    const requestId = started.codeSent.requestId;
    await graph.request('mutation ($i: ConfirmCodeInput!) { confirmRegistrationContact(input: $i) { confirmed } }', { variables: { i: { requestId, code: lastCode(graph, phone) } } });
    const done = (
      await graph.request('mutation ($i: CompleteRegistrationInput!) { completeRegistration(input: $i) { accessToken } }', {
        variables: { i: { requestId, password: 'Ladoga2026river', passwordConfirmation: 'Ladoga2026river' } },
      })
    ).body.data.completeRegistration;
    await graph.eventsSettled();
    expect((await graph.request('{ me { profile { lastName firstName } } }', { token: done.accessToken })).body.data.me.profile).toEqual({ lastName: 'Кузьмина', firstName: 'Вера' });
  });

  it('a deleted account’s profile is erased by the profile subgraph', async () => {
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    const operatorToken = await signIn(graph, (await createPerson(graph, { roles: ['OPERATOR'] })).phone);
    const deleted = await graph.request('mutation ($i: DeleteAccountInput!) { deleteAccount(input: $i) { errors { code } } }', { token, variables: { i: { password: TEST_PASSWORD } } });
    expect(errorCodes(deleted.body.data.deleteAccount)).toEqual([]);
    await graph.eventsSettled();
    // Called on profile directly: the gateway has no way to ask for a deleted account.
    const direct = await graphql(graph.subgraphUrls.profile, 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { name { lastName } documents { type } } } }', {
      token: operatorToken,
      variables: { r: [{ __typename: 'User', id: person.id }] },
    });
    expect(direct.body).toEqual({ data: { _entities: [{ name: null, documents: [] }] } });
  });
});

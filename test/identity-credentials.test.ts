import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { insertAccountsIfMissing } from '../subgraphs/identity/db/accounts.ts';
import { hashPassword } from '../subgraphs/identity/domain/credentials.ts';
import { createPerson, errorCodes, graphQLErrorCodes, lastCode, signIn, TEST_PASSWORD } from './fixtures.ts';
import { startGraph, type TestGraph } from './graph.ts';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());

const NEW_PASSWORD = 'Volga2026stream';
const LOGIN = 'mutation ($i: LoginInput!) { login(input: $i) { accessToken errors { code message } } }';
const loginWith = async (login: string, password: string) => (await graph.request(LOGIN, { variables: { i: { login, password } } })).body.data.login;

describe('Changing the password', () => {
  const CHANGE = 'mutation ($i: ChangePasswordInput!) { changePassword(input: $i) { user { id } errors { field code } } }';

  it('asks for the old password once and the new one twice, and ends the other sessions', async () => {
    const person = await createPerson(graph);
    const other = await signIn(graph, person.phone);
    const token = await signIn(graph, person.phone);
    const wrongOld = await graph.request(CHANGE, { token, variables: { i: { oldPassword: 'Nope2026pass', newPassword: NEW_PASSWORD, newPasswordConfirmation: NEW_PASSWORD } } });
    expect(wrongOld.body.data.changePassword.errors).toEqual([{ field: ['input', 'oldPassword'], code: 'WRONG_PASSWORD' }]);
    const mismatch = await graph.request(CHANGE, { token, variables: { i: { oldPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, newPasswordConfirmation: 'Volga2026Stream' } } });
    expect(mismatch.body.data.changePassword.errors).toEqual([{ field: ['input', 'newPasswordConfirmation'], code: 'PASSWORD_MISMATCH' }]);
    const changed = await graph.request(CHANGE, { token, variables: { i: { oldPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, newPasswordConfirmation: NEW_PASSWORD } } });
    expect(changed.body.data.changePassword).toEqual({ user: { id: person.id }, errors: [] });
    expect(errorCodes(await loginWith(person.phone, TEST_PASSWORD))).toEqual(['INVALID_CREDENTIALS']);
    expect((await loginWith(person.phone, NEW_PASSWORD)).accessToken).toEqual(expect.any(String));
    expect(graphQLErrorCodes((await graph.request('{ me { id } }', { token: other })).body)).toEqual(['SESSION_REVOKED']);
    expect((await graph.request('{ me { id } }', { token })).body.data.me.id).toBe(person.id);
  });
});

describe('Recovering the password', () => {
  const START = 'mutation ($i: StartPasswordRecoveryInput!) { startPasswordRecovery(input: $i) { codeSent { requestId channel sentTo } errors { field code message } } }';
  const COMPLETE = 'mutation ($i: CompletePasswordRecoveryInput!) { completePasswordRecovery(input: $i) { accessToken errors { field code } } }';

  it('by phone: an SMS code, then a new password, and every old session ends', async () => {
    const person = await createPerson(graph);
    const before = await signIn(graph, person.phone);
    const started = (await graph.request(START, { variables: { i: { login: person.phone } } })).body.data.startPasswordRecovery;
    expect(started.codeSent).toMatchObject({ channel: 'SMS', sentTo: `+7 ${person.phone.slice(2, 5)} ***-**-${person.phone.slice(-2)}` });
    const done = await graph.request(COMPLETE, {
      variables: { i: { requestId: started.codeSent.requestId, code: lastCode(graph, person.phone), newPassword: NEW_PASSWORD, newPasswordConfirmation: NEW_PASSWORD } },
    });
    expect(done.body.data.completePasswordRecovery).toMatchObject({ accessToken: expect.any(String), errors: [] });
    expect((await loginWith(person.email, NEW_PASSWORD)).accessToken).toEqual(expect.any(String));
    expect(graphQLErrorCodes((await graph.request('{ me { id } }', { token: before })).body)).toEqual(['SESSION_REVOKED']);
    // The code was single use.
    const again = await graph.request(COMPLETE, {
      variables: { i: { requestId: started.codeSent.requestId, code: lastCode(graph, person.phone), newPassword: 'Other2026pass', newPasswordConfirmation: 'Other2026pass' } },
    });
    expect(errorCodes(again.body.data.completePasswordRecovery)).toEqual(['CODE_INVALID']);
  });

  it('by e-mail: a link valid one hour', async () => {
    const person = await createPerson(graph);
    const started = (await graph.request(START, { variables: { i: { login: person.email } } })).body.data.startPasswordRecovery;
    expect(started.codeSent.channel).toBe('EMAIL');
    expect(graph.messages.lastTo(person.email)?.text).toContain(`https://portal.test/recovery/confirm?request=${started.codeSent.requestId}&code=`);
    const done = await graph.request(COMPLETE, {
      variables: { i: { requestId: started.codeSent.requestId, code: lastCode(graph, person.email), newPassword: NEW_PASSWORD, newPasswordConfirmation: NEW_PASSWORD } },
    });
    expect(done.body.data.completePasswordRecovery.errors).toEqual([]);
  });

  it('by SNILS: a link to the account’s e-mail, named masked', async () => {
    const person = await createPerson(graph);
    await graph.databases.identity.sql`update identity.accounts set snils = '11223344595' where id = ${person.id}`;
    const started = (await graph.request(START, { variables: { i: { login: '112-233-445 95' } } })).body.data.startPasswordRecovery;
    expect(started.codeSent).toMatchObject({ channel: 'EMAIL', sentTo: `${person.email.slice(0, 2)}***@test.example` });
    expect(graph.messages.lastTo(person.email)).toMatchObject({ channel: 'EMAIL', subject: 'Восстановление пароля на Госуслугах' });
  });

  it('by SNILS without confirmed contacts: sends to the service centre with the portal’s words', async () => {
    const id = randomUUID();
    await insertAccountsIfMissing(graph.databases.identity.db, [{ id, snils: '11223344696', phone: null, email: null, passwordHash: await hashPassword(TEST_PASSWORD) }]);
    const { body } = await graph.request(START, { variables: { i: { login: '11223344696' } } });
    expect(body.data.startPasswordRecovery).toEqual({
      codeSent: null,
      errors: [{ field: ['input', 'login'], code: 'NO_CONFIRMED_CONTACTS', message: 'Учётная запись с таким СНИЛС не имеет подтверждённых контактов. Для восстановления доступа обратитесь в центр обслуживания.' }],
    });
  });

  it('answers an unknown phone like a known one, and sends nothing', async () => {
    const phone = '+79990000777';
    const { body } = await graph.request(START, { variables: { i: { login: phone } } });
    expect(body.data.startPasswordRecovery).toMatchObject({ codeSent: { channel: 'SMS', sentTo: '+7 999 ***-**-77' }, errors: [] });
    expect(graph.messages.messagesTo(phone)).toEqual([]);
  });
});

describe('A temporary password from a service-centre operator', () => {
  it('is issued by an operator only, must be replaced at the first sign-in, and then works', async () => {
    const [person, operator] = [await createPerson(graph), await createPerson(graph, { roles: ['OPERATOR'] })];
    const citizenToken = await signIn(graph, (await createPerson(graph)).phone);
    const ISSUE = 'mutation ($i: IssueTemporaryPasswordInput!) { issueTemporaryPassword(input: $i) { temporaryPassword errors { code } } }';
    expect(graphQLErrorCodes((await graph.request(ISSUE, { token: citizenToken, variables: { i: { userId: person.id } } })).body)).toEqual(['FORBIDDEN']);

    const operatorToken = await signIn(graph, operator.phone);
    const found = await graph.request('query ($l: String!) { findAccount(login: $l) { id } }', { token: operatorToken, variables: { l: person.email } });
    expect(found.body.data.findAccount).toEqual({ id: person.id });
    const issued = (await graph.request(ISSUE, { token: operatorToken, variables: { i: { userId: person.id } } })).body.data.issueTemporaryPassword;
    const temporary = issued.temporaryPassword as string;

    expect(errorCodes(await loginWith(person.phone, temporary))).toEqual(['PASSWORD_CHANGE_REQUIRED']);
    const replaced = await graph.request('mutation ($i: ReplaceTemporaryPasswordInput!) { replaceTemporaryPassword(input: $i) { accessToken errors { code } } }', {
      variables: { i: { login: person.phone, temporaryPassword: temporary, newPassword: NEW_PASSWORD, newPasswordConfirmation: NEW_PASSWORD } },
    });
    expect(replaced.body.data.replaceTemporaryPassword).toMatchObject({ accessToken: expect.any(String), errors: [] });
    expect((await loginWith(person.phone, NEW_PASSWORD)).errors).toEqual([]);
  });
});

describe('Changing the phone or e-mail', () => {
  const START = 'mutation ($i: StartContactChangeInput!) { startContactChange(input: $i) { codeSent { requestId sentTo } errors { code } } }';
  const CONFIRM = 'mutation ($i: ConfirmCodeInput!) { confirmContactChange(input: $i) { user { phone } errors { code } } }';

  it('needs the password and a code sent to the new number; then the new number is the login', async () => {
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    const newPhone = `+7955${person.phone.slice(-7)}`;
    expect(errorCodes((await graph.request(START, { token, variables: { i: { phone: newPhone, password: 'Nope2026pass' } } })).body.data.startContactChange)).toEqual(['WRONG_PASSWORD']);
    const taken = await createPerson(graph);
    expect(errorCodes((await graph.request(START, { token, variables: { i: { phone: taken.phone, password: TEST_PASSWORD } } })).body.data.startContactChange)).toEqual(['PHONE_TAKEN']);
    const started = (await graph.request(START, { token, variables: { i: { phone: newPhone, password: TEST_PASSWORD } } })).body.data.startContactChange;
    const confirmed = await graph.request(CONFIRM, { token, variables: { i: { requestId: started.codeSent.requestId, code: lastCode(graph, newPhone) } } });
    expect(confirmed.body.data.confirmContactChange).toEqual({ user: { phone: newPhone }, errors: [] });
    expect((await loginWith(newPhone, TEST_PASSWORD)).errors).toEqual([]);
    expect(errorCodes(await loginWith(person.phone, TEST_PASSWORD))).toEqual(['INVALID_CREDENTIALS']);
  });
});

describe('The event log', () => {
  it('shows sign-ins and security changes, newest first, to the person only', async () => {
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    await graph.request('mutation { setTwoStepLogin(input: { enabled: true, password: "' + TEST_PASSWORD + '" }) { errors { code } } }', { token });
    const { body } = await graph.request('{ me { securityEvents(first: 10) { edges { node { kind title } } pageInfo { hasNextPage } } } }', { token });
    expect(body.data.me.securityEvents).toEqual({
      edges: [{ node: { kind: 'TWO_STEP_LOGIN_ENABLED', title: 'Включён вход с подтверждением по СМС' } }, { node: { kind: 'LOGIN', title: 'Вход в личный кабинет' } }],
      pageInfo: { hasNextPage: false },
    });
  });
});

describe('Deleting the account', () => {
  it('needs the password, then the account is gone', async () => {
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    const DELETE = 'mutation ($i: DeleteAccountInput!) { deleteAccount(input: $i) { deletedUserId errors { code } } }';
    expect((await graph.request(DELETE, { token, variables: { i: { password: 'Nope2026pass' } } })).body.data.deleteAccount).toEqual({ deletedUserId: null, errors: [{ code: 'WRONG_PASSWORD' }] });
    expect((await graph.request(DELETE, { token, variables: { i: { password: TEST_PASSWORD } } })).body.data.deleteAccount).toEqual({ deletedUserId: person.id, errors: [] });
    expect(errorCodes(await loginWith(person.phone, TEST_PASSWORD))).toEqual(['INVALID_CREDENTIALS']);
    expect(graphQLErrorCodes((await graph.request('{ me { id } }', { token })).body)).toEqual(['ACCOUNT_DELETED']);
  });
});

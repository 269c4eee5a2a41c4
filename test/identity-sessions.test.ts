import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionStatuses } from '../subgraphs/identity/domain/sessions.ts';
import { claimsOf, createPerson, errorCodes, graphQLErrorCodes, lastCode, signIn, TEST_PASSWORD, type Person } from './fixtures.ts';
import { startGraph, type TestGraph } from './graph.ts';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());

const LOGIN = 'mutation ($i: LoginInput!) { login(input: $i) { accessToken refreshToken smsCodeSent { requestId channel sentTo } errors { field code message } } }';
const REFRESH = 'mutation ($i: RefreshSessionInput!) { refreshSession(input: $i) { accessToken refreshToken user { level } errors { code } } }';
const REFRESH_WITH_MESSAGES = 'mutation ($i: RefreshSessionInput!) { refreshSession(input: $i) { accessToken refreshToken errors { field code message } } }';

async function login(person: Person, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return (await graph.request(LOGIN, { variables: { i: { login: person.phone, password: TEST_PASSWORD, ...extra } }, headers })).body.data.login;
}

describe('Signing in is throttled', () => {
  it('locks a login after five wrong passwords from one address, with a clear "try again in N minutes"', async () => {
    const person = await createPerson(graph);
    for (let n = 0; n < 5; n++) {
      const { body } = await graph.request(LOGIN, { variables: { i: { login: person.email, password: 'Wrong2026pass' } } });
      expect(errorCodes(body.data.login)).toEqual(['INVALID_CREDENTIALS']);
    }
    const locked = await graph.request(LOGIN, { variables: { i: { login: person.email, password: TEST_PASSWORD } } });
    expect(graphQLErrorCodes(locked.body)).toEqual(['RATE_LIMITED']);
    expect(locked.body.errors?.[0]).toMatchObject({
      message: 'Слишком много неудачных попыток входа. Попробуйте снова через 15 минут.',
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
    });
  });

  it('answers an unknown login the same way, lock included', async () => {
    const attempts = [];
    for (let n = 0; n < 6; n++) {
      const { body } = await graph.request(LOGIN, { variables: { i: { login: 'nobody-here@test.example', password: 'Wrong2026pass' } } });
      attempts.push(body.errors?.[0]?.extensions?.code ?? body.data.login.errors[0].code);
    }
    expect(attempts).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'RATE_LIMITED']);
  });

  it('does not let aliases in one request multiply password guesses', async () => {
    const person = await createPerson(graph);
    const guesses = Array.from({ length: 8 }, (_, n) => `g${n}: login(input: { login: "${person.email}", password: "Wrong${n}2026pass" }) { errors { code } }`).join('\n');
    const { body } = await graph.request(`mutation { ${guesses} }`);
    // Mutations run one after another: the sixth guess meets the lock, and so does the owner after.
    expect(graphQLErrorCodes(body)).toEqual(['RATE_LIMITED']);
    const owner = await graph.request(LOGIN, { variables: { i: { login: person.email, password: TEST_PASSWORD } } });
    expect(graphQLErrorCodes(owner.body)).toEqual(['RATE_LIMITED']);
  });
});

describe('Two-step login', () => {
  it('asks for an SMS code after the password once it is on, and signs in with it', async () => {
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    const on = await graph.request('mutation { setTwoStepLogin(input: { enabled: true, password: "' + TEST_PASSWORD + '" }) { user { twoStepLogin } errors { code } } }', { token });
    expect(on.body.data.setTwoStepLogin).toEqual({ user: { twoStepLogin: true }, errors: [] });

    const first = await login(person);
    expect(first).toMatchObject({ accessToken: null, smsCodeSent: { channel: 'SMS', sentTo: expect.stringMatching(/^\+7 \d{3} \*\*\*-\*\*-\d{2}$/) }, errors: [] });
    const wrong = await graph.request('mutation ($i: ConfirmCodeInput!) { confirmLogin(input: $i) { accessToken errors { code } } }', { variables: { i: { requestId: first.smsCodeSent.requestId, code: '12345x' } } });
    expect(errorCodes(wrong.body.data.confirmLogin)).toEqual(['CODE_INVALID']);
    const second = await graph.request('mutation ($i: ConfirmCodeInput!) { confirmLogin(input: $i) { accessToken errors { code } } }', {
      variables: { i: { requestId: first.smsCodeSent.requestId, code: lastCode(graph, person.phone) } },
    });
    expect(second.body.data.confirmLogin.accessToken).toEqual(expect.any(String));
    const sessions = await graph.request('{ me { sessions(first: 1) { edges { node { authMethod current } } } } }', { token: second.body.data.confirmLogin.accessToken });
    expect(sessions.body.data.me.sessions.edges[0].node).toEqual({ authMethod: 'PASSWORD_AND_SMS', current: true });
  });
});

describe('Sessions and refresh tokens', () => {
  it('rotates the refresh token on every use; the access token names the session', async () => {
    const person = await createPerson(graph);
    const { accessToken, refreshToken } = await login(person);
    const claims = claimsOf(accessToken);
    expect(claims).toMatchObject({ sub: person.id, lvl: 'CONFIRMED', roles: [], sid: expect.any(String), iss: 'epgu-identity', aud: 'epgu-graph' });
    const next = (await graph.request(REFRESH, { variables: { i: { refreshToken } } })).body.data.refreshSession;
    expect(next.refreshToken).not.toBe(refreshToken);
    expect(claimsOf(next.accessToken).sid).toBe(claims.sid);
  });

  it('ends the session when an old refresh token comes back, for the thief and the owner alike', async () => {
    const person = await createPerson(graph);
    const { refreshToken: stolen } = await login(person);
    const owner = (await graph.request(REFRESH, { variables: { i: { refreshToken: stolen } } })).body.data.refreshSession;
    const thief = await graph.request(REFRESH_WITH_MESSAGES, { variables: { i: { refreshToken: stolen } } });
    expect(thief.body.errors).toBeUndefined();
    expect(thief.body.data.refreshSession).toEqual({
      accessToken: null,
      refreshToken: null,
      errors: [{ field: ['input', 'refreshToken'], code: 'REFRESH_TOKEN_REUSED', message: 'Этот токен обновления уже использовался: сеанс завершён ради безопасности. Войдите снова.' }],
    });
    const ownerAgain = (await graph.request(REFRESH, { variables: { i: { refreshToken: owner.refreshToken } } })).body.data.refreshSession;
    expect(ownerAgain).toMatchObject({ accessToken: null, errors: [{ code: 'SESSION_REVOKED' }] });
    const log = await graph.request('{ me { securityEvents(first: 5) { edges { node { kind title } } } } }', { token: await signIn(graph, person.phone) });
    expect(log.body.data.me.securityEvents.edges.map((edge: { node: { kind: string } }) => edge.node.kind)).toContain('REFRESH_TOKEN_REUSED');
  });

  it('refuses a malformed, forged or expired refresh token in the payload, with HTTP 200 and no GraphQL error', async () => {
    const person = await createPerson(graph);
    const { refreshToken } = await login(person);
    const forged = refreshToken.replace(/\.[^.]+$/, `.${'A'.repeat(43)}`);
    const refuse = async (token: string) => {
      const { status, body } = await graph.request(REFRESH, { variables: { i: { refreshToken: token } } });
      expect([status, body.errors]).toEqual([200, undefined]);
      return body.data.refreshSession;
    };
    expect(await refuse('не токен')).toMatchObject({ accessToken: null, errors: [{ code: 'REFRESH_TOKEN_INVALID' }] });
    expect(await refuse(forged)).toMatchObject({ accessToken: null, errors: [{ code: 'REFRESH_TOKEN_INVALID' }] });
    await graph.databases.identity.sql`update identity.sessions set last_active_at = last_active_at - interval '8 days' where account_id = ${person.id}`;
    expect(await refuse(refreshToken)).toMatchObject({ accessToken: null, errors: [{ code: 'SESSION_EXPIRED' }] });
  });

  it("sorts the sessions by last use: a request with a session's access token is a use, noted to the minute", async () => {
    const person = await createPerson(graph);
    const phone = await login(person, { deviceName: 'Телефон' });
    const laptop = await login(person, { deviceName: 'Ноутбук' });
    // Both were last used (and refreshed) ten minutes ago, the laptop last: it signed in last.
    const { sql } = graph.databases.identity;
    await sql`update identity.sessions set last_used_at = last_used_at - interval '10 minutes', last_active_at = last_active_at - interval '10 minutes' where account_id = ${person.id}`;
    const SESSIONS = '{ me { sessions { edges { node { deviceName current lastActiveAt lastUsedAt } } } } }';
    const sessions = async () => (await graph.request(SESSIONS, { token: laptop.accessToken })).body.data.me.sessions.edges.map(({ node }: { node: unknown }) => node);
    // This request is the laptop's use (noted now); the phone's comes after it.
    const before = await sessions();
    expect(before.map((s: { deviceName: string }) => s.deviceName)).toEqual(['Ноутбук', 'Телефон']);

    // The phone makes a request without refreshing its tokens: the session check of the gateway notes the use.
    await graph.request('{ me { id } }', { token: phone.accessToken });
    const after = await sessions();
    expect(after.map((s: { deviceName: string; current: boolean }) => [s.deviceName, s.current])).toEqual([
      ['Телефон', false],
      ['Ноутбук', true],
    ]);
    // The laptop's second request, within the minute of its first, did not move its note (one UPDATE a minute).
    const [phoneNow, laptopNow] = after;
    expect(laptopNow.lastUsedAt).toBe(before[0].lastUsedAt);
    expect(Date.parse(phoneNow.lastUsedAt)).toBeGreaterThan(Date.parse(laptopNow.lastUsedAt));
    expect(Date.now() - Date.parse(phoneNow.lastUsedAt)).toBeLessThan(60_000);
    expect(phoneNow.lastActiveAt).toBe(before[1].lastActiveAt);
  });

  // Guards subgraphs/identity/db/sessions.ts checkSessionsNotingUse: each answer in the order
  // asked, and the use noted once a minute at most, from one statement for the whole batch.
  it('answers a batch of session checks in order, live, revoked and deleted apart, noting each use once a minute', async () => {
    const person = await createPerson(graph);
    const phone = claimsOf((await login(person)).accessToken);
    const laptop = claimsOf((await login(person)).accessToken);
    const { db, sql } = graph.databases.identity;
    await sql`update identity.sessions set revoked_at = now(), revoke_reason = 'LOGOUT' where id = ${laptop.sid as string}`;
    const live = { accountId: person.id, sessionId: phone.sid as string };
    const at = new Date(Date.now() + 2 * 60_000);
    const batch = [live, { accountId: person.id, sessionId: laptop.sid as string }, { accountId: randomUUID(), sessionId: randomUUID() }, live];
    expect(await sessionStatuses(db, batch, at)).toEqual([{ live: true }, { live: false, reason: 'SESSION_REVOKED' }, { live: false, reason: 'ACCOUNT_DELETED' }, { live: true }]);
    const lastUsed = async () => new Date((await sql<{ at: string }[]>`select last_used_at as at from identity.sessions where id = ${live.sessionId}`)[0]!.at).getTime();
    expect(await lastUsed()).toBe(at.getTime());
    // Within the minute: not noted again.
    await sessionStatuses(db, [live], new Date(at.getTime() + 30_000));
    expect(await lastUsed()).toBe(at.getTime());
    expect(await sessionStatuses(db, [])).toEqual([]);
  });

  it('pages the live sessions, the most recently used first, and refuses a page over 100', async () => {
    const person = await createPerson(graph);
    for (const deviceName of ['Планшет', 'Телефон']) await login(person, { deviceName });
    const laptop = await login(person, { deviceName: 'Ноутбук' });
    const PAGE = 'query ($first: Int, $after: String) { me { sessions(first: $first, after: $after) { totalCount edges { cursor node { deviceName current } } pageInfo { hasNextPage hasPreviousPage endCursor } } } }';
    const page = async (variables: Record<string, unknown>) => (await graph.request(PAGE, { token: laptop.accessToken, variables })).body.data.me.sessions;
    const first = await page({ first: 2 });
    expect(first).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true, hasPreviousPage: false } });
    expect(first.edges.map(({ node }: { node: unknown }) => node)).toEqual([
      { deviceName: 'Ноутбук', current: true },
      { deviceName: 'Телефон', current: false },
    ]);
    const rest = await page({ first: 2, after: first.pageInfo.endCursor });
    expect(rest).toMatchObject({ totalCount: 3, edges: [{ node: { deviceName: 'Планшет', current: false } }], pageInfo: { hasNextPage: false, hasPreviousPage: true } });
    const tooMany = await graph.request(PAGE, { token: laptop.accessToken, variables: { first: 101 } });
    expect({ status: tooMany.status, errors: tooMany.body.errors?.map(({ message, extensions }) => ({ message, code: extensions?.code })) }).toEqual({
      status: 400,
      errors: [{ message: 'Аргумент first должен быть целым числом от 0 до 100.', code: 'BAD_USER_INPUT' }],
    });
  });

  it('lists live sessions with their devices, ends one, and its access token stops working at once', async () => {
    const person = await createPerson(graph);
    const phone = await login(person, { deviceName: 'Телефон' }, { 'user-agent': 'EpguApp/1.0 (Android)' });
    const laptop = await login(person, { deviceName: 'Ноутбук' }, { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' });
    const list = await graph.request('{ me { sessions { edges { node { id deviceName userAgent current authMethod } } } } }', { token: laptop.accessToken });
    const listed = list.body.data.me.sessions.edges.map(({ node }: { node: { id: string; deviceName: string; userAgent: string; current: boolean } }) => node);
    expect(listed.map((s: { deviceName: string; userAgent: string; current: boolean }) => [s.deviceName, s.userAgent, s.current])).toEqual([
      ['Ноутбук', 'Mozilla/5.0 (X11; Linux x86_64)', true],
      ['Телефон', 'EpguApp/1.0 (Android)', false],
    ]);
    const phoneSession = listed[1].id;
    const revoked = await graph.request('mutation ($i: RevokeSessionInput!) { revokeSession(input: $i) { revokedCount errors { code } } }', { token: laptop.accessToken, variables: { i: { sessionId: phoneSession } } });
    expect(revoked.body.data.revokeSession).toEqual({ revokedCount: 1, errors: [] });
    const lost = await graph.request('{ me { id } }', { token: phone.accessToken });
    expect(lost.body.errors?.[0]).toMatchObject({ extensions: { code: 'SESSION_REVOKED' }, message: 'Сеанс завершён. Войдите снова.' });
    expect(errorCodes((await graph.request(REFRESH, { variables: { i: { refreshToken: phone.refreshToken } } })).body.data.refreshSession)).toEqual(['SESSION_REVOKED']);
  });

  it('ends every other session at once, and logs out the current one', async () => {
    const person = await createPerson(graph);
    const others = [await login(person), await login(person)];
    const current = await login(person);
    const ended = await graph.request('mutation { revokeOtherSessions { revokedCount user { sessions { totalCount edges { node { current } } } } } }', { token: current.accessToken });
    expect(ended.body.data.revokeOtherSessions).toEqual({ revokedCount: 2, user: { sessions: { totalCount: 1, edges: [{ node: { current: true } }] } } });
    for (const other of others) expect(graphQLErrorCodes((await graph.request('{ me { id } }', { token: other.accessToken })).body)).toEqual(['SESSION_REVOKED']);
    const out = await graph.request('mutation { logout { revokedCount } }', { token: current.accessToken });
    expect(out.body.data.logout).toEqual({ revokedCount: 1 });
    expect(graphQLErrorCodes((await graph.request('{ me { id } }', { token: current.accessToken })).body)).toEqual(['SESSION_REVOKED']);
  });

  it("refuses another person's session by id as not found", async () => {
    const [owner, stranger] = [await createPerson(graph), await createPerson(graph)];
    const ownerToken = (await login(owner)).accessToken;
    const strangerToken = (await login(stranger)).accessToken;
    const sessionId = claimsOf(ownerToken).sid;
    const { body } = await graph.request('mutation ($i: RevokeSessionInput!) { revokeSession(input: $i) { revokedCount errors { code } } }', { token: strangerToken, variables: { i: { sessionId } } });
    expect(body.data.revokeSession).toEqual({ revokedCount: 0, errors: [{ code: 'SESSION_NOT_FOUND' }] });
    expect((await graph.request('{ me { id } }', { token: ownerToken })).body.data.me.id).toBe(owner.id);
  });
});

describe('Mobile quick-access PIN', () => {
  const SET = 'mutation ($i: SetMobilePinInput!) { setMobilePin(input: $i) { errors { code } } }';
  const PIN_LOGIN = 'mutation ($i: LoginWithPinInput!) { loginWithPin(input: $i) { accessToken errors { code message } } }';

  it('binds a PIN after a password sign-in and signs in with it on that device', async () => {
    const person = await createPerson(graph);
    const token = (await login(person)).accessToken;
    const deviceId = `device-${person.id}`;
    expect((await graph.request(SET, { token, variables: { i: { deviceId, deviceName: 'Pixel', pin: '2580' } } })).body.data.setMobilePin.errors).toEqual([]);
    const signedIn = (await graph.request(PIN_LOGIN, { variables: { i: { deviceId, pin: '2580' } } })).body.data.loginWithPin;
    expect(signedIn.accessToken).toEqual(expect.any(String));
    // A PIN session cannot set a PIN: that needs the password.
    const fromPin = await graph.request(SET, { token: signedIn.accessToken, variables: { i: { deviceId, pin: '1397' } } });
    expect(errorCodes(fromPin.body.data.setMobilePin)).toEqual(['FULL_LOGIN_REQUIRED']);
  });

  it('refuses simple PINs, and a fourth PIN on one device within a month', async () => {
    const person = await createPerson(graph);
    const token = (await login(person)).accessToken;
    const deviceId = `device-limit-${person.id}`;
    const set = async (pin: string) => errorCodes((await graph.request(SET, { token, variables: { i: { deviceId, pin } } })).body.data.setMobilePin);
    expect(await set('1111')).toEqual(['PIN_TOO_SIMPLE']);
    expect(await set('1234')).toEqual(['PIN_TOO_SIMPLE']);
    expect(await set('12a4')).toEqual(['PIN_INVALID']);
    expect([await set('2580'), await set('1397'), await set('4826')]).toEqual([[], [], []]);
    expect(await set('5937')).toEqual(['PIN_CHANGE_LIMIT']);
  });

  it('unbinds the device after five wrong PINs', async () => {
    const person = await createPerson(graph);
    const token = (await login(person)).accessToken;
    const deviceId = `device-wrong-${person.id}`;
    await graph.request(SET, { token, variables: { i: { deviceId, pin: '2580' } } });
    const codes = [];
    for (let n = 0; n < 5; n++) codes.push(...errorCodes((await graph.request(PIN_LOGIN, { variables: { i: { deviceId, pin: '9999' } } })).body.data.loginWithPin));
    expect(codes).toEqual(['PIN_WRONG', 'PIN_WRONG', 'PIN_WRONG', 'PIN_WRONG', 'PIN_ATTEMPTS_EXHAUSTED']);
    const right = await graph.request(PIN_LOGIN, { variables: { i: { deviceId, pin: '2580' } } });
    expect(errorCodes(right.body.data.loginWithPin)).toEqual(['DEVICE_NOT_BOUND']);
  });
});

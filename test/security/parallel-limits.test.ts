import { setTimeout as sleep } from 'node:timers/promises';
import { and, count, eq, sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, mobileDevices, securityEvents, sessions } from '../../subgraphs/identity/db/schema.ts';
import { passportDigest } from '../../subgraphs/identity/domain/levels.ts';
import { generateKeys, issueCertificate, personSubject, signText } from '../certificates.ts';
import { ageSends, createPerson, lastCode, signIn, TEST_PASSWORD, type Person } from '../fixtures.ts';
import { startGraph, type TestGraph } from '../graph.ts';
import { clientAddresses, outcome, parallel, tally, uniquePhones } from '../parallel-requests.ts';

/**
 * Every limit of identity holds under parallel requests (docs/security.md, «Limits under parallel
 * requests»): N requests at once, through the gateway, and exactly the number the rule allows gets
 * through. The gateway's own per-address limit is off in the test graph (test/graph.ts), so what is
 * counted here is identity's. Each test names the line of the fix it guards; each was seen red
 * with that line reverted.
 */

let graph: TestGraph;
beforeAll(async () => {
  // The test stands as the gateway's proxy, so each test's X-Forwarded-For is its own client address.
  graph = await startGraph({ trustProxy: '127.0.0.1,::1' });
});
afterAll(() => graph?.stop());

const N = 30;
/** A client address of its own for each test, so per-address counts of one test never meet another's. */
const newAddress = clientAddresses('198.51.100');
const newPhone = uniquePhones('+7966');

/**
 * One request got through, and every other was refused as a used code (or, while the winner's
 * attempt was still reserved, as one with no attempt free).
 */
function expectOneThrough(answers: string[]): void {
  expect(answers.filter((answer) => answer === 'OK')).toHaveLength(1);
  expect(answers.filter((answer) => answer !== 'OK').every((answer) => ['CODE_INVALID', 'CODE_ATTEMPTS_EXHAUSTED', 'CONTACT_NOT_CONFIRMED', 'NO_LETTER_ORDERED'].includes(answer))).toBe(true);
}

/**
 * Resolves once `n` statements of this test's database wait on a lock. The poll shares identity's
 * pool (10 connections) with the waiting requests: keep `n` well below that.
 */
async function waitingOnLocks(n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [row] = await graph.databases.identity.db.execute<{ waiting: number }>(sql`select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
    if (row!.waiting >= n) return;
    if (Date.now() > deadline) throw new Error(`${n} requests should wait on the held row, ${row!.waiting} do`);
    await sleep(5);
  }
}

/**
 * The right guess, sent while the test holds its row (`lock`, a `select … for update`) and, once
 * the guess waits on it, spends the attempts (`spend`), as parallel wrong guesses would. Code that
 * compares before it counts has compared the guess by then and lets it in; code that reserves an
 * attempt first finds none left.
 */
async function rightGuessWhileAttemptsRunOut(lock: SQL, spend: SQL, guess: () => Promise<string>): Promise<string> {
  const pending = await graph.databases.identity.db.transaction(async (tx) => {
    await tx.execute(lock);
    const answer = guess();
    await waitingOnLocks(1);
    await tx.execute(spend);
    return { answer };
  });
  return pending.answer;
}

const codeRow = (requestId: string) => sql`select 1 from identity.verification_codes where id = ${requestId} for update`;
const otherCode = (code: string) => (code === '000000' ? '111111' : '000000');
const spendCode = (requestId: string) => sql`update identity.verification_codes set attempts_left = 0 where id = ${requestId}`;

/** 30 wrong guesses at once get exactly 3 comparisons (2 say how many are left, the third spends the code), and the right code is refused after. */
async function expectThreeCompared(guess: (right: boolean) => Promise<string>): Promise<void> {
  const wrong = await parallel(N, () => guess(false));
  expect(tally(wrong)).toEqual({ CODE_ATTEMPTS_EXHAUSTED: N - 2, CODE_INVALID: 2 });
  expect(await guess(true)).toBe('CODE_ATTEMPTS_EXHAUSTED');
}

const START_REGISTRATION = 'mutation ($i: StartRegistrationInput!) { startRegistration(input: $i) { codeSent { requestId } errors { code } } }';
const CONFIRM_REGISTRATION = 'mutation ($i: ConfirmCodeInput!) { confirmRegistrationContact(input: $i) { confirmed errors { code message } } }';
const COMPLETE_REGISTRATION = 'mutation ($i: CompleteRegistrationInput!) { completeRegistration(input: $i) { accessToken errors { code } } }';
const START_RECOVERY = 'mutation ($i: StartPasswordRecoveryInput!) { startPasswordRecovery(input: $i) { codeSent { requestId } errors { code } } }';
const COMPLETE_RECOVERY = 'mutation ($i: CompletePasswordRecoveryInput!) { completePasswordRecovery(input: $i) { accessToken errors { code } } }';
const LOGIN = 'mutation ($i: LoginInput!) { login(input: $i) { accessToken smsCodeSent { requestId } errors { code } } }';
const CONFIRM_LOGIN = 'mutation ($i: ConfirmCodeInput!) { confirmLogin(input: $i) { accessToken errors { code } } }';
const START_CHANGE = 'mutation ($i: StartContactChangeInput!) { startContactChange(input: $i) { codeSent { requestId } errors { code } } }';
const CONFIRM_CHANGE = 'mutation ($i: ConfirmCodeInput!) { confirmContactChange(input: $i) { user { phone } errors { code } } }';
const NEW_PASSWORD = 'Onega2026lake';

const startRegistration = (phone: string, headers = newAddress()) => graph.request(START_REGISTRATION, { headers, variables: { i: { lastName: 'Гонкина', firstName: 'Анна', phone } } });

async function registrationCode(): Promise<{ phone: string; requestId: string; code: string }> {
  const phone = newPhone();
  const { body } = await startRegistration(phone);
  return { phone, requestId: body.data.startRegistration.codeSent.requestId, code: lastCode(graph, phone) };
}

async function eventsOf(accountId: string, kind: string): Promise<number> {
  const [row] = await graph.databases.identity.db
    .select({ n: count() })
    .from(securityEvents)
    .where(and(eq(securityEvents.accountId, accountId), eq(securityEvents.kind, kind)));
  return row!.n;
}

describe('Sign-in attempts are counted before the password is compared', () => {
  it('lets exactly 5 of 40 parallel wrong passwords be compared, and keeps the login open elsewhere', async () => {
    // Guards subgraphs/identity/domain/login.ts checkCredentials: reserveSignInAttempt before passwordMatches,
    // and throttle.ts reserveAttempt: a key counts an attempt only if the key before it let it through.
    const person = await createPerson(graph);
    const attacker = newAddress();
    const answers = await parallel(40, async (n) => outcome((await graph.request(LOGIN, { headers: attacker, variables: { i: { login: person.email, password: `Wrong${n}2026pass` } } })).body, 'login'));
    expect(tally(answers)).toEqual({ INVALID_CREDENTIALS: 5, RATE_LIMITED: 35 });
    const owner = await graph.request(LOGIN, { headers: attacker, variables: { i: { login: person.email, password: TEST_PASSWORD } } });
    expect(outcome(owner.body, 'login')).toBe('RATE_LIMITED');
    // The 35 refused attempts did not count against the login itself: its owner signs in from home.
    const elsewhere = await graph.request(LOGIN, { headers: newAddress(), variables: { i: { login: person.email, password: TEST_PASSWORD } } });
    expect(elsewhere.body.data.login.accessToken).toEqual(expect.any(String));
  });
});

describe('Code attempts are reserved before the comparison', () => {
  // Each guards subgraphs/identity/domain/codes.ts checkCode: the conditional UPDATE … attempts_left - 1
  // … RETURNING before timingSafeEqual.
  it('registration: 30 parallel guesses get exactly 3 comparisons; a right guess in flight when they run out is refused', async () => {
    const guesser = async () => {
      const { requestId, code } = await registrationCode();
      return {
        requestId,
        guess: async (right: boolean) => outcome((await graph.request(CONFIRM_REGISTRATION, { variables: { i: { requestId, code: right ? code : otherCode(code) } } })).body, 'confirmRegistrationContact'),
      };
    };
    await expectThreeCompared((await guesser()).guess);
    const { requestId, guess } = await guesser();
    expect(await rightGuessWhileAttemptsRunOut(codeRow(requestId), spendCode(requestId), () => guess(true))).toBe('CODE_ATTEMPTS_EXHAUSTED');
  });

  it('password recovery: the same, so a known phone number is no way into the account', async () => {
    const guesser = async () => {
      const person = await createPerson(graph);
      const requestId = (await graph.request(START_RECOVERY, { variables: { i: { login: person.phone } } })).body.data.startPasswordRecovery.codeSent.requestId;
      const code = lastCode(graph, person.phone);
      const guess = async (right: boolean) =>
        outcome(
          (await graph.request(COMPLETE_RECOVERY, { variables: { i: { requestId, code: right ? code : otherCode(code), newPassword: NEW_PASSWORD, newPasswordConfirmation: NEW_PASSWORD } } })).body,
          'completePasswordRecovery',
        );
      return { person, requestId, guess };
    };
    await expectThreeCompared((await guesser()).guess);
    const { person, requestId, guess } = await guesser();
    expect(await rightGuessWhileAttemptsRunOut(codeRow(requestId), spendCode(requestId), () => guess(true))).toBe('CODE_ATTEMPTS_EXHAUSTED');
    expect(await eventsOf(person.id, 'PASSWORD_RECOVERED')).toBe(0);
  });

  it('two-step login: the same', async () => {
    const guesser = async () => {
      const person = await createPerson(graph);
      await graph.databases.identity.db.update(accounts).set({ twoStepLogin: true }).where(eq(accounts.id, person.id));
      const requestId = (await graph.request(LOGIN, { variables: { i: { login: person.phone, password: TEST_PASSWORD } } })).body.data.login.smsCodeSent.requestId;
      const code = lastCode(graph, person.phone);
      return { requestId, guess: async (right: boolean) => outcome((await graph.request(CONFIRM_LOGIN, { variables: { i: { requestId, code: right ? code : otherCode(code) } } })).body, 'confirmLogin') };
    };
    await expectThreeCompared((await guesser()).guess);
    const { requestId, guess } = await guesser();
    expect(await rightGuessWhileAttemptsRunOut(codeRow(requestId), spendCode(requestId), () => guess(true))).toBe('CODE_ATTEMPTS_EXHAUSTED');
  });

  it('contact change: the same', async () => {
    const guesser = async () => {
      const person = await createPerson(graph);
      const token = await signIn(graph, person.phone);
      const phone = newPhone();
      const requestId = (await graph.request(START_CHANGE, { token, variables: { i: { phone, password: TEST_PASSWORD } } })).body.data.startContactChange.codeSent.requestId;
      const code = lastCode(graph, phone);
      return { requestId, guess: async (right: boolean) => outcome((await graph.request(CONFIRM_CHANGE, { token, variables: { i: { requestId, code: right ? code : otherCode(code) } } })).body, 'confirmContactChange') };
    };
    await expectThreeCompared((await guesser()).guess);
    const { requestId, guess } = await guesser();
    expect(await rightGuessWhileAttemptsRunOut(codeRow(requestId), spendCode(requestId), () => guess(true))).toBe('CODE_ATTEMPTS_EXHAUSTED');
  });
});

let snilsSequence = 500;
/** A STANDARD account, signed in, as after a successful data check. */
async function standardPerson(): Promise<Person & { token: string }> {
  const person = await createPerson(graph, { level: 'STANDARD' });
  await graph.databases.identity.db
    .update(accounts)
    .set({ snils: `${String(++snilsSequence).padStart(9, '0')}00`, checkedPassportDigest: passportDigest('4510', '654321') })
    .where(eq(accounts.id, person.id));
  return { ...person, token: await signIn(graph, person.phone) };
}

describe('Registered letters', () => {
  const ORDER = 'mutation ($i: OrderConfirmationLetterInput!) { orderConfirmationLetter(input: $i) { letter { expectedDeliveryAt } errors { code } } }';
  const CODE = 'mutation ($i: ConfirmIdentityWithLetterCodeInput!) { confirmIdentityWithLetterCode(input: $i) { user { level } errors { code } } }';
  const order = (person: { token: string }, postalAddress: string) => graph.request(ORDER, { token: person.token, variables: { i: { postalAddress, recipientName: 'Гонкиной А.' } } });

  it('30 parallel orders post exactly one letter', async () => {
    // Guards subgraphs/identity/domain/levels.ts orderConfirmationLetter: reserveSend on the account's row before the insert.
    const person = await standardPerson();
    const postalAddress = `141400, г. Химки, ул. Гоночная, д. ${person.id.slice(0, 4)}`;
    const answers = await parallel(N, async () => outcome((await order(person, postalAddress)).body, 'orderConfirmationLetter'));
    expect(tally(answers)).toEqual({ LETTER_TOO_SOON: N - 1, OK: 1 });
    expect(graph.messages.messagesTo(postalAddress)).toHaveLength(1);
  });

  it('30 parallel guesses at the letter code get exactly 5 comparisons; the right code in parallel confirms once', async () => {
    // Guards levels.ts confirmWithLetterCode: the conditional UPDATE … attempts_left - 1 before the digest
    // is compared, and the usedAt … where used_at is null before setLevel.
    const guesser = async () => {
      const person = await standardPerson();
      const postalAddress = `141400, г. Химки, ул. Гоночная, д. ${person.id.slice(0, 4)}`;
      await order(person, postalAddress);
      const code = /: ([A-Z2-9]{8})\./.exec(graph.messages.lastTo(postalAddress)!.text)![1]!;
      return { person, guess: async (right: boolean) => outcome((await graph.request(CODE, { token: person.token, variables: { i: { code: right ? code : 'ZZZZZZZZ' } } })).body, 'confirmIdentityWithLetterCode') };
    };
    const first = await guesser();
    expect(tally(await parallel(N, () => first.guess(false)))).toEqual({ CODE_ATTEMPTS_EXHAUSTED: N - 5, CODE_INVALID: 5 });
    expect(await first.guess(true)).toBe('CODE_ATTEMPTS_EXHAUSTED');
    const { person, guess } = await guesser();
    const letterRow = sql`select 1 from identity.confirmation_letters where account_id = ${person.id} for update`;
    const spend = sql`update identity.confirmation_letters set attempts_left = 0 where account_id = ${person.id}`;
    expect(await rightGuessWhileAttemptsRunOut(letterRow, spend, () => guess(true))).toBe('CODE_ATTEMPTS_EXHAUSTED');

    const other = await standardPerson();
    const otherAddress = `141400, г. Химки, ул. Гоночная, д. ${other.id.slice(0, 4)}`;
    await order(other, otherAddress);
    const otherCode = /: ([A-Z2-9]{8})\./.exec(graph.messages.lastTo(otherAddress)!.text)![1]!;
    const confirmations = await parallel(N, async () => outcome((await graph.request(CODE, { token: other.token, variables: { i: { code: otherCode } } })).body, 'confirmIdentityWithLetterCode'));
    expectOneThrough(confirmations);
    expect(await eventsOf(other.id, 'LEVEL_CHANGED')).toBe(1);
  });
});

describe('A signature challenge', () => {
  it('sent with 30 parallel confirmations is verified once', async () => {
    // Guards subgraphs/identity/domain/levels.ts confirmWithSignature: the challenge taken by one
    // UPDATE … WHERE used_at IS NULL … RETURNING before the signature is verified.
    const person = await standardPerson();
    const year = 365 * 86_400_000;
    const ca = await issueCertificate({ subject: 'CN=УЦ гонки, C=RU', keys: await generateKeys('ec'), notBefore: new Date(Date.now() - year), notAfter: new Date(Date.now() + year), ca: true });
    const keys = await generateKeys('ec');
    const certificate = await issueCertificate({
      subject: personSubject({ lastName: 'Гонкина', givenName: 'Анна', snils: '11223344595' }),
      keys,
      issuer: ca,
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + year),
    });
    const started = (await graph.request('mutation { startSignatureConfirmation { challengeId challenge } }', { token: person.token })).body.data.startSignatureConfirmation;
    const input = { challengeId: started.challengeId, certificate: certificate.pem, signature: signText(keys, started.challenge) };
    const CONFIRM = 'mutation ($i: ConfirmIdentityWithSignatureInput!) { confirmIdentityWithSignature(input: $i) { errors { code } } }';
    const confirm = async () => outcome((await graph.request(CONFIRM, { token: person.token, variables: { i: input } })).body, 'confirmIdentityWithSignature');
    // The challenge's row is held until two of them wait on it (code that reads the challenge before
    // taking it has by then let both through), the other 28 are sent, and the row is let go. Only
    // two are sent first, so the waiting ones cannot take every connection of identity's pool.
    const pending = await graph.databases.identity.db.transaction(async (tx) => {
      await tx.execute(sql`select 1 from identity.signature_challenges where id = ${started.challengeId} for update`);
      const first = [confirm(), confirm()];
      await waitingOnLocks(2);
      return { all: [...first, ...Array.from({ length: N - 2 }, confirm)] };
    });
    const answers = await Promise.all(pending.all);
    // This graph trusts no certification authority: the one verification finds the certificate untrusted.
    expect(tally(answers)).toEqual({ CERTIFICATE_UNTRUSTED: 1, CHALLENGE_EXPIRED: N - 1 });
  });
});

describe('The mobile PIN', () => {
  const SET = 'mutation ($i: SetMobilePinInput!) { setMobilePin(input: $i) { errors { code } } }';
  const PIN_LOGIN = 'mutation ($i: LoginWithPinInput!) { loginWithPin(input: $i) { accessToken errors { code } } }';

  it('30 parallel PIN changes on one device: exactly 3 are taken', async () => {
    // Guards subgraphs/identity/domain/account.ts setMobilePin: the upsert's setWhere (cardinality of recent changes < 3).
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    const deviceId = `device-race-${person.id}`;
    const answers = await parallel(N, async () => outcome((await graph.request(SET, { token, variables: { i: { deviceId, pin: '2580' } } })).body, 'setMobilePin'));
    expect(tally(answers)).toEqual({ OK: 3, PIN_CHANGE_LIMIT: N - 3 });
    const [device] = await graph.databases.identity.db.select().from(mobileDevices).where(eq(mobileDevices.deviceId, deviceId));
    expect(device!.pinChanges).toHaveLength(3);
  });

  it('30 parallel wrong PINs get exactly 5 comparisons, and the right PIN does not sign in after', async () => {
    // Guards account.ts signInWithPin: the conditional UPDATE … wrong_pin_attempts + 1 … RETURNING before passwordMatches.
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    const deviceId = `device-guess-${person.id}`;
    await graph.request(SET, { token, variables: { i: { deviceId, pin: '2580' } } });
    const guess = async (right: boolean) => outcome((await graph.request(PIN_LOGIN, { variables: { i: { deviceId, pin: right ? '2580' : '9731' } } })).body, 'loginWithPin');
    const wrong = await parallel(N, () => guess(false));
    expect(wrong.filter((answer) => answer === 'PIN_WRONG')).toHaveLength(4);
    expect(wrong.every((answer) => ['PIN_WRONG', 'PIN_ATTEMPTS_EXHAUSTED', 'DEVICE_NOT_BOUND'].includes(answer))).toBe(true);
    expect(await guess(true)).toBe('DEVICE_NOT_BOUND');

    // A right PIN in flight when five wrong ones (here: the test) spend the attempts does not sign in either.
    await graph.request(SET, { token, variables: { i: { deviceId, pin: '2580' } } });
    const deviceRow = sql`select 1 from identity.mobile_devices where device_id = ${deviceId} for update`;
    const spend = sql`update identity.mobile_devices set wrong_pin_attempts = 5 where device_id = ${deviceId}`;
    expect(await rightGuessWhileAttemptsRunOut(deviceRow, spend, () => guess(true))).toBe('PIN_ATTEMPTS_EXHAUSTED');
    const [opened] = await graph.databases.identity.db
      .select({ n: count() })
      .from(sessions)
      .where(and(eq(sessions.accountId, person.id), eq(sessions.authMethod, 'PIN')));
    expect(opened!.n).toBe(0);
  });
});

describe('Sends are reserved before anything is sent', () => {
  // Each guards subgraphs/identity/domain/codes.ts issueCode: reserveSend (sends.ts, one upsert on the
  // recipient's row) before the code is stored and sent.
  it('30 parallel registrations for one phone send exactly one SMS', async () => {
    const phone = newPhone();
    const headers = newAddress();
    const answers = await parallel(N, async () => outcome((await startRegistration(phone, headers)).body, 'startRegistration'));
    expect(tally(answers)).toEqual({ OK: 1, RATE_LIMITED: N - 1 });
    expect(graph.messages.messagesTo(phone)).toHaveLength(1);
  });

  it('30 parallel recoveries for one phone send exactly one SMS', async () => {
    const person = await createPerson(graph);
    const answers = await parallel(N, async () => outcome((await graph.request(START_RECOVERY, { variables: { i: { login: person.phone } } })).body, 'startPasswordRecovery'));
    expect(tally(answers)).toEqual({ OK: 1, RATE_LIMITED: N - 1 });
    expect(graph.messages.messagesTo(person.phone)).toHaveLength(1);
  });

  it('30 parallel contact changes to one phone send exactly one SMS', async () => {
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    const phone = newPhone();
    const headers = newAddress();
    const answers = await parallel(N, async () => outcome((await graph.request(START_CHANGE, { token, headers, variables: { i: { phone, password: TEST_PASSWORD } } })).body, 'startContactChange'));
    expect(tally(answers)).toEqual({ OK: 1, RATE_LIMITED: N - 1 });
    expect(graph.messages.messagesTo(phone)).toHaveLength(1);
  });

  it('the hourly budget of 5 holds in parallel, across purposes', async () => {
    const phone = newPhone();
    for (let n = 0; n < 4; n++) {
      expect(outcome((await startRegistration(phone)).body, 'startRegistration')).toBe('OK');
      await ageSends(graph, phone, 2 * 60_000);
    }
    // The cool-downs would let one registration and one contact change through; the budget has room for one.
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    const headers = newAddress();
    const answers = await parallel(N, async (n) =>
      n % 2
        ? outcome((await startRegistration(phone, headers)).body, 'startRegistration')
        : outcome((await graph.request(START_CHANGE, { token, headers, variables: { i: { phone, password: TEST_PASSWORD } } })).body, 'startContactChange'),
    );
    expect(tally(answers)).toEqual({ OK: 1, RATE_LIMITED: N - 1 });
    expect(graph.messages.messagesTo(phone)).toHaveLength(5);
  });
});

describe('A code is used once, however many requests bring it at once', () => {
  // Each guards consumeCode's `where used_at is null` (codes.ts) and the caller stopping when it answers false.
  it('30 parallel completions of one registration create one account', async () => {
    const { phone, requestId, code } = await registrationCode();
    await graph.request(CONFIRM_REGISTRATION, { variables: { i: { requestId, code } } });
    const answers = await parallel(N, async () =>
      outcome((await graph.request(COMPLETE_REGISTRATION, { variables: { i: { requestId, password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD } } })).body, 'completeRegistration'),
    );
    expectOneThrough(answers);
    const [created] = await graph.databases.identity.db.select({ n: count() }).from(accounts).where(eq(accounts.phone, phone));
    expect(created!.n).toBe(1);
  });

  it('30 parallel recoveries with one code change the password once', async () => {
    // Guards password.ts completePasswordRecovery: consumeCode as storePassword's dependsOn.
    const person = await createPerson(graph);
    const requestId = (await graph.request(START_RECOVERY, { variables: { i: { login: person.phone } } })).body.data.startPasswordRecovery.codeSent.requestId;
    const code = lastCode(graph, person.phone);
    const answers = await parallel(N, async () =>
      outcome((await graph.request(COMPLETE_RECOVERY, { variables: { i: { requestId, code, newPassword: NEW_PASSWORD, newPasswordConfirmation: NEW_PASSWORD } } })).body, 'completePasswordRecovery'),
    );
    expectOneThrough(answers);
    expect(await eventsOf(person.id, 'PASSWORD_RECOVERED')).toBe(1);
  });

  it('30 parallel confirmations of one two-step login open one session', async () => {
    // Guards login.ts confirmSignIn: no session unless consumeCode answered true.
    const person = await createPerson(graph);
    await graph.databases.identity.db.update(accounts).set({ twoStepLogin: true }).where(eq(accounts.id, person.id));
    const requestId = (await graph.request(LOGIN, { variables: { i: { login: person.phone, password: TEST_PASSWORD } } })).body.data.login.smsCodeSent.requestId;
    const code = lastCode(graph, person.phone);
    const answers = await parallel(N, async () => outcome((await graph.request(CONFIRM_LOGIN, { variables: { i: { requestId, code } } })).body, 'confirmLogin'));
    expectOneThrough(answers);
    const [opened] = await graph.databases.identity.db
      .select({ n: count() })
      .from(sessions)
      .where(and(eq(sessions.accountId, person.id), eq(sessions.authMethod, 'PASSWORD_AND_SMS')));
    expect(opened!.n).toBe(1);
  });

  it('30 parallel confirmations of one contact change change it once', async () => {
    // Guards account.ts confirmContactChange: consumeCode first in its transaction.
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    const phone = newPhone();
    const requestId = (await graph.request(START_CHANGE, { token, variables: { i: { phone, password: TEST_PASSWORD } } })).body.data.startContactChange.codeSent.requestId;
    const code = lastCode(graph, phone);
    const answers = await parallel(N, async () => outcome((await graph.request(CONFIRM_CHANGE, { token, variables: { i: { requestId, code } } })).body, 'confirmContactChange'));
    expectOneThrough(answers);
    expect(await eventsOf(person.id, 'PHONE_CHANGED')).toBe(1);
  });
});

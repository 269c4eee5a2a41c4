import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ageSends, createPerson, errorCodes, graphQLErrorCodes, lastCode } from './fixtures.ts';
import { startGraph, type TestGraph } from './graph.ts';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());

const START = 'mutation ($i: StartRegistrationInput!) { startRegistration(input: $i) { codeSent { requestId channel sentTo expiresAt resendAvailableAt } errors { field code message } } }';
const CONFIRM = 'mutation ($i: ConfirmCodeInput!) { confirmRegistrationContact(input: $i) { confirmed errors { field code message } } }';
const COMPLETE = 'mutation ($i: CompleteRegistrationInput!) { completeRegistration(input: $i) { accessToken refreshToken user { id level phone email } errors { field code message } } }';
const RESEND = 'mutation ($i: ResendCodeInput!) { resendRegistrationCode(input: $i) { codeSent { requestId } errors { code } } }';

let phoneSequence = 0;
const newPhone = () => `+7977${String(process.pid % 1000).padStart(3, '0')}${String(++phoneSequence).padStart(4, '0')}`;

async function start(input: Record<string, string>) {
  return (await graph.request(START, { variables: { i: { lastName: 'Новикова', firstName: 'Мария', ...input } } })).body;
}

describe('Registration by phone', () => {
  it('sends an SMS code valid 5 minutes, then creates a SIMPLIFIED account with the password and signs in', async () => {
    const phone = newPhone();
    const started = await start({ phone: `8 ${phone.slice(2, 5)} ${phone.slice(5)}` });
    const { requestId, channel, sentTo, expiresAt, resendAvailableAt } = started.data.startRegistration.codeSent;
    expect([channel, sentTo]).toEqual(['SMS', `+7 ${phone.slice(2, 5)} ***-**-${phone.slice(-2)}`]);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    expect(Date.parse(resendAvailableAt)).toBeGreaterThan(Date.now());
    expect(graph.messages.lastTo(phone)).toMatchObject({ channel: 'SMS', text: expect.stringMatching(/^Код подтверждения регистрации на Госуслугах: \d{6}\./) });

    const confirmed = await graph.request(CONFIRM, { variables: { i: { requestId, code: lastCode(graph, phone) } } });
    expect(confirmed.body).toEqual({ data: { confirmRegistrationContact: { confirmed: true, errors: [] } } });

    const completed = await graph.request(COMPLETE, { variables: { i: { requestId, password: 'Ladoga2026river', passwordConfirmation: 'Ladoga2026river' } } });
    const payload = completed.body.data.completeRegistration;
    expect(payload).toMatchObject({ user: { level: 'SIMPLIFIED', phone, email: null }, errors: [] });
    const me = await graph.request('{ me { id level phone } }', { token: payload.accessToken });
    expect(me.body).toEqual({ data: { me: { id: payload.user.id, level: 'SIMPLIFIED', phone } } });
  });

  it('refuses a taken phone with an error that points to password recovery', async () => {
    const owner = await createPerson(graph);
    const body = await start({ phone: owner.phone });
    expect(body.data.startRegistration).toEqual({
      codeSent: null,
      errors: [{ field: ['input', 'phone'], code: 'PHONE_TAKEN', message: 'Этот номер телефона уже используется в другой учётной записи. Если это ваша учётная запись, восстановите пароль.' }],
    });
  });

  it('says which fields are wrong: no names, no contact, a contact that is not a mobile number', async () => {
    const empty = await graph.request(START, { variables: { i: { lastName: ' ', firstName: 'Иван1', phone: '+1 202 555' } } });
    expect(errorCodes(empty.body.data.startRegistration)).toEqual(['NAME_REQUIRED', 'NAME_INVALID', 'PHONE_INVALID']);
    const none = await start({});
    expect(errorCodes(none.data.startRegistration)).toEqual(['CONTACT_REQUIRED']);
  });

  it('counts wrong codes: after three the code is spent, and even the right one is refused', async () => {
    const phone = newPhone();
    const { requestId } = (await start({ phone })).data.startRegistration.codeSent;
    const right = lastCode(graph, phone);
    const wrong = right === '000000' ? '111111' : '000000';
    const answers = [];
    for (let n = 0; n < 3; n++) answers.push((await graph.request(CONFIRM, { variables: { i: { requestId, code: wrong } } })).body.data.confirmRegistrationContact.errors[0].message);
    expect(answers).toEqual(['Неверный код. Осталось попыток: 2.', 'Неверный код. Осталось попыток: 1.', 'Код введён неверно слишком много раз. Запросите новый код.']);
    const late = await graph.request(CONFIRM, { variables: { i: { requestId, code: right } } });
    expect(errorCodes(late.body.data.confirmRegistrationContact)).toEqual(['CODE_ATTEMPTS_EXHAUSTED']);
  });

  it('refuses an expired code and sends a new one once the cool-down has passed', async () => {
    const phone = newPhone();
    const { requestId } = (await start({ phone })).data.startRegistration.codeSent;
    const tooSoon = await graph.request(RESEND, { variables: { i: { requestId } } });
    expect(graphQLErrorCodes(tooSoon.body)).toEqual(['RATE_LIMITED']);
    expect(tooSoon.body.errors?.[0]?.message).toMatch(/^Новый код можно запросить через \d+ с\.$/);

    // Five minutes and a cool-down later, as the clock would have it.
    await graph.databases.identity.db.execute(sql`update identity.verification_codes set expires_at = now() - interval '1 second', created_at = now() - interval '6 minutes' where id = ${requestId}`);
    await ageSends(graph, phone, 6 * 60_000);
    const expired = await graph.request(CONFIRM, { variables: { i: { requestId, code: lastCode(graph, phone) } } });
    expect(errorCodes(expired.body.data.confirmRegistrationContact)).toEqual(['CODE_EXPIRED']);

    const resent = await graph.request(RESEND, { variables: { i: { requestId } } });
    const next = resent.body.data.resendRegistrationCode.codeSent.requestId;
    expect(next).not.toBe(requestId);
    const confirmed = await graph.request(CONFIRM, { variables: { i: { requestId: next, code: lastCode(graph, phone) } } });
    expect(confirmed.body.data.confirmRegistrationContact).toEqual({ confirmed: true, errors: [] });
  });

  it('sends no more than five codes an hour to one phone, so nobody can flood it', async () => {
    const phone = newPhone();
    for (let n = 0; n < 5; n++) {
      expect((await start({ phone })).data.startRegistration.errors).toEqual([]);
      await ageSends(graph, phone, 2 * 60_000);
    }
    const sixth = await start({ phone });
    expect(graphQLErrorCodes(sixth)).toEqual(['RATE_LIMITED']);
    expect(graph.messages.messagesTo(phone)).toHaveLength(5);
  });

  it('refuses weak passwords and a confirmation that differs, each with its own code', async () => {
    const phone = newPhone();
    const { requestId } = (await start({ phone })).data.startRegistration.codeSent;
    await graph.request(CONFIRM, { variables: { i: { requestId, code: lastCode(graph, phone) } } });
    const weak = await graph.request(COMPLETE, { variables: { i: { requestId, password: 'пароль', passwordConfirmation: 'пароль2' } } });
    expect(errorCodes(weak.body.data.completeRegistration)).toEqual([
      'PASSWORD_TOO_SHORT',
      'PASSWORD_INVALID_CHARACTERS',
      'PASSWORD_MISSING_LOWERCASE',
      'PASSWORD_MISSING_UPPERCASE',
      'PASSWORD_MISSING_DIGIT',
      'PASSWORD_MISMATCH',
    ]);
    const common = await graph.request(COMPLETE, { variables: { i: { requestId, password: 'Qwerty123', passwordConfirmation: 'Qwerty123' } } });
    expect(errorCodes(common.body.data.completeRegistration)).toEqual(['PASSWORD_TOO_COMMON']);
  });

  it('accepts the strong password the portal suggests', async () => {
    const phone = newPhone();
    const { requestId } = (await start({ phone })).data.startRegistration.codeSent;
    await graph.request(CONFIRM, { variables: { i: { requestId, code: lastCode(graph, phone) } } });
    const { body } = await graph.request('{ generatePassword }');
    const password = body.data.generatePassword as string;
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    const completed = await graph.request(COMPLETE, { variables: { i: { requestId, password, passwordConfirmation: password } } });
    expect(completed.body.data.completeRegistration.errors).toEqual([]);
  });

  it('will not set a password before the contact is confirmed', async () => {
    const phone = newPhone();
    const { requestId } = (await start({ phone })).data.startRegistration.codeSent;
    const early = await graph.request(COMPLETE, { variables: { i: { requestId, password: 'Ladoga2026river', passwordConfirmation: 'Ladoga2026river' } } });
    expect(errorCodes(early.body.data.completeRegistration)).toEqual(['CONTACT_NOT_CONFIRMED']);
  });
});

describe('Registration by e-mail', () => {
  it('sends a link valid 3 days whose token confirms the address', async () => {
    const email = `maria${process.pid}@test.example`;
    const { requestId, channel, sentTo, expiresAt } = (await start({ email })).data.startRegistration.codeSent;
    expect([channel, sentTo]).toEqual(['EMAIL', `ma***@test.example`]);
    expect(Math.round((Date.parse(expiresAt) - Date.now()) / 3_600_000)).toBe(72);
    const letter = graph.messages.lastTo(email);
    expect(letter).toMatchObject({ channel: 'EMAIL', subject: 'Подтверждение регистрации на Госуслугах' });
    expect(letter?.text).toContain(`https://portal.test/registration/confirm?request=${requestId}&code=`);
    const confirmed = await graph.request(CONFIRM, { variables: { i: { requestId, code: lastCode(graph, email) } } });
    expect(confirmed.body.data.confirmRegistrationContact.confirmed).toBe(true);
    const completed = await graph.request(COMPLETE, { variables: { i: { requestId, password: 'Baikal2026lake', passwordConfirmation: 'Baikal2026lake' } } });
    expect(completed.body.data.completeRegistration.user).toMatchObject({ level: 'SIMPLIFIED', email, phone: null });
  });
});

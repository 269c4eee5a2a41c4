import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { accounts } from '../subgraphs/identity/db/schema.ts';
import { readConfig } from '../lib/config.ts';
import { DeliveryError, DevOutbox, messageSender } from '../lib/delivery.ts';
import { orderConfirmationLetter, passportDigest } from '../subgraphs/identity/domain/levels.ts';
import { generateKeys, issueCertificate, personSubject, signText, type Issued } from './certificates.ts';
import { claimsOf, createPerson, errorCodes, graphQLErrorCodes, signIn, TEST_PASSWORD, type Person } from './fixtures.ts';
import { startGraph, type TestGraph } from './graph.ts';

const now = new Date();
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);

let graph: TestGraph;
let trustedCa: Issued;
let strangerCa: Issued;

beforeAll(async () => {
  const [rootKeys, strangerKeys] = await Promise.all([generateKeys('ec'), generateKeys('ec')]);
  trustedCa = await issueCertificate({ subject: 'CN=Тестовый аккредитованный УЦ, C=RU', keys: rootKeys, notBefore: days(-365), notAfter: days(3650), ca: true });
  strangerCa = await issueCertificate({ subject: 'CN=Чужой УЦ, C=RU', keys: strangerKeys, notBefore: days(-365), notAfter: days(3650), ca: true });
  graph = await startGraph({ trustedRoots: [trustedCa.pem] });
});
afterAll(() => graph?.stop());

let snilsSequence = 100;
/** A STANDARD account, as after a successful data check: SNILS and the checked passport known to identity. */
async function standardPerson(): Promise<Person & { snils: string; token: string }> {
  const person = await createPerson(graph, { level: 'STANDARD' });
  const snils = `${String(++snilsSequence).padStart(9, '0')}00`;
  await graph.databases.identity.db
    .update(accounts)
    .set({ snils, checkedPassportDigest: passportDigest('4510', '654321') })
    .where(eq(accounts.id, person.id));
  return { ...person, snils, token: await signIn(graph, person.phone) };
}

const ME = '{ me { level confirmationMethod } }';

describe('Confirming identity in person at a service centre', () => {
  const CONFIRM = 'mutation ($i: ConfirmIdentityInPersonInput!) { confirmIdentityInPerson(input: $i) { user { level confirmationMethod } errors { code message } } }';

  it('confirms when the passport in hand is the one the registers checked', async () => {
    const person = await standardPerson();
    const operatorToken = await signIn(graph, (await createPerson(graph, { roles: ['OPERATOR'] })).phone);
    const mismatch = await graph.request(CONFIRM, { token: operatorToken, variables: { i: { userId: person.id, passportSeries: '4510', passportNumber: '111111' } } });
    expect(mismatch.body.data.confirmIdentityInPerson).toEqual({
      user: null,
      errors: [{ code: 'DOCUMENT_MISMATCH', message: 'Паспорт не совпадает с проверенным паспортом в профиле. Новый документ сначала должен пройти проверку данных.' }],
    });
    const confirmed = await graph.request(CONFIRM, { token: operatorToken, variables: { i: { userId: person.id, passportSeries: '45 10', passportNumber: '654321' } } });
    expect(confirmed.body.data.confirmIdentityInPerson).toEqual({ user: { level: 'CONFIRMED', confirmationMethod: 'IN_PERSON' }, errors: [] });
  });

  it('applies the new level at the next token refresh, without a new sign-in', async () => {
    const person = await standardPerson();
    const operatorToken = await signIn(graph, (await createPerson(graph, { roles: ['OPERATOR'] })).phone);
    const signedIn = (await graph.request('mutation ($i: LoginInput!) { login(input: $i) { accessToken refreshToken } }', { variables: { i: { login: person.phone, password: TEST_PASSWORD } } })).body.data.login;
    expect(claimsOf(signedIn.accessToken).lvl).toBe('STANDARD');
    await graph.request(CONFIRM, { token: operatorToken, variables: { i: { userId: person.id, passportSeries: '4510', passportNumber: '654321' } } });
    const refreshed = await graph.request('mutation ($i: RefreshSessionInput!) { refreshSession(input: $i) { accessToken } }', { variables: { i: { refreshToken: signedIn.refreshToken } } });
    expect(claimsOf(refreshed.body.data.refreshSession.accessToken).lvl).toBe('CONFIRMED');
  });

  it('is for operators only', async () => {
    const person = await standardPerson();
    const { body } = await graph.request(CONFIRM, { token: person.token, variables: { i: { userId: person.id, passportSeries: '4510', passportNumber: '654321' } } });
    expect(graphQLErrorCodes(body)).toEqual(['FORBIDDEN']);
  });

  it("answers an account id that leads nowhere in errors, as the operator's mistake to fix", async () => {
    const operatorToken = await signIn(graph, (await createPerson(graph, { roles: ['OPERATOR'] })).phone);
    for (const userId of ['00000000-0000-4000-8000-0000000000ff', 'не идентификатор']) {
      const { body } = await graph.request(CONFIRM, { token: operatorToken, variables: { i: { userId, passportSeries: '4510', passportNumber: '654321' } } });
      expect(body.errors).toBeUndefined();
      expect(body.data.confirmIdentityInPerson).toEqual({ user: null, errors: [{ code: 'ACCOUNT_NOT_FOUND', message: 'Учётная запись не найдена: проверьте её идентификатор.' }] });
    }
  });

  it('needs a STANDARD account first', async () => {
    const simplified = await createPerson(graph, { level: 'SIMPLIFIED' });
    const operatorToken = await signIn(graph, (await createPerson(graph, { roles: ['OPERATOR'] })).phone);
    const { body } = await graph.request(CONFIRM, { token: operatorToken, variables: { i: { userId: simplified.id, passportSeries: '4510', passportNumber: '654321' } } });
    expect(errorCodes(body.data.confirmIdentityInPerson)).toEqual(['STANDARD_LEVEL_REQUIRED']);
  });
});

describe('Confirming identity with a code by registered letter', () => {
  const ORDER = 'mutation ($i: OrderConfirmationLetterInput!) { orderConfirmationLetter(input: $i) { letter { expectedDeliveryAt nextOrderAvailableAt } errors { code message } } }';
  const CODE = 'mutation ($i: ConfirmIdentityWithLetterCodeInput!) { confirmIdentityWithLetterCode(input: $i) { user { level confirmationMethod } errors { code message } } }';
  const address = '141400, Московская обл., г. Химки, ул. Молодёжная, д. 8, кв. 12';

  it('posts a letter (about two weeks), refuses a second within 30 days, and the code confirms', async () => {
    const person = await standardPerson();
    const order = (await graph.request(ORDER, { token: person.token, variables: { i: { postalAddress: address, recipientName: 'Тестову Т.' } } })).body.data.orderConfirmationLetter;
    expect(order.errors).toEqual([]);
    expect(Math.round((Date.parse(order.letter.expectedDeliveryAt) - Date.now()) / 86_400_000)).toBe(14);
    expect(Math.round((Date.parse(order.letter.nextOrderAvailableAt) - Date.now()) / 86_400_000)).toBe(30);
    const letter = graph.messages.lastTo(address);
    expect(letter).toMatchObject({ channel: 'POST', recipientName: 'Тестову Т.' });
    const code = /: ([A-Z2-9]{8})\./.exec(letter!.text)![1]!;

    const again = (await graph.request(ORDER, { token: person.token, variables: { i: { postalAddress: address, recipientName: 'Тестову Т.' } } })).body.data.orderConfirmationLetter;
    expect(again.letter).toBeNull();
    expect(again.errors[0].code).toBe('LETTER_TOO_SOON');
    expect(again.errors[0].message).toMatch(/^Письмо уже заказано \d{2}\.\d{2}\.\d{4}\. Повторно заказать письмо можно с \d{2}\.\d{2}\.\d{4}\.$/);

    expect(errorCodes((await graph.request(CODE, { token: person.token, variables: { i: { code: 'AAAAAAAA' } } })).body.data.confirmIdentityWithLetterCode)).toEqual(['CODE_INVALID']);
    const confirmed = await graph.request(CODE, { token: person.token, variables: { i: { code: code.toLowerCase() } } });
    expect(confirmed.body.data.confirmIdentityWithLetterCode).toEqual({ user: { level: 'CONFIRMED', confirmationMethod: 'POSTAL_CODE' }, errors: [] });
  });

  it('stores the code only as a digest', async () => {
    const person = await standardPerson();
    await graph.request(ORDER, { token: person.token, variables: { i: { postalAddress: address, recipientName: 'Т.' } } });
    const code = /: ([A-Z2-9]{8})\./.exec(graph.messages.lastTo(address)!.text)![1]!;
    const rows = await graph.databases.identity.db.execute(sql`select code_hash from identity.confirmation_letters where account_id = ${person.id}`);
    expect(JSON.stringify(rows)).not.toContain(code);
  });

  // Guards subgraphs/identity/domain/levels.ts orderConfirmationLetter (the POST channel's availability checked first).
  it('with letters turned off (CHANNELS_OFF=POST) answers LETTERS_UNAVAILABLE, and reserves and stores nothing', async () => {
    const person = await standardPerson();
    const [account] = await graph.databases.identity.db.select().from(accounts).where(eq(accounts.id, person.id));
    const lettersOff = readConfig({ CHANNELS_OFF: 'POST' }, (env) => messageSender(env));
    const result = await orderConfirmationLetter(graph.databases.identity.db, lettersOff, account!, { postalAddress: address, recipientName: 'Т.' }, 14 * 86_400_000);
    expect(result).toEqual({
      errors: [{ code: 'LETTERS_UNAVAILABLE', message: 'Подтверждение заказным письмом сейчас недоступно. Подтвердите учётную запись в центре обслуживания или электронной подписью.', field: null }],
    });
    const rows = await graph.databases.identity.db.execute(
      sql`select (select count(*) from identity.confirmation_letters where account_id = ${person.id}) as letters, (select count(*) from identity.sends where recipient = ${`letters:${person.id}`}) as sends`,
    );
    expect([...rows]).toEqual([{ letters: '0', sends: '0' }]);
  });

  // Guards subgraphs/identity/domain/levels.ts orderConfirmationLetter (the catch: letter removed, subgraphs/identity/db/sends.ts releaseSend).
  it("a letter the provider did not take leaves no letter and no 30 days' wait: LETTER_NOT_SENT, and the next order goes", async () => {
    const person = await standardPerson();
    const [account] = await graph.databases.identity.db.select().from(accounts).where(eq(accounts.id, person.id));
    const failing = { send: () => Promise.reject(new DeliveryError('POST', 'letter provider answered HTTP 503', { status: 503 })) };
    const order = (sender: Parameters<typeof orderConfirmationLetter>[1]) => orderConfirmationLetter(graph.databases.identity.db, sender, account!, { postalAddress: address, recipientName: 'Т.' }, 14 * 86_400_000);
    expect(await order(failing)).toEqual({ errors: [{ code: 'LETTER_NOT_SENT', message: 'Не удалось отправить письмо. Попробуйте заказать его позже.', field: null }] });
    const [letters] = await graph.databases.identity.db.execute(sql`select count(*) as n from identity.confirmation_letters where account_id = ${person.id}`);
    expect(letters).toEqual({ n: '0' });
    const outbox = new DevOutbox({ print: false });
    expect(await order(outbox)).toMatchObject({ letterId: expect.any(String) });
    expect(outbox.all()).toHaveLength(1);
  });

  it('wants a full address with a postcode', async () => {
    const person = await standardPerson();
    const { body } = await graph.request(ORDER, { token: person.token, variables: { i: { postalAddress: 'Химки', recipientName: 'Т.' } } });
    expect(errorCodes(body.data.orderConfirmationLetter)).toEqual(['POSTAL_ADDRESS_INVALID']);
  });
});

describe('Confirming identity with a qualified electronic signature', () => {
  const START = 'mutation { startSignatureConfirmation { challengeId challenge expiresAt errors { code } } }';
  const CONFIRM = 'mutation ($i: ConfirmIdentityWithSignatureInput!) { confirmIdentityWithSignature(input: $i) { user { level confirmationMethod } errors { code message } } }';

  async function signedBy(ca: Issued, person: { snils: string; token: string }) {
    const keys = await generateKeys('ec');
    const certificate = await issueCertificate({
      subject: personSubject({ lastName: 'Тестов', givenName: 'Тест Тестович', snils: person.snils }),
      keys,
      issuer: ca,
      notBefore: days(-30),
      notAfter: days(335),
    });
    const started = (await graph.request(START, { token: person.token })).body.data.startSignatureConfirmation;
    return { challengeId: started.challengeId, certificate: certificate.pem, signature: signText(keys, started.challenge) };
  }

  it('confirms with a signature whose certificate chains to a trusted CA and names the account’s SNILS', async () => {
    const person = await standardPerson();
    const { body } = await graph.request(CONFIRM, { token: person.token, variables: { i: await signedBy(trustedCa, person) } });
    expect(body.data.confirmIdentityWithSignature).toEqual({ user: { level: 'CONFIRMED', confirmationMethod: 'ELECTRONIC_SIGNATURE' }, errors: [] });
    expect((await graph.request(ME, { token: person.token })).body.data.me).toEqual({ level: 'CONFIRMED', confirmationMethod: 'ELECTRONIC_SIGNATURE' });
  });

  it('refuses a certificate from a CA the portal does not trust', async () => {
    const person = await standardPerson();
    const { body } = await graph.request(CONFIRM, { token: person.token, variables: { i: await signedBy(strangerCa, person) } });
    expect(errorCodes(body.data.confirmIdentityWithSignature)).toEqual(['CERTIFICATE_UNTRUSTED']);
  });

  it('refuses another person’s certificate (a SNILS that is not the account’s)', async () => {
    const person = await standardPerson();
    const { body } = await graph.request(CONFIRM, { token: person.token, variables: { i: await signedBy(trustedCa, { ...person, snils: '11223344595' }) } });
    expect(errorCodes(body.data.confirmIdentityWithSignature)).toEqual(['SIGNATURE_SNILS_MISMATCH']);
  });

  it('uses a challenge once', async () => {
    const person = await standardPerson();
    const signed = await signedBy(strangerCa, person);
    await graph.request(CONFIRM, { token: person.token, variables: { i: signed } });
    const { body } = await graph.request(CONFIRM, { token: person.token, variables: { i: signed } });
    expect(errorCodes(body.data.confirmIdentityWithSignature)).toEqual(['CHALLENGE_EXPIRED']);
  });
});

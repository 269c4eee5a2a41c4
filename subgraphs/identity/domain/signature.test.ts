import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKeys, gostPublicKeyInfo, issueCertificate, personSubject, signText, type IssueOptions } from '../../../test/certificates.ts';
import { CHALLENGE_PREFIX, challengeExpired, createSignatureChallenge, loadTrustedRoots, verifySignedChallenge, type SignedChallenge } from './signature.ts';

const NOW = new Date('2026-03-01T09:00:00Z');
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000);
const years = (n: number) => days(n * 365);

// Keys are the slow part: made once for the whole file.
const [rootKeys, intermediateKeys, personKeys, personRsaKeys, otherKeys, strangerKeys] = await Promise.all([
  generateKeys('rsa'),
  generateKeys('ec'),
  generateKeys('ec'),
  generateKeys('rsa'),
  generateKeys('ec'),
  generateKeys('ec'),
]);

const ivanov = personSubject({ lastName: 'Иванов', givenName: 'Иван Иванович', snils: '11223344595', inn: '500100732259' });
const ivanovHolder = {
  snils: '11223344595',
  inn: '500100732259',
  lastName: 'Иванов',
  firstName: 'Иван',
  middleName: 'Иванович',
  commonName: 'Иванов Иван Иванович',
};

const root = await issueCertificate({
  subject: 'CN=Тестовый головной УЦ, O=Минцифры, C=RU',
  keys: rootKeys,
  notBefore: years(-5),
  notAfter: years(10),
  ca: true,
});
const intermediate = await issueCertificate({
  subject: 'CN=Тестовый аккредитованный УЦ, O=УЦ, C=RU',
  keys: intermediateKeys,
  issuer: root,
  notBefore: years(-2),
  notAfter: years(5),
  ca: { pathLength: 0 },
});

/** A CA the portal does not trust. */
const stranger = await issueCertificate({
  subject: 'CN=Чужой УЦ, C=RU',
  keys: strangerKeys,
  notBefore: years(-1),
  notAfter: years(1),
  ca: true,
});

/** Ivanov's certificate, valid from a month ago for a year; the options change one thing at a time. */
const person = (options: Partial<IssueOptions> = {}) => issueCertificate({ subject: ivanov, keys: personKeys, issuer: intermediate, notBefore: days(-30), notAfter: days(335), ...options });

const { challenge } = createSignatureChallenge(NOW);

/** A check of Ivanov signing the challenge with a certificate from the intermediate CA, root trusted. */
const check = async (overrides: Partial<SignedChallenge> & { certificate: string }) =>
  verifySignedChallenge({
    challenge,
    signature: signText(personKeys, challenge),
    intermediates: [intermediate.pem],
    trustedRoots: [root.pem],
    now: NOW,
    ...overrides,
  });

const refused = (code: string, message: string) => ({ ok: false, code, message });
const UNTRUSTED_HINT = 'Подтвердите личность подписью, выданной аккредитованным удостоверяющим центром.';

describe('createSignatureChallenge', () => {
  it('says in words what is signed, is unguessable, and lives ten minutes', () => {
    const { challenge, expiresAt } = createSignatureChallenge(NOW);
    expect(challenge).toMatch(/^Подтверждение личности на портале госуслуг\. Код запроса: [A-Za-z0-9_-]{43}$/);
    expect(challenge.startsWith(CHALLENGE_PREFIX)).toBe(true);
    expect(expiresAt).toEqual(new Date('2026-03-01T09:10:00Z'));
  });

  it('is different every time', () => {
    const challenges = new Set(Array.from({ length: 100 }, () => createSignatureChallenge(NOW).challenge));
    expect(challenges.size).toBe(100);
  });

  it('expires after ten minutes, not before', () => {
    const { expiresAt } = createSignatureChallenge(NOW);
    expect(challengeExpired(expiresAt, new Date('2026-03-01T09:09:59.999Z'))).toBe(false);
    expect(challengeExpired(expiresAt, new Date('2026-03-01T09:10:00Z'))).toBe(true);
  });
});

describe('verifySignedChallenge: confirms', () => {
  it('a signature by a certificate from a trusted CA through an intermediate (ECDSA P-256), with the SNILS', async () => {
    const cert = await person();
    expect(await check({ certificate: cert.pem })).toEqual({
      ok: true,
      holder: ivanovHolder,
      serialNumber: expect.stringMatching(/^[0-9A-F]+$/),
      validTo: days(335),
    });
  });

  it('a signature by a certificate issued by the trusted root directly (RSA), no intermediates needed', async () => {
    const cert = await person({ keys: personRsaKeys, issuer: root });
    const result = await check({ certificate: cert.pem, signature: signText(personRsaKeys, challenge), intermediates: [] });
    expect(result).toEqual({ ok: true, holder: ivanovHolder, serialNumber: expect.any(String), validTo: days(335) });
  });

  it('whatever order the intermediates come in, with unrelated ones among them, and with one root of several', async () => {
    const cert = await person();
    const result = await check({
      certificate: cert.pem,
      intermediates: [stranger.pem, intermediate.pem],
      trustedRoots: [stranger.pem, root.pem],
    });
    expect(result).toMatchObject({ ok: true, holder: ivanovHolder });
  });

  it('a certificate without a keyUsage extension', async () => {
    const cert = await person({ usage: 'none' });
    expect(await check({ certificate: cert.pem })).toMatchObject({ ok: true });
  });

  it('reads an employee certificate: the person’s INN, not the organisation’s ИНН ЮЛ beside it', async () => {
    const subject = personSubject({
      lastName: 'Петрова',
      givenName: 'Анна',
      snils: '12345678901',
      inn: '771234567890',
      innLe: '7710474375',
    });
    const result = await check({ certificate: (await person({ subject })).pem });
    expect(result).toMatchObject({
      ok: true,
      holder: {
        snils: '12345678901',
        inn: '771234567890',
        lastName: 'Петрова',
        firstName: 'Анна',
        middleName: null,
        commonName: 'Петрова Анна',
      },
    });
  });

  it('leaves out an organisation’s INN padded with "00" (certificates before 2021) and a missing SNILS', async () => {
    const subject = personSubject({ lastName: 'Сидоров', givenName: 'Пётр Петрович', inn: '007710474375' });
    const result = await check({ certificate: (await person({ subject })).pem });
    expect(result).toMatchObject({ ok: true, holder: { snils: null, inn: null, lastName: 'Сидоров' } });
  });
});

describe('verifySignedChallenge: refuses', () => {
  it('a certificate from a CA the portal does not trust', async () => {
    const cert = await person({ issuer: stranger });
    expect(await check({ certificate: cert.pem, intermediates: [stranger.pem] })).toEqual(
      refused('CERTIFICATE_UNTRUSTED', `Сертификат выдан удостоверяющим центром, которому портал не доверяет, или цепочка сертификатов неполная. ${UNTRUSTED_HINT}`),
    );
  });

  it('a certificate whose intermediate was not sent', async () => {
    const cert = await person();
    expect(await check({ certificate: cert.pem, intermediates: [] })).toMatchObject({ ok: false, code: 'CERTIFICATE_UNTRUSTED' });
  });

  it('an intermediate with the right name but another key (a forged CA)', async () => {
    const forged = await issueCertificate({
      subject: 'CN=Тестовый аккредитованный УЦ, O=УЦ, C=RU',
      keys: strangerKeys,
      issuer: root,
      notBefore: years(-1),
      notAfter: years(1),
      ca: true,
    });
    const cert = await person();
    expect(await check({ certificate: cert.pem, intermediates: [forged.pem] })).toMatchObject({ code: 'CERTIFICATE_UNTRUSTED' });
  });

  it('a self-signed certificate', async () => {
    const cert = await issueCertificate({ subject: ivanov, keys: personKeys, notBefore: days(-1), notAfter: days(30) });
    expect(await check({ certificate: cert.pem, trustedRoots: [root.pem, cert.pem] })).toEqual(refused('CERTIFICATE_SELF_SIGNED', `Сертификат выпущен не удостоверяющим центром, а самим владельцем. ${UNTRUSTED_HINT}`));
  });

  it('an expired certificate, naming the day in Moscow time', async () => {
    const cert = await person({ notBefore: days(-365), notAfter: new Date('2026-02-27T22:30:00Z') });
    expect(await check({ certificate: cert.pem })).toEqual(refused('CERTIFICATE_EXPIRED', 'Срок действия сертификата электронной подписи истёк 28.02.2026. Получите новый сертификат в удостоверяющем центре.'));
  });

  it('a certificate that is not valid yet', async () => {
    const cert = await person({ notBefore: days(2), notAfter: days(367) });
    expect(await check({ certificate: cert.pem })).toEqual(refused('CERTIFICATE_NOT_YET_VALID', 'Сертификат электронной подписи начнёт действовать только 03.03.2026. Подпишите запрос после этой даты.'));
  });

  it('a certificate whose keyUsage does not allow signing', async () => {
    const cert = await person({ usage: 'encipherment' });
    expect(await check({ certificate: cert.pem })).toEqual(refused('CERTIFICATE_NOT_FOR_SIGNING', 'Этот сертификат не предназначен для электронной подписи. Выберите сертификат квалифицированной электронной подписи.'));
  });

  it('a CA’s own certificate, even one allowed to sign', async () => {
    const ca = await person({ issuer: root, ca: true, usage: 'signing' });
    expect(await check({ certificate: ca.pem })).toMatchObject({ ok: false, code: 'CERTIFICATE_NOT_FOR_SIGNING' });
  });

  it('a certificate issued by an intermediate that is not a CA', async () => {
    const notCa = await issueCertificate({
      subject: 'CN=Просто организация, C=RU',
      keys: intermediateKeys,
      issuer: root,
      notBefore: years(-1),
      notAfter: years(1),
    });
    const cert = await person({ issuer: notCa });
    expect(await check({ certificate: cert.pem, intermediates: [notCa.pem] })).toEqual(refused('ISSUER_NOT_CA', `Сертификат подписан участником, который не является удостоверяющим центром. ${UNTRUSTED_HINT}`));
  });

  it('a certificate issued by an intermediate CA whose own certificate has expired', async () => {
    const expired = await issueCertificate({
      subject: 'CN=Устаревший УЦ, C=RU',
      keys: intermediateKeys,
      issuer: root,
      notBefore: years(-3),
      notAfter: new Date('2026-01-15T12:00:00Z'),
      ca: true,
    });
    const cert = await person({ issuer: expired });
    expect(await check({ certificate: cert.pem, intermediates: [expired.pem] })).toEqual(
      refused('ISSUER_EXPIRED', 'Срок действия сертификата удостоверяющего центра, выдавшего подпись, истёк 15.01.2026. Обратитесь в удостоверяющий центр.'),
    );
  });

  it('a chain longer than an intermediate’s path length allows', async () => {
    const sub = await issueCertificate({
      subject: 'CN=Подчинённый УЦ, C=RU',
      keys: strangerKeys,
      issuer: intermediate,
      notBefore: years(-1),
      notAfter: years(1),
      ca: true,
    });
    const cert = await person({ issuer: sub });
    expect(await check({ certificate: cert.pem, intermediates: [sub.pem, intermediate.pem] })).toEqual(
      refused('CERTIFICATE_CHAIN_INVALID', `Цепочка сертификатов удостоверяющих центров нарушает ограничения, заданные в них самих. ${UNTRUSTED_HINT}`),
    );
  });

  const signatureInvalid = refused('SIGNATURE_INVALID', 'Подпись не подходит к запросу портала или к выбранному сертификату. Подпишите запрос ещё раз ключом этого сертификата.');

  it('a signature over a different challenge', async () => {
    const cert = await person();
    const other = createSignatureChallenge(NOW).challenge;
    expect(await check({ certificate: cert.pem, signature: signText(personKeys, other) })).toEqual(signatureInvalid);
  });

  it('a signature made with another key', async () => {
    const cert = await person();
    expect(await check({ certificate: cert.pem, signature: signText(otherKeys, challenge) })).toEqual(signatureInvalid);
  });

  it('random bytes for a signature', async () => {
    const cert = await person();
    expect(await check({ certificate: cert.pem, signature: randomBytes(72).toString('base64') })).toEqual(signatureInvalid);
  });

  it.each(['', 'не base64', 'abc', '!!!!'])('a signature that is not base64: %j', async (signature) => {
    const cert = await person();
    expect(await check({ certificate: cert.pem, signature })).toEqual(refused('SIGNATURE_UNREADABLE', 'Не удалось прочитать электронную подпись. Подпишите запрос ещё раз.'));
  });

  const unreadable = refused('CERTIFICATE_UNREADABLE', 'Не удалось прочитать сертификат электронной подписи. Выберите сертификат ещё раз; если ошибка повторится, обратитесь в удостоверяющий центр, который его выдал.');

  it.each([
    ['empty text', ''],
    ['not PEM', 'просто текст'],
    ['PEM of garbage', `-----BEGIN CERTIFICATE-----\n${randomBytes(300).toString('base64')}\n-----END CERTIFICATE-----`],
  ])('a certificate that cannot be read: %s', async (_, certificate) => {
    expect(await check({ certificate })).toEqual(unreadable);
  });

  it('an intermediate that cannot be read', async () => {
    const cert = await person();
    const garbage = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
    expect(await check({ certificate: cert.pem, intermediates: [garbage] })).toEqual(unreadable);
  });

  it('a GOST R 34.10-2012 key, which node cannot verify, with a refusal rather than a crash', async () => {
    const cert = await person({ publicKeyInfo: gostPublicKeyInfo() });
    expect(await check({ certificate: cert.pem })).toEqual(
      refused('UNSUPPORTED_ALGORITHM', 'Портал пока не проверяет подписи по алгоритму этого сертификата (например, ГОСТ Р 34.10-2012). Подтвердите личность другим способом.'),
    );
  });

  it('throws, as a configuration error, when a trusted root cannot be read', async () => {
    const cert = await person();
    await expect(check({ certificate: cert.pem, trustedRoots: ['garbage'] })).rejects.toThrow(/Trusted root certificate #1/);
  });
});

describe('loadTrustedRoots', () => {
  it('splits a bundle into its certificates, ignoring the text between them and Windows line ends', () => {
    const bundle = `Головной УЦ\r\n${root.pem.replace(/\n/g, '\r\n')}\r\nАккредитованный УЦ\n${intermediate.pem}\n`;
    expect(loadTrustedRoots(bundle)).toEqual([root.pem.trim(), intermediate.pem.trim()]);
  });

  it('refuses to start with a bundle that holds no certificate or one that cannot be read', () => {
    expect(() => loadTrustedRoots('')).toThrow('The trusted roots bundle holds no PEM certificate');
    expect(() => loadTrustedRoots(`${root.pem}\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----`)).toThrow('Trusted root certificate #2 in the bundle cannot be read');
  });
});

import { X509Certificate, randomBytes, verify } from 'node:crypto';

/**
 * Confirming a person's identity with a qualified electronic signature (квалифицированная электронная
 * подпись): the portal hands out a challenge, the person signs its text with the key of their
 * qualified certificate, and the account goes from STANDARD to CONFIRMED when the signature verifies
 * and the certificate chains to a trusted certification authority. Plain functions, no GraphQL.
 *
 * GOST. Real Russian qualified certificates use GOST R 34.10-2012 signatures over GOST R 34.11-2012
 * (Streebog) hashes, which node's crypto (OpenSSL without a GOST provider) cannot verify. Here RSA
 * (PKCS#1 v1.5, SHA-256) and ECDSA P-256 (SHA-256) are verified, and a GOST certificate is refused with
 * UNSUPPORTED_ALGORITHM rather than a crash. A production deployment puts a GOST-capable provider
 * (OpenSSL with the gost provider, CryptoPro CSP, or a certified verification service) behind the
 * same `verifySignedChallenge`, keeping its input, result and refusal codes.
 *
 * Certificates are read by node's X509Certificate (which also checks each link's signature) and a
 * small DER reader below for what node does not expose: subject attributes by OID, keyUsage, the
 * path length of basicConstraints, algorithm identifiers. @peculiar/x509 would read these too, but it
 * needs a Reflect metadata polyfill at run time that the project does not carry, so it stays a test tool.
 *
 * Not checked here: revocation (CRL/OCSP) and the certificate policies that mark a certificate as
 * qualified; trusting only accredited CAs' roots stands in for the latter.
 */

// ---------------------------------------------------------------------------------------------
// The challenge

export const CHALLENGE_TTL_MS = 10 * 60_000;

/** Shown by the person's signing software, so it says in words what is being signed. */
export const CHALLENGE_PREFIX = 'Подтверждение личности на портале госуслуг';

export interface SignatureChallenge {
  challenge: string;
  expiresAt: Date;
}

/** 256 random bits after a readable prefix: unguessable, and never the same twice. */
export function createSignatureChallenge(now: Date): SignatureChallenge {
  return {
    challenge: `${CHALLENGE_PREFIX}. Код запроса: ${randomBytes(32).toString('base64url')}`,
    expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
  };
}

export const challengeExpired = (expiresAt: Date, now: Date): boolean => now.getTime() >= expiresAt.getTime();

// ---------------------------------------------------------------------------------------------
// Trusted roots

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * The certificates of a PEM bundle (text between them is ignored). Throws when the bundle holds no
 * certificate or one that cannot be read: a broken trust list must stop the service at start-up,
 * not turn every person away later.
 */
export function loadTrustedRoots(pemBundle: string): string[] {
  const pems = (pemBundle.match(PEM_CERTIFICATE) ?? []).map((pem) => pem.replace(/\r\n?/g, '\n'));
  if (pems.length === 0) throw new Error('The trusted roots bundle holds no PEM certificate');
  pems.forEach((pem, i) => {
    if (!readCertificate(pem)) throw new Error(`Trusted root certificate #${i + 1} in the bundle cannot be read`);
  });
  return pems;
}

// ---------------------------------------------------------------------------------------------
// The check

export interface SignatureHolder {
  /** СНИЛС, 11 digits, from the subject attribute 1.2.643.100.3. */
  snils: string | null;
  /** The person's ИНН (12 digits), from 1.2.643.3.131.1.1; see `personalInn`. */
  inn: string | null;
  lastName: string | null;
  /** A qualified certificate's givenName holds the first name and the patronymic; they are split here. */
  firstName: string | null;
  middleName: string | null;
  commonName: string;
}

export type SignatureRefusalCode =
  | 'CERTIFICATE_UNREADABLE'
  | 'SIGNATURE_UNREADABLE'
  | 'UNSUPPORTED_ALGORITHM'
  | 'CERTIFICATE_NOT_YET_VALID'
  | 'CERTIFICATE_EXPIRED'
  | 'CERTIFICATE_NOT_FOR_SIGNING'
  | 'CERTIFICATE_SELF_SIGNED'
  | 'CERTIFICATE_UNTRUSTED'
  | 'ISSUER_NOT_CA'
  | 'ISSUER_NOT_YET_VALID'
  | 'ISSUER_EXPIRED'
  | 'CERTIFICATE_CHAIN_INVALID'
  | 'SIGNATURE_INVALID';

export type SignatureCheck = { ok: true; holder: SignatureHolder; serialNumber: string; validTo: Date } | { ok: false; code: SignatureRefusalCode; message: string };

type Refusal = Extract<SignatureCheck, { ok: false }>;

export interface SignedChallenge {
  challenge: string;
  /** base64 of the signature over the challenge's UTF-8 bytes (ECDSA in DER, as node's crypto.sign makes it). */
  signature: string;
  /** The signer's certificate, PEM. */
  certificate: string;
  /** Certificates of intermediate CAs, PEM, in any order. */
  intermediates?: string[];
  /** PEM; from `loadTrustedRoots`. */
  trustedRoots: string[];
  now: Date;
}

const moscowDate = new Intl.DateTimeFormat('ru-RU', {
  timeZone: 'Europe/Moscow',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

const UNTRUSTED_HINT = 'Подтвердите личность подписью, выданной аккредитованным удостоверяющим центром.';

/** What a person is told for each refusal; the codes are stable, the lead lists them in docs/errors.md. */
export const signatureRefusals = {
  CERTIFICATE_UNREADABLE: () => 'Не удалось прочитать сертификат электронной подписи. Выберите сертификат ещё раз; если ошибка повторится, обратитесь в удостоверяющий центр, который его выдал.',
  SIGNATURE_UNREADABLE: () => 'Не удалось прочитать электронную подпись. Подпишите запрос ещё раз.',
  UNSUPPORTED_ALGORITHM: () => 'Портал пока не проверяет подписи по алгоритму этого сертификата (например, ГОСТ Р 34.10-2012). Подтвердите личность другим способом.',
  CERTIFICATE_NOT_YET_VALID: (from: Date) => `Сертификат электронной подписи начнёт действовать только ${moscowDate.format(from)}. Подпишите запрос после этой даты.`,
  CERTIFICATE_EXPIRED: (to: Date) => `Срок действия сертификата электронной подписи истёк ${moscowDate.format(to)}. Получите новый сертификат в удостоверяющем центре.`,
  CERTIFICATE_NOT_FOR_SIGNING: () => 'Этот сертификат не предназначен для электронной подписи. Выберите сертификат квалифицированной электронной подписи.',
  CERTIFICATE_SELF_SIGNED: () => `Сертификат выпущен не удостоверяющим центром, а самим владельцем. ${UNTRUSTED_HINT}`,
  CERTIFICATE_UNTRUSTED: () => `Сертификат выдан удостоверяющим центром, которому портал не доверяет, или цепочка сертификатов неполная. ${UNTRUSTED_HINT}`,
  ISSUER_NOT_CA: () => `Сертификат подписан участником, который не является удостоверяющим центром. ${UNTRUSTED_HINT}`,
  ISSUER_NOT_YET_VALID: (from: Date) => `Сертификат удостоверяющего центра, выдавшего подпись, начнёт действовать только ${moscowDate.format(from)}.`,
  ISSUER_EXPIRED: (to: Date) => `Срок действия сертификата удостоверяющего центра, выдавшего подпись, истёк ${moscowDate.format(to)}. Обратитесь в удостоверяющий центр.`,
  CERTIFICATE_CHAIN_INVALID: () => `Цепочка сертификатов удостоверяющих центров нарушает ограничения, заданные в них самих. ${UNTRUSTED_HINT}`,
  SIGNATURE_INVALID: () => 'Подпись не подходит к запросу портала или к выбранному сертификату. Подпишите запрос ещё раз ключом этого сертификата.',
} satisfies Record<SignatureRefusalCode, (date: Date) => string>;

const refuse = (code: SignatureRefusalCode, date = new Date(0)): Refusal => ({
  ok: false,
  code,
  message: signatureRefusals[code](date),
});

/**
 * Checks, in this order, that the certificate can be read and uses an algorithm we verify, is within
 * its validity period, may sign (keyUsage), chains through the intermediates to a trusted root, and
 * that the signature over the exact UTF-8 bytes of the challenge verifies with its key. Whether the
 * challenge is the one issued to this account, still live, and whether the SNILS matches the account
 * is the caller's business. Throws only when a trusted root itself cannot be read (configuration).
 */
export async function verifySignedChallenge(input: SignedChallenge): Promise<SignatureCheck> {
  const roots = input.trustedRoots.map((pem, i) => {
    const root = readCertificate(pem);
    if (!root) throw new Error(`Trusted root certificate #${i + 1} cannot be read`);
    return root;
  });
  const cert = readCertificate(input.certificate);
  const intermediates = (input.intermediates ?? []).map(readCertificate);
  if (!cert || intermediates.some((c) => c === null)) return refuse('CERTIFICATE_UNREADABLE');
  const signature = decodeBase64(input.signature);
  if (!signature) return refuse('SIGNATURE_UNREADABLE');

  if (!signingKeySupported(cert) || !SIGNATURE_ALGORITHMS.has(cert.signatureAlgorithm)) {
    return refuse('UNSUPPORTED_ALGORITHM');
  }
  const now = input.now.getTime();
  if (now < cert.validFrom.getTime()) return refuse('CERTIFICATE_NOT_YET_VALID', cert.validFrom);
  if (now > cert.validTo.getTime()) return refuse('CERTIFICATE_EXPIRED', cert.validTo);
  // A CA's certificate is not a person's, whatever its keyUsage says.
  const usage = cert.keyUsage;
  if (cert.basicConstraints?.ca || (usage && !usage.digitalSignature && !usage.nonRepudiation)) {
    return refuse('CERTIFICATE_NOT_FOR_SIGNING');
  }

  const chainProblem = checkChain(cert, intermediates as Certificate[], roots, input.now);
  if (chainProblem) return chainProblem;

  if (!signatureVerifies(cert, Buffer.from(input.challenge, 'utf8'), signature)) return refuse('SIGNATURE_INVALID');
  return { ok: true, holder: holderOf(cert), serialNumber: cert.node.serialNumber, validTo: cert.validTo };
}

/** Chains longer than this are refused: real ones have a root and one or two intermediates. */
const MAX_INTERMEDIATES = 5;

/**
 * Walks up from the certificate: at each step looks for a certificate among the trusted roots (first)
 * and the intermediates whose subject is the current issuer and whose key verifies the current
 * certificate's signature, and requires it to be a CA now. Ends at a trusted root or refuses.
 */
function checkChain(cert: Certificate, intermediates: Certificate[], roots: Certificate[], now: Date): Refusal | null {
  if (issuedBy(cert, cert)) return refuse('CERTIFICATE_SELF_SIGNED');
  const unused = new Set(intermediates);
  let current = cert;
  for (let below = 0; below <= MAX_INTERMEDIATES; below++) {
    if (!SIGNATURE_ALGORITHMS.has(current.signatureAlgorithm)) return refuse('UNSUPPORTED_ALGORITHM');
    const candidates = [...roots.map((c) => ({ cert: c, root: true })), ...[...unused].map((c) => ({ cert: c, root: false }))].filter((c) => issuedBy(current, c.cert));
    // Several can match (a renewed CA certificate beside the old one): take the first that is fit.
    let firstProblem: Refusal | null = null;
    let next: Certificate | null = null;
    for (const candidate of candidates) {
      const problem = authorityProblem(candidate.cert, below, now);
      if (problem) {
        firstProblem ??= problem;
        continue;
      }
      if (candidate.root) return null;
      next = candidate.cert;
      break;
    }
    if (!next) return firstProblem ?? refuse('CERTIFICATE_UNTRUSTED');
    unused.delete(next);
    current = next;
  }
  return refuse('CERTIFICATE_CHAIN_INVALID');
}

/** Why a certificate cannot act as a CA for a chain with `below` intermediates under it, or null. */
function authorityProblem(ca: Certificate, below: number, now: Date): Refusal | null {
  if (!ca.basicConstraints?.ca || (ca.keyUsage && !ca.keyUsage.keyCertSign)) return refuse('ISSUER_NOT_CA');
  const pathLength = ca.basicConstraints.pathLength;
  if (pathLength !== null && below > pathLength) return refuse('CERTIFICATE_CHAIN_INVALID');
  if (now.getTime() < ca.validFrom.getTime()) return refuse('ISSUER_NOT_YET_VALID', ca.validFrom);
  if (now.getTime() > ca.validTo.getTime()) return refuse('ISSUER_EXPIRED', ca.validTo);
  return null;
}

/**
 * The issuer's subject is the certificate's issuer (as encoded, or as OpenSSL prints it, which evens out
 * string types), and the issuer's key verifies the certificate's signature: the name only picks the
 * candidate, the signature decides.
 */
function issuedBy(cert: Certificate, issuer: Certificate): boolean {
  if (!cert.issuerName.equals(issuer.subjectName) && cert.node.issuer !== issuer.node.subject) return false;
  try {
    return cert.node.verify(issuer.node.publicKey);
  } catch {
    return false; // a key node cannot use (GOST), or one of the wrong type
  }
}

function signatureVerifies(cert: Certificate, data: Buffer, signature: Buffer): boolean {
  try {
    // RSA keys default to PKCS#1 v1.5 padding, EC keys to DER-encoded (r, s).
    return verify('sha256', data, cert.node.publicKey, signature);
  } catch {
    return false;
  }
}

const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  p256: '1.2.840.10045.3.1.7',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  commonName: '2.5.4.3',
  surname: '2.5.4.4',
  givenName: '2.5.4.42',
  /** СНИЛС: NumericString of 11 digits (order of the FSB of Russia No. 795; RFC 9215). */
  snils: '1.2.643.100.3',
  /**
   * ИНН: NumericString of 12 digits. Since 2021 it is the INN of the person (ИНН ФЛ); older
   * certificates of organisations put the organisation's 10-digit INN here padded with "00".
   */
  inn: '1.2.643.3.131.1.1',
  /** ИНН ЮЛ: the organisation's 10-digit INN, in certificates of its employees — never the person's. */
  innLe: '1.2.643.100.4',
} as const;

/** Algorithms of certificate signatures that node's crypto verifies and we accept. */
const SIGNATURE_ALGORITHMS = new Set([
  '1.2.840.113549.1.1.11', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12', // sha384WithRSAEncryption
  '1.2.840.113549.1.1.13', // sha512WithRSAEncryption
  '1.2.840.10045.4.3.2', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3', // ecdsa-with-SHA384
  '1.2.840.10045.4.3.4', // ecdsa-with-SHA512
]);

/** The person's own key signs the challenge: RSA or ECDSA on P-256. */
const signingKeySupported = (cert: Certificate): boolean => cert.keyAlgorithm === OID.rsaEncryption || (cert.keyAlgorithm === OID.ecPublicKey && cert.keyParameters === OID.p256);

function holderOf(cert: Certificate): SignatureHolder {
  const attribute = (oid: string): string | null => cert.subject.find((a) => a.oid === oid)?.value.trim() || null;
  const snils = attribute(OID.snils);
  const lastName = attribute(OID.surname);
  const givenName = attribute(OID.givenName);
  const [firstName = null, ...rest] = givenName?.split(/\s+/) ?? [];
  return {
    snils: snils && /^\d{11}$/.test(snils) ? snils : null,
    inn: personalInn(attribute(OID.inn)),
    lastName,
    firstName,
    middleName: rest.length > 0 ? rest.join(' ') : null,
    commonName: attribute(OID.commonName) ?? [lastName, givenName].filter(Boolean).join(' '),
  };
}

/** A 12-digit INN is a person's unless it is an organisation's 10 digits padded with "00". */
const personalInn = (inn: string | null): string | null => (inn && /^\d{12}$/.test(inn) && !inn.startsWith('00') ? inn : null);

function decodeBase64(text: string): Buffer | null {
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null;
  return Buffer.from(compact, 'base64');
}

// ---------------------------------------------------------------------------------------------
// Reading certificates

interface Certificate {
  node: X509Certificate;
  signatureAlgorithm: string;
  keyAlgorithm: string;
  /** The named curve of an EC key; null otherwise. */
  keyParameters: string | null;
  issuerName: Buffer;
  subjectName: Buffer;
  subject: { oid: string; value: string }[];
  validFrom: Date;
  validTo: Date;
  keyUsage: { digitalSignature: boolean; nonRepudiation: boolean; keyCertSign: boolean } | null;
  basicConstraints: { ca: boolean; pathLength: number | null } | null;
}

/** A certificate as node reads it plus the fields below, or null when either reading fails. */
function readCertificate(pem: string): Certificate | null {
  if (!/-----BEGIN CERTIFICATE-----/.test(pem)) return null;
  let node: X509Certificate;
  try {
    node = new X509Certificate(pem);
  } catch {
    return null;
  }
  try {
    return { node, ...readFields(node.raw) };
  } catch (error) {
    if (error instanceof DerError) return null;
    throw error;
  }
}

/**
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
 * TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer, validity,
 *   subject, subjectPublicKeyInfo, [1] [2] unique ids OPTIONAL, [3] extensions OPTIONAL }
 */
function readFields(der: Buffer): Omit<Certificate, 'node'> {
  const [tbs, signatureAlgorithm] = children(read(der), 0x30);
  const fields = children(need(tbs), 0x30);
  if (fields[0]?.tag === 0xa0) fields.shift();
  const [, , issuer, validity, subject, spki, ...optional] = fields;
  const [notBefore, notAfter] = children(need(validity), 0x30);
  const [keyAlgorithm] = children(need(spki), 0x30);
  const [keyOid, keyParameters] = children(need(keyAlgorithm), 0x30);

  const certificate: Omit<Certificate, 'node'> = {
    signatureAlgorithm: oid(need(children(need(signatureAlgorithm), 0x30)[0])),
    keyAlgorithm: oid(need(keyOid)),
    keyParameters: keyParameters?.tag === 0x06 ? oid(keyParameters) : null,
    issuerName: need(issuer).der,
    subjectName: need(subject).der,
    subject: children(need(subject), 0x30).flatMap((rdn) =>
      children(rdn, 0x31).map((attribute) => {
        const [type, value] = children(attribute, 0x30);
        return { oid: oid(need(type)), value: text(need(value)) };
      }),
    ),
    validFrom: time(need(notBefore)),
    validTo: time(need(notAfter)),
    keyUsage: null,
    basicConstraints: null,
  };

  const extensions = optional.find((f) => f.tag === 0xa3);
  for (const extension of extensions ? children(need(children(extensions, 0xa3)[0]), 0x30) : []) {
    const parts = children(extension, 0x30);
    const id = oid(need(parts[0]));
    const value = need(parts[parts.length - 1]);
    if (value.tag !== 0x04) throw new DerError();
    if (id === OID.keyUsage) {
      const bits = read(value.content);
      if (bits.tag !== 0x03) throw new DerError();
      const first = bits.content[1] ?? 0; // content[0] counts the unused bits
      certificate.keyUsage = {
        digitalSignature: (first & 0x80) !== 0,
        nonRepudiation: (first & 0x40) !== 0,
        keyCertSign: (first & 0x04) !== 0,
      };
    } else if (id === OID.basicConstraints) {
      const items = children(read(value.content), 0x30);
      const ca = items[0]?.tag === 0x01 && items[0].content[0] !== 0;
      const pathLength = items.find((i) => i.tag === 0x02);
      certificate.basicConstraints = { ca, pathLength: pathLength ? integer(pathLength) : null };
    }
  }
  return certificate;
}

// A DER reader just big enough for the fields above. It only ever sees certificates node has
// already parsed, and still checks every length against the bytes it has.

class DerError extends Error {}

interface Der {
  tag: number;
  content: Buffer;
  /** The whole encoding, tag and length included. */
  der: Buffer;
}

function need(der: Der | undefined): Der {
  if (!der) throw new DerError();
  return der;
}

function readAt(bytes: Buffer, at: number): Der {
  const tag = bytes[at];
  let length = bytes[at + 1];
  if (tag === undefined || length === undefined || (tag & 0x1f) === 0x1f) throw new DerError();
  let start = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > bytes.length) throw new DerError();
    length = bytes.subarray(start, start + count).reduce((sum, byte) => sum * 256 + byte, 0);
    start += count;
  }
  if (start + length > bytes.length) throw new DerError();
  return { tag, content: bytes.subarray(start, start + length), der: bytes.subarray(at, start + length) };
}

const read = (bytes: Buffer): Der => readAt(bytes, 0);

function children(parent: Der, expectedTag: number): Der[] {
  if (parent.tag !== expectedTag) throw new DerError();
  const items: Der[] = [];
  for (let at = 0; at < parent.content.length;) {
    const item = readAt(parent.content, at);
    items.push(item);
    at += item.der.length;
  }
  return items;
}

function oid(der: Der): string {
  if (der.tag !== 0x06 || der.content.length === 0) throw new DerError();
  const arcs: number[] = [];
  let value = 0;
  for (const byte of der.content) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  const first = arcs.shift() ?? 0;
  const [a, b] = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [a, b, ...arcs].join('.');
}

function integer(der: Der): number {
  if (der.tag !== 0x02 || der.content.length === 0 || der.content.length > 4) throw new DerError();
  return der.content.reduce((n, byte) => n * 256 + byte, 0);
}

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/** UTCTime (YYMMDDHHMMSSZ, years 1950–2049) or GeneralizedTime (YYYYMMDDHHMMSSZ). */
function time(der: Der): Date {
  const pattern = der.tag === 0x17 ? UTC_TIME : der.tag === 0x18 ? GENERALIZED_TIME : null;
  const match = pattern?.exec(der.content.toString('latin1'));
  if (!match) throw new DerError();
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const fullYear = der.tag === 0x17 ? (year < 50 ? 2000 + year : 1900 + year) : year;
  return new Date(Date.UTC(fullYear, month - 1, day, hour, minute, second));
}

/** The string types a Name uses; qualified certificates use UTF8String, NumericString and PrintableString. */
function text(der: Der): string {
  switch (der.tag) {
    case 0x0c: // UTF8String
      return der.content.toString('utf8');
    case 0x12: // NumericString
    case 0x13: // PrintableString
    case 0x14: // TeletexString, read as Latin-1
    case 0x16: // IA5String
    case 0x1a: // VisibleString
      return der.content.toString('latin1');
    case 0x1e: // BMPString, UTF-16 big-endian
      if (der.content.length % 2 !== 0) throw new DerError();
      return Buffer.from(der.content).swap16().toString('utf16le');
    default:
      return '';
  }
}

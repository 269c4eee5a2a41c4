import { KeyObject, sign, webcrypto } from 'node:crypto';
import type * as X509 from '@peculiar/x509';

/**
 * A throwaway public key infrastructure for tests: a root CA, intermediates and people's
 * certificates made on the fly with @peculiar/x509 over node's webcrypto. Nothing is written to disk.
 */

/**
 * @peculiar/x509 resolves its algorithms through tsyringe, which refuses to load without the Reflect
 * metadata API. Only three functions are ever called, so a few lines stand in for the
 * `reflect-metadata` package; they must be in place before the library loads, hence the dynamic import.
 */
function installReflectMetadata(): void {
  const reflect = Reflect as unknown as Record<string, unknown>;
  if (typeof reflect.getMetadata === 'function') return;
  const store = new WeakMap<object, Map<unknown, unknown>>();
  reflect.defineMetadata = (key: unknown, value: unknown, target: object) => {
    const own = store.get(target) ?? new Map<unknown, unknown>();
    own.set(key, value);
    store.set(target, own);
  };
  reflect.getOwnMetadata = (key: unknown, target: object) => store.get(target)?.get(key);
  reflect.getMetadata = (key: unknown, target: object) => {
    for (let t: object | null = target; t !== null; t = Object.getPrototypeOf(t)) {
      const own = store.get(t);
      if (own?.has(key)) return own.get(key);
    }
    return undefined;
  };
}
installReflectMetadata();
const x509: typeof X509 = await import('@peculiar/x509');
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKeyPair = webcrypto.CryptoKeyPair;

export type KeyKind = 'rsa' | 'ec';

export interface Issued {
  pem: string;
  keys: CryptoKeyPair;
  /** The subject, as the issuer of whatever this certificate signs. */
  name: string;
}

const RSA: webcrypto.RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};
const EC: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

export const generateKeys = (kind: KeyKind): Promise<CryptoKeyPair> => webcrypto.subtle.generateKey(kind === 'rsa' ? RSA : EC, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;

/** NumericString, as qualified certificates encode the SNILS and INN (x509's Name writes PrintableString). */
const numericString = (digits: string): string => `#12${digits.length.toString(16).padStart(2, '0')}${Buffer.from(digits, 'ascii').toString('hex')}`;

/** A person's subject as a Russian qualified certificate has it. */
export function personSubject(person: { lastName: string; givenName: string; snils?: string; inn?: string; innLe?: string }): X509.JsonName {
  const name: X509.JsonName = [{ CN: [`${person.lastName} ${person.givenName}`] }, { SN: [person.lastName] }, { G: [person.givenName] }, { C: ['RU'] }];
  if (person.snils) name.push({ '1.2.643.100.3': [numericString(person.snils)] });
  if (person.inn) name.push({ '1.2.643.3.131.1.1': [numericString(person.inn)] });
  if (person.innLe) name.push({ '1.2.643.100.4': [numericString(person.innLe)] });
  return name;
}

export type Usage = 'signing' | 'encipherment' | 'ca' | 'none';

export interface IssueOptions {
  subject: string | X509.JsonName;
  keys: CryptoKeyPair;
  /** Leave out for a self-signed certificate. */
  issuer?: Issued;
  notBefore: Date;
  notAfter: Date;
  /** basicConstraints: a CA (with an optional path length) or, by default, an end entity. */
  ca?: boolean | { pathLength: number };
  /** keyUsage: by default `ca` for a CA and `signing` otherwise; `none` leaves the extension out. */
  usage?: Usage;
  /** A SubjectPublicKeyInfo (DER) to certify instead of `keys.publicKey`: a key node cannot use. */
  publicKeyInfo?: Uint8Array;
}

const usageFlags = (usage: Usage): number => {
  const f = x509.KeyUsageFlags;
  if (usage === 'signing') return f.digitalSignature | f.nonRepudiation;
  if (usage === 'encipherment') return f.keyEncipherment | f.dataEncipherment;
  return f.keyCertSign | f.cRLSign;
};

export async function issueCertificate(options: IssueOptions): Promise<Issued> {
  const ca = options.ca ?? false;
  const usage = options.usage ?? (ca ? 'ca' : 'signing');
  const signer = options.issuer?.keys ?? options.keys;
  const publicKey = options.publicKeyInfo ?? options.keys.publicKey;
  const extensions: X509.Extension[] = [
    new x509.BasicConstraintsExtension(ca !== false, typeof ca === 'object' ? ca.pathLength : undefined, true),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(signer.publicKey),
  ];
  if (usage !== 'none') extensions.push(new x509.KeyUsagesExtension(usageFlags(usage), true));
  const subject = new x509.Name(options.subject).toString();
  const cert = await x509.X509CertificateGenerator.create({
    subject: options.subject,
    issuer: options.issuer?.name ?? options.subject,
    publicKey,
    signingKey: signer.privateKey,
    signingAlgorithm: signer.privateKey.algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : signer.privateKey.algorithm,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    extensions,
  });
  return { pem: cert.toString('pem'), keys: options.keys, name: subject };
}

/** What a person's signing tool sends back: base64 of node's crypto.sign over the UTF-8 text (DER for ECDSA). */
export function signText(keys: CryptoKeyPair, text: string): string {
  return sign('sha256', Buffer.from(text, 'utf8'), KeyObject.from(keys.privateKey)).toString('base64');
}

/**
 * A GOST R 34.10-2012 (256-bit) SubjectPublicKeyInfo with an arbitrary key: enough for a certificate
 * that node's crypto can read but cannot verify.
 */
export function gostPublicKeyInfo(): Uint8Array {
  const tlv = (tag: number, content: Buffer): Buffer => Buffer.concat([Buffer.from([tag, content.length]), content]);
  const oid = (hex: string): Buffer => tlv(0x06, Buffer.from(hex, 'hex'));
  const gost2012_256 = oid('2a85030701010101'); // 1.2.643.7.1.1.1.1
  const paramSetA = oid('2a8503070102010101'); // 1.2.643.7.1.2.1.1.1
  const streebog256 = oid('2a85030701010202'); // 1.2.643.7.1.1.2.2
  const algorithm = tlv(0x30, Buffer.concat([gost2012_256, tlv(0x30, Buffer.concat([paramSetA, streebog256]))]));
  const key = tlv(0x04, Buffer.alloc(64, 7));
  return tlv(0x30, Buffer.concat([algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), key]))]));
}

import { boolean, index, integer, jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { JWK } from 'jose';
import { ACCOUNT_LEVELS, ROLES } from '../../../lib/auth.ts';
import { inboxTable } from '../../../lib/events/inbox.ts';
import { outboxTable } from '../../../lib/events/outbox.ts';
import type { StoredJwk } from '../domain/key-seal.ts';

/** Everything identity stores lives in the `identity` Postgres schema; no other service reads it. */
export const identity = pgSchema('identity');

export const accountLevel = identity.enum('account_level', ACCOUNT_LEVELS);
export const role = identity.enum('role', ROLES);
/** How an identity was confirmed: some relying services accept only some methods. */
export const confirmationMethod = identity.enum('confirmation_method', ['IN_PERSON', 'POSTAL_CODE', 'ELECTRONIC_SIGNATURE', 'BANK']);
export const codePurpose = identity.enum('code_purpose', ['REGISTRATION', 'TWO_STEP_LOGIN', 'PASSWORD_RECOVERY', 'CONTACT_CHANGE']);
export const codeChannel = identity.enum('code_channel', ['SMS', 'EMAIL']);
export const authMethod = identity.enum('auth_method', ['PASSWORD', 'PASSWORD_AND_SMS', 'PIN']);

const createdAt = () => timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow();

export const accounts = identity.table('accounts', {
  id: uuid().primaryKey().defaultRandom(),
  /** E.164; unique across accounts: one account per person. */
  phone: text().unique(),
  phoneConfirmedAt: timestamp({ withTimezone: true }),
  /** Stored lower-cased, so uniqueness ignores case. */
  email: text().unique(),
  emailConfirmedAt: timestamp({ withTimezone: true }),
  /** 11 digits, no separators; set when the profile's data check confirms it, then a login too. */
  snils: text().unique(),
  /** argon2id, PHC string format. */
  passwordHash: text().notNull(),
  /** Set by an operator's temporary password: the next login must replace it. */
  passwordChangeRequired: boolean().notNull().default(false),
  twoStepLogin: boolean().notNull().default(false),
  level: accountLevel().notNull().default('SIMPLIFIED'),
  confirmationMethod: confirmationMethod(),
  /** SHA-256 of the passport the state registers checked ("series:number"): an operator's document must match it. */
  checkedPassportDigest: text(),
  roles: role().array().notNull().default([]),
  createdAt: createdAt(),
});

/**
 * One-time codes and links (SMS codes, e-mail links) for every flow: single use, bound to their
 * request id, a limited number of wrong attempts, stored hashed.
 */
export const verificationCodes = identity.table(
  'verification_codes',
  {
    id: uuid().primaryKey().defaultRandom(),
    purpose: codePurpose().notNull(),
    channel: codeChannel().notNull(),
    /** Phone or e-mail the code went to; sends are counted per recipient. */
    recipient: text().notNull(),
    accountId: uuid().references(() => accounts.id, { onDelete: 'cascade' }),
    codeHash: text().notNull(),
    /** What the flow needs when the code comes back (names of a registration, the new contact…). */
    context: jsonb().$type<Record<string, string>>().notNull().default({}),
    attemptsLeft: integer().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    confirmedAt: timestamp({ withTimezone: true }),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [index().on(table.recipient, table.createdAt)],
);

/**
 * What was sent to one recipient (a phone, an e-mail, an account's postal letters) within the send
 * limits' windows. A send first reserves itself in this one row, in one statement, so the cool-down
 * and the budget hold under parallel requests (domain/sends.ts).
 */
export const sends = identity.table('sends', {
  recipient: text().primaryKey(),
  /** Each send still inside a window: its purpose and when (ISO 8601). */
  sent: jsonb().$type<{ purpose: string; at: string }[]>().notNull().default([]),
});

/** A signed-in device. Refresh tokens rotate on every use; an old one coming back revokes the session. */
export const sessions = identity.table(
  'sessions',
  {
    id: uuid().primaryKey().defaultRandom(),
    accountId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    authMethod: authMethod().notNull(),
    deviceName: text(),
    userAgent: text(),
    clientAddress: text(),
    refreshGeneration: integer().notNull().default(0),
    refreshTokenHash: text().notNull(),
    createdAt: createdAt(),
    /** The last refresh: a session idle past SESSION_IDLE_MS ends (domain/sessions.ts). */
    lastActiveAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /**
     * The last use: a sign-in, a refresh, or a request with its access token (the session check, to
     * the minute). In milliseconds, as the cursor of a page of sessions holds it.
     */
    lastUsedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Absolute end, however active the session is. */
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    revokeReason: text(),
  },
  (table) => [index().on(table.accountId)],
);

/** Failed sign-ins counted per key (a login, an address, a login from an address). */
export const loginThrottles = identity.table('login_throttles', {
  key: text().primaryKey(),
  failures: integer().notNull().default(0),
  windowStartedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp({ withTimezone: true }),
});

/** The account's event log of sign-ins and security changes, readable by the person. */
export const securityEvents = identity.table(
  'security_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    accountId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    kind: text().notNull(),
    clientAddress: text(),
    userAgent: text(),
    occurredAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [index().on(table.accountId, table.occurredAt.desc().nullsFirst())],
);

/** Registered letters with an identity-confirmation code; one per 30 days. */
export const confirmationLetters = identity.table('confirmation_letters', {
  id: uuid().primaryKey().defaultRandom(),
  accountId: uuid()
    .notNull()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  postalAddress: text().notNull(),
  codeHash: text().notNull(),
  attemptsLeft: integer().notNull(),
  orderedAt: createdAt(),
  expectedDeliveryAt: timestamp({ withTimezone: true }).notNull(),
  usedAt: timestamp({ withTimezone: true }),
});

/** Challenges to sign with a qualified electronic signature. */
export const signatureChallenges = identity.table('signature_challenges', {
  id: uuid().primaryKey().defaultRandom(),
  accountId: uuid()
    .notNull()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  challenge: text().notNull(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
  usedAt: timestamp({ withTimezone: true }),
});

/** Mobile devices with a quick-access PIN, bound after a full sign-in. */
export const mobileDevices = identity.table(
  'mobile_devices',
  {
    id: uuid().primaryKey().defaultRandom(),
    accountId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** The app's own installation id. */
    deviceId: text().notNull().unique(),
    deviceName: text(),
    pinHash: text().notNull(),
    wrongPinAttempts: integer().notNull().default(0),
    /** When the PIN was set or replaced, to limit replacements per month. */
    pinChanges: timestamp({ withTimezone: true }).array().notNull().default([]),
    createdAt: createdAt(),
  },
  (table) => [index().on(table.accountId)],
);

/** Token-signing keys; the public halves are served as the JWKS every other service verifies with. */
export const signingKeys = identity.table('signing_keys', {
  kid: text().primaryKey(),
  publicJwk: jsonb().$type<JWK>().notNull(),
  /** Sealed under SIGNING_KEY_SECRET where one is configured (domain/key-seal.ts). */
  privateJwk: jsonb().$type<StoredJwk>().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const outbox = outboxTable(identity);
export const inbox = inboxTable(identity);

export type Account = typeof accounts.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type SecurityEventRow = typeof securityEvents.$inferSelect;
export type VerificationCode = typeof verificationCodes.$inferSelect;

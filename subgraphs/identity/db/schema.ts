import { jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { JWK } from 'jose';
import { ACCOUNT_LEVELS, ROLES } from '../../../lib/auth.ts';

/** Everything identity stores lives in the `identity` Postgres schema; no other service reads it. */
export const identity = pgSchema('identity');

export const accountLevel = identity.enum('account_level', ACCOUNT_LEVELS);
export const role = identity.enum('role', ROLES);

export const accounts = identity.table('accounts', {
  id: uuid().primaryKey().defaultRandom(),
  /** E.164; unique across accounts: one account per person. */
  phone: text().unique(),
  /** Stored lower-cased, so uniqueness ignores case. */
  email: text().unique(),
  /** 11 digits, no separators; a login only once the profile holds it. */
  snils: text().unique(),
  /** argon2id, PHC string format. */
  passwordHash: text().notNull(),
  level: accountLevel().notNull().default('SIMPLIFIED'),
  roles: role().array().notNull().default([]),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Token-signing keys; the public halves are served as the JWKS every other service verifies with. */
export const signingKeys = identity.table('signing_keys', {
  kid: text().primaryKey(),
  publicJwk: jsonb().$type<JWK>().notNull(),
  privateJwk: jsonb().$type<JWK>().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type Account = typeof accounts.$inferSelect;

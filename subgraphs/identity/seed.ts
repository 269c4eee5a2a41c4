import { DEMO_PASSWORD, DEMO_USERS } from '../../dev/demo-data.ts';
import { insertAccountsIfMissing } from './db/accounts.ts';
import type { IdentityDatabase } from './db/store.ts';
import { hashPassword } from './domain/credentials.ts';
import { passportDigest } from './domain/levels.ts';

/** Demo accounts for development: one at each level, an official and an operator, contacts confirmed. */
export async function seedDemoData({ db }: IdentityDatabase): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const confirmedAt = new Date('2026-01-10T09:00:00Z');
  await insertAccountsIfMissing(
    db,
    Object.values(DEMO_USERS).map(({ id, phone, email, level, roles, snils, passport }) => ({
      id,
      phone,
      email,
      level,
      roles,
      passwordHash,
      phoneConfirmedAt: confirmedAt,
      emailConfirmedAt: confirmedAt,
      // The profile seed holds the same SNILS and passport as checked documents.
      snils: level === 'SIMPLIFIED' ? null : snils,
      checkedPassportDigest: level === 'SIMPLIFIED' ? null : passportDigest(passport.series, passport.number),
      confirmationMethod: level === 'CONFIRMED' ? ('IN_PERSON' as const) : null,
    })),
  );
}

import { DEMO_PASSWORD, DEMO_USERS } from '../../dev/demo-data.ts';
import { insertAccountsIfMissing, type IdentityDatabase } from './db/queries.ts';
import { hashPassword } from './domain.ts';

/** Demo accounts for development: one at each level, an official and an operator. */
export async function seedDemoData({ db }: IdentityDatabase): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await insertAccountsIfMissing(
    db,
    Object.values(DEMO_USERS).map(({ id, phone, email, level, roles }) => ({ id, phone, email, level, roles, passwordHash })),
  );
}

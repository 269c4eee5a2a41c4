import { inArray } from 'drizzle-orm';
import { insertRowsIfMissing } from '../../subgraphs/appeals/db/store.ts';
import * as appealsTables from '../../subgraphs/appeals/db/schema.ts';
import * as identityTables from '../../subgraphs/identity/db/schema.ts';
import { insertAccountsIfMissing } from '../../subgraphs/identity/db/accounts.ts';
import { hashPassword } from '../../subgraphs/identity/domain/credentials.ts';
import { openSession } from '../../subgraphs/identity/domain/sessions.ts';
import { loadTokenIssuer } from '../../subgraphs/identity/tokens.ts';
import { BENCH_PASSWORD, type SubgraphDatabases } from '../seed.ts';

/**
 * The live feed's audience: many people, each with an account, one appeal of their own (the feed
 * items point at it, so every event costs an entity fetch from appeals as on the home screen) and a
 * fresh session with its access token. Accounts and appeals have fixed ids and are written once per
 * database; sessions are opened on every run with identity's own `openSession`, so the gateway's
 * session check finds live rows. No sign-in through the gateway: argon2 for a thousand logins would
 * take minutes and measure the wrong thing.
 */
export interface LivePerson {
  userId: string;
  appealId: string;
  /** An access token of a session opened for this run (15 minutes). */
  token: string;
}

/** Ids of their own (groups f110, f1a0), apart from bench/seed.ts's: an appeal id taken by another seed would be someone else's appeal. */
const liveId = (group: string, n: number) => `00000000-0000-4000-${group}-${String(n).padStart(12, '0')}`;
/** From the appeals reference data (as bench/seed.ts uses it). */
const KHIMKI_ADMINISTRATION = '00000000-0000-4000-b000-000000000002';
const DEVICE = { clientAddress: '127.0.0.1', userAgent: 'epgu-bench live feed', deviceName: 'bench' };

export async function liveAudience({ identity, appeals }: SubgraphDatabases, people: number): Promise<LivePerson[]> {
  const numbers = Array.from({ length: people }, (_, i) => i + 1);
  const userIds = numbers.map((n) => liveId('f110', n));
  const known = await identity.db.select({ id: identityTables.accounts.id }).from(identityTables.accounts).where(inArray(identityTables.accounts.id, userIds));
  if (known.length < people) {
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    const confirmedAt = new Date('2026-01-10T09:00:00Z');
    for (let from = 0; from < people; from += 500) {
      await insertAccountsIfMissing(
        identity.db,
        numbers.slice(from, from + 500).map((n) => ({
          id: liveId('f110', n),
          phone: `+7991${String(n).padStart(7, '0')}`,
          email: `live${n}@bench.example`,
          roles: [],
          passwordHash,
          level: 'CONFIRMED' as const,
          phoneConfirmedAt: confirmedAt,
          emailConfirmedAt: confirmedAt,
        })),
      );
    }
  }
  const registeredAt = new Date('2026-03-02T10:00:00Z');
  for (let from = 0; from < people; from += 500) {
    await insertRowsIfMissing(appeals.db, {
      topics: [],
      authorities: [],
      officials: [],
      appeals: numbers.slice(from, from + 500).map((n) => ({
        id: liveId('f1a0', n),
        number: `ПОС-Л-${String(n).padStart(6, '0')}`,
        authorId: liveId('f110', n),
        topicId: 'yards.lighting',
        authorityId: KHIMKI_ADMINISTRATION,
        regionCode: '50',
        municipality: 'городской округ Химки',
        text: `Обращение ${n}: во дворе не горят фонари.`,
        status: 'IN_WORK' as const,
        createdAt: registeredAt,
        registeredAt,
        dueAt: new Date(registeredAt.getTime() + 30 * 86_400_000),
      })),
    });
  }

  // Every person's appeal must be their own, or each event carries FORBIDDEN instead of the appeal.
  const appealIds = numbers.map((n) => liveId('f1a0', n));
  const owned = await appeals.db.select({ id: appealsTables.appeals.id, authorId: appealsTables.appeals.authorId }).from(appealsTables.appeals).where(inArray(appealsTables.appeals.id, appealIds));
  const strangers = owned.filter(({ id, authorId }) => authorId !== userIds[appealIds.indexOf(id)]);
  if (owned.length < people || strangers.length) throw new Error(`live feed appeals: ${people - owned.length} missing, ${strangers.length} of other authors (ids taken by other data?)`);

  const issuer = await loadTokenIssuer(identity);
  const accounts = await identity.db.select().from(identityTables.accounts).where(inArray(identityTables.accounts.id, userIds));
  const byId = new Map(accounts.map((account) => [account.id, account]));
  const audience = new Array<LivePerson>(people);
  // A few sessions at a time: the bench's identity pool is small.
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < people) {
        const i = next++;
        const { accessToken } = await openSession(identity.db, issuer, byId.get(userIds[i]!)!, 'PASSWORD', DEVICE);
        audience[i] = { userId: userIds[i]!, appealId: liveId('f1a0', i + 1), token: accessToken };
      }
    }),
  );
  return audience;
}

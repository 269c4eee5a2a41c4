import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, securityEvents, verificationCodes } from '../../subgraphs/identity/db/schema.ts';
import { createPerson, signIn, TEST_PASSWORD, type Person } from '../fixtures.ts';
import { startGraph, type TestGraph } from '../graph.ts';
import { clientAddresses, outcome, parallel, tally, uniquePhones } from '../parallel-requests.ts';

/**
 * The password a signed-in person is asked again (docs/security.md, «Limits under parallel requests»):
 * whoever holds a stolen session or its token guesses it under limits like sign-in's. 40 wrong
 * passwords at once, through the gateway, to each mutation that asks it: exactly the limit is
 * compared, the rest and then the right password are RATE_LIMITED until the lock ends, and the
 * account is as it was.
 *
 * Every test guards subgraphs/identity/domain/login.ts `passwordConfirmed` (reservePasswordAgain
 * before passwordMatches), called by account.ts setTwoStepLogin, startContactChange, deleteAccount
 * and password.ts changePassword in place of passwordMatches; seen red with each call put back to
 * `passwordMatches(account.passwordHash, …)` (40 compared, the right password accepted).
 */

let graph: TestGraph;
beforeAll(async () => {
  // The test stands as the gateway's proxy, so each X-Forwarded-For is a client address of its own.
  graph = await startGraph({ trustProxy: '127.0.0.1,::1' });
});
afterAll(() => graph?.stop());

const N = 40;
const newAddress = clientAddresses('203.0.113');
const newPhone = uniquePhones('+7955');

/** One mutation that asks the password again, and what it would have changed. */
interface Case {
  field: string;
  query: string;
  input: (password: string) => Record<string, unknown>;
  /** The account as that mutation would change it, read from identity's tables. */
  state: (person: Person) => Promise<unknown>;
}

const db = () => graph.databases.identity.db;
const eventsOf = async (person: Person, kind: string) =>
  (
    await db()
      .select({ n: count() })
      .from(securityEvents)
      .where(and(eq(securityEvents.accountId, person.id), eq(securityEvents.kind, kind)))
  )[0]!.n;

const CASES: Case[] = [
  {
    field: 'setTwoStepLogin',
    query: 'mutation ($i: SetTwoStepLoginInput!) { setTwoStepLogin(input: $i) { user { twoStepLogin } errors { code } } }',
    input: (password) => ({ enabled: true, password }),
    state: async (person) => ({
      twoStepLogin: (await db().select({ on: accounts.twoStepLogin }).from(accounts).where(eq(accounts.id, person.id)))[0]?.on,
      enabled: await eventsOf(person, 'TWO_STEP_LOGIN_ENABLED'),
    }),
  },
  {
    field: 'startContactChange',
    query: 'mutation ($i: StartContactChangeInput!) { startContactChange(input: $i) { codeSent { requestId } errors { code } } }',
    input: (password) => ({ phone: newPhone(), password }),
    state: async (person) => ({
      codes: (
        await db()
          .select({ n: count() })
          .from(verificationCodes)
          .where(and(eq(verificationCodes.accountId, person.id), eq(verificationCodes.purpose, 'CONTACT_CHANGE')))
      )[0]!.n,
    }),
  },
  {
    field: 'changePassword',
    query: 'mutation ($i: ChangePasswordInput!) { changePassword(input: $i) { user { id } errors { code } } }',
    input: (password) => ({ oldPassword: password, newPassword: 'Ladoga2026shore', newPasswordConfirmation: 'Ladoga2026shore' }),
    state: async (person) => ({
      hash: (await db().select({ hash: accounts.passwordHash }).from(accounts).where(eq(accounts.id, person.id)))[0]?.hash,
      changed: await eventsOf(person, 'PASSWORD_CHANGED'),
    }),
  },
  {
    field: 'deleteAccount',
    query: 'mutation ($i: DeleteAccountInput!) { deleteAccount(input: $i) { deletedUserId errors { code } } }',
    input: (password) => ({ password }),
    state: async (person) => ({ accounts: (await db().select({ n: count() }).from(accounts).where(eq(accounts.id, person.id)))[0]!.n }),
  },
];

/** The locks of the person's password-again keys end, as 15 minutes later. */
const locksEnd = (person: Person) => db().execute(sql`update identity.login_throttles set locked_until = now() - interval '1 second' where key like ${`%account%${person.id}%`}`);

describe('The password asked again inside a session is throttled', () => {
  for (const mutation of CASES) {
    it(`${mutation.field}: 40 parallel wrong passwords from one address → 5 compared, the right one refused until the lock ends`, async () => {
      const person = await createPerson(graph);
      const token = await signIn(graph, person.phone);
      const before = await mutation.state(person);
      const attacker = newAddress();
      const send = (password: string) => graph.request(mutation.query, { token, headers: attacker, variables: { i: mutation.input(password) } });

      const answers = await parallel(N, async (n) => outcome((await send(`Wrong${n}2026pass`)).body, mutation.field));
      expect(tally(answers)).toEqual({ WRONG_PASSWORD: 5, RATE_LIMITED: N - 5 });

      // The right password is refused as sign-in refuses: a code, when to come back, and why in Russian.
      const right = await send(TEST_PASSWORD);
      const [refusal] = right.body.errors!;
      expect(refusal!.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
      const retryAfter = (refusal!.extensions as { retryAfterSeconds: number }).retryAfterSeconds;
      expect(retryAfter).toBeGreaterThan(14 * 60);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      expect(refusal!.message).toBe('Слишком много попыток ввести пароль. Попробуйте снова через 15 минут.');
      expect(await mutation.state(person)).toEqual(before);

      // Once the lock ends, the right password is taken (so the refusals above were the lock's).
      await locksEnd(person);
      expect(outcome((await send(TEST_PASSWORD)).body, mutation.field)).toBe('OK');
    });
  }

  it('counts per account too: 40 parallel wrong passwords from 40 addresses → 20 compared', async () => {
    // Guards throttle.ts passwordAgainKeys: the `account:` key (20 an hour), reserved with the others in one statement.
    const [twoStep] = CASES;
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    const answers = await parallel(N, async (n) => outcome((await graph.request(twoStep!.query, { token, headers: newAddress(), variables: { i: twoStep!.input(`Wrong${n}2026pass`) } })).body, twoStep!.field));
    expect(tally(answers)).toEqual({ WRONG_PASSWORD: 20, RATE_LIMITED: N - 20 });
    const fresh = await graph.request(twoStep!.query, { token, headers: newAddress(), variables: { i: twoStep!.input(TEST_PASSWORD) } });
    expect(outcome(fresh.body, twoStep!.field)).toBe('RATE_LIMITED');
    expect(await twoStep!.state(person)).toEqual({ twoStepLogin: false, enabled: 0 });
    // The owner's sign-in is not locked by what a session holder guessed.
    expect(await signIn(graph, person.email)).toEqual(expect.any(String));
  });

  it('a right password gives its attempt back: 4 wrong, the right one, 4 wrong again are all compared', async () => {
    // Guards login.ts passwordConfirmed: forgiveAttempt after a right password (seen red without it).
    const [twoStep] = CASES;
    const person = await createPerson(graph);
    const token = await signIn(graph, person.phone);
    const address = newAddress();
    const send = async (password: string, enabled: boolean) => outcome((await graph.request(twoStep!.query, { token, headers: address, variables: { i: { enabled, password } } })).body, twoStep!.field);
    for (const round of [true, false]) {
      expect(await parallel(4, (n) => send(`Wrong${n}2026pass`, round))).toEqual(Array(4).fill('WRONG_PASSWORD'));
      expect(await send(TEST_PASSWORD, round)).toBe('OK');
    }
  });
});

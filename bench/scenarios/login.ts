import { eq } from 'drizzle-orm';
import { accounts } from '../../subgraphs/identity/db/schema.ts';
import { load } from '../load.ts';
import { LOGIN_MUTATION, type Operation } from '../queries.ts';
import { BENCH_PASSWORD, BENCH_PEOPLE } from '../seed.ts';
import { checkAnswer, loadCells, loadOptions, type Scenario } from '../scenario.ts';

/** 4. Sign-ins per second through our gateway; password hashing dominates, so its settings are reported. */
export const login: Scenario = async ({ system, settings, log }) => {
  const operation: Operation = { name: 'login', query: LOGIN_MUTATION, variables: { input: { login: BENCH_PEOPLE.login.phone, password: BENCH_PASSWORD } } };
  await checkAnswer(system.gatewayUrl, operation, null);
  // The stored hash names its own algorithm and cost: `$argon2id$v=19$m=19456,t=2,p=1$…`.
  const [account] = await system.databases.identity.db.select({ hash: accounts.passwordHash }).from(accounts).where(eq(accounts.id, BENCH_PEOPLE.login.id));
  const settingsOfHash = account?.hash?.split('$').slice(1, 4).join(' ') ?? 'unknown';
  const rows: (string | number)[][] = [];
  for (const connections of [1, 4]) {
    log(`login, concurrency ${connections}`);
    rows.push([connections, ...loadCells(await load(system.gatewayUrl, operation, loadOptions(settings, connections)))]);
  }
  return {
    title: '4. Login (the login mutation through our gateway, one account)',
    columns: ['concurrency', 'logins/s', 'p50 ms', 'p99 ms', 'failures'],
    rows,
    notes: [`Password hash: ${settingsOfHash} (argon2id, memory in KiB, passes, lanes; @node-rs/argon2 on libuv's thread pool of ${process.env.UV_THREADPOOL_SIZE ?? 4}).`],
  };
};

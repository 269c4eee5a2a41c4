import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionFailure } from '../../lib/errors.ts';
import { createTestDatabase, type TestDatabase } from '../database.ts';

/**
 * postgres.js 3.4.9 when the server ends a connection under its queries, as a database going down
 * does (issue 15, defect 11). Unpatched, the queries' pending write dereferenced the gone socket on
 * the next tick: an uncaught TypeError that ended the process (vitest reports it as an error of
 * this file), so a subgraph did not survive a database restart.
 */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

describe('The PostgreSQL client when the server ends a connection', () => {
  // Guards dev/patch-dependencies.ts, the postgres.js patch (nextWrite on a closed connection).
  it('rejects the queries on it with a connection error the services answer SERVICE_UNAVAILABLE for, and the process goes on', async () => {
    const admin = postgres(database.url, { max: 1, onnotice: () => {} });
    const sql = postgres(database.url, { max: 2, onnotice: () => {} });
    try {
      const reserved = await sql.reserve();
      const [session] = await reserved<{ pid: number }[]>`select pg_backend_pid() as pid`;
      const outcomes = await Promise.allSettled([admin`select pg_terminate_backend(${session!.pid})`, reserved`select pg_sleep(0.05)`, reserved`select 1`, reserved`select 2`]);
      await new Promise((resolve) => setTimeout(resolve, 50)); // the next tick's write, where the TypeError was thrown
      const later = await reserved`select 3`.then(
        () => null,
        (error: unknown) => error,
      );
      const failures = [...outcomes.slice(1).map((outcome) => (outcome.status === 'rejected' ? outcome.reason : null)), later];
      expect(failures.map((error) => connectionFailure(error) !== null)).toEqual([true, true, true, true]);
      // The pool's other connection serves what comes next. (The dead one is not released: postgres.js
      // would put it back among the open ones, issue #1208.)
      expect(await sql`select 4 as n`).toEqual([{ n: 4 }]);
    } finally {
      await Promise.all([sql.end({ timeout: 1 }), admin.end({ timeout: 1 })]);
    }
  });
});

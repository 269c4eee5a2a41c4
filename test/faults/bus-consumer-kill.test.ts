import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect as connectNats } from 'nats';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresEventBus, type EventBus } from '../../lib/events/bus.ts';
import { newEvent } from '../../lib/events/catalogue.ts';
import { startNatsEventBus } from '../../lib/events/nats.ts';
import { createTestDatabase, type TestDatabase } from '../database.ts';
import { NATS_URL, natsUnavailable } from '../nats.ts';

/**
 * The event bus consumer killed mid-stream (issue 15, the fault suite), on the PostgreSQL bus and on
 * NATS JetStream: a consumer process (consumer-process.ts) is SIGKILLed while it works through N
 * events, another takes over, and in the end each event had its effect once: N feed items, and N
 * rows of a counter that inserts one row per run (a second run of an event would be a second row).
 * The bus redelivers what the dead process had not confirmed (at least once); the inbox
 * (lib/events/inbox.ts, processOnce) turns that into one effect.
 */
const EVENTS = 300;
const natsMissing = await natsUnavailable();

let database: TestDatabase;
let sql: postgres.Sql;
const children: ChildProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  sql = postgres(database.url, { max: 2, onnotice: () => {} });
  await sql`create table public.fault_effects (seq bigserial primary key, event_id uuid not null)`;
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await sql?.end();
  await database?.drop();
});

/** Starts a consumer process and resolves once it is subscribed. */
async function startConsumer(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/faults/consumer-process.ts'], {
    cwd: new URL('../..', import.meta.url),
    env: { ...process.env, FAULT_DATABASE_URL: database.url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  await new Promise<void>((ready, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.includes('ready\n')) ready();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code, signal) => fail(new Error(`the consumer process ended (${code ?? signal}): ${output}`)));
  });
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** What the consumers did: the person's feed items, and the counter's rows (all, and distinct events; emptied for each run). */
async function effects(userId: string) {
  const [items] = await sql<{ n: number }[]>`select count(*)::int as n from notifications.items where user_id = ${userId}`;
  const [rows] = await sql<{ n: number; distinct: number }[]>`
    select count(*)::int as n, count(distinct event_id)::int as distinct from public.fault_effects`;
  return { items: items!.n, runs: rows!.n, events: rows!.distinct };
}

/**
 * Publishes N security events of a new person, starts a consumer, kills it once about a third have
 * their item, starts another, and resolves with the effects once it has caught up and, on a bus that
 * delivers again after a timeout, `allAcknowledged` says nothing is left for it to deliver again.
 */
async function killMidStream(bus: EventBus, env: Record<string, string>, allAcknowledged?: () => Promise<boolean>) {
  await sql`truncate public.fault_effects`;
  const userId = randomUUID();
  await bus.publish(
    Array.from({ length: EVENTS }, (_, n) =>
      newEvent('identity.security-event', { userId, eventId: randomUUID(), kind: 'NEW_DEVICE', title: `Вход с нового устройства ${n}`, body: 'Подробности', occurredAt: new Date().toISOString() }),
    ),
  );
  const first = await startConsumer(env);
  await expect.poll(async () => (await effects(userId)).items, { timeout: 30_000, interval: 10 }).toBeGreaterThanOrEqual(EVENTS / 3);
  await kill(first);
  const atKill = await effects(userId);
  const second = await startConsumer(env);
  await expect.poll(async () => (await effects(userId)).items, { timeout: 30_000, interval: 50 }).toBe(EVENTS);
  await expect.poll(async () => (await effects(userId)).events, { timeout: 5_000, interval: 50 }).toBe(EVENTS);
  if (allAcknowledged) await expect.poll(allAcknowledged, { timeout: 10_000, interval: 50 }).toBe(true);
  await kill(second);
  return { atKill, after: await effects(userId) };
}

// Guards lib/events/inbox.ts, processOnce (`if (!recorded.length) return false`), and
// lib/events/nats.ts, the ack after the handler.
describe('The event bus consumer killed mid-stream', () => {
  it('PostgreSQL bus: every event has its effect once, however far the dead process had got', async () => {
    const bus = await startPostgresEventBus({ url: database.url, max: 2 });
    try {
      // No timeout here: the PostgreSQL bus delivers again only what lies past a consumer's position,
      // which a new process reads at its start; with every effect in and no process killed since, nothing.
      const { atKill, after } = await killMidStream(bus, { FAULT_BUS: 'postgres' });
      expect(atKill.items).toBeLessThan(EVENTS); // it did die mid-stream
      expect(after).toEqual({ items: EVENTS, runs: EVENTS, events: EVENTS });
    } finally {
      await bus.close();
    }
  }, 90_000);

  describe.skipIf(natsMissing !== null)(`NATS JetStream${natsMissing ? ` (skipped: ${natsMissing})` : ''}`, () => {
    const run = randomUUID().slice(0, 8);
    const nats = { FAULT_BUS: 'nats', FAULT_NATS_URL: NATS_URL, FAULT_NATS_STREAM: `EPGU_FAULTS_TEST_${run}`, FAULT_NATS_PREFIX: `epgu-faults-test.${run}` };
    afterAll(async () => {
      const nc = await connectNats({ servers: NATS_URL });
      await (await nc.jetstreamManager()).streams.delete(nats.FAULT_NATS_STREAM).catch(() => {});
      await nc.close();
    });

    it('every event has its effect once, however far the dead process had got', async () => {
      const bus = await startNatsEventBus({ servers: NATS_URL, stream: nats.FAULT_NATS_STREAM, subjectPrefix: nats.FAULT_NATS_PREFIX, onError: () => {} });
      try {
        // Nothing delivered and unacknowledged: no event the dead process held can come again after the ack wait.
        const allAcknowledged = async () => (await bus.consumers()).every((consumer) => consumer.pending === 0 && consumer.ackPending === 0);
        const { atKill, after } = await killMidStream(bus, nats, allAcknowledged);
        expect(atKill.items).toBeLessThan(EVENTS);
        expect(after).toEqual({ items: EVENTS, runs: EVENTS, events: EVENTS });
      } finally {
        await bus.close();
      }
    }, 90_000);
  });
});

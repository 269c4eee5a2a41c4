import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../dev/embedded-postgres.ts';
import { encodeCursor, timeIdKey } from '../../lib/connection.ts';
import { addItem } from '../../subgraphs/notifications/domain/feed.ts';
import { createPerson, signIn, type Person } from '../fixtures.ts';
import { spawnGateway, stopSpawned, startGraph, type TestGraph } from '../graph.ts';
import { followFeed } from '../ws-client.ts';

/**
 * A gateway worker killed under load (issue 15, the fault suite): the gateway as `node
 * gateway/index.ts` runs it with GATEWAY_WORKERS=2 (gateway/workers.ts), eight callers asking
 * without pause, each request on a connection of its own (spread over the workers), and four
 * people following their feeds over graphql-ws, two each. One worker gets SIGKILL: the supervisor
 * starts another, at most the requests the dead worker held fail (one per caller), every later one is
 * answered, and the subscriptions it held reconnect and resume with their cursor.
 */
const CALLERS = 8;
let graph: TestGraph;
let gateway: ChildProcess;
let port: number;
const output: string[] = [];
let people: (Person & { token: string })[];

/** The pids of the workers that said they are ready, in order (lib/log.ts: one JSON object a line). */
const readyWorkers = () =>
  output
    .join('')
    .split('\n')
    .flatMap((line) => {
      if (!line.startsWith('{')) return [];
      const entry = JSON.parse(line) as { msg?: string; worker?: unknown; pid?: number };
      return entry.msg === 'ready' && entry.worker ? [entry.pid!] : [];
    });

/** POSTs `{ me { id } }` on a connection of its own; resolves with the status, or the network error's code. */
function ask(token: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = httpRequest({ port, path: '/graphql', method: 'POST', agent: false, timeout: 5_000, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'ERROR'));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'ERROR'));
    req.end(JSON.stringify({ query: '{ me { id } }' }));
  });
}

beforeAll(async () => {
  graph = await startGraph();
  people = await Promise.all(
    Array.from({ length: 4 }, async (_, n) => {
      const person = await createPerson(graph, { lastName: `Подписчик${n}` });
      return { ...person, token: await signIn(graph, person.phone) };
    }),
  );
  port = await freePort();
  gateway = spawnGateway(graph, port, { GATEWAY_WORKERS: '2', RATE_LIMIT_PER_USER: '0', RATE_LIMIT_PER_ADDRESS: '0' });
  gateway.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  gateway.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  for (const deadline = Date.now() + 60_000; readyWorkers().length < 2; await sleep(50)) {
    if (Date.now() > deadline || gateway.exitCode !== null) throw new Error(`two workers ready:\n${output.join('')}`);
  }
}, 120_000);

afterAll(async () => {
  await stopSpawned(gateway);
  await graph?.stop();
});

describe('A gateway worker killed under load (GATEWAY_WORKERS=2)', () => {
  it('is replaced; at most its requests in flight fail, later ones are answered; its subscriptions reconnect and miss nothing', async () => {
    const wsUrl = `ws://127.0.0.1:${port}/graphql`;
    // Two feeds a person, eight connections: the kernel spreads them over both workers. The two are
    // different operations, so each is its own stream at the subgraph wherever they land.
    const followers = people.flatMap((person) => [person, person]);
    // Each starts from an item it knows, as a front end does from the feed it loaded: an item that
    // reached no client before the kill is replayed after it.
    const known = new Map<string, string>();
    for (const person of people) {
      const { item } = await addItem(graph.databases.notifications.db, { id: randomUUID(), userId: person.id, category: 'SUPPORT', title: 'Известное', body: 'Ответ службы поддержки' });
      known.set(person.id, encodeCursor(timeIdKey(item.createdAt, item.id)));
    }
    await graph.eventsSettled();
    const feeds = followers.map((person, n) => followFeed(wsUrl, person.token, { name: `Feed${n % 2}`, after: known.get(person.id) }));
    await expect.poll(() => people.map((person) => graph.notificationsLive.streams(person.id)), { timeout: 10_000 }).toEqual(people.map(() => 2));
    const added = new Map<string, string[]>(people.map((person) => [person.id, []]));
    const add = async () => {
      for (const person of people) {
        const { item } = await addItem(graph.databases.notifications.db, { id: randomUUID(), userId: person.id, category: 'SUPPORT', title: 'Ответ', body: 'Ответ службы поддержки' });
        added.get(person.id)!.push(item.id);
      }
    };

    type Phase = 'before' | 'after';
    let phase = 'before' as Phase;
    const answers: { phase: Phase; outcome: number | string }[] = [];
    let loading = true;
    const load = Promise.all(
      people
        .concat(people)
        .slice(0, CALLERS)
        .map(async (person) => {
          while (loading) {
            const asked = phase;
            answers.push({ phase: asked, outcome: await ask(person.token) });
          }
        }),
    );
    await add();
    await sleep(300);
    const [victim] = readyWorkers();
    process.kill(victim!, 'SIGKILL');
    await add(); // while it is dead
    await expect.poll(() => readyWorkers().length, { timeout: 60_000, interval: 20 }).toBe(3); // loaded, a start takes seconds
    phase = 'after';
    await add();
    await sleep(500);
    loading = false;
    await load;

    // Only requests asked before the new worker was ready can have been in the dead one's hands,
    // and those fail at once (the connection reset), never by waiting for the client's timeout.
    const failed = answers.filter((answer) => answer.outcome !== 200);
    expect(failed.filter((answer) => answer.phase === 'after')).toEqual([]);
    expect(failed.length).toBeLessThanOrEqual(CALLERS);
    // Guards gateway/index.ts, `cluster.schedulingPolicy = cluster.SCHED_NONE`: under round robin a
    // connection in transit to the dead worker hung (one TIMEOUT in each of three runs).
    expect(failed.filter((answer) => answer.outcome === 'TIMEOUT')).toEqual([]);
    expect(answers.filter((answer) => answer.phase === 'after').length).toBeGreaterThan(CALLERS);

    // Every subscriber has every item once, in order; at least one of them was on the dead worker.
    // What is asserted is that nothing is lost or repeated, not how fast: on a loaded two-core
    // machine one run had not received its last item within 10 s (not seen again in isolation), so
    // the wait is generous; an item really lost still fails here.
    // A fourth item each is the marker: it arrives next, with no copy of the first three between.
    await add();
    await expect.poll(() => feeds.map((feed) => feed.ids.length), { timeout: 30_000 }).toEqual(followers.map(() => 4));
    expect(feeds.map((feed) => feed.ids)).toEqual(followers.map((person) => added.get(person.id)));
    expect(feeds.flatMap((feed) => feed.errors)).toEqual([]);
    expect(feeds.reduce((sum, feed) => sum + feed.connections.count, 0)).toBeGreaterThan(followers.length);
    await Promise.all(feeds.map((feed) => feed.dispose()));
  }, 90_000);
});

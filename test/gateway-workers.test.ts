import type { ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../dev/embedded-postgres.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { createPerson, signIn } from './fixtures.ts';
import { spawnGateway, stopSpawned, startGraph, type TestGraph } from './graph.ts';

/**
 * The gateway as `node gateway/index.ts` runs it with GATEWAY_WORKERS=2 (gateway/workers.ts,
 * docs/gateway.md "Workers"): a primary that supervises two workers sharing one port, against the
 * test graph's subgraphs, with rate limits in a PostgreSQL store of its own.
 */

let graph: TestGraph;
let store: TestDatabase;
let gateway: ChildProcess;
let port: number;
const output: string[] = [];
const errors: string[] = [];
let tokens: { limited: string; other: string };

/** Waits for `condition`, polling; fails with `what` if it does not come (a wait, not a timed assertion). */
async function until(condition: () => boolean, what: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting: ${what()}`);
    await sleep(20);
  }
}

/** The gateway's log lines (lib/log.ts: one JSON object each), parsed. */
const entries = () =>
  output
    .join('')
    .split('\n')
    .flatMap((line) => (line.startsWith('{') && line.endsWith('}') ? [JSON.parse(line) as Record<string, unknown>] : []));
/** The pids of the workers that said they are ready, in order. */
const readyWorkers = () => entries().flatMap((entry) => (entry.msg === 'ready' && entry.worker ? [entry.pid as number] : []));
const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** POSTs an operation on a connection of its own (the primary hands each new connection to the next worker). */
function post(query: string, token?: string): Promise<{ status: number; body: { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] } }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query });
    const req = httpRequest({ port, path: '/graphql', method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  graph = await startGraph();
  store = await createTestDatabase();
  const [limited, other] = [await createPerson(graph, { lastName: 'Лимитов' }), await createPerson(graph, { lastName: 'Воркеров' })];
  tokens = { limited: await signIn(graph, limited.email), other: await signIn(graph, other.email) };
  port = await freePort();
  gateway = spawnGateway(graph, port, { GATEWAY_WORKERS: '2', RATE_LIMIT_DATABASE_URL: store.url, RATE_LIMIT_PER_USER: '6', RATE_LIMIT_PER_ADDRESS: '0' });
  // Log lines on stdout, kept whole across chunks; stderr (Node's own warnings) apart, shown on a failed wait.
  gateway.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  gateway.stderr!.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  await until(
    () => readyWorkers().length === 2,
    () => `two workers ready:\n${output.join('')}${errors.join('')}`,
  );
}, 120_000);

afterAll(async () => {
  await stopSpawned(gateway);
  await store?.drop();
  await graph?.stop();
});

describe('Gateway workers (GATEWAY_WORKERS=2)', () => {
  it('counts one person’s requests in the shared store whichever worker answers', async () => {
    // Seven requests over six allowed, each on its own connection, handed round the two workers:
    // a store per worker would let all seven through.
    const responses = [];
    for (let n = 0; n < 7; n++) responses.push(await post('{ me { id } }', tokens.limited));
    expect(responses.map(({ status, body }) => [status, body.errors?.[0]?.extensions?.code ?? 'OK'])).toEqual([...Array.from({ length: 6 }, () => [200, 'OK']), [429, 'RATE_LIMITED']]);
  });

  it('answers queries and health checks from every worker', async () => {
    for (let n = 0; n < 4; n++) {
      const { status, body } = await post('{ me { profile { lastName } } }', tokens.other);
      expect([status, body]).toEqual([200, { data: { me: { profile: { lastName: 'Воркеров' } } } }]);
    }
    for (const route of ['/health/live', '/health/ready']) expect((await fetch(`http://localhost:${port}${route}`)).status).toBe(200);
  });

  it('replaces a worker that dies, and goes on answering', async () => {
    const [victim, survivor] = readyWorkers();
    process.kill(victim!, 'SIGKILL');
    await until(
      () => readyWorkers().length === 3,
      () => `a new worker ready:\n${output.join('')}${errors.join('')}`,
    );
    expect(entries().map((entry) => entry.msg)).toContain(`worker ${victim} exited (signal SIGKILL); starting another in 250 ms`);
    expect(isRunning(survivor!)).toBe(true);
    const { body } = await post('{ me { profile { lastName } } }', tokens.other);
    expect(body).toEqual({ data: { me: { profile: { lastName: 'Воркеров' } } } });
  });

  it('stops every worker on SIGTERM and exits 0', async () => {
    const workers = readyWorkers().filter(isRunning);
    expect(workers).toHaveLength(2);
    const exited = new Promise<number | null>((resolve) => gateway.once('exit', (code) => resolve(code)));
    gateway.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(workers.filter(isRunning)).toEqual([]);
    expect(
      entries()
        .filter((entry) => entry.msg === 'stopping' && entry.signal === 'SIGTERM')
        .map((entry) => entry.pid),
    ).toEqual(expect.arrayContaining(workers));
  });
});

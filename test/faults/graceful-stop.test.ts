import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect as connectTcp } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'graphql-ws';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../dev/embedded-postgres.ts';
import { processGroup } from '../../dev/processes.ts';
import { shutdownGraceMs } from '../../lib/config.ts';
import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential } from '../../lib/gateway-credential.ts';
import { webSocketWithHeaders } from '../../lib/subscriptions.ts';
import { LIVE_ENDS } from '../../lib/live/ends.ts';
import { createTestDatabase, type TestDatabase } from '../database.ts';
import { createPerson, signIn } from '../fixtures.ts';
import { asSubgraph, gatewayUpgradeHeaders, startGraph, type TestGraph } from '../graph.ts';

/**
 * Issue 15, defect 8: SIGTERM cut the requests in flight (curl: an empty reply). A service now stops
 * gracefully (lib/service.ts, `closeServer` and `stopOnSignal`; docs/reliability.md, "Stopping"), and
 * this file stops real processes — a subgraph, the gateway with two workers — while a request of
 * theirs is held the way a real one can be: by a PostgreSQL lock this test takes on the table it
 * reads (a migration or a long transaction would do the same).
 */

const projectRoot = new URL('../..', import.meta.url);
const NOTIFICATION = 'query ($id: ID!) { notification(id: $id) { id } }';
const FEED_ADDED = 'subscription { notificationAdded { cursor } }';

let graph: TestGraph;
let token: string;
const running: ChildProcess[] = [];

beforeAll(async () => {
  graph = await startGraph();
  const person = await createPerson(graph, { lastName: 'Остановов' });
  token = await signIn(graph, person.email);
});

afterEach(async () => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

afterAll(async () => {
  await graph?.stop();
});

/** A service started as `npm start` or a container would (`node --import tsx <entry>`), its JSON log lines kept. */
async function startService(entry: string, env: Record<string, string>, readyLines = 1) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: projectRoot,
    env: { ...process.env, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  const entries: Record<string, unknown>[] = [];
  const text: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    text.push(line);
    if (line.startsWith('{')) entries.push(JSON.parse(line) as Record<string, unknown>);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => text.push(line));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
  const until = async (what: string, condition: () => boolean) => {
    const deadline = Date.now() + 60_000;
    while (!condition()) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`still waiting for ${what}:\n${text.join('\n')}`);
      await sleep(20);
    }
  };
  const said = (msg: string) => entries.filter((entry) => entry.msg === msg);
  await until('ready', () => said('ready').length >= readyLines);
  return { child, port, entries, said, until, exited };
}

const STOPPING = 'stopping';

/** Locks `table` until `release`: every statement that reads it waits, as behind a migration's lock. */
async function holdTable(sql: postgres.Sql, table: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const transaction = sql.begin(async (tx) => {
    await tx.unsafe(`lock table ${table} in access exclusive mode`);
    locked();
    await released;
  });
  await isLocked;
  return {
    /** Resolves once some statement of the database waits for the lock (the held request has reached it). */
    async reached() {
      while ((await sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)[0]!.n === 0) await sleep(20);
    },
    /** Ends the lock (again: a test's `finally` releases whatever happened). */
    release: async () => {
      release();
      await transaction;
    },
  };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: { data?: unknown; errors?: unknown[] };
}

/**
 * POSTs an operation on a keep-alive connection of its own that the client never closes, as a
 * browser or a proxy may keep one (Node's `agent: false` would ask for `Connection: close`
 * itself; undici closes an idle one after 4 s). `headers` resolves with the answer's status and
 * headers, `text` with its whole body, once it ends.
 */
function postKeepingAlive(url: string, body: unknown, headers: Record<string, string>) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let answered!: (res: { status: number; headers: IncomingHttpHeaders }) => void;
  const head = new Promise<{ status: number; headers: IncomingHttpHeaders }>((resolve) => (answered = resolve));
  const text = new Promise<string>((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      answered({ status: res.statusCode ?? 0, headers: res.headers });
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve(text));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
  // The connection is the server's to close; the agent goes with the test process.
  text.catch(() => {}).finally(() => setTimeout(() => agent.destroy(), 60_000).unref());
  return { head, text };
}

/** An operation POSTed with `postKeepingAlive`: its status, headers and JSON body. */
async function post(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<Answer> {
  const answer = postKeepingAlive(url, { query, variables }, headers);
  const body = JSON.parse(await answer.text) as Answer['body'];
  return { ...(await answer.head), body };
}

/**
 * A readiness request a prober began before the stop and finishes after it, on its connection:
 * a connection with a request under way is not idle, so the stop lets it finish.
 */
async function readinessBegun(port: number) {
  const socket = connectTcp(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write('GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  let text = '';
  socket.on('data', (chunk) => (text += chunk));
  const answer = new Promise<string>((resolve) => socket.once('close', () => resolve(text)));
  return {
    finish: () => {
      socket.write('\r\n');
      return answer;
    },
  };
}

/** Whether a new TCP connection to `port` is refused, tried until it is (or 5 s pass: it is not). */
async function refusesConnections(port: number): Promise<boolean> {
  for (const deadline = Date.now() + 5_000; Date.now() < deadline; await sleep(50)) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connectTcp(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    });
    if (refused) return true;
  }
  return false;
}

/** A graphql-ws client (as Apollo Client's GraphQLWsLink makes one) subscribed and connected; `closed` is how its socket ended. */
async function connectedSubscriber(wsUrl: string) {
  const authorization = `Bearer ${token}`;
  let connected!: () => void;
  const isConnected = new Promise<void>((resolve) => (connected = resolve));
  const client = createClient({
    url: wsUrl,
    webSocketImpl: webSocketWithHeaders(() => gatewayUpgradeHeaders(wsUrl, authorization)),
    connectionParams: { authorization },
    retryAttempts: 0,
    on: { connected: () => connected() },
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    client.subscribe(
      { query: FEED_ADDED },
      {
        next: () => {},
        error: (error) => {
          const { code, reason } = error as { code: number; reason: string };
          resolve({ code, reason });
        },
        complete: () => {},
      },
    );
  });
  await isConnected;
  return { closed, dispose: () => client.dispose() };
}

describe('SHUTDOWN_GRACE_MS', () => {
  it('is 10 s unless set, a whole number of milliseconds up to ten minutes, refused otherwise', () => {
    expect([shutdownGraceMs({}), shutdownGraceMs({ SHUTDOWN_GRACE_MS: '2500' }), shutdownGraceMs({ SHUTDOWN_GRACE_MS: '0' })]).toEqual([10_000, 2500, 0]);
    for (const wrong of ['-1', '1.5', '10s', '600001'])
      expect(() => shutdownGraceMs({ SHUTDOWN_GRACE_MS: wrong })).toThrow(`SHUTDOWN_GRACE_MS: "${wrong}" is not accepted; accepts a whole number of milliseconds from 0 to 600000`);
  });
});

describe('A stopping subgraph (subgraphs/notifications/index.ts)', () => {
  let database: TestDatabase;
  let sql: postgres.Sql;
  afterAll(async () => {
    await sql?.end();
    await database?.drop();
  });

  it('finishes the request in flight, answers readiness 503, refuses new connections, closes graphql-ws with 1001, then exits 0', async () => {
    database = await createTestDatabase();
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    const subgraph = await startService('subgraphs/notifications/index.ts', { DATABASE_URL: database.url, IDENTITY_URL: graph.subgraphUrls.identity });
    const url = `http://127.0.0.1:${subgraph.port}/graphql`;
    asSubgraph(url, 'notifications');
    const subscriber = await connectedSubscriber(url.replace(/^http/, 'ws'));
    const readiness = await readinessBegun(subgraph.port);
    const lock = await holdTable(sql, 'notifications.items');
    try {
      const variables = { id: randomUUID() };
      const authorization = `Bearer ${token}`;
      const credential = signGatewayCredential(process.env.GATEWAY_SECRET!, { subgraph: 'notifications', authorization, query: NOTIFICATION, variables });
      const held = post(url, NOTIFICATION, variables, { authorization, [GATEWAY_CREDENTIAL_HEADER]: credential });
      held.catch(() => {}); // awaited below; a failure before that must not be reported twice
      await lock.reached();

      const signalled = Date.now();
      subgraph.child.kill('SIGTERM');
      await subgraph.until('the stop', () => subgraph.said(STOPPING).length === 1);
      // Guards lib/service.ts, `closeServer`: `server.close` before anything else (the port is closed).
      expect(await refusesConnections(subgraph.port)).toBe(true);
      // Guards lib/service.ts, `listen`'s request listener: readiness answers 503 once stopping (it was 200).
      const ready = await readiness.finish();
      expect(ready).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
      expect(ready).toMatch(/\r\nconnection: close\r\n/i);
      expect(ready.slice(ready.indexOf('\r\n\r\n') + 4)).toBe('{"status":"unavailable","reason":"stopping"}');
      // Guards `closeServer`'s `state.detach` (lib/live/graphql-ws.ts's dispose): 1001, which graphql-ws clients retry.
      expect(await subscriber.closed).toEqual({ code: 1001, reason: 'Going away' });

      await lock.release();
      // Guards `closeServer`: the server waits for the request instead of `closeAllConnections()` at
      // once (the old stop answered it with an empty reply), and its answer says `Connection: close`
      // (the header put on each of `state.inFlight`), so the client does not send another on it.
      const answer = await held;
      expect([answer.status, answer.headers.connection, answer.body]).toEqual([200, 'close', { data: { notification: null } }]);
      const { code, at } = await subgraph.exited;
      // Within the grace period (SHUTDOWN_GRACE_MS, 10 s by default): nothing was left to wait for.
      expect([code, at - signalled < 10_000]).toEqual([0, true]);
      // Guards `stopOnSignal`: the events, Apollo Server and the pools close after the requests, and the last line says nothing was cut.
      expect(subgraph.entries.at(-1)).toMatchObject({ level: 'info', service: 'notifications', msg: 'stopped' });
      await subscriber.dispose();
    } finally {
      await lock.release();
    }
  });
});

describe('A stopping gateway (gateway/index.ts)', () => {
  /** The gateway in front of the test graph's subgraphs, its rate limits off and counted in memory (no store to connect to). */
  const gatewayEnv = () => ({
    ...Object.fromEntries(Object.entries(graph.subgraphUrls).map(([name, url]) => [`${name.toUpperCase()}_URL`, url])),
    REDIS_URL: '',
    DATABASE_URL: '',
    RATE_LIMIT_PER_USER: '0',
    RATE_LIMIT_PER_ADDRESS: '0',
  });

  it('with two workers: each finishes its requests, SSE and graphql-ws subscribers are told to reconnect, readiness is 503, new connections refused, then it exits 0', async () => {
    const gateway = await startService(
      'gateway/index.ts',
      {
        GATEWAY_WORKERS: '2',
        ...gatewayEnv(),
      },
      2,
    );
    const url = `http://127.0.0.1:${gateway.port}/graphql`;
    const workers = () => gateway.said('ready').map((entry) => entry.pid);
    const ws = await connectedSubscriber(url.replace(/^http/, 'ws'));
    const sse = postKeepingAlive(url, { query: FEED_ADDED }, { accept: 'text/event-stream', authorization: `Bearer ${token}` });
    expect((await sse.head).status).toBe(200);
    const readiness = await readinessBegun(gateway.port);
    const lock = await holdTable(graph.databases.notifications.sql, 'notifications.items');
    try {
      const held = post(url, NOTIFICATION, { id: randomUUID() }, { authorization: `Bearer ${token}` });
      held.catch(() => {}); // awaited below; a failure before that must not be reported twice
      await lock.reached();

      const signalled = Date.now();
      gateway.child.kill('SIGTERM');
      // The primary passes the signal on: every worker drains (gateway/workers.ts).
      await gateway.until('both workers stopping', () => gateway.said(STOPPING).length === 2);
      expect(
        gateway
          .said(STOPPING)
          .map((entry) => entry.pid)
          .sort(),
      ).toEqual(workers().sort());
      // Guards gateway/subscriptions/index.ts, `attach`'s closer: every client is told at once, on each transport.
      expect(await ws.closed).toEqual({ code: 1001, reason: LIVE_ENDS.goingAway.reason });
      const lastEvents = 'event: next\ndata: {"errors":[{"message":"Шлюз перезапускается: подключитесь снова.","extensions":{"code":"SERVICE_UNAVAILABLE"}}]}\n\nevent: complete\ndata:\n\n';
      expect((await sse.text).endsWith(lastEvents)).toBe(true);
      expect(await refusesConnections(gateway.port)).toBe(true);
      const ready = await readiness.finish();
      expect(ready).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);

      await lock.release();
      const answer = await held;
      expect([answer.status, answer.headers.connection, answer.body]).toEqual([200, 'close', { data: { notification: null } }]);
      const { code, at } = await gateway.exited;
      // Guards `listen`'s `closeIdleConnections()` when a response closes: the SSE stream's connection,
      // answered with keep-alive before the stop, would otherwise hold the worker to the grace period's end.
      expect([code, at - signalled < 10_000]).toEqual([0, true]);
      expect(
        gateway
          .said('stopped')
          .map((entry) => entry.pid)
          .sort(),
      ).toEqual(workers().sort());
      await ws.dispose();
    } finally {
      await lock.release();
    }
  });

  it('cuts a request still running at the end of the grace period, says so in one line, and still exits 0', async () => {
    const gateway = await startService('gateway/index.ts', {
      GATEWAY_WORKERS: '1',
      SHUTDOWN_GRACE_MS: '500',
      ...gatewayEnv(),
    });
    const lock = await holdTable(graph.databases.notifications.sql, 'notifications.items');
    try {
      const held = post(`http://127.0.0.1:${gateway.port}/graphql`, NOTIFICATION, { id: randomUUID() }, { authorization: `Bearer ${token}` });
      await lock.reached();
      const signalled = Date.now();
      gateway.child.kill('SIGTERM');
      // Guards lib/service.ts, `closeServer`: past `graceMs`, `closeAllConnections()` and the count of what was cut.
      await expect(held).rejects.toThrow(/socket hang up|ECONNRESET/);
      const { code, at } = await gateway.exited;
      expect(code).toBe(0);
      expect(at - signalled).toBeGreaterThanOrEqual(500);
      expect(gateway.entries.at(-1)).toMatchObject({ level: 'warn', service: 'gateway', msg: 'stopped; requests still running at the end of the grace period were cut', cut: 1, graceMs: 500 });
    } finally {
      await lock.release();
    }
  });
});

describe('npm start’s stop (dev/processes.ts)', () => {
  it('stops the services one after another, the last started first, each in a process group of its own', async () => {
    const lines: string[] = [];
    const group = processGroup({ stdio: ['ignore', 'pipe', 'inherit'], onUnexpectedExit: (name) => lines.push(`${name} exited unexpectedly`) });
    const services = ['subgraph', 'gateway'].map((name) => {
      const child = group.start(name, 'test/faults/stopping-service.ts', { SERVICE_NAME: name });
      createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
      return child;
    });
    while (lines.filter((line) => line.endsWith(' ready')).length < 2) await sleep(20);
    // Guards `start`'s `detached: true`: a Ctrl-C at the terminal signals the launcher's process
    // group, and so no longer the services (nor the embedded PostgreSQL) behind the launcher's back.
    for (const child of services) expect(() => process.kill(-child.pid!, 0)).not.toThrow();
    await group.stop();
    // Guards `stop`: the gateway has stopped before the subgraphs are told to (they were signalled all at once).
    expect(lines.filter((line) => !line.endsWith(' ready'))).toEqual(['gateway stopping', 'gateway stopped', 'subgraph stopping', 'subgraph stopped']);
  });
});

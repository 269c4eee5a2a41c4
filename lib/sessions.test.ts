import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { useFakeClock, resolvesAtOnce } from '../test/fake-clock.ts';
import { captureLogs } from '../test/logs.ts';
import { SESSION_ENDED, type Viewer } from './auth.ts';
import { identitySessionStatus, LiveSessions, SESSION_STATUS_BATCH_MAX, type SessionStatus, type SessionStatusAnswer, type SessionStatusBatch, type SessionStatusSource } from './sessions.ts';

const viewer = (sessionId: string | null): Viewer => ({ userId: 'u1', level: 'STANDARD', roles: [], sessionId, service: null });

/**
 * Identity's `/session-statuses` as the gateway sees it: answers `status` for each token (a 503
 * for the whole batch when one is null, UNAUTHENTICATED for 401), and counts the tokens asked
 * about and the requests.
 */
async function identity(status: (authorization: string) => SessionStatus | null | 401) {
  const asked: string[] = [];
  const requests: string[][] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += String(chunk)));
    req.on('end', () => {
      const { authorizations } = JSON.parse(body) as SessionStatusBatch;
      asked.push(...authorizations);
      requests.push(authorizations);
      const answers = authorizations.map((authorization): SessionStatusAnswer | null => {
        const answer = status(authorization);
        return answer === 401 ? { live: null, reason: 'UNAUTHENTICATED' } : answer;
      });
      if (answers.includes(null)) res.writeHead(503).end();
      else res.setHeader('content-type', 'application/json').end(JSON.stringify({ statuses: answers }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/session-statuses`;
  return { source: identitySessionStatus({ statusUrl: url, secret: null, service: 'test' }), asked, requests };
}
const servers: Server[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  vi.restoreAllMocks();
});

/** For the tests of LiveSessions' timing, on a fake clock: identity's answers without HTTP, the questions counted as they are asked. */
function identityInProcess(status: () => SessionStatus) {
  const asked: string[] = [];
  const source: SessionStatusSource = async (_viewer, authorization) => (asked.push(authorization), status());
  return { source, asked };
}

const LIVE = { live: true } as const;
const REVOKED = { live: false, reason: 'SESSION_REVOKED' } as const;

describe('LiveSessions', () => {
  it('asks identity once for any number of requests of a session within the time an answer holds', async () => {
    const { source, asked } = await identity(() => LIVE);
    const verify = new LiveSessions(source, 60_000).verifying(async () => viewer('s1'));
    await Promise.all(Array.from({ length: 20 }, () => verify('Bearer a')));
    await verify('Bearer a');
    expect(asked).toEqual(['Bearer a']);
  });

  it('asks about the sessions of parallel requests in one request to identity, each answered its own', async () => {
    const { source, requests } = await identity((authorization) => (authorization.endsWith('revoked') ? REVOKED : authorization.endsWith('expired') ? 401 : LIVE));
    const verify = new LiveSessions(source).verifying(async (authorization) => viewer(authorization!));
    const outcomes = await Promise.allSettled(['Bearer 1', 'Bearer 2-revoked', 'Bearer 3', 'Bearer 4-expired', 'Bearer 5'].map((authorization) => verify(authorization)));
    expect(requests).toEqual([['Bearer 1', 'Bearer 2-revoked', 'Bearer 3', 'Bearer 4-expired', 'Bearer 5']]);
    expect(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value?.sessionId : (outcome.reason as { extensions: { code: string } }).extensions.code))).toEqual([
      'Bearer 1',
      'SESSION_REVOKED',
      'Bearer 3',
      // Identity did not verify it: the token's own expiry check speaks, as when identity is down.
      'Bearer 4-expired',
      'Bearer 5',
    ]);
  });

  it(`asks at most ${SESSION_STATUS_BATCH_MAX} tokens in one request, the rest in the next`, async () => {
    const { source, requests } = await identity(() => LIVE);
    const verify = new LiveSessions(source).verifying(async (authorization) => viewer(authorization!));
    await Promise.all(Array.from({ length: SESSION_STATUS_BATCH_MAX + 1 }, (_, i) => verify(`Bearer ${i}`)));
    expect(requests.map((batch) => batch.length)).toEqual([SESSION_STATUS_BATCH_MAX, 1]);
  });

  it("refuses the token of an ended session with the end's code", async () => {
    const { source } = await identity((authorization) => (authorization === 'Bearer revoked' ? REVOKED : authorization === 'Bearer deleted' ? { live: false, reason: 'ACCOUNT_DELETED' } : LIVE));
    const sessions: Record<string, string> = { 'Bearer revoked': 's1', 'Bearer live': 's2', 'Bearer deleted': 's3' };
    const verify = new LiveSessions(source).verifying(async (authorization) => viewer(sessions[authorization!]!));
    await expect(verify('Bearer revoked')).rejects.toMatchObject({ message: SESSION_ENDED, extensions: { code: 'SESSION_REVOKED' } });
    await expect(verify('Bearer deleted')).rejects.toMatchObject({ message: 'Учётная запись удалена.', extensions: { code: 'ACCOUNT_DELETED' } });
    await expect(verify('Bearer live')).resolves.toMatchObject({ sessionId: 's2' });
  });

  it('asks nothing for anonymous callers and service tokens, which have no session', async () => {
    const { source, asked } = await identity(() => REVOKED);
    const sessions = new LiveSessions(source);
    await expect(sessions.verifying(async () => null)(undefined)).resolves.toBeNull();
    await expect(sessions.verifying(async () => viewer(null))('Bearer service')).resolves.toMatchObject({ sessionId: null });
    expect(asked).toEqual([]);
  });

  it('lets a request through, logged, while identity does not answer, and asks again for the next one', async () => {
    const logs = captureLogs();
    onTestFinished(logs.stop);
    let up = false;
    const { source } = await identity(() => (up ? REVOKED : null));
    const verify = new LiveSessions(source, 60_000).verifying(async () => viewer('s1'));
    await expect(verify('Bearer a')).resolves.toMatchObject({ sessionId: 's1' });
    expect(logs.entries()[0]).toMatchObject({ level: 'error', msg: expect.stringMatching(/session check failed/) });
    up = true;
    await expect(verify('Bearer a')).rejects.toMatchObject({ message: SESSION_ENDED });
  });

  it('takes a token identity no longer verifies (it expired on the way) as no answer, without logging an outage', async () => {
    const logs = captureLogs();
    onTestFinished(logs.stop);
    const { source } = await identity(() => 401);
    await expect(new LiveSessions(source).verifying(async () => viewer('s1'))('Bearer a')).resolves.toMatchObject({ sessionId: 's1' });
    expect(logs.entries()).toEqual([]);
  });

  it('re-checks a session with open streams once per answer time, whatever the number of its streams, and ends them all when it ends', async () => {
    useFakeClock();
    let status: SessionStatus = LIVE;
    const { source, asked } = identityInProcess(() => status);
    const sessions = new LiveSessions(source, 500);
    const ended: string[] = [];
    const unwatch = Array.from({ length: 50 }, (_, i) => sessions.watch(viewer('s1'), 'Bearer a', (code) => ended.push(`${i}:${code}`)));
    await vi.advanceTimersByTimeAsync(1_300);
    // Asked again before each answer runs out (at 400 ms of its 500), not once per stream.
    expect(asked.length).toBeGreaterThanOrEqual(2);
    expect(asked.length).toBeLessThanOrEqual(4);
    status = REVOKED;
    await vi.advanceTimersByTimeAsync(499);
    expect(ended).toHaveLength(50);
    expect(ended[0]).toBe('0:SESSION_REVOKED');
    expect(sessions.watchedSessions()).toBe(0);
    unwatch.forEach((stop) => stop());
  });

  it('ends the streams of a session as soon as a request hears it ended', async () => {
    let status: SessionStatus = LIVE;
    const { source } = await identity(() => status);
    const sessions = new LiveSessions(source, 0);
    const ended: string[] = [];
    sessions.watch(viewer('s1'), 'Bearer a', (code) => ended.push(code));
    status = REVOKED;
    await expect(sessions.verifying(async () => viewer('s1'))('Bearer a')).rejects.toMatchObject({ extensions: { code: 'SESSION_REVOKED' } });
    expect(ended).toEqual(['SESSION_REVOKED']);
  });

  it("asks again ahead of time for a busy session, so its requests do not wait for identity's answer", async () => {
    useFakeClock();
    let asked = 0;
    const source = async () => {
      asked++;
      await new Promise((resolve) => setTimeout(resolve, 200));
      return LIVE;
    };
    const verify = new LiveSessions(source, 500).verifying(async () => viewer('s1'));
    const first = verify('Bearer a');
    await vi.advanceTimersByTimeAsync(200);
    await first;
    await vi.advanceTimersByTimeAsync(220); // the answer is 420 ms old: due for renewal, still holding
    // Answered with no time passing: the request does not wait for the renewal's 200 ms.
    await expect(resolvesAtOnce(verify('Bearer a'))).resolves.toBe(true);
    await vi.advanceTimersByTimeAsync(50); // the renewal goes at the next tick (a tenth of the answer time)
    expect(asked).toBe(2);
    await vi.advanceTimersByTimeAsync(250); // the first answer has run out; the renewed one (asked at 470 ms) holds
    await expect(resolvesAtOnce(verify('Bearer a'))).resolves.toBe(true);
    expect(asked).toBe(2);
  });

  it('lets a renewal that fails in the background go (identity checking its own sessions with its database gone): no unhandled rejection, the held answer stands', async () => {
    useFakeClock();
    let asked = 0;
    // Identity's own source reads its database, and rejects when the database is gone.
    const source = async () => {
      asked++;
      if (asked > 1) throw new Error('write CONNECTION_ENDED 127.0.0.1:5432');
      return LIVE;
    };
    const verify = new LiveSessions(source, 500).verifying(async () => viewer('s1'));
    await verify('Bearer a');
    await vi.advanceTimersByTimeAsync(420); // due for renewal, still holding
    await expect(resolvesAtOnce(verify('Bearer a'))).resolves.toBe(true);
    await vi.advanceTimersByTimeAsync(50); // the renewal goes, and fails, with no request waiting for it
    expect(asked).toBe(2);
    await expect(resolvesAtOnce(verify('Bearer a'))).resolves.toBe(true);
  });

  it('renews the busy sessions of requests that come one by one in one request to identity a tick', async () => {
    useFakeClock();
    const batches: number[] = [];
    let waiting = 0;
    // One question per 5 ms window, as identitySessionStatus batches: here each call is one request unless asked in the same tick.
    const source: SessionStatusSource = () => {
      if (!waiting++) queueMicrotask(() => (batches.push(waiting), (waiting = 0)));
      return Promise.resolve(LIVE);
    };
    const sessions = new LiveSessions(source, 1_000);
    const verify = sessions.verifying(async (authorization) => viewer(authorization!));
    const people = Array.from({ length: 50 }, (_, i) => `Bearer ${i}`);
    await Promise.all(people.map((authorization) => verify(authorization)));
    expect(batches).toEqual([50]);
    await vi.advanceTimersByTimeAsync(850); // every answer is due for renewal and still holds
    // Fifty requests 2 ms apart: without gathering, fifty questions.
    for (const authorization of people) {
      await expect(resolvesAtOnce(verify(authorization))).resolves.toBe(true);
      await vi.advanceTimersByTimeAsync(2);
    }
    await vi.advanceTimersByTimeAsync(100);
    expect(batches.slice(1).reduce((sum, size) => sum + size, 0)).toBe(50);
    expect(batches.length - 1).toBeLessThanOrEqual(2);
  });

  it('stops asking about a session once its last stream closes', async () => {
    useFakeClock();
    const { source, asked } = identityInProcess(() => LIVE);
    const sessions = new LiveSessions(source, 100);
    const stop = sessions.watch(viewer('s1'), 'Bearer a', () => {});
    await vi.advanceTimersByTimeAsync(250);
    stop();
    const count = asked.length;
    expect(count).toBeGreaterThan(0);
    // Its timer is gone, and ten answer times on the fake clock bring no question.
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(asked.length).toBe(count);
    expect(sessions.watchedSessions()).toBe(0);
  });
});

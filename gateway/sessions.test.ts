import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { captureLogs } from '../test/logs.ts';
import { SESSION_ENDED, type Viewer } from '../lib/auth.ts';
import { verifyingLiveSessions } from './sessions.ts';

const viewer = (sessionId: string | null): Viewer => ({ userId: 'u1', level: 'STANDARD', roles: [], sessionId, service: null });

/** Identity's `/session-status` as the gateway sees it: answers `live` (503 for null) and counts the questions. */
async function identity(live: (authorization: string) => boolean | null) {
  const asked: string[] = [];
  const server: Server = createServer((req, res) => {
    asked.push(req.headers.authorization ?? '');
    const answer = live(req.headers.authorization ?? '');
    if (answer === null) res.writeHead(503).end();
    else res.setHeader('content-type', 'application/json').end(JSON.stringify({ live: answer }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/session-status`, asked };
}
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  vi.restoreAllMocks();
});

describe('verifyingLiveSessions', () => {
  it('asks identity once for any number of requests of a session within the time an answer holds', async () => {
    const { url, asked } = await identity(() => true);
    const verify = verifyingLiveSessions(async () => viewer('s1'), { statusUrl: url, secret: null, ttlMs: 60_000 });
    await Promise.all(Array.from({ length: 20 }, () => verify('Bearer a')));
    await verify('Bearer a');
    expect(asked).toEqual(['Bearer a']);
  });

  it('refuses the token of an ended session with UNAUTHENTICATED', async () => {
    const { url } = await identity((authorization) => authorization !== 'Bearer revoked');
    const sessions: Record<string, string> = { 'Bearer revoked': 's1', 'Bearer live': 's2' };
    const verify = verifyingLiveSessions(async (authorization) => viewer(sessions[authorization!]!), { statusUrl: url, secret: null });
    await expect(verify('Bearer revoked')).rejects.toMatchObject({ message: SESSION_ENDED, extensions: { code: 'UNAUTHENTICATED' } });
    await expect(verify('Bearer live')).resolves.toMatchObject({ sessionId: 's2' });
  });

  it('asks nothing for anonymous callers and service tokens, which have no session', async () => {
    const { url, asked } = await identity(() => false);
    await expect(verifyingLiveSessions(async () => null, { statusUrl: url, secret: null })(undefined)).resolves.toBeNull();
    await expect(verifyingLiveSessions(async () => viewer(null), { statusUrl: url, secret: null })('Bearer service')).resolves.toMatchObject({ sessionId: null });
    expect(asked).toEqual([]);
  });

  it('lets a request through, logged, while identity does not answer, and asks again for the next one', async () => {
    const logs = captureLogs();
    onTestFinished(logs.stop);
    let up = false;
    const { url } = await identity(() => (up ? false : null));
    const verify = verifyingLiveSessions(async () => viewer('s1'), { statusUrl: url, secret: null, ttlMs: 60_000 });
    await expect(verify('Bearer a')).resolves.toMatchObject({ sessionId: 's1' });
    expect(logs.entries()[0]).toMatchObject({ service: 'gateway', msg: expect.stringMatching(/session check failed/) });
    up = true;
    await expect(verify('Bearer a')).rejects.toMatchObject({ message: SESSION_ENDED });
  });
});

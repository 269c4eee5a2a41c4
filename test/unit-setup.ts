import childProcess from 'node:child_process';
import cluster from 'node:cluster';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { afterEach } from 'vitest';

/**
 * Before every file of the unit project (vitest.config.ts): a unit test runs in this process alone.
 * It may talk to a server it started itself (a stand-in JWKS, SMS gateway or subgraph on a free
 * port), but a connection to anything else — PostgreSQL, NATS, Redis, any other port or host — and
 * any child process throw, and the test that tried fails in `afterEach` even if it caught the throw
 * (a test expecting a failed connection must not pass on this one). Such a test belongs in test/
 * (the e2e project).
 */
const GUARD = Symbol.for('epgu-graph:unit-guard');
const state = ((globalThis as Record<symbol, { ownPorts: Set<number>; refused: string[] }>)[GUARD] ??= installGuard());

afterEach(() => {
  const refused = state.refused.splice(0);
  if (refused.length) throw new Error(`A unit test may not ${refused.join('; ')}. Move it to test/ (the e2e project), or start the server it talks to in the test.`);
});

function installGuard() {
  const guard = { ownPorts: new Set<number>(), refused: [] as string[] };
  const refuse = (what: string): never => {
    guard.refused.push(what);
    throw new Error(`A unit test may not ${what} (test/unit-setup.ts)`);
  };

  // Ports this process listened on stay allowed after the server closes: "nothing listens there any more" is a unit case.
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    this.once('listening', () => {
      const address = this.address();
      if (address && typeof address === 'object') guard.ownPorts.add(address.port);
    });
    return listen.apply(this, args as Parameters<typeof listen>);
  } as typeof listen;

  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    // net.connect passes its arguments already normalised, as an array of [options, callback].
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    const options = (typeof first === 'object' && first ? first : typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first)) ? { port: first, host: args[1] } : { path: first }) as {
      port?: number | string;
      host?: unknown;
      path?: unknown;
    };
    const host = typeof options.host === 'string' ? options.host : 'localhost';
    if (options.path != null) refuse(`connect to the socket ${String(options.path)}`);
    else if (!guard.ownPorts.has(Number(options.port)) || !['localhost', '127.0.0.1', '::1'].includes(host)) refuse(`connect to ${host}:${String(options.port)}, a server it did not start`);
    return connect.apply(this, args as Parameters<typeof connect>);
  } as typeof connect;

  for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
    (childProcess as Record<string, unknown>)[name] = () => refuse(`start a child process (child_process.${name})`);
  }
  cluster.fork = () => refuse('start a child process (cluster.fork)');
  syncBuiltinESMExports();
  return guard;
}

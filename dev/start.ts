/**
 * `npm start`: the whole graph on this machine. Without DATABASE_URL it starts an embedded
 * PostgreSQL (data kept in .data/postgres), then the four subgraphs (each migrates its own schema
 * and loads the demo data once), the gateway and the web cabinet (Vite's dev server, passing
 * `/graphql` on to the gateway: docs/cabinet.md), each as its own process. Ctrl-C stops them all.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { DEFAULT_PORTS, SUBGRAPH_NAMES } from '../lib/config.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './demo-data.ts';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.ts';
import { printReadably, processGroup, waitUntilReady } from './processes.ts';

/** The cabinet's port: identity's e-mail links point at it (PORTAL_URL's default). */
const CABINET_PORT = 3000;

/** The gateway signs its requests to the subgraphs with it (lib/gateway-credential.ts): a new one each run. */
const gatewaySecret = process.env.GATEWAY_SECRET ?? randomBytes(32).toString('hex');

const services = processGroup({
  env: { GATEWAY_SECRET: gatewaySecret },
  // The services write JSON lines (lib/log.ts); this terminal shows them as text (`printReadably`).
  stdio: ['inherit', 'pipe', 'pipe'],
  onUnexpectedExit: (name, code) => {
    console.error(`[start] ${name} exited with code ${code}; stopping everything`);
    void shutdown(1);
  },
});
let embedded: EmbeddedDatabase | undefined;
let stopping: Promise<never> | undefined;

/**
 * Stops in order: the gateway, then the subgraphs, each draining its requests (dev/processes.ts),
 * then PostgreSQL, which none of them needs any more. Once: a Ctrl-C comes twice (from the terminal
 * and passed on by npm).
 */
function shutdown(code: number): Promise<never> {
  return (stopping ??= (async () => {
    console.log(`[start] stopping the cabinet, the gateway, then the subgraphs${embedded ? ', then PostgreSQL' : ''}`);
    await services.stop();
    await embedded?.stop().catch(() => {});
    console.log('[start] stopped');
    process.exit(code);
  })());
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

const readably = (child: ChildProcess) => {
  printReadably(child.stdout!, process.stdout);
  printReadably(child.stderr!, process.stderr);
};
// Subgraphs listen on loopback only (lib/config.ts serviceConfig's HOST): asked by its address, never a name that may mean ::1.
const ready = (name: string, port: number) => waitUntilReady(name, `http://127.0.0.1:${port}/health/ready`);

try {
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dir: '.data/postgres', port: await freePort(54329), database: 'epgu' });
    console.log(`[start] no DATABASE_URL: embedded PostgreSQL at ${embedded.url} (data in ${embedded.dataDir})`);
    databaseUrl = embedded.url;
  }
  for (const name of SUBGRAPH_NAMES) {
    readably(services.start(name, `subgraphs/${name}/index.ts`, { DATABASE_URL: databaseUrl, PORT: String(DEFAULT_PORTS[name]), DEMO_DATA: 'true' }));
  }
  await Promise.all(SUBGRAPH_NAMES.map((name) => ready(name, DEFAULT_PORTS[name])));
  readably(services.start('gateway', 'gateway/index.ts', { PORT: String(DEFAULT_PORTS.gateway), RATE_LIMIT_DATABASE_URL: databaseUrl }));
  await ready('gateway', DEFAULT_PORTS.gateway);
  const gatewayBase = `http://127.0.0.1:${DEFAULT_PORTS.gateway}`;
  readably(services.start('cabinet', 'node_modules/vite/bin/vite.js', { GATEWAY_URL: gatewayBase, CABINET_PORT: String(CABINET_PORT) }, { args: ['--config', 'web/vite.config.ts', '--clearScreen', 'false'] }));
  await waitUntilReady('cabinet', `http://127.0.0.1:${CABINET_PORT}/`);

  const gateway = `http://localhost:${DEFAULT_PORTS.gateway}/graphql`;
  console.log(`
  epgu-graph is running.

  Cabinet:  http://localhost:${CABINET_PORT}  (the web cabinet: sign in with a demo login below)
  Gateway:  ${gateway}
  Sandbox:  open ${gateway} in a browser (Apollo Sandbox; needs internet for its scripts)
  Live:     ws://localhost:${DEFAULT_PORTS.gateway}/graphql (graphql-ws), or SSE and multipart at ${gateway}
  Codes:    SMS, e-mails and letters of the demo are printed below as [dev-outbox] lines

  Demo logins (password for all: ${DEMO_PASSWORD}):
${Object.entries(DEMO_USERS)
  .map(([who, user]) => `    ${who.padEnd(11)} ${user.phone}  ${user.email.padEnd(20)} ${user.level}${user.roles.length ? ` ${user.roles.join(',')}` : ''}`)
  .join('\n')}

  Press Ctrl-C to stop.
`);
} catch (error) {
  console.error('[start]', (error as Error).message);
  await shutdown(1);
}

/**
 * `npm start`: the whole graph on this machine. Without DATABASE_URL it starts an embedded
 * PostgreSQL (data kept in .data/postgres), then the four subgraphs (each migrates its own schema
 * and loads the demo data once) and the gateway, each as its own process. Ctrl-C stops them all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { DEFAULT_PORTS, SUBGRAPH_NAMES } from '../lib/config.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './demo-data.ts';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.ts';

const root = new URL('..', import.meta.url);
const children: ChildProcess[] = [];
let embedded: EmbeddedDatabase | undefined;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    const exits = children.filter((child) => child.exitCode === null).map((child) => new Promise((resolve) => child.once('exit', resolve)));
    for (const child of children) child.kill('SIGTERM');
    await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 10_000))]);
    await embedded?.stop().catch(() => {});
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

/** The gateway signs its requests to the subgraphs with it (lib/gateway-credential.ts): a new one each run. */
const gatewaySecret = process.env.GATEWAY_SECRET ?? randomBytes(32).toString('hex');

function startService(name: string, entry: string, env: Record<string, string>): void {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env: { ...process.env, GATEWAY_SECRET: gatewaySecret, ...env }, stdio: 'inherit' });
  child.once('exit', (code) => {
    if (stopping) return;
    console.error(`[start] ${name} exited with code ${code}; stopping everything`);
    void shutdown(1);
  });
  children.push(child);
}

async function waitUntilReady(name: string, port: number): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    const response = await fetch(`http://localhost:${port}/health/ready`).catch(() => null);
    if (response?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${name} did not become ready on port ${port}`);
}

try {
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dir: '.data/postgres', port: await freePort(54329), database: 'epgu' });
    console.log(`[start] no DATABASE_URL: embedded PostgreSQL at ${embedded.url} (data in ${embedded.dataDir})`);
    databaseUrl = embedded.url;
  }
  for (const name of SUBGRAPH_NAMES) {
    startService(name, `subgraphs/${name}/index.ts`, { DATABASE_URL: databaseUrl, PORT: String(DEFAULT_PORTS[name]), DEMO_DATA: 'true' });
  }
  await Promise.all(SUBGRAPH_NAMES.map((name) => waitUntilReady(name, DEFAULT_PORTS[name])));
  startService('gateway', 'gateway/index.ts', { PORT: String(DEFAULT_PORTS.gateway), RATE_LIMIT_DATABASE_URL: databaseUrl });
  await waitUntilReady('gateway', DEFAULT_PORTS.gateway);

  const gateway = `http://localhost:${DEFAULT_PORTS.gateway}/graphql`;
  console.log(`
  epgu-graph is running.

  Gateway:  ${gateway}
  Sandbox:  open ${gateway} in a browser (Apollo Sandbox; needs internet for its scripts)
  Live:     ws://localhost:${DEFAULT_PORTS.gateway}/graphql (graphql-ws), or SSE and multipart at ${gateway}
  Codes:    SMS, e-mails and letters of the demo are printed below as [dev-outbox] lines

  Demo logins (password for all: ${DEMO_PASSWORD}):
${Object.entries(DEMO_USERS).map(([who, user]) => `    ${who.padEnd(11)} ${user.phone}  ${user.email.padEnd(20)} ${user.level}${user.roles.length ? ` ${user.roles.join(',')}` : ''}`).join('\n')}

  Press Ctrl-C to stop.
`);
} catch (error) {
  console.error('[start]', (error as Error).message);
  await shutdown(1);
}

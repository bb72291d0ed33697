import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineAvailable, freePort, spawn, stopChild, waitForOutput } from './engines.js';

/** Debian puts each major version's server binaries in /usr/lib/postgresql/<major>/bin (not on PATH): the newest. */
function serverBinaries(): string {
  const fromEnv = process.env['DOTBASE_PG_BIN'];
  if (fromEnv) return fromEnv;
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  return join(root, majors[0] ?? '15', 'bin');
}

const BIN = serverBinaries();

export interface PostgresCluster {
  /** `postgres://dotbase@127.0.0.1:<port>/postgres` (trust authentication, loopback only). */
  url: string;
  port: number;
  /** A new empty database on the cluster, for one test; returns its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** Whether PostgreSQL's server binaries are here (see `engineAvailable`). */
export const postgresAvailable = () => engineAvailable('PostgreSQL', [join(BIN, 'initdb'), join(BIN, 'postgres')]);

/** PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` system user (else `nobody`). */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const user of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', user]).toString().trim());
      const gid = Number(execFileSync('id', ['-g', user]).toString().trim());
      return { uid, gid };
    } catch {
      // no such user: try the next
    }
  }
  throw new Error('[dotbase] [testing] running as root and neither a postgres nor a nobody user exists to run PostgreSQL');
}

let databases = 0;

/**
 * A private PostgreSQL cluster for tests: initdb in a temporary folder, a free loopback port, no fsync (data is
 * thrown away), removed again by `stop()`.
 *
 * @example
 * const cluster = await startPostgresCluster();
 * const url = await cluster.createDatabase();
 * await cluster.stop();
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'dotbase-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const ids = user ? { uid: user.uid, gid: user.gid } : {};
  execFileSync(join(BIN, 'initdb'), ['-D', data, '-U', 'dotbase', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C'], { ...ids, stdio: 'pipe' });
  // another test file may take the free port between the check and the bind: then try another one
  let started: { child: ReturnType<typeof spawn>; port: number } | undefined;
  for (let attempt = 1; !started; attempt++) {
    const port = await freePort();
    const child = spawn(
      join(BIN, 'postgres'),
      ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
      { ...ids, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      await waitForOutput(child, /ready to accept connections/, 'PostgreSQL');
      started = { child, port };
    } catch (error) {
      if (attempt >= 3 || !/could not bind|Address already in use/i.test(String(error))) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const { child, port } = started;
  const url = `postgres://dotbase@127.0.0.1:${port}/postgres`;
  const { default: postgres } = await import('postgres');
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  return {
    url,
    port,
    async createDatabase() {
      databases += 1;
      const name = `test_${process.pid}_${databases}`;
      await admin.unsafe(`CREATE DATABASE ${name}`);
      return `postgres://dotbase@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      await admin.end({ timeout: 1 });
      // SIGINT is PostgreSQL's fast shutdown: it ends open sessions instead of waiting for them
      child.kill('SIGINT');
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

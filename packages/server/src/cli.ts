#!/usr/bin/env node
import { ConfigError } from './config.js';
import { startServer } from './start.js';
import { verifyCommand } from './verify-command.js';
import { packageVersion } from './version.js';

const HELP = `Usage: dotbase <command>

Commands:
  serve      Run the dotbase HTTP server (configuration from the environment; see docs/deployment.md)
  migrate    Bring the PostgreSQL schema at DATABASE_URL up to date (see docs/scaling.md)
  import     Copy an embedded data folder into DATABASE_URL (and DOTBASE_S3_BUCKET): dotbase import <data dir>
  verify [data-dir | file]
             Check every entry of records.lmdb (default: DOTBASE_DATA_DIR); exit 1 if any is damaged
  version    Print the version
  help       Print this help

With no REPLICATE_API_TOKENS it runs a built-in Replicate simulator: zero configuration needed.`;

async function serve(): Promise<void> {
  // pnpm and npm run scripts inside the package folder but remember where they were started (INIT_CWD):
  // a relative DOTBASE_DATA_DIR means the folder the user typed the command in, e.g. the repo root for `pnpm start`.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  let server;
  try {
    server = await startServer({ cwd });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`dotbase: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const stop = (signal: string) => {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: `${signal}: shutting down` })}\n`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

const printLine = (line: string) => process.stdout.write(`${line}\n`);
/** Where the user typed the command: pnpm and npm run scripts inside the package folder but keep it in INIT_CWD. */
const invokedFrom = () => process.env.INIT_CWD ?? process.cwd();

/** Runs a one-shot command and exits with its code; a failure is one line on stderr, never a stack. */
function exitWith(failure: string, run: () => Promise<number>): void {
  run().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`dotbase: ${failure}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}

const command = process.argv[2] ?? 'serve';
switch (command) {
  case 'serve':
    serve().catch((error: unknown) => {
      process.stderr.write(`dotbase: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
    break;
  case 'migrate':
    exitWith('migration failed', () =>
      import('./scale/migrate-command.js').then(({ runMigrateCommand }) => runMigrateCommand(process.env, printLine)),
    );
    break;
  case 'import':
    exitWith('import failed', () =>
      import('./scale/import-command.js').then(({ runImportCommand }) => runImportCommand(process.env, process.argv.slice(3), printLine, invokedFrom())),
    );
    break;
  case 'verify':
    exitWith('could not verify', () => verifyCommand(process.argv[3], invokedFrom(), printLine));
    break;
  case 'version':
  case '--version':
    process.stdout.write(`${packageVersion()}\n`);
    break;
  case 'help':
  case '--help':
  case '-h':
    process.stdout.write(`${HELP}\n`);
    break;
  default:
    process.stderr.write(`dotbase: unknown command "${command}"\n\n${HELP}\n`);
    process.exit(2);
}

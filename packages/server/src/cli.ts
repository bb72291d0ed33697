#!/usr/bin/env node
import { ConfigError } from './config.js';
import { startServer } from './start.js';
import { packageVersion } from './version.js';

const HELP = `Usage: dotbase <command>

Commands:
  serve      Run the dotbase HTTP server (configuration from the environment; see docs/deployment.md)
  migrate    Bring the PostgreSQL schema at DATABASE_URL up to date (see docs/scaling.md)
  import     Copy an embedded data folder into DATABASE_URL (and DOTBASE_S3_BUCKET): dotbase import <data dir>
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

const command = process.argv[2] ?? 'serve';
switch (command) {
  case 'serve':
    serve().catch((error: unknown) => {
      process.stderr.write(`dotbase: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
    break;
  case 'migrate':
    import('./scale/migrate-command.js')
      .then(({ runMigrateCommand }) => runMigrateCommand(process.env, (line) => process.stdout.write(`${line}\n`)))
      .then(
        (code) => process.exit(code),
        (error: unknown) => {
          process.stderr.write(`dotbase: migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
          process.exit(1);
        },
      );
    break;
  case 'import':
    import('./scale/import-command.js')
      .then(({ runImportCommand }) =>
        runImportCommand(process.env, process.argv.slice(3), (line) => process.stdout.write(`${line}\n`), process.env.INIT_CWD ?? process.cwd()),
      )
      .then(
        (code) => process.exit(code),
        (error: unknown) => {
          process.stderr.write(`dotbase: import failed: ${error instanceof Error ? error.message : String(error)}\n`);
          process.exit(1);
        },
      );
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

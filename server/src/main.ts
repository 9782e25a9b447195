import { ConfigError, parseConfig } from './config/env.js';
import { startSwitchboard } from './app.js';
import { seedIfEmpty } from './seed.js';

/** A graceful stop takes well under a second; this long means something hangs. */
const STOP_DEADLINE_MS = 15_000;

/** `node server/dist/main.js [--no-demo]`: start one node, seed an empty database, print where to go. */
async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const config = parseConfig();
  const node = await startSwitchboard(config);
  const logins = await seedIfEmpty(node.im.accounts, config.adminPassword, !args.has('--no-demo'), {
    ensureAgent: async (userId, displayName) => {
      await node.service.repos.agents.ensure(userId, displayName, Date.now());
    },
  });

  const base = config.publicUrl?.replace(/\/$/, '') ?? node.url;
  const lines = [
    '',
    'Switchboard is running.',
    `  IM client     ${base}/app/`,
    `  Admin console ${base}/admin/`,
    `  Widget demo   ${base}/widget/demo.html`,
    `  Health        ${base}/healthz`,
    `  Store         ${config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`}`,
  ];
  if (logins.length > 0) {
    lines.push('', 'First start: these logins were created (passwords are shown only now):');
    for (const login of logins) lines.push(`  ${login.username.padEnd(8)} ${login.password.padEnd(20)} ${login.roles.join(', ')}`);
  }
  lines.push('', 'Press Ctrl-C to stop.', '');
  process.stdout.write(lines.join('\n'));

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      node.log.warn({ signal }, 'second signal: exiting without waiting for the stop');
      process.exit(1);
    }
    stopping = true;
    node.log.info({ signal }, 'shutting down');
    // A stop that hangs anyway (a stuck database call) must not keep the process: like a process manager would.
    setTimeout(() => {
      node.log.error({ deadlineMs: STOP_DEADLINE_MS }, 'shutdown did not finish in time; exiting');
      process.exit(3);
    }, STOP_DEADLINE_MS).unref();
    node.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        node.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`Switchboard failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

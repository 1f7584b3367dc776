import type { Command } from 'commander';
import { DEPLOY_ACTION_OPTIONS } from '../../shared/deploy/deploy-options.js';
import type { DeployAction } from '../../shared/deploy/run-action.js';
import { addOptions } from '../options.js';

const COMMANDS: ReadonlyArray<{ name: string; action: DeployAction; description: string; argument?: [string, string] }> = [
  { name: 'deploy-init', action: 'init', description: 'Record the server to deploy to (no secrets) after checking that it can connect; pins its host key' },
  { name: 'deploy-setup', action: 'setup', description: 'Provision the server with scripts/server-setup.sh (Docker, firewall, log rotation, app folder); idempotent' },
  { name: 'deploy', action: 'push', description: 'Ship a release: upload, switch current atomically, docker compose up, wait for /health, roll back on failure' },
  { name: 'deploy-status', action: 'status', description: 'The current release, the kept releases and docker compose ps on the server' },
  { name: 'deploy-logs', action: 'logs', description: 'docker compose logs on the server' },
  { name: 'deploy-shell', action: 'shell', description: 'An interactive shell in a service container on the server' },
  { name: 'deploy-restart', action: 'restart', description: 'docker compose restart on the server' },
  { name: 'deploy-backup', action: 'backup', description: 'Back up the server\'s data (the data volume, SQLite through its online backup API; PostgreSQL with pg_dump) into backups/<id>; keeps the newest --keep' },
  { name: 'deploy-backups', action: 'backups', description: 'The backups on the server, with sizes and ages' },
  { name: 'deploy-restore', action: 'restore', description: 'Restore a backup (after a safety backup of the current state); a failed step leaves the current data in place', argument: ['<id>', 'a backup id, as deploy-backups lists them'] },
  { name: 'deploy-rollback', action: 'rollback', description: 'Make an earlier release current again (default: the one before)', argument: ['[release]', 'a release folder name, as deploy-status lists them'] },
];

export function registerDeploy(program: Command): void {
  for (const spec of COMMANDS) {
    const command = program.command(spec.name).description(spec.description);
    if (spec.argument) command.argument(...spec.argument);
    addOptions(command, DEPLOY_ACTION_OPTIONS[spec.action]!).action(async (...params: unknown[]) => {
      const args = spec.argument ? [params[0] as string | undefined].filter((value): value is string => value !== undefined) : [];
      const options = params[spec.argument ? 1 : 0] as Record<string, unknown>;
      // node-ssh loads only for the deploy commands.
      const { runDeployAction } = await import('../../shared/deploy/run-action.js');
      const code = await runDeployAction(spec.action, options, args, {
        log: (line) => process.stdout.write(`${line}\n`),
        stream: (chunk) => process.stdout.write(chunk),
      });
      if (code !== 0) process.exitCode = code;
    });
  }
}

import type { Command } from 'commander';
import { DEPLOY_ACTION_OPTIONS } from '../../shared/deploy/deploy-options.js';
import type { DeployAction } from '../../shared/deploy/run-action.js';
import { addOptions } from '../options.js';

const COMMANDS: ReadonlyArray<{ name: string; action: DeployAction; description: string; argument?: [string, string]; arguments?: ReadonlyArray<[string, string]>; usage?: string }> = [
  { name: 'deploy-init', action: 'init', description: 'Record the server to deploy to (no secrets) after checking that it can connect; pins its host key' },
  { name: 'deploy-setup', action: 'setup', description: 'Provision the server with scripts/server-setup.sh (Docker, firewall, log rotation, app folder); idempotent' },
  { name: 'deploy', action: 'push', description: 'Ship a release: upload, switch current atomically, start it (with the ingress: the new webserver beside the old, which stops once the new is healthy), wait for /health, roll back on failure' },
  { name: 'deploy-status', action: 'status', description: 'The current release, the kept releases and docker compose ps on the server' },
  { name: 'deploy-logs', action: 'logs', description: 'docker compose logs on the server' },
  { name: 'deploy-shell', action: 'shell', description: 'An interactive shell in a service container on the server' },
  { name: 'deploy-restart', action: 'restart', description: 'docker compose restart on the server' },
  { name: 'deploy-backup', action: 'backup', description: 'Back up the server\'s data (the data volume, SQLite through its online backup API; PostgreSQL with pg_dump) into backups/<id>; keeps the newest --keep' },
  { name: 'deploy-backups', action: 'backups', description: 'The backups on the server, with sizes and ages' },
  { name: 'deploy-restore', action: 'restore', description: 'Restore a backup (after a safety backup of the current state); a failed step leaves the current data in place; --drill restores into scratch copies and checks them, changing nothing live', argument: ['<id>', 'a backup id, as deploy-backups lists them'] },
  { name: 'deploy-exec', action: 'exec', description: 'Run a one-off command in a service container of the current release (docker compose exec; --run for a new container; on Kubernetes kubectl exec, --run a one-off pod); exits with its exit code', arguments: [['<args...>', 'the compose service (webserver, worker, migrate, …), then "--" and the command with its arguments']], usage: '[options] <service> -- <command...>' },
  { name: 'deploy-stop', action: 'stop', description: 'docker compose stop on the server (containers and data stay; deploy-restart starts them again); on Kubernetes kubectl scale --replicas=0' },
  { name: 'deploy-history', action: 'history', description: 'The releases deployed and rolled back, newest first: time, commit, who, outcome (recorded on the server); on Kubernetes kubectl rollout history' },
  { name: 'deploy-cd-setup', action: 'cd-setup', description: 'Write a GitHub Actions workflow that runs the checks and deploys over SSH (pinned host key, key from secrets); prints the secrets' },
  { name: 'deploy-rollback', action: 'rollback', description: 'Make an earlier release current again (default: the one before)', argument: ['[release]', 'a release folder name, as deploy-status lists them'] },
];

export const DEPLOY_COMMAND_NAMES: readonly string[] = COMMANDS.map((spec) => spec.name);

export function registerDeploy(program: Command): void {
  for (const spec of COMMANDS) {
    const command = program.command(spec.name).description(spec.description);
    const declared = spec.arguments ?? (spec.argument ? [spec.argument] : []);
    for (const argument of declared) command.argument(...argument);
    if (spec.usage) command.usage(spec.usage);
    addOptions(command, DEPLOY_ACTION_OPTIONS[spec.action]!).action(async (...params: unknown[]) => {
      const args = params.slice(0, declared.length).flat().filter((value): value is string => typeof value === 'string');
      const options = params[declared.length] as Record<string, unknown>;
      // node-ssh loads only for the deploy commands.
      const { runDeployAction } = await import('../../shared/deploy/run-action.js');
      const code = await runDeployAction(spec.action, options, args, {
        log: (line) => process.stdout.write(`${line}\n`),
        stream: (chunk) => process.stdout.write(chunk),
        error: (line) => process.stderr.write(`${line}\n`),
      });
      if (code !== 0) process.exitCode = code;
    });
  }
}

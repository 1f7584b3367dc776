import { createInterface } from 'node:readline/promises';
import { resolve } from 'node:path';
import { AegisError } from '../errors.js';
import { readOption } from '../options/definitions.js';
import { deploy, deployInit, deployLogs, deployRestart, deployRollback, deploySetup, deployShell, deployStatus } from './actions.js';
import { deployCdSetup } from './cd-setup.js';
import { deployHistory } from './history.js';
import { kubernetesInit } from './kubernetes-target.js';
import { KUBERNETES_ACTIONS, isKubernetesTarget, runKubernetesAction } from './kubernetes-action.js';
import { deployExec, deployStop } from './ops-actions.js';
import { backupBeforeDeploy, deployBackup, deployBackups, deployDrill, deployRestore } from './backup-actions.js';
import type { Output } from './steps.js';
import type { DeploySession } from './session.js';
import { type DeployTarget, defaultKeyPath } from './target.js';

export const DEPLOY_ACTIONS = ['init', 'setup', 'push', 'status', 'logs', 'shell', 'restart', 'rollback', 'backup', 'backups', 'restore', 'exec', 'stop', 'history', 'cd-setup'] as const;
export type DeployAction = (typeof DEPLOY_ACTIONS)[number];

function integer(options: Record<string, unknown>, name: string, min: number): number | undefined {
  const raw = readOption(options, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new AegisError(`--${name} ${String(raw)}: give a whole number of at least ${min}.`);
  return value;
}

async function askRestore(id: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Replace the server's data with backup ${id}? A safety backup of the current state is taken first. [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

async function askHostKey(fingerprint: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`The server's host key fingerprint is ${fingerprint}.\nDoes it match the server's (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub)? Record it? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** Runs one deploy action with the options of the bin or of `yo aegis:deploy`; returns the exit code. */
export async function runDeployAction(action: DeployAction, options: Record<string, unknown>, args: readonly string[], output: Output): Promise<number> {
  const root = resolve(String(readOption(options, 'project-path') ?? '.'));
  const string = (name: string): string | undefined => readOption(options, name) as string | undefined;
  const connect = { confirm: askHostKey };
  if (KUBERNETES_ACTIONS.has(action) && isKubernetesTarget(options, root)) return runKubernetesAction(action, root, options, args, output);
  switch (action) {
    case 'init': {
      const target = string('target');
      if (target === 'kubernetes') {
        const context = string('context');
        const namespace = string('namespace');
        kubernetesInit(root, { context: context ?? '', ...(namespace !== undefined ? { namespace } : {}) }, output);
        return 0;
      }
      if (target !== undefined && target !== 'ssh') throw new AegisError(`--target ${target}: give ssh (a server, with --host) or kubernetes (the kubernetes component's cluster, with --context).`);
      const host = string('host');
      if (!host) throw new AegisError('deploy-init needs --host <server> (a host name or an IP address).');
      const port = integer(options, 'port', 1);
      if (port !== undefined && port > 65535) throw new AegisError(`--port ${port}: give a port between 1 and 65535.`);
      const keep = integer(options, 'keep-releases', 2);
      const user = string('user');
      const path = string('path');
      const healthUrl = string('health-url');
      await deployInit(
        root,
        {
          ...connect,
          host,
          key: resolve(string('key') ?? defaultKeyPath()),
          acceptNewHostKey: readOption(options, 'accept-new-host-key') === true,
          ...(user ? { user } : {}),
          ...(port ? { port } : {}),
          ...(path ? { path } : {}),
          ...(keep ? { keepReleases: keep } : {}),
          ...(healthUrl ? { healthUrl } : {}),
        },
        output,
      );
      return 0;
    }
    case 'setup':
      await deploySetup(root, connect, output);
      return 0;
    case 'push':
    case 'rollback': {
      const retries = integer(options, 'health-retries', 1);
      const interval = integer(options, 'health-interval', 0);
      const health = { ...(retries !== undefined ? { healthRetries: retries } : {}), ...(interval !== undefined ? { healthIntervalSeconds: interval } : {}) };
      const skipBackup = readOption(options, 'no-backup') === true || readOption(options, 'backup') === false;
      const beforeDeploy = skipBackup ? {} : { beforeDeploy: (session: DeploySession, target: DeployTarget) => backupBeforeDeploy(root, session, target, output) };
      const noRolling = readOption(options, 'no-rolling') === true || readOption(options, 'rolling') === false;
      const rolling = noRolling ? { rolling: false } : readOption(options, 'rolling') === true ? { rolling: true } : {};
      if (action === 'push') await deploy(root, { ...connect, ...health, ...beforeDeploy, ...rolling }, output);
      else await deployRollback(root, { ...connect, ...health, ...rolling, ...(args[0] ? { release: args[0] } : {}) }, output);
      return 0;
    }
    case 'status':
      await deployStatus(root, connect, output);
      return 0;
    case 'logs': {
      const tail = integer(options, 'tail', 0);
      const service = string('service');
      await deployLogs(root, { ...connect, follow: readOption(options, 'follow') === true, ...(tail !== undefined ? { tail } : {}), ...(service ? { service } : {}) }, output);
      return 0;
    }
    case 'restart': {
      const service = string('service');
      await deployRestart(root, { ...connect, ...(service ? { service } : {}) }, output);
      return 0;
    }
    case 'backup': {
      const keep = integer(options, 'keep', 1);
      const keepDays = integer(options, 'keep-days', 1);
      const download = string('download');
      await deployBackup(
        root,
        { ...connect, ...(keep !== undefined ? { keep } : {}), ...(keepDays !== undefined ? { keepDays } : {}), ...(download ? { download: resolve(download) } : {}) },
        output,
      );
      return 0;
    }
    case 'backups':
      await deployBackups(root, connect, output);
      return 0;
    case 'restore': {
      const id = args[0];
      if (!id) throw new AegisError('deploy-restore needs the backup to restore: a backup id, as "aegis deploy-backups" lists them.');
      if (readOption(options, 'drill') === true) {
        await deployDrill(root, { ...connect, id }, output);
        return 0;
      }
      if (readOption(options, 'yes') !== true) {
        if (!process.stdin.isTTY) {
          throw new AegisError(`deploy-restore replaces the server's data with backup ${id} and there is no terminal to confirm on: pass --yes to restore headless.`);
        }
        if (!(await askRestore(id))) {
          output.log('Nothing restored.');
          return 1;
        }
      }
      await deployRestore(root, { ...connect, id }, output);
      return 0;
    }
    case 'exec': {
      const [service, ...command] = args;
      if (!service) throw new AegisError('deploy-exec needs a service and a command: aegis deploy-exec <service> -- <command> [args…]');
      return deployExec(root, { ...connect, service, command, run: readOption(options, 'run') === true }, output);
    }
    case 'stop': {
      const service = string('service');
      await deployStop(root, { ...connect, ...(service ? { service } : {}) }, output);
      return 0;
    }
    case 'history': {
      const limit = integer(options, 'limit', 1);
      await deployHistory(root, { ...connect, ...(limit !== undefined ? { limit } : {}) }, output);
      return 0;
    }
    case 'cd-setup': {
      const branch = string('branch');
      deployCdSetup(root, { ...(branch ? { branch } : {}), force: readOption(options, 'force') === true }, output);
      return 0;
    }
    case 'shell': {
      const service = string('service');
      return deployShell(root, { ...connect, ...(service ? { service } : {}) });
    }
  }
}

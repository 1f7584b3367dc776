import { AegisError } from '../errors.js';
import { readOption } from '../options/definitions.js';
import { deployKubernetes } from './kubernetes.js';
import { kubernetesBlock, readDeployFile } from './kubernetes-target.js';
import { kubernetesExec, kubernetesHistory, kubernetesLogs, kubernetesRestart, kubernetesShell, kubernetesStatus, kubernetesStop } from './kubernetes-day-two.js';
import type { Output } from './steps.js';
export { KUBERNETES_ACTIONS, KUBERNETES_PUSH_OPTIONS, KUBERNETES_TARGET_OPTIONS } from './kubernetes-options.js';

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * Whether a deploy action goes to Kubernetes: `--target kubernetes`, or no `--target` and the project's deploy-init
 * recorded the cluster; refuses a target it does not know.
 */
export function isKubernetesTarget(options: Record<string, unknown>, root: string): boolean {
  const target = readOption(options, 'target');
  if (target === 'ssh') return false;
  if (target === 'kubernetes') return true;
  if (target !== undefined) throw new AegisError(`--target ${String(target)}: give ssh (the server of deploy-init) or kubernetes (the kubernetes component's cluster).`);
  return readDeployFile(root)?.target === 'kubernetes';
}

/** The context and namespace: `--context` wins over the recorded one; the namespace is deploy-init's, if it gave one. */
function clusterOf(root: string, options: Record<string, unknown>): { context?: string; namespace?: string } {
  const saved = kubernetesBlock(readDeployFile(root));
  const context = (readOption(options, 'context') as string | undefined) ?? saved.context;
  return { ...(context ? { context } : {}), ...(saved.namespace ? { namespace: saved.namespace } : {}) };
}

/** Runs a deploy action on the Kubernetes target; returns the exit code. */
export async function runKubernetesAction(action: string, root: string, options: Record<string, unknown>, args: readonly string[], output: Output): Promise<number> {
  const cluster = clusterOf(root, options);
  const service = readOption(options, 'service') as string | undefined;
  const rawTail = readOption(options, 'tail');
  const tail = rawTail === undefined ? undefined : Number(rawTail);
  if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) throw new AegisError(`--tail ${String(rawTail)}: give a whole number of at least 0.`);
  const dayTwo = { ...cluster, ...(service ? { service } : {}), ...(tail !== undefined ? { tail } : {}), follow: readOption(options, 'follow') === true };
  switch (action) {
    case 'status':
      await kubernetesStatus(root, dayTwo, output);
      return 0;
    case 'logs':
      await kubernetesLogs(root, dayTwo, output);
      return 0;
    case 'restart':
      await kubernetesRestart(root, dayTwo, output);
      return 0;
    case 'shell':
      return kubernetesShell(root, dayTwo);
    case 'exec': {
      const [name, ...command] = args;
      if (!name) throw new AegisError('deploy-exec needs a service and a command: aegis deploy-exec <service> -- <command> [args…]');
      return kubernetesExec(root, { ...dayTwo, service: name, command, run: readOption(options, 'run') === true }, output);
    }
    case 'stop':
      await kubernetesStop(root, dayTwo, output);
      return 0;
    case 'history':
      await kubernetesHistory(root, dayTwo, output);
      return 0;
    default:
      return runKubernetesPush(root, options, output);
  }
}

async function runKubernetesPush(root: string, options: Record<string, unknown>, output: Output): Promise<number> {
  const cluster = clusterOf(root, options);
  const tag = readOption(options, 'tag') as string | undefined;
  if (tag !== undefined && !TAG.test(tag)) throw new AegisError(`--tag ${tag}: an image tag is letters, digits, _, . and - (at most 128, not starting with . or -).`);
  const rawTimeout = readOption(options, 'rollout-timeout');
  const timeout = rawTimeout === undefined ? undefined : Number(rawTimeout);
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 1)) throw new AegisError(`--rollout-timeout ${String(rawTimeout)}: give a whole number of seconds, at least 1.`);
  await deployKubernetes(root, { ...cluster, ...(tag ? { tag } : {}), ...(timeout ? { timeoutSeconds: timeout } : {}) }, output);
  return 0;
}

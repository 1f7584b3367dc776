/**
 * `aegis deploy-status`, `deploy-logs`, `deploy-restart` and `deploy-shell` with `--target kubernetes`: the same
 * questions as over SSH, asked of the cluster with kubectl. A `--service` is the compose service's name
 * (`webserver`, `worker-system`, `scheduler`): the Deployment `<name>-<service>` of the manifests on disk.
 */
import { spawn } from 'node:child_process';
import { AegisError } from '../errors.js';
import { type KubernetesManifests, readKubernetesManifests, runLocal } from './kubernetes.js';
import type { Output } from './steps.js';

export interface KubernetesDayTwoOptions {
  readonly context?: string;
  /** deploy-init's namespace, in place of the production overlay's. */
  readonly namespace?: string;
  readonly service?: string;
  readonly follow?: boolean;
  readonly tail?: number;
}

function kubectlArgs(manifests: KubernetesManifests, options: KubernetesDayTwoOptions, ...args: string[]): string[] {
  return [...(options.context ? ['--context', options.context] : []), ...args, '--namespace', options.namespace ?? manifests.namespace];
}

/** The Deployment of a service name (`webserver` → `shop-webserver`), or every one without a name. */
function deploymentsOf(manifests: KubernetesManifests, service: string | undefined): string[] {
  if (service === undefined) return [...manifests.deployments];
  const found = manifests.deployments.find((deployment) => deployment === `${manifests.partOf}-${service}` || deployment === service);
  if (!found) {
    const services = manifests.deployments.map((deployment) => deployment.replace(`${manifests.partOf}-`, '')).join(', ');
    throw new AegisError(`--service ${service}: no such Deployment in deploy/kubernetes/base; give one of ${services}.`);
  }
  return [found];
}

async function kubectl(root: string, title: string, args: string[], output: Output): Promise<void> {
  if ((await runLocal('kubectl', args, root, output)) !== 0) {
    throw new AegisError(`Step "${title}" failed: \`kubectl ${args.join(' ')}\` did not succeed (its output is above).`);
  }
}

export async function kubernetesStatus(root: string, options: KubernetesDayTwoOptions, output: Output): Promise<void> {
  const manifests = readKubernetesManifests(root);
  output.log(`Cluster: ${options.context ?? "kubectl's current context"}, namespace ${options.namespace ?? manifests.namespace}`);
  const selector = `--selector=app.kubernetes.io/part-of=${manifests.partOf}`;
  await kubectl(root, 'kubectl get', kubectlArgs(manifests, options, 'get', 'deployments,pods,jobs,horizontalpodautoscalers', selector), output);
}

export async function kubernetesLogs(root: string, options: KubernetesDayTwoOptions, output: Output): Promise<void> {
  const manifests = readKubernetesManifests(root);
  const [deployment] = deploymentsOf(manifests, options.service ?? 'webserver');
  const args = ['logs', `deployment/${deployment}`, '--tail', String(options.tail ?? 200), ...(options.follow ? ['--follow'] : [])];
  await kubectl(root, 'kubectl logs', kubectlArgs(manifests, options, ...args), output);
}

/** `kubectl rollout restart` of one Deployment or all, waiting for each rollout. */
export async function kubernetesRestart(root: string, options: KubernetesDayTwoOptions, output: Output): Promise<void> {
  const manifests = readKubernetesManifests(root);
  for (const deployment of deploymentsOf(manifests, options.service)) {
    output.log(`Restarting ${deployment}: kubectl rollout restart`);
    await kubectl(root, `kubectl rollout restart deployment/${deployment}`, kubectlArgs(manifests, options, 'rollout', 'restart', `deployment/${deployment}`), output);
    await kubectl(root, `kubectl rollout status deployment/${deployment}`, kubectlArgs(manifests, options, 'rollout', 'status', `deployment/${deployment}`, '--timeout=300s'), output);
  }
}

/** A shell in a pod of the Deployment (default the web server's), interactive on a terminal; its exit code. */
export async function kubernetesShell(root: string, options: KubernetesDayTwoOptions): Promise<number> {
  const manifests = readKubernetesManifests(root);
  const [deployment] = deploymentsOf(manifests, options.service ?? 'webserver');
  const tty = process.stdin.isTTY === true;
  const args = kubectlArgs(manifests, options, 'exec', tty ? '-it' : '-i', `deployment/${deployment}`);
  return new Promise((resolve) => {
    const child = spawn('kubectl', [...args, '--', 'sh'], { cwd: root, stdio: 'inherit' });
    child.on('error', (error) => {
      process.stderr.write(`kubectl: ${error.message}\n`);
      resolve(127);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

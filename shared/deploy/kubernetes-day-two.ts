/**
 * `aegis deploy-status`, `deploy-logs`, `deploy-restart` and `deploy-shell` with `--target kubernetes`: the same
 * questions as over SSH, asked of the cluster with kubectl. A `--service` is the compose service's name
 * (`webserver`, `worker-system`, `scheduler`): the Deployment `<name>-<service>` of the manifests on disk.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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
    if (await startIfStopped(root, manifests, options, deployment, output)) {
      await kubectl(root, `kubectl rollout status deployment/${deployment}`, kubectlArgs(manifests, options, 'rollout', 'status', `deployment/${deployment}`, '--timeout=300s'), output);
      continue;
    }
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

/** The annotation deploy-stop leaves on a Deployment it scaled to 0: the replicas it had, for deploy-restart. */
export const STOPPED_REPLICAS = 'aegis.dev/replicas-before-stop';

/** A kubectl command's output (not streamed), or a clear error naming it. */
function kubectlRead(root: string, args: string[]): string {
  const result = spawnSync('kubectl', args, { cwd: root, encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new AegisError(`\`kubectl ${args.join(' ')}\` did not succeed: ${(result.stderr || result.error?.message || `exit ${result.status}`).trim()}`);
  }
  return result.stdout;
}

interface ClusterObject {
  readonly metadata?: { annotations?: Record<string, string> };
  readonly spec?: { replicas?: number; template?: { spec?: PodSpec } };
}
interface Container {
  readonly name?: string;
  readonly image?: string;
  readonly [key: string]: unknown;
}
interface PodSpec {
  readonly containers?: Container[];
  readonly [key: string]: unknown;
}

function getObject(root: string, manifests: KubernetesManifests, options: KubernetesDayTwoOptions, kind: string, name: string): ClusterObject {
  const text = kubectlRead(root, kubectlArgs(manifests, options, 'get', `${kind}/${name}`, '--output=json'));
  try {
    return JSON.parse(text) as ClusterObject;
  } catch {
    throw new AegisError(`kubectl get ${kind}/${name} --output=json did not answer JSON: ${text.slice(0, 200)}`);
  }
}

/** The service's workload for deploy-exec --run: its Deployment, or its Job (`migrate`). */
function workloadOf(manifests: KubernetesManifests, service: string): { kind: 'deployment' | 'job'; name: string } {
  const job = manifests.jobs.find((name) => name === `${manifests.partOf}-${service}` || name === service);
  if (job) return { kind: 'job', name: job };
  const names = [...manifests.deployments, ...manifests.jobs].map((name) => name.replace(`${manifests.partOf}-`, '')).join(', ');
  const deployment = manifests.deployments.find((name) => name === `${manifests.partOf}-${service}` || name === service);
  if (!deployment) throw new AegisError(`${service}: no such Deployment or Job in deploy/kubernetes/base; give one of ${names}.`);
  return { kind: 'deployment', name: deployment };
}

function interactive(args: string[], root: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('kubectl', args, { cwd: root, stdio: 'inherit' });
    child.on('error', (error) => {
      process.stderr.write(`kubectl: ${error.message}\n`);
      resolve(127);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

export interface KubernetesExecOptions extends KubernetesDayTwoOptions {
  readonly command: readonly string[];
  /** A new one-off pod from the workload's pod template, removed afterwards, instead of a running pod. */
  readonly run?: boolean;
}

/**
 * `aegis deploy-exec <service> -- <command…>` on the cluster: `kubectl exec` in a pod of the service's Deployment,
 * or with `run` a one-off pod (`kubectl run --rm`) with the pod template of its Deployment or Job (the image of the
 * release, its ConfigMap and Secret), for `migrate` and the like. Its exit code is returned.
 */
export async function kubernetesExec(root: string, options: KubernetesExecOptions, output: Output): Promise<number> {
  const manifests = readKubernetesManifests(root);
  const service = options.service ?? 'webserver';
  if (!options.command.length) {
    throw new AegisError(`deploy-exec needs a command after the service and "--": aegis deploy-exec ${service} -- <command> [args…]`);
  }
  const tty = process.stdin.isTTY === true;
  let args: string[];
  let where: string;
  if (options.run) {
    const workload = workloadOf(manifests, service);
    const template = getObject(root, manifests, options, workload.kind, workload.name).spec?.template?.spec;
    const container = template?.containers?.[0];
    if (!template || !container?.image) throw new AegisError(`The ${workload.kind} ${workload.name} in the cluster has no pod template with an image: run "aegis deploy" first.`);
    const { livenessProbe: _l, readinessProbe: _r, startupProbe: _s, args: _a, ports: _p, ...kept } = container;
    const pod = `${workload.name.slice(0, 48)}-run-${randomBytes(3).toString('hex')}`;
    const overrides = {
      apiVersion: 'v1',
      spec: { ...template, restartPolicy: 'Never', containers: [{ ...kept, name: pod, command: [...options.command], stdin: true, stdinOnce: true, tty }] },
    };
    args = kubectlArgs(manifests, options, 'run', pod, `--image=${container.image}`, '--restart=Never', '--rm', tty ? '-it' : '-i', '--quiet', `--overrides=${JSON.stringify(overrides)}`);
    where = `a one-off pod of ${workload.name}`;
  } else {
    const [deployment] = deploymentsOf(manifests, service);
    args = [...kubectlArgs(manifests, options, 'exec', tty ? '-it' : '-i', `deployment/${deployment}`), '--', ...options.command];
    where = `deployment/${deployment}`;
  }
  const code = await interactive(args, root);
  if (code !== 0) {
    (output.error ?? output.log)(
      `\`${options.command.join(' ')}\` exited with code ${code} in ${where}` + (options.run ? '.' : ' (a service that is not running, such as migrate, needs --run).'),
    );
  }
  return code;
}

/** `aegis deploy-stop` on the cluster: each Deployment (or the --service's) scaled to 0, its replicas kept in an annotation. */
export async function kubernetesStop(root: string, options: KubernetesDayTwoOptions, output: Output): Promise<void> {
  const manifests = readKubernetesManifests(root);
  const stopped: string[] = [];
  for (const deployment of deploymentsOf(manifests, options.service)) {
    const replicas = getObject(root, manifests, options, 'deployment', deployment).spec?.replicas ?? 1;
    if (replicas > 0) {
      await kubectl(root, `kubectl annotate deployment/${deployment}`, kubectlArgs(manifests, options, 'annotate', `deployment/${deployment}`, `${STOPPED_REPLICAS}=${replicas}`, '--overwrite'), output);
    }
    output.log(`Stopping ${deployment} (${replicas} replica${replicas === 1 ? '' : 's'}): kubectl scale --replicas=0`);
    await kubectl(root, `kubectl scale deployment/${deployment}`, kubectlArgs(manifests, options, 'scale', `deployment/${deployment}`, '--replicas=0'), output);
    stopped.push(`${deployment} (was ${replicas})`);
  }
  output.log(
    `Stopped ${stopped.join(', ')}; the rest of the namespace (Services, ConfigMap, Secret, data) stays. ` +
      `"aegis deploy-restart${options.service ? ` --service ${options.service}` : ''}" scales ${stopped.length === 1 ? 'it' : 'them'} back to those replicas; "aegis deploy" alone leaves ${stopped.length === 1 ? 'it' : 'them'} at 0.`,
  );
}

/** Whether deploy-restart scaled a stopped Deployment back up (then there is nothing to restart). */
export async function startIfStopped(root: string, manifests: KubernetesManifests, options: KubernetesDayTwoOptions, deployment: string, output: Output): Promise<boolean> {
  const found = getObject(root, manifests, options, 'deployment', deployment);
  if ((found.spec?.replicas ?? 1) > 0) return false;
  const before = Number(found.metadata?.annotations?.[STOPPED_REPLICAS]);
  const replicas = Number.isInteger(before) && before > 0 ? before : 1;
  output.log(`Starting ${deployment} again: kubectl scale --replicas=${replicas}`);
  await kubectl(root, `kubectl scale deployment/${deployment}`, kubectlArgs(manifests, options, 'scale', `deployment/${deployment}`, `--replicas=${replicas}`), output);
  await kubectl(root, `kubectl annotate deployment/${deployment}`, kubectlArgs(manifests, options, 'annotate', `deployment/${deployment}`, `${STOPPED_REPLICAS}-`), output);
  return true;
}

/**
 * `aegis deploy-history` on the cluster: `kubectl rollout history` of the web server's Deployment, whose CHANGE-CAUSE
 * is the record aegis deploy leaves on each release (the image, who deployed it, the commit).
 */
export async function kubernetesHistory(root: string, options: KubernetesDayTwoOptions, output: Output): Promise<void> {
  const manifests = readKubernetesManifests(root);
  const [deployment] = deploymentsOf(manifests, options.service ?? 'webserver');
  output.log(`Revisions of ${deployment} (namespace ${options.namespace ?? manifests.namespace}), oldest first; CHANGE-CAUSE is aegis deploy's record of each release:`);
  await kubectl(root, 'kubectl rollout history', kubectlArgs(manifests, options, 'rollout', 'history', `deployment/${deployment}`), output);
}

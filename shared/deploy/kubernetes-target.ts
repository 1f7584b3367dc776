/**
 * The Kubernetes target recorded by `aegis deploy-init --target kubernetes --context NAME [--namespace NS]`, in the
 * same `.aegis/deploy.json` as the SSH server: `"target": "kubernetes"` makes the deploy commands go to the cluster
 * without `--target`, and `"kubernetes": { "context", "namespace" }` says which cluster and namespace. A server
 * recorded before stays in the file (`--target ssh` still reaches it); `deploy-init --host` makes SSH the target again.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AegisError } from '../errors.js';
import { DEPLOY_FILE } from './target.js';
import { readKubernetesManifests } from './kubernetes.js';
import type { Output } from './steps.js';

export interface SavedKubernetesTarget {
  readonly context?: string;
  readonly namespace?: string;
}

/** A namespace name as Kubernetes accepts it (an RFC 1123 label). */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The deploy file as written, or undefined when there is none (a file that is not JSON is refused). */
export function readDeployFile(root: string): Record<string, unknown> | undefined {
  const file = join(root, DEPLOY_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  } catch {
    // refused below
  }
  throw new AegisError(`${file}: not a JSON object. Run "aegis deploy-init" again to rewrite it.`);
}

/** The recorded Kubernetes target when the project's deploy target is the cluster; undefined for SSH or none. */
export function savedKubernetesTarget(root: string): SavedKubernetesTarget | undefined {
  const raw = readDeployFile(root);
  if (!raw || raw.target !== 'kubernetes') return undefined;
  return kubernetesBlock(raw);
}

/** The `kubernetes` block of the file, whichever target is the default (for an explicit `--target kubernetes`). */
export function kubernetesBlock(raw: Record<string, unknown> | undefined): SavedKubernetesTarget {
  const block = raw?.kubernetes;
  if (!block || typeof block !== 'object') return {};
  const { context, namespace } = block as Record<string, unknown>;
  return { ...(typeof context === 'string' && context ? { context } : {}), ...(typeof namespace === 'string' && namespace ? { namespace } : {}) };
}

export interface KubernetesInitOptions {
  readonly context: string;
  readonly namespace?: string;
}

/** The kubeconfig's context names, or undefined when kubectl cannot be run. */
function kubeContexts(root: string): string[] | undefined {
  const result = spawnSync('kubectl', ['config', 'get-contexts', '--output=name'], { cwd: root, encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  return result.stdout.split('\n').map((line) => line.trim()).filter(Boolean);
}

/**
 * `aegis deploy-init --target kubernetes --context NAME [--namespace NS]`: checks the project has the kubernetes
 * component and kubectl knows the context, then records the target; nothing is written when a check fails.
 */
export function kubernetesInit(root: string, options: KubernetesInitOptions, output: Output): SavedKubernetesTarget {
  const manifests = readKubernetesManifests(root);
  const raw = readDeployFile(root) ?? {};
  if (!options.context) throw new AegisError('deploy-init --target kubernetes needs --context <name>: one of "kubectl config get-contexts -o name".');
  if (options.namespace !== undefined && !NAMESPACE.test(options.namespace)) {
    throw new AegisError(`--namespace ${options.namespace}: a namespace is lower-case letters, digits and -, at most 63, starting and ending with a letter or digit.`);
  }
  const contexts = kubeContexts(root);
  if (contexts === undefined) {
    throw new AegisError('deploy-init --target kubernetes needs kubectl on this machine (https://kubernetes.io/docs/tasks/tools/), with a context for the cluster.');
  }
  if (!contexts.includes(options.context)) {
    throw new AegisError(
      `--context ${options.context}: kubectl has no such context (${contexts.length ? `it has ${contexts.join(', ')}` : 'it has none'}); ` +
        'add it to your kubeconfig (your cloud\'s "get-credentials" command does), or give one of those.',
    );
  }
  const saved: SavedKubernetesTarget = { context: options.context, ...(options.namespace ? { namespace: options.namespace } : {}) };
  const file = join(root, DEPLOY_FILE);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...raw, target: 'kubernetes', kubernetes: saved }, null, 2)}\n`);
  const namespace = saved.namespace ?? manifests.namespace;
  output.log(`Recorded the Kubernetes target in ${DEPLOY_FILE}: context ${saved.context}, namespace ${namespace}${saved.namespace ? '' : " (the production overlay's)"}.`);
  if (typeof raw.host === 'string') output.log(`The server ${raw.host} stays recorded: --target ssh still deploys there.`);
  output.log('Next: "aegis deploy" builds, pushes and applies a release there; deploy-status, deploy-logs, deploy-restart and deploy-shell ask the cluster (no --target needed).');
  return saved;
}

/**
 * `aegis deploy --target kubernetes`: ship the project to a Kubernetes cluster with the manifests the kubernetes
 * component renders (deploy/kubernetes/). Build and push the image to the registry the component names, apply the
 * production overlay with `kubectl apply -k` (through a release overlay that pins the image tag), wait for the
 * migration Job and every Deployment's rollout, and `kubectl rollout undo` the Deployments when one fails.
 *
 * Nothing here knows the manifests' names: the Deployments, the migration Job and the namespace are read from the
 * files on disk (the user's edits included).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import yaml from 'js-yaml';
import { AegisError } from '../errors.js';
import { readState } from '../model/project-state.js';
import { deployer, localRevision } from './history.js';
import type { Output } from './steps.js';

export const KUBERNETES_DIR = 'deploy/kubernetes';
const OVERLAY = `${KUBERNETES_DIR}/overlays/production`;
const RELEASE = `${KUBERNETES_DIR}/.release`;

export interface KubernetesDeployOptions {
  /** The kubeconfig context to use (`kubectl --context`); default: kubectl's current context. */
  readonly context?: string;
  /** The namespace deploy-init recorded, in place of the production overlay's (the release overlay sets it). */
  readonly namespace?: string;
  /** The image tag; default: the git commit (with `-dirty` for uncommitted changes), or the time. */
  readonly tag?: string;
  /** How long each rollout and the migration may take (default 300 s). */
  readonly timeoutSeconds?: number;
}

/** What a release needs besides the manifests: the image in the registry (the overlay's). */
export interface KubernetesRelease extends KubernetesManifests {
  readonly registryImage: string;
}

type Document = { kind?: string; metadata?: { name?: string } } | null | undefined;

function readYaml(root: string, path: string): unknown {
  const file = join(root, path);
  if (!existsSync(file)) throw new AegisError(`${path} is missing: it is one of the kubernetes component's files. Run "aegis update" to render it again.`);
  return yaml.load(readFileSync(file, 'utf8'));
}

/** What the manifests on disk say about where the project runs: its namespace, label, Deployments and Jobs. */
export interface KubernetesManifests {
  readonly namespace: string;
  /** The `app.kubernetes.io/part-of` label of everything in the base. */
  readonly partOf: string;
  readonly deployments: readonly string[];
  readonly jobs: readonly string[];
}

/** The manifests of a project with the kubernetes component; a clear error without it. */
export function readKubernetesManifests(root: string): KubernetesManifests {
  const { answers } = readState(root);
  if (!answers.components.includes('kubernetes')) {
    throw new AegisError('--target kubernetes needs the kubernetes component: add it with aegis add "kubernetes[registry=<your registry>]" (e.g. ghcr.io/acme).');
  }
  const overlay = readYaml(root, `${OVERLAY}/kustomization.yaml`) as { namespace?: string };
  if (!overlay.namespace) throw new AegisError(`${OVERLAY}/kustomization.yaml has no namespace: run "aegis update" to render it again, or put it back.`);
  const base = readYaml(root, `${KUBERNETES_DIR}/base/kustomization.yaml`) as { resources?: string[]; labels?: { pairs?: Record<string, string> }[] };
  const documents = (base.resources ?? []).flatMap((resource) => {
    const path = `${KUBERNETES_DIR}/base/${resource}`;
    if (!existsSync(join(root, path))) return [];
    return yaml.loadAll(readFileSync(join(root, path), 'utf8')) as Document[];
  });
  const named = (kind: string): string[] =>
    documents.filter((doc) => doc?.kind === kind && doc.metadata?.name).map((doc) => doc!.metadata!.name!);
  const partOf = base.labels?.find((label) => label.pairs?.['app.kubernetes.io/part-of'])?.pairs?.['app.kubernetes.io/part-of'] ?? overlay.namespace;
  return { namespace: overlay.namespace, partOf, deployments: named('Deployment'), jobs: named('Job') };
}

/** The release this project's manifests describe; a clear error when the project cannot go to Kubernetes yet. */
export function readKubernetesRelease(root: string): KubernetesRelease {
  const manifests = readKubernetesManifests(root);
  const registry = readState(root).answers.options.kubernetes?.registry ?? '';
  if (!registry) {
    throw new AegisError('The kubernetes component has no registry to push the image to: set one with aegis add "kubernetes[registry=<your registry>]" (e.g. ghcr.io/acme).');
  }
  if (!existsSync(join(root, OVERLAY, 'secret.env'))) {
    throw new AegisError(
      `${OVERLAY}/secret.env is missing: copy secret.env.example beside it to secret.env and fill in the production secrets (the file is git-ignored; kustomize makes the Secret from it).`,
    );
  }
  const overlay = readYaml(root, `${OVERLAY}/kustomization.yaml`) as { images?: { name: string; newName?: string }[] };
  const registryImage = overlay.images?.[0]?.newName;
  if (!registryImage) throw new AegisError(`${OVERLAY}/kustomization.yaml has no image with a newName: run "aegis update" to render it again, or put it back.`);
  return { ...manifests, registryImage };
}

/** The default tag: the git commit, `-dirty` when the tree has changes, or the UTC time outside git. */
export function releaseTag(root: string): string {
  const git = (args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  const commit = git(['rev-parse', '--short=12', 'HEAD']);
  if (commit.status === 0 && commit.stdout.trim()) {
    const dirty = git(['status', '--porcelain']).stdout.trim() !== '';
    return `${commit.stdout.trim()}${dirty ? '-dirty' : ''}`;
  }
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-').toLowerCase();
}

/** Runs a local command with its output streamed; resolves to its exit code (127 when it is not installed). */
export function runLocal(command: string, args: readonly string[], cwd: string, output: Output): Promise<number> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => output.stream(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.stream(chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => {
      output.stream(`${command}: ${error.message}\n`);
      resolvePromise(error.code === 'ENOENT' ? 127 : 1);
    });
    child.on('close', (code) => resolvePromise(code ?? 1));
  });
}

/** The annotation kubectl rollout history shows as each revision's CHANGE-CAUSE. */
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';

/** What aegis records of a release, in the deploy-history format: the image, who deployed it, from which commit. */
export function changeCause(root: string, image: string): string {
  const { commit, uncommitted } = localRevision(root);
  const from = commit ? `${commit.slice(0, 12)}${uncommitted ? '+changes' : ''}` : 'no commit';
  return `aegis deploy ${image} by ${deployer(root)} from ${from} at ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The release overlay: the production overlay with the image pinned to this release's tag. */
function writeReleaseOverlay(root: string, release: KubernetesRelease, tag: string, namespace: string | undefined): string {
  const dir = join(root, RELEASE);
  const cause = changeCause(root, `${release.registryImage}:${tag}`);
  const annotate = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'each', annotations: { [CHANGE_CAUSE]: cause } } };
  mkdirSync(dir, { recursive: true });
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    ...(namespace ? { namespace } : {}),
    resources: [relative(dir, join(root, OVERLAY))],
    // The production overlay has already named the image after the registry: that is the name to retag here.
    images: [{ name: release.registryImage, newTag: tag }],
    // The record of this release, shown by kubectl rollout history (and aegis deploy-history) for each revision.
    patches: [{ target: { kind: 'Deployment' }, patch: yaml.dump(annotate, { lineWidth: -1 }) }],
  };
  writeFileSync(
    join(dir, 'kustomization.yaml'),
    `# Written by aegis deploy for release ${tag}; git-ignored.\n${yaml.dump(kustomization, { lineWidth: -1 })}`,
  );
  return RELEASE;
}

export async function deployKubernetes(root: string, options: KubernetesDeployOptions, output: Output): Promise<void> {
  const found = readKubernetesRelease(root);
  const release = options.namespace ? { ...found, namespace: options.namespace } : found;
  const tag = options.tag ?? releaseTag(root);
  const image = `${release.registryImage}:${tag}`;
  const timeout = `--timeout=${options.timeoutSeconds ?? 300}s`;
  const kubectl = (...args: string[]): string[] => [...(options.context ? ['--context', options.context] : []), ...args];
  const inNamespace = (...args: string[]): string[] => kubectl(...args, '--namespace', release.namespace);
  const total = 3 + 2 * release.jobs.length + release.deployments.length;
  let index = 0;
  const step = async (title: string, command: string, args: string[]): Promise<boolean> => {
    index += 1;
    output.log(`[${index}/${total}] ${title}`);
    return (await runLocal(command, args, root, output)) === 0;
  };
  const must = async (title: string, command: string, args: string[], hint: string): Promise<void> => {
    if (!(await step(title, command, args))) {
      throw new AegisError(`Step "${title}" failed: \`${command} ${args.join(' ')}\` did not succeed (its output is above). ${hint}`);
    }
  };

  await must(`Build the image ${image}`, 'docker', ['build', '--tag', image, '.'], 'Nothing was pushed or applied.');
  await must(`Push ${image}`, 'docker', ['push', image], `Log in to the registry first (docker login ${image.split('/')[0]}); nothing was applied.`);
  // A Job's pod template cannot change: the finished migration of the last release goes before the new one is applied.
  for (const job of release.jobs) {
    await must(`Delete the finished Job ${job}`, 'kubectl', inNamespace('delete', 'job', job, '--ignore-not-found'), 'Nothing was applied.');
  }
  const overlay = writeReleaseOverlay(root, release, tag, options.namespace);
  await must(`kubectl apply -k (${OVERLAY}, image ${image})`, 'kubectl', kubectl('apply', '-k', overlay), 'The cluster may have taken part of it: run aegis deploy again, or kubectl rollout undo.');

  const failures: string[] = [];
  for (const job of release.jobs) {
    if (!(await step(`Wait for the Job ${job}`, 'kubectl', inNamespace('wait', '--for=condition=complete', `job/${job}`, timeout)))) {
      failures.push(`the Job ${job} did not complete (kubectl logs job/${job} --namespace ${release.namespace})`);
    }
  }
  for (const deployment of release.deployments) {
    if (failures.length) break;
    if (!(await step(`Wait for the rollout of ${deployment}`, 'kubectl', inNamespace('rollout', 'status', `deployment/${deployment}`, timeout)))) {
      failures.push(`the rollout of ${deployment} did not finish`);
    }
  }
  if (!failures.length) {
    output.log(`Released ${image} to the namespace ${release.namespace}.`);
    return;
  }

  output.log(`Rolling back: ${failures.join('; ')}.`);
  const undone: string[] = [];
  const stuck: string[] = [];
  for (const deployment of release.deployments) {
    const ok = (await runLocal('kubectl', inNamespace('rollout', 'undo', `deployment/${deployment}`), root, output)) === 0
      && (await runLocal('kubectl', inNamespace('rollout', 'status', `deployment/${deployment}`, timeout), root, output)) === 0;
    (ok ? undone : stuck).push(deployment);
  }
  const back = stuck.length
    ? `Rolled back ${undone.join(', ') || 'nothing'}; ${stuck.join(', ')} could not be rolled back: check kubectl rollout history.`
    : `Every Deployment is back on its previous revision (kubectl rollout undo).`;
  throw new AegisError(`The release ${image} failed: ${failures.join('; ')}. ${back}`);
}

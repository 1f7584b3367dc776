/**
 * The kubernetes component's manifests, checked as a cluster would take them, without a cluster.
 *
 * What stands in for what:
 * - the API server's schema validation (what `kubectl apply` does server side) → `kubernetes-validate` from PyPI,
 *   pinned below, with the OpenAPI schemas of Kubernetes 1.37 that it ships, in `--strict` mode (an unknown field
 *   is an error, as with `kubectl apply --validate=strict`). It is installed once into a cached virtual environment
 *   with the real uv.
 * - `kubectl apply -k`'s kustomize build → `kubectl kustomize` (kustomize v5 built into kubectl) where a kubectl is
 *   on PATH; its output is what `kubectl apply -k` would send, and it is validated as above. Without a kubectl,
 *   those cases are skipped (and say so) and every base file is validated on its own.
 * - the user filling in `overlays/production/secret.env` → a copy of `secret.env.example` with values put in.
 * - Traefik's IngressRoute and Middleware are custom resources: kubernetes-validate has no schema for them (it warns
 *   and passes), so their fields are checked by the assertions below instead.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RenderedTree } from '../../shared/engine/render.js';
import { resolveUv } from '../../shared/project/install.js';
import { normalizeAnswers } from '../../shared/model/answers.js';
import { parseAnyFeatureRequests } from '../../shared/model/feature-request.js';
import { addToProject, editProject, initProject, removeFromProject, renderAnswers } from '../../test/support/memory-project.js';
import { mustRun, run, serveOnFreePort, start, tempDir } from '../../test/support/processes.js';
import { copyPyenvPython } from '../../test/support/pyenv-python.js';

const VALIDATOR_VERSION = '1.37.0';
const KUBERNETES_VERSION = '1.37.0';
const uv = resolveUv() ?? 'uv';
const kubectl = ['/usr/local/bin/kubectl', '/usr/bin/kubectl'].find((path) => existsSync(path)) ?? (run('sh', ['-c', 'command -v kubectl']).stdout.trim() || undefined);

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: any; data?: any };

/** The stacks whose manifests differ: the component alone and with each feature its templates read, and everything. */
const STACKS: Record<string, { components?: string; services?: string }> = {
  alone: { components: 'kubernetes' },
  registry: { components: 'kubernetes[registry=ghcr.io/acme]' },
  worker: { components: 'kubernetes[registry=ghcr.io/acme],worker' },
  scheduler: { components: 'kubernetes[registry=ghcr.io/acme],scheduler' },
  'database-postgres': { components: 'kubernetes[registry=ghcr.io/acme],database[engine=postgres]' },
  'database-sqlite': { components: 'kubernetes[registry=ghcr.io/acme],database' },
  ingress: { components: 'kubernetes[registry=ghcr.io/acme],ingress' },
  'ingress-tls': { components: 'kubernetes[registry=ghcr.io/acme],ingress[domain=app.example.com,email=ops@example.com]' },
  everything: {
    components:
      'kubernetes[registry=registry.example.com:5000/team],scheduler[persistence=postgres],worker,database[engine=postgres],ingress[domain=app.example.com,email=ops@example.com],storage[backend=s3],observability',
    services: 'auth,ai[openai],payment,comms',
  },
};

function render(stack: keyof typeof STACKS, name = 'shop_api'): RenderedTree {
  return renderAnswers(normalizeAnswers({ name, ...STACKS[stack] }));
}

/** Writes deploy/kubernetes of a render into a fresh folder, with secret.env filled in as a user would. */
function writeManifests(tree: RenderedTree, prefix: string): string {
  const root = tempDir(`k8s-${prefix}`);
  for (const [path, contents] of tree) {
    if (!path.startsWith('deploy/kubernetes/')) continue;
    const target = join(root, path.slice('deploy/kubernetes/'.length));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, contents as string);
  }
  const example = join(root, 'overlays/production/secret.env.example');
  const filled = readFileSync(example, 'utf8').replace(/^([A-Z0-9_]+)=$/gm, '$1=filled-in-by-the-user');
  writeFileSync(join(root, 'overlays/production/secret.env'), filled);
  return root;
}

function documents(text: string): Manifest[] {
  return yaml.loadAll(text).filter((doc): doc is Manifest => doc !== null && doc !== undefined) as Manifest[];
}

function baseManifests(tree: RenderedTree): Manifest[] {
  return [...tree]
    .filter(([path]) => path.startsWith('deploy/kubernetes/base/') && path.endsWith('.yaml') && !path.endsWith('kustomization.yaml'))
    .flatMap(([, contents]) => documents(contents as string));
}

let validator = '';

/** kubernetes-validate --strict on these files: whether all passed, its output, how many resources it passed. */
function validate(files: readonly string[]): { ok: boolean; output: string; passed: number } {
  const result = run(validator, ['--strict', '--kubernetes-version', KUBERNETES_VERSION, ...files]);
  const output = `${result.stdout}${result.stderr}`;
  return { ok: result.status === 0, output, passed: (output.match(/ passed for resource /g) ?? []).length };
}

/** The resources kubernetes-validate has a schema for: all but Traefik's custom resources. */
const withSchema = (manifests: readonly Manifest[]): number => manifests.filter((doc) => !doc.apiVersion.startsWith('traefik.io/')).length;

beforeAll(() => {
  const venv = join(tmpdir(), `aegis-kubernetes-validate-${VALIDATOR_VERSION}`);
  validator = join(venv, 'bin', 'kubernetes-validate');
  if (!existsSync(validator)) {
    mustRun(uv, ['venv', '--quiet', venv]);
    mustRun(uv, ['pip', 'install', '--quiet', '--python', join(venv, 'bin', 'python'), `kubernetes-validate==${VALIDATOR_VERSION}`]);
  }
}, 300_000);

describe('kubernetes-validate (the stand-in for the API server\'s schema check)', () => {
  it('refuses a manifest with an unknown field, so a pass below means something', () => {
    const dir = tempDir('k8s-bad');
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replica: 2\n  selector: {}\n  template: {}\n');
    const result = validate([file]);
    expect(result.ok).toBe(false);
    expect(result.output).toContain("'replica' was unexpected");
  });
});

describe.each(Object.keys(STACKS))('kubernetes manifests: %s', (stack) => {
  const tree = render(stack as keyof typeof STACKS);

  it('every base file validates against the Kubernetes 1.37 schemas on its own', () => {
    const root = writeManifests(tree, stack);
    const files = readdirSync(join(root, 'base'))
      .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
      .map((file) => join(root, 'base', file));
    expect(files.length).toBeGreaterThan(0);
    const result = validate(files);
    expect(result.output).not.toContain('ERROR');
    expect(result.ok, result.output).toBe(true);
    expect(result.passed).toBe(withSchema(baseManifests(tree)));
    // Every file of base/ is a resource of its kustomization: none is rendered and left out.
    const kustomization = yaml.load(tree.get('deploy/kubernetes/base/kustomization.yaml') as string) as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual(files.map((file) => file.slice(join(root, 'base').length + 1)).sort());
  });

  it.skipIf(!kubectl)('the base and the production overlay build with kustomize and validate (kubectl kustomize stands in for kubectl apply -k)', () => {
    const root = writeManifests(tree, `${stack}-built`);
    for (const folder of ['base', 'overlays/production']) {
      const built = mustRun(kubectl!, ['kustomize', join(root, folder)]).stdout;
      const out = join(root, `${folder.replace('/', '-')}.built.yaml`);
      writeFileSync(out, built);
      const result = validate([out]);
      expect(result.output, folder).not.toContain('ERROR');
      expect(result.ok, result.output).toBe(true);
      expect(result.passed).toBe(withSchema(documents(built)));
      const kinds = documents(built).map((doc) => doc.kind);
      expect(kinds).toContain('ConfigMap');
      expect(kinds.includes('Secret')).toBe(folder !== 'base');
    }
    const production = documents(readFileSync(join(root, 'overlays-production.built.yaml'), 'utf8'));
    // Everything lands in the project's namespace, the image comes from the registry, and the generated
    // ConfigMap's and Secret's hashed names are what the pods read.
    const namespaced = production.filter((doc) => doc.kind !== 'Namespace');
    expect(new Set(namespaced.map((doc) => (doc.metadata as { namespace?: string }).namespace))).toEqual(new Set(['shop-api']));
    const config = production.find((doc) => doc.kind === 'ConfigMap')!.metadata.name;
    const secret = production.find((doc) => doc.kind === 'Secret')!.metadata.name;
    expect(config).toMatch(/^shop-api-config-[a-z0-9]{10}$/);
    expect(secret).toMatch(/^shop-api-secrets-[a-z0-9]{10}$/);
    for (const workload of production.filter((doc) => doc.kind === 'Deployment' || doc.kind === 'Job')) {
      const container = workload.spec.template.spec.containers[0];
      expect(container.envFrom).toEqual([{ configMapRef: { name: config } }, { secretRef: { name: secret } }]);
      if (stack !== 'alone') expect(container.image).toMatch(/^(ghcr\.io\/acme|registry\.example\.com:5000\/team)\/shop-api:latest$/);
      else expect(container.image).toBe('shop-api');
    }
  });

  it('has probes on /health, resource requests and limits, and non-root security contexts', () => {
    const manifests = baseManifests(tree);
    const workloads = manifests.filter((doc) => doc.kind === 'Deployment' || doc.kind === 'Job');
    for (const workload of workloads) {
      const pod = workload.spec.template.spec;
      expect(pod.securityContext, workload.metadata.name).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
      for (const container of pod.containers) {
        expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
        expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'memory']);
      }
    }
    const web = workloads.find((doc) => doc.metadata.name === 'shop-api-webserver')!.spec.template.spec.containers[0];
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(web[probe].httpGet).toEqual({ path: '/health', port: 'http' });
  });
});

describe('what each feature brings into the manifests', () => {
  const kinds = (tree: RenderedTree): string[] => baseManifests(tree).map((doc) => `${doc.kind}/${doc.metadata.name}`);

  it('alone: the web server, its Service, autoscaler and a plain Ingress, no registry yet', () => {
    const tree = render('alone');
    expect(kinds(tree)).toEqual([
      'Ingress/shop-api',
      'Deployment/shop-api-webserver',
      'Service/shop-api-webserver',
      'HorizontalPodAutoscaler/shop-api-webserver',
    ]);
    expect(tree.get('deploy/kubernetes/overlays/production/kustomization.yaml')).not.toContain('images:');
    expect(tree.get('deploy/kubernetes/.gitignore')).toContain('overlays/*/secret.env\n');
    expect(tree.get('.dockerignore')).toContain('deploy/\n');
    expect(tree.get('Makefile')).toContain('kubectl kustomize deploy/kubernetes/overlays/production');
  });

  it('worker: a Deployment and an autoscaler per queue, alive while its heartbeat is fresh', () => {
    const manifests = baseManifests(render('worker'));
    for (const [queue, service] of [['system', 'worker-system'], ['load_test', 'worker-load-test']]) {
      const deployment = manifests.find((doc) => doc.kind === 'Deployment' && doc.metadata.name === `shop-api-${service}`)!;
      const container = deployment.spec.template.spec.containers[0];
      expect(container.command).toEqual(['python', '-m', 'app.entrypoints.worker', queue]);
      expect(container.livenessProbe.exec.command).toEqual(['python', '-m', 'app.entrypoints.worker', queue, '--check']);
      expect(deployment.spec.replicas).toBeUndefined();
      const hpa = manifests.find((doc) => doc.kind === 'HorizontalPodAutoscaler' && doc.metadata.name === `shop-api-${service}`)!;
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: `shop-api-${service}` });
    }
    expect(render('worker').get('deploy/kubernetes/base/config.env')).toContain('WORKER_PROBE_URLS=["http://shop-api-webserver:8000/health"]\n');
  });

  it('scheduler: a single replica that stops before the next starts, and no autoscaler', () => {
    const manifests = baseManifests(render('scheduler'));
    const scheduler = manifests.find((doc) => doc.metadata.name === 'shop-api-scheduler' && doc.kind === 'Deployment')!;
    expect(scheduler.spec.replicas).toBe(1);
    expect(scheduler.spec.strategy).toEqual({ type: 'Recreate' });
    expect(manifests.some((doc) => doc.kind === 'HorizontalPodAutoscaler' && doc.metadata.name === 'shop-api-scheduler')).toBe(false);
    // Liveness is the scheduler's own heartbeat check (run for real below), not every check of the project: the command
    // docker-compose.yml's health check runs.
    expect(scheduler.spec.template.spec.containers[0].livenessProbe.exec.command).toEqual(['python', '-m', 'app.entrypoints.scheduler', '--check']);
  });

  it('database: the migration as a Job; with SQLite one web server on a volume claim, with PostgreSQL autoscaled', () => {
    const postgres = render('database-postgres');
    const job = baseManifests(postgres).find((doc) => doc.kind === 'Job')!;
    expect(job.metadata.name).toBe('shop-api-migrate');
    expect(job.spec.template.spec.containers[0].command).toEqual(['shop_api', 'db', 'upgrade']);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(postgres.get('deploy/kubernetes/overlays/production/secret.env.example')).toContain(
      'DATABASE_URL=postgresql+asyncpg://USER:PASSWORD@HOST:5432/shop_api\n',
    );
    expect(kinds(postgres)).toContain('HorizontalPodAutoscaler/shop-api-webserver');

    const sqlite = baseManifests(render('database-sqlite'));
    const web = sqlite.find((doc) => doc.kind === 'Deployment')!;
    expect(web.spec.replicas).toBe(1);
    expect(web.spec.strategy).toEqual({ type: 'Recreate' });
    expect(web.spec.template.spec.volumes[0]).toEqual({ name: 'data', persistentVolumeClaim: { claimName: 'shop-api-data' } });
    expect(sqlite.map((doc) => doc.kind)).toContain('PersistentVolumeClaim');
    expect(sqlite.map((doc) => doc.kind)).not.toContain('HorizontalPodAutoscaler');
  });

  it('ingress: a Traefik IngressRoute (the admin paths behind the allowlist) instead of the Ingress', () => {
    const plain = baseManifests(render('ingress'));
    expect(plain.map((doc) => doc.kind)).not.toContain('Ingress');
    const route = plain.find((doc) => doc.kind === 'IngressRoute')!;
    expect(route.apiVersion).toBe('traefik.io/v1alpha1');
    expect(route.spec.entryPoints).toEqual(['web']);
    expect(route.spec.routes.map((r: { match: string }) => r.match)).toEqual([
      'PathPrefix(`/`)',
      'PathPrefix(`/dashboard`) || PathPrefix(`/docs`) || PathPrefix(`/redoc`) || Path(`/openapi.json`) || Path(`/health/detailed`)',
    ]);
    expect(route.spec.routes[1].middlewares).toEqual([{ name: 'shop-api-admin-allowlist' }]);
    for (const r of route.spec.routes) expect(r.services).toEqual([{ name: 'shop-api-webserver', port: 'http' }]);
    const allowlist = plain.find((doc) => doc.kind === 'Middleware')!;
    expect(allowlist.spec.ipAllowList.sourceRange).toContain('10.0.0.0/8');

    const tls = baseManifests(render('ingress-tls')).find((doc) => doc.kind === 'IngressRoute')!;
    expect(tls.spec.entryPoints).toEqual(['websecure']);
    expect(tls.spec.tls).toEqual({ certResolver: 'letsencrypt' });
    expect(tls.spec.routes[0].match).toBe('Host(`app.example.com`)');
    expect(tls.spec.routes[1].match).toMatch(/^Host\(`app\.example\.com`\) && \(PathPrefix\(`\/dashboard`\) .*\)$/);
  });

  it('everything: each secret the project reads is in the Secret example, and none has a value', () => {
    const example = render('everything').get('deploy/kubernetes/overlays/production/secret.env.example') as string;
    const names = example.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => line.split('=')[0]);
    expect(names).toEqual(['DATABASE_URL', 'REDIS_URL', 'SECRET_KEY', 'STORAGE_SIGNING_KEY', 'STORAGE_S3_ACCESS_KEY_ID', 'STORAGE_S3_SECRET_ACCESS_KEY', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'OPENAI_API_KEY', 'SMTP_PASSWORD']);
    for (const line of example.split('\n').filter((line) => line && !line.startsWith('#') && !line.startsWith('DATABASE_URL') && !line.startsWith('REDIS_URL'))) {
      expect(line).toMatch(/^[A-Z0-9_]+=$/);
    }
  });
});

describe('the probes run in a generated project (this machine stands in for the container: same code, same WORKDIR)', () => {
  it("the scheduler's liveness command passes while it keeps its heartbeat, and fails without one or on a stale one", async () => {
    const tree = render('scheduler');
    const project = tempDir('k8s-scheduler-probe');
    for (const [path, contents] of tree) {
      mkdirSync(dirname(join(project, path)), { recursive: true });
      writeFileSync(join(project, path), contents as string);
    }
    mustRun(uv, ['sync', '--quiet'], { cwd: project });
    const scheduler = baseManifests(tree).find((doc) => doc.kind === 'Deployment' && doc.metadata.name === 'shop-api-scheduler')!;
    const [command, ...args] = scheduler.spec.template.spec.containers[0].livenessProbe.exec.command as string[];
    const python = join(project, '.venv', 'bin', command!);
    const env = { ...process.env, APP_ENV: 'production', SCHEDULER_HEARTBEAT_SECONDS: '1' };
    const probe = () => run(python, args, { cwd: project, env });
    const statusFile = join(project, 'data', 'scheduler-status.json');

    const running = start(join(project, '.venv', 'bin', 'python'), ['-m', 'app.entrypoints.scheduler'], { cwd: project, env });
    let status: Record<string, unknown>;
    try {
      const deadline = Date.now() + 30_000;
      while (!existsSync(statusFile) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
      expect(existsSync(statusFile), running.output()).toBe(true);
      const alive = probe();
      expect(alive.status, `${alive.stdout}${alive.stderr}`).toBe(0);
      status = JSON.parse(readFileSync(statusFile, 'utf8')) as Record<string, unknown>;
    } finally {
      await running.stop();
    }
    // No status file (the scheduler removes it when it stops, and one that hangs while starting never writes it), or a
    // heartbeat an hour old (the process is stuck): the kubelet must restart it.
    expect(existsSync(statusFile)).toBe(false);
    expect(probe().status).toBe(1);
    writeFileSync(statusFile, JSON.stringify({ ...status, updated_at: new Date(Date.now() - 3_600_000).toISOString() }));
    expect(probe().status).toBe(1);
  }, 300_000);
});

describe('the manifests are project files: add, remove and update reconcile them', () => {
  it("adding the worker merges its Deployments into the user's edited kustomization and keeps their tuned autoscaler; removing it takes only its own lines out", () => {
    const kustomization = 'deploy/kubernetes/base/kustomization.yaml';
    const webserver = 'deploy/kubernetes/base/webserver.yaml';
    const mine = initProject(parseAnyFeatureRequests(['kubernetes[registry=ghcr.io/acme]']));
    const edited = editProject(mine, (files) => {
      files.set(kustomization, (files.get(kustomization) as string).replace('  - ingress.yaml\n', '  - ingress.yaml\n  - nightly-report-cronjob.yaml\n'));
      files.set(webserver, (files.get(webserver) as string).replace('  maxReplicas: 10\n', '  maxReplicas: 40\n'));
      files.set('deploy/kubernetes/base/nightly-report-cronjob.yaml', 'apiVersion: batch/v1\nkind: CronJob\n');
    });
    const added = addToProject(edited, parseAnyFeatureRequests(['worker']));
    const text = (path: string) => added.files.get(path) as string;
    expect(text(kustomization)).toContain('  - webserver.yaml\n  - worker.yaml\n  - ingress.yaml\n  - nightly-report-cronjob.yaml\n');
    expect(text(webserver)).toContain('  maxReplicas: 40\n');
    expect(added.files.has('deploy/kubernetes/base/worker.yaml')).toBe(true);
    expect(text('deploy/kubernetes/base/config.env')).toContain('WORKER_PROBE_URLS=');

    const removed = removeFromProject(added, ['worker']);
    expect(removed.files.has('deploy/kubernetes/base/worker.yaml')).toBe(false);
    expect(removed.files.get(kustomization)).toBe(edited.files.get(kustomization));
    expect(removed.files.get(webserver)).toBe(edited.files.get(webserver));
    expect(removed.files.get('deploy/kubernetes/base/nightly-report-cronjob.yaml')).toBe('apiVersion: batch/v1\nkind: CronJob\n');
  });

  it('removing the component takes every manifest it rendered and keeps a file the user added beside them', () => {
    const project = editProject(initProject(parseAnyFeatureRequests(['kubernetes', 'scheduler'])), (files) => {
      files.set('deploy/kubernetes/overlays/staging/kustomization.yaml', 'resources:\n  - ../../base\n');
    });
    const removed = removeFromProject(project, ['kubernetes']);
    expect([...removed.files.keys()].filter((path) => path.startsWith('deploy/'))).toEqual(['deploy/kubernetes/overlays/staging/kustomization.yaml']);
    expect(removed.files.get('Makefile')).not.toContain('k8s-render');
  });
});

describe("the pods' user and filesystem (this machine stands in for the container: the same code, run the same way)", () => {
  // As root, setpriv can drop to the pods' UID and GID (10001, which the image's /etc/passwd does not name); the
  // project's files stay root's and read-only to that user, as the image's are under readOnlyRootFilesystem, and
  // only data/ (the pods' data volume, writable through fsGroup) and /tmp (an emptyDir) can be written. The
  // interpreter is a copy of this machine's Python laid out as the image's (test/support/pyenv-python.ts): pyenv's
  // own is under root's home, which that user cannot enter on a fresh machine.
  it.skipIf(process.getuid?.() !== 0)('the migration Job and the web server run as UID 10001 on a read-only app folder, and the web server answers its probes', async () => {
    const tree = render('database-sqlite');
    const root = tempDir('k8s-nonroot');
    const python = copyPyenvPython((tree.get('.python-version') as string).trim(), join(root, 'usr', 'local'));
    const project = join(root, 'app');
    for (const [path, contents] of tree) {
      mkdirSync(dirname(join(project, path)), { recursive: true });
      writeFileSync(join(project, path), contents as string);
    }
    mustRun(uv, ['sync', '--quiet', '--no-dev', '--python', python], { cwd: project, env: { ...process.env, UV_PYTHON_DOWNLOADS: 'never' } });
    mustRun('chmod', ['-R', 'u+rwX,go+rX,go-w', root]);
    mkdirSync(join(project, 'data'), { recursive: true });
    chownSync(join(project, 'data'), 10001, 10001);
    chmodSync(join(project, 'data'), 0o770);

    const manifests = baseManifests(tree);
    const pod = (kind: string) => manifests.find((doc) => doc.kind === kind)!.spec.template.spec;
    const { runAsUser, runAsGroup } = pod('Deployment').securityContext as { runAsUser: number; runAsGroup: number };
    const asPodUser = (command: string[]): [string, string[]] => [
      'setpriv',
      [`--reuid=${runAsUser}`, `--regid=${runAsGroup}`, '--clear-groups', '--', join(project, '.venv', 'bin', command[0]!), ...command.slice(1)],
    ];
    // The container's environment: the ConfigMap (config.env), on a free port instead of 8000.
    const config = Object.fromEntries(
      (tree.get('deploy/kubernetes/base/config.env') as string)
        .split('\n')
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    // LD_LIBRARY_PATH: the copy's shared library, as ldconfig finds the image's.
    const env = {
      PATH: `${join(project, '.venv', 'bin')}:/usr/bin:/bin`,
      LD_LIBRARY_PATH: join(root, 'usr', 'local', 'lib'),
      ...config,
      HOST: '127.0.0.1',
    };

    const migrate = run(...asPodUser(pod('Job').containers[0].command as string[]), { cwd: project, env });
    expect(migrate.status, `${migrate.stdout}${migrate.stderr}`).toBe(0);
    expect(existsSync(join(project, 'data', 'app.db'))).toBe(true);

    const web = pod('Deployment').containers[0];
    const { server, response: answer } = await serveOnFreePort(
      (port) => start(...asPodUser(web.command as string[]), { cwd: project, env: { ...env, PORT: String(port) } }),
      web.readinessProbe.httpGet.path,
      60_000,
    );
    try {
      expect(answer.status, server.output()).toBe(200);
      expect(((await answer.json()) as { status: string }).status).toBe('ok');
    } finally {
      await server.stop();
    }
    expect(server.output()).not.toMatch(/Permission denied|PermissionError|Read-only file system/);
  }, 300_000);
});

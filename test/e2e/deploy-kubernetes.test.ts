/**
 * `aegis deploy --target kubernetes`, run through the built bin, against recording stand-ins: no cluster, registry
 * or Docker engine runs here.
 *
 * What stands in for what:
 * - `docker` (build and push to the user's registry) → a script on PATH that records its arguments; it fails a
 *   push when the test says so (`STANDIN_FAIL=push`).
 * - `kubectl` (the cluster) → a script on PATH that records its arguments. For `apply -k DIR` it runs the real
 *   kustomize build (`kubectl kustomize` of the kubectl installed on this machine, when there is one) and keeps what
 *   a cluster would have received, so the release overlay aegis writes is built for real; `rollout status` of the
 *   Deployment named in `STANDIN_FAIL_ROLLOUT` and `wait` for the Job named in `STANDIN_FAIL_JOB` fail, as a
 *   crashing pod or a failed migration would; `rollout undo` answers as kubectl does.
 * - the user filling in the production secrets → the test writes `overlays/production/secret.env`.
 * - the cluster's answers to `get`, `logs` and `exec` → a fixed line each, which must reach aegis's output.
 * - the user's kubeconfig → `kubectl config get-contexts -o name` answers the contexts prod and staging.
 * - the Deployments' replica counts and annotations in the cluster → files in $STANDIN_STATE that `scale` and
 *   `annotate` write and `get deployment/NAME --output=json` reads (2 replicas until scaled), with the pod template
 *   the manifests give (image, envFrom, probes); a Job's `get` answers the migrate pod template.
 * - a pod's command → `exec` and `run` exit with STANDIN_EXEC_EXIT (default 0), as kubectl passes it through.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtBin, mustRun, run, tempDir } from '../support/processes.js';
import helpers from 'yeoman-test';
import DeployGenerator from '../../generators/deploy/index.js';
import { treeHash } from '../support/project-runner.js';

const REAL_KUBECTL = ['/usr/local/bin/kubectl', '/usr/bin/kubectl'].find((path) => existsSync(path)) ?? '';

const DOCKER = `#!/bin/sh
echo "docker $*" >> "$STANDIN_LOG"
case "$1" in
  push) if [ "\${STANDIN_FAIL:-}" = push ]; then echo "denied: requested access to the resource is denied" >&2; exit 1; fi ;;
esac
echo "docker $1 ok"
exit 0
`;

const KUBECTL = `#!/bin/sh
echo "kubectl $*" >> "$STANDIN_LOG"
args="$*"
# The subcommand and its arguments, past a leading --context NAME.
if [ "$1" = --context ]; then shift 2; fi
case "$1" in
  config) if [ "$2" = get-contexts ]; then echo prod; echo staging; fi ;;
  apply)
    dir="$3"
    if [ -n "$REAL_KUBECTL" ]; then
      "$REAL_KUBECTL" kustomize "$dir" > "$STANDIN_STATE/applied.yaml" || exit 1
    else
      cp "$dir/kustomization.yaml" "$STANDIN_STATE/applied.yaml"
    fi
    echo "deployment.apps/shop-webserver configured" ;;
  rollout)
    case "$2" in
      status)
        if [ -n "\${STANDIN_FAIL_ROLLOUT:-}" ] && [ "$3" = "deployment/$STANDIN_FAIL_ROLLOUT" ] && [ ! -e "$STANDIN_STATE/undone-$STANDIN_FAIL_ROLLOUT" ]; then
          echo "error: deployment \\"$STANDIN_FAIL_ROLLOUT\\" exceeded its progress deadline" >&2; exit 1
        fi
        echo "$3 successfully rolled out" ;;
      undo) touch "$STANDIN_STATE/undone-\${3#deployment/}"; echo "$3 rolled back" ;;
      history) echo "$3"; echo "REVISION  CHANGE-CAUSE"; echo "1         aegis deploy ghcr.io/acme/shop:v1 by ci-bot from no commit" ;;
    esac ;;
  wait)
    if [ -n "\${STANDIN_FAIL_JOB:-}" ] && [ "$3" = "job/$STANDIN_FAIL_JOB" ]; then
      echo "error: timed out waiting for the condition on jobs/$STANDIN_FAIL_JOB" >&2; exit 1
    fi
    echo "$3 condition met" ;;
  delete) echo "job.batch deleted" ;;
  get)
    case "$args" in
      *--output=json*)
        name="\${2#*/}"
        replicas=2; [ -f "$STANDIN_STATE/replicas-$name" ] && replicas=$(cat "$STANDIN_STATE/replicas-$name")
        annotations='{}'; [ -f "$STANDIN_STATE/stopped-$name" ] && annotations='{"aegis.dev/replicas-before-stop": "'"$(cat "$STANDIN_STATE/stopped-$name")"'"}'
        echo '{"metadata": {"name": "'"$name"'", "annotations": '"$annotations"'}, "spec": {"replicas": '"$replicas"', "template": {"spec": {"restartPolicy": "Always", "securityContext": {"runAsNonRoot": true}, "containers": [{"name": "app", "image": "ghcr.io/acme/shop:v1", "args": ["serve"], "ports": [{"containerPort": 8000}], "envFrom": [{"configMapRef": {"name": "shop-config"}}, {"secretRef": {"name": "shop-secrets"}}], "livenessProbe": {"httpGet": {"path": "/health", "port": 8000}}}]}}}}' ;;
      *) echo "NAME                    READY   UP-TO-DATE"; echo "deployment.apps/shop-webserver   2/2     2" ;;
    esac ;;
  scale) echo "\${3#--replicas=}" > "$STANDIN_STATE/replicas-\${2#*/}"; echo "$2 scaled" ;;
  annotate)
    case "$3" in
      *-) rm -f "$STANDIN_STATE/stopped-\${2#*/}" ;;
      *) echo "\${3#*=}" > "$STANDIN_STATE/stopped-\${2#*/}" ;;
    esac
    echo "$2 annotated" ;;
  logs) echo "INFO  startup app=shop" ;;
  exec) echo "exec in $3"; exit "\${STANDIN_EXEC_EXIT:-0}" ;;
  run) echo "pod $2 ran"; exit "\${STANDIN_EXEC_EXIT:-0}" ;;
esac
exit 0
`;

interface Ran {
  readonly status: number | null;
  readonly output: string;
  readonly calls: string[];
  readonly state: string;
}

function standIns(): string {
  const bin = tempDir('k8s-standins');
  for (const [name, script] of Object.entries({ docker: DOCKER, kubectl: KUBECTL })) {
    writeFileSync(join(bin, name), script);
    chmodSync(join(bin, name), 0o755);
  }
  return bin;
}

let bin = '';

function newProject(components: string, secrets = true): string {
  const parent = tempDir('k8s-deploy');
  mustRun('node', [builtBin, 'init', 'shop', '--yes', '--skip-install', '--python-version', '3.11', '--components', components], { cwd: parent });
  const project = join(parent, 'shop');
  if (secrets) {
    const example = readFileSync(join(project, 'deploy/kubernetes/overlays/production/secret.env.example'), 'utf8');
    writeFileSync(join(project, 'deploy/kubernetes/overlays/production/secret.env'), example.replace(/^([A-Z0-9_]+)=$/gm, '$1=a-secret'));
  }
  return project;
}

function deploy(project: string, args: readonly string[], env: Record<string, string> = {}): Ran {
  return aegis(project, 'deploy', args, env);
}

/** An aegis command on the project, with the stand-ins first on PATH. */
function aegis(project: string, command: string, args: readonly string[], env: Record<string, string> = {}): Ran {
  const state = tempDir('k8s-standin-state');
  const log = join(state, 'calls.log');
  writeFileSync(log, '');
  // --project-path first: after deploy-exec's "--", everything is the command.
  const result = run('node', [builtBin, command, '--project-path', project, ...args], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, STANDIN_LOG: log, STANDIN_STATE: state, REAL_KUBECTL, ...env },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}`, calls: readFileSync(log, 'utf8').split('\n').filter(Boolean), state };
}

const DEPLOYMENTS = ['shop-webserver', 'shop-worker-system', 'shop-worker-load-test'];
const STACK = 'kubernetes[registry=ghcr.io/acme],worker,database[engine=postgres]';

beforeAll(() => {
  bin = standIns();
});

describe('aegis deploy --target kubernetes (recording kubectl and docker stand-ins)', () => {
  it('builds and pushes the image, applies the release overlay with kubectl apply -k, waits for the migration and every rollout', () => {
    const project = newProject(STACK);
    const ran = deploy(project, ['--target', 'kubernetes', '--context', 'prod', '--tag', 'v1']);
    expect(ran.status, ran.output).toBe(0);
    const ns = '--namespace shop';
    expect(ran.calls).toEqual([
      'docker build --tag ghcr.io/acme/shop:v1 .',
      'docker push ghcr.io/acme/shop:v1',
      `kubectl --context prod delete job shop-migrate --ignore-not-found ${ns}`,
      'kubectl --context prod apply -k deploy/kubernetes/.release',
      `kubectl --context prod wait --for=condition=complete job/shop-migrate --timeout=300s ${ns}`,
      ...DEPLOYMENTS.map((name) => `kubectl --context prod rollout status deployment/${name} --timeout=300s ${ns}`),
    ]);
    expect(ran.output).toContain('[1/8] Build the image ghcr.io/acme/shop:v1');
    expect(ran.output).toContain('Released ghcr.io/acme/shop:v1 to the namespace shop.');
    // The release overlay pins the tag; the stand-in built it with the real kustomize: every workload runs it.
    const overlay = readFileSync(join(project, 'deploy/kubernetes/.release/kustomization.yaml'), 'utf8');
    expect(overlay).toContain('resources:\n  - ../overlays/production\n');
    expect(overlay).toContain('newTag: v1');
    if (REAL_KUBECTL) {
      const applied = readFileSync(join(ran.state, 'applied.yaml'), 'utf8');
      expect(applied.match(/image: .*/g)).toEqual(Array(4).fill('image: ghcr.io/acme/shop:v1'));
      expect(applied).toContain('kind: Secret');
      expect(applied).toContain('namespace: shop');
    }
    // The release overlay is git-ignored, like the secrets.
    expect(readFileSync(join(project, 'deploy/kubernetes/.gitignore'), 'utf8')).toContain('.release/');
  });

  it('tags the image with the git commit by default, -dirty when the tree has changes', () => {
    const project = newProject('kubernetes[registry=ghcr.io/acme]');
    const git = (...args: string[]) => mustRun('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: project }).stdout.trim();
    // aegis init made the project a git repository with a first commit; commit here only where it did not.
    if (run('git', ['rev-parse', 'HEAD'], { cwd: project }).status !== 0) {
      git('init', '--quiet');
      git('add', '--all');
      git('commit', '--quiet', '--message', 'first');
    }
    const commit = git('rev-parse', '--short=12', 'HEAD');
    const clean = deploy(project, ['--target', 'kubernetes']);
    expect(clean.status, clean.output).toBe(0);
    // secret.env and .release/ are ignored: the tree is clean after a deploy.
    expect(clean.calls[0]).toBe(`docker build --tag ghcr.io/acme/shop:${commit} .`);
    expect(clean.calls).toContain('kubectl apply -k deploy/kubernetes/.release');
    writeFileSync(join(project, 'README.md'), 'changed\n');
    expect(deploy(project, ['--target', 'kubernetes']).calls[0]).toBe(`docker build --tag ghcr.io/acme/shop:${commit}-dirty .`);
  });

  it('a rollout that fails rolls every Deployment back with kubectl rollout undo, names the step and exits non-zero', () => {
    const project = newProject(STACK);
    const ran = deploy(project, ['--target', 'kubernetes', '--tag', 'v2'], { STANDIN_FAIL_ROLLOUT: 'shop-worker-system' });
    expect(ran.status).not.toBe(0);
    expect(ran.output).toContain('The release ghcr.io/acme/shop:v2 failed: the rollout of shop-worker-system did not finish.');
    expect(ran.output).toContain('Every Deployment is back on its previous revision (kubectl rollout undo).');
    const after = ran.calls.slice(ran.calls.indexOf('kubectl rollout status deployment/shop-worker-system --timeout=300s --namespace shop') + 1);
    // The next Deployment's rollout is not waited for: the rollback starts at once.
    expect(after).toEqual(
      DEPLOYMENTS.flatMap((name) => [
        `kubectl rollout undo deployment/${name} --namespace shop`,
        `kubectl rollout status deployment/${name} --timeout=300s --namespace shop`,
      ]),
    );
  });

  it('a migration Job that fails rolls the Deployments back before any rollout is waited for', () => {
    const project = newProject(STACK);
    const ran = deploy(project, ['--target', 'kubernetes', '--tag', 'v3'], { STANDIN_FAIL_JOB: 'shop-migrate' });
    expect(ran.status).not.toBe(0);
    expect(ran.output).toContain('the Job shop-migrate did not complete (kubectl logs job/shop-migrate --namespace shop)');
    expect(ran.calls.filter((call) => call.includes('rollout undo'))).toHaveLength(DEPLOYMENTS.length);
    expect(ran.calls.indexOf('kubectl wait --for=condition=complete job/shop-migrate --timeout=300s --namespace shop')).toBe(4);
  });

  it('a push the registry refuses stops before the cluster is touched', () => {
    const project = newProject(STACK);
    const ran = deploy(project, ['--target', 'kubernetes', '--tag', 'v4'], { STANDIN_FAIL: 'push' });
    expect(ran.status).not.toBe(0);
    expect(ran.output).toContain('Step "Push ghcr.io/acme/shop:v4" failed');
    expect(ran.output).toContain('docker login ghcr.io');
    expect(ran.calls.some((call) => call.startsWith('kubectl'))).toBe(false);
  });

  it('refuses, naming the fix and changing nothing, without secret.env, without a registry, without the component, or with an unknown target', () => {
    const noSecrets = newProject(STACK, false);
    const before = treeHash(noSecrets);
    const missing = deploy(noSecrets, ['--target', 'kubernetes']);
    expect(missing.status).not.toBe(0);
    expect(missing.output).toContain('deploy/kubernetes/overlays/production/secret.env is missing: copy secret.env.example');
    expect(missing.calls).toEqual([]);
    expect(treeHash(noSecrets)).toBe(before);

    const noRegistry = deploy(newProject('kubernetes'), ['--target', 'kubernetes']);
    expect(noRegistry.status).not.toBe(0);
    expect(noRegistry.output).toContain('has no registry to push the image to: set one with aegis add "kubernetes[registry=<your registry>]"');
    expect(noRegistry.calls).toEqual([]);

    const parent = tempDir('k8s-deploy-none');
    mustRun('node', [builtBin, 'init', 'plain', '--yes', '--skip-install', '--python-version', '3.11'], { cwd: parent });
    const noComponent = deploy(join(parent, 'plain'), ['--target', 'kubernetes']);
    expect(noComponent.status).not.toBe(0);
    expect(noComponent.output).toContain('--target kubernetes needs the kubernetes component');

    const unknown = deploy(join(parent, 'plain'), ['--target', 'nomad']);
    expect(unknown.status).not.toBe(0);
    expect(unknown.output).toContain('--target nomad: give ssh');
    mkdirSync(join(parent, 'unused'), { recursive: true });
  });

  it('deploy-status, deploy-logs, deploy-restart and deploy-shell ask the cluster with kubectl', () => {
    const project = newProject(STACK);
    const dayTwo = (command: string, args: string[]) => {
      const state = tempDir('k8s-standin-state');
      const log = join(state, 'calls.log');
      writeFileSync(log, '');
      const result = run('node', [builtBin, command, ...args, '--project-path', project], {
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, STANDIN_LOG: log, STANDIN_STATE: state, REAL_KUBECTL },
      });
      return { status: result.status, output: `${result.stdout}${result.stderr}`, calls: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
    };
    const shown = dayTwo('deploy-status', ['--target', 'kubernetes', '--context', 'prod']);
    expect(shown.status, shown.output).toBe(0);
    expect(shown.calls).toEqual(['kubectl --context prod get deployments,pods,jobs,horizontalpodautoscalers --selector=app.kubernetes.io/part-of=shop --namespace shop']);
    expect(shown.output).toContain('deployment.apps/shop-webserver   2/2');

    const logs = dayTwo('deploy-logs', ['--target', 'kubernetes', '--service', 'worker-system', '--tail', '50', '--follow']);
    expect(logs.status, logs.output).toBe(0);
    expect(logs.calls).toEqual(['kubectl logs deployment/shop-worker-system --tail 50 --follow --namespace shop']);
    expect(logs.output).toContain('INFO  startup app=shop');

    const restart = dayTwo('deploy-restart', ['--target', 'kubernetes', '--service', 'webserver']);
    expect(restart.status, restart.output).toBe(0);
    expect(restart.calls).toEqual([
      'kubectl get deployment/shop-webserver --output=json --namespace shop',
      'kubectl rollout restart deployment/shop-webserver --namespace shop',
      'kubectl rollout status deployment/shop-webserver --timeout=300s --namespace shop',
    ]);
    const all = dayTwo('deploy-restart', ['--target', 'kubernetes']);
    expect(all.calls.filter((call) => call.includes('rollout restart'))).toEqual(DEPLOYMENTS.map((name) => `kubectl rollout restart deployment/${name} --namespace shop`));

    // No terminal here: kubectl exec -i, without -t.
    const shell = dayTwo('deploy-shell', ['--target', 'kubernetes']);
    expect(shell.status, shell.output).toBe(0);
    expect(shell.calls).toEqual(['kubectl exec -i deployment/shop-webserver --namespace shop -- sh']);

    const unknown = dayTwo('deploy-logs', ['--target', 'kubernetes', '--service', 'nginx']);
    expect(unknown.status).not.toBe(0);
    expect(unknown.output).toContain('--service nginx: no such Deployment in deploy/kubernetes/base; give one of webserver, worker-system, worker-load-test.');
    expect(unknown.calls).toEqual([]);
  });

  it('deploy-init --target kubernetes records the cluster: deploy and the day-two commands go there without --target', () => {
    const project = newProject(STACK);
    const init = aegis(project, 'deploy-init', ['--target', 'kubernetes', '--context', 'prod', '--namespace', 'shop-prod']);
    expect(init.status, init.output).toBe(0);
    expect(init.calls).toEqual(['kubectl config get-contexts --output=name']);
    expect(init.output).toContain('Recorded the Kubernetes target in .aegis/deploy.json: context prod, namespace shop-prod.');
    expect(JSON.parse(readFileSync(join(project, '.aegis/deploy.json'), 'utf8'))).toEqual({ target: 'kubernetes', kubernetes: { context: 'prod', namespace: 'shop-prod' } });

    const ns = '--namespace shop-prod';
    const shipped = deploy(project, ['--tag', 'v1']);
    expect(shipped.status, shipped.output).toBe(0);
    expect(shipped.calls).toEqual([
      'docker build --tag ghcr.io/acme/shop:v1 .',
      'docker push ghcr.io/acme/shop:v1',
      `kubectl --context prod delete job shop-migrate --ignore-not-found ${ns}`,
      'kubectl --context prod apply -k deploy/kubernetes/.release',
      `kubectl --context prod wait --for=condition=complete job/shop-migrate --timeout=300s ${ns}`,
      ...DEPLOYMENTS.map((name) => `kubectl --context prod rollout status deployment/${name} --timeout=300s ${ns}`),
    ]);
    expect(shipped.output).toContain('Released ghcr.io/acme/shop:v1 to the namespace shop-prod.');
    expect(readFileSync(join(project, 'deploy/kubernetes/.release/kustomization.yaml'), 'utf8')).toContain('namespace: shop-prod\n');
    if (REAL_KUBECTL) {
      // The real kustomize puts everything, the Namespace itself included, in the recorded namespace.
      const applied = readFileSync(join(shipped.state, 'applied.yaml'), 'utf8');
      expect(applied).toContain('kind: Namespace\nmetadata:\n  name: shop-prod\n');
      expect(applied).not.toMatch(/namespace: shop\n/);
    }

    expect(aegis(project, 'deploy-status', []).calls).toEqual([
      `kubectl --context prod get deployments,pods,jobs,horizontalpodautoscalers --selector=app.kubernetes.io/part-of=shop ${ns}`,
    ]);
    expect(aegis(project, 'deploy-logs', ['--service', 'webserver']).calls).toEqual([`kubectl --context prod logs deployment/shop-webserver --tail 200 ${ns}`]);
    expect(aegis(project, 'deploy-restart', ['--service', 'webserver']).calls[1]).toBe(`kubectl --context prod rollout restart deployment/shop-webserver ${ns}`);
    expect(aegis(project, 'deploy-shell', []).calls).toEqual([`kubectl --context prod exec -i deployment/shop-webserver ${ns} -- sh`]);
    // A --context given wins over the recorded one; --target ssh goes to the server deploy-init did not record.
    expect(aegis(project, 'deploy-status', ['--context', 'staging']).calls[0]).toContain('kubectl --context staging get ');
    const ssh = aegis(project, 'deploy-status', ['--target', 'ssh']);
    expect(ssh.status).not.toBe(0);
    expect(ssh.output).toContain('records a Kubernetes target only (deploy-init --target kubernetes)');
    expect(ssh.output).toContain('aegis deploy-init --host <server>');
    expect(ssh.calls).toEqual([]);
  });

  it('deploy-init --target kubernetes keeps a server recorded before, and refuses bad input changing nothing', () => {
    const project = newProject(STACK);
    const server = { host: '203.0.113.10', user: 'deploy', port: 22, path: '/opt/shop', key: '/k', keepReleases: 5, healthUrl: 'http://127.0.0.1:8000/health', hostKey: 'SHA256:x' };
    mkdirSync(join(project, '.aegis'), { recursive: true });
    writeFileSync(join(project, '.aegis/deploy.json'), `${JSON.stringify(server, null, 2)}\n`);
    const before = treeHash(project);
    const refusals: Array<[string[], string]> = [
      [['--target', 'kubernetes'], 'deploy-init --target kubernetes needs --context <name>'],
      [['--target', 'kubernetes', '--context', 'nowhere'], '--context nowhere: kubectl has no such context (it has prod, staging)'],
      [['--target', 'kubernetes', '--context', 'prod', '--namespace', 'Shop_Prod'], '--namespace Shop_Prod: a namespace is lower-case letters, digits and -'],
      [['--target', 'nomad', '--context', 'prod'], '--target nomad: give ssh (a server, with --host) or kubernetes'],
    ];
    for (const [args, message] of refusals) {
      const refused = aegis(project, 'deploy-init', args);
      expect(refused.status, args.join(' ')).not.toBe(0);
      expect(refused.output).toContain(message);
      expect(treeHash(project)).toBe(before);
    }

    const init = aegis(project, 'deploy-init', ['--target', 'kubernetes', '--context', 'prod']);
    expect(init.status, init.output).toBe(0);
    expect(init.output).toContain("namespace shop (the production overlay's)");
    expect(init.output).toContain('The server 203.0.113.10 stays recorded: --target ssh still deploys there.');
    expect(JSON.parse(readFileSync(join(project, '.aegis/deploy.json'), 'utf8'))).toEqual({ ...server, target: 'kubernetes', kubernetes: { context: 'prod' } });
    expect(aegis(project, 'deploy-status', []).calls).toEqual([
      'kubectl --context prod get deployments,pods,jobs,horizontalpodautoscalers --selector=app.kubernetes.io/part-of=shop --namespace shop',
    ]);

    // Without the kubernetes component: refused, naming the fix, and no deploy file appears.
    const parent = tempDir('k8s-init-none');
    mustRun('node', [builtBin, 'init', 'plain', '--yes', '--skip-install', '--python-version', '3.11'], { cwd: parent });
    const plain = join(parent, 'plain');
    const untouched = treeHash(plain);
    const noComponent = aegis(plain, 'deploy-init', ['--target', 'kubernetes', '--context', 'prod']);
    expect(noComponent.status).not.toBe(0);
    expect(noComponent.output).toContain('needs the kubernetes component: add it with aegis add "kubernetes[registry=<your registry>]"');
    expect(noComponent.calls).toEqual([]);
    expect(treeHash(plain)).toBe(untouched);
    expect(existsSync(join(plain, '.aegis/deploy.json'))).toBe(false);
  });

  it('records each release as the CHANGE-CAUSE that deploy-history shows with kubectl rollout history', () => {
    const project = newProject(STACK);
    const shipped = deploy(project, ['--target', 'kubernetes', '--tag', 'v7'], { AEGIS_DEPLOYER: 'ci-bot' });
    expect(shipped.status, shipped.output).toBe(0);
    const overlay = readFileSync(join(project, 'deploy/kubernetes/.release/kustomization.yaml'), 'utf8');
    expect(overlay).toMatch(/kubernetes\.io\/change-cause: aegis deploy ghcr\.io\/acme\/shop:v7 by ci-bot from [0-9a-f]{12}(\+changes)? at \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    if (REAL_KUBECTL) {
      // The real kustomize puts the record on every Deployment, and on nothing else.
      const applied = readFileSync(join(shipped.state, 'applied.yaml'), 'utf8');
      expect(applied.match(/kubernetes\.io\/change-cause: aegis deploy ghcr\.io\/acme\/shop:v7 by ci-bot/g)).toHaveLength(DEPLOYMENTS.length);
    }
    const history = aegis(project, 'deploy-history', ['--target', 'kubernetes']);
    expect(history.status, history.output).toBe(0);
    expect(history.calls).toEqual(['kubectl rollout history deployment/shop-webserver --namespace shop']);
    expect(history.output).toContain("CHANGE-CAUSE is aegis deploy's record of each release");
    expect(history.output).toContain('aegis deploy ghcr.io/acme/shop:v1 by ci-bot');
  });

  it('deploy-exec runs a command with kubectl exec (exit code passed through); --run in a one-off pod of the pod template', () => {
    const project = newProject(STACK);
    mustRun('node', [builtBin, 'deploy-init', '--target', 'kubernetes', '--context', 'prod', '--project-path', project], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, STANDIN_LOG: '/dev/null', STANDIN_STATE: tempDir('k8s-init') } });
    const ran = aegis(project, 'deploy-exec', ['webserver', '--', 'python', '-c', 'print(1)']);
    expect(ran.status, ran.output).toBe(0);
    expect(ran.calls).toEqual(["kubectl --context prod exec -i deployment/shop-webserver --namespace shop -- python -c print(1)"]);
    expect(ran.output).toContain('exec in deployment/shop-webserver');

    const failed = aegis(project, 'deploy-exec', ['worker-system', '--', 'false'], { STANDIN_EXEC_EXIT: '3' });
    expect(failed.status).toBe(3);
    expect(failed.output).toContain('`false` exited with code 3 in deployment/shop-worker-system (a service that is not running, such as migrate, needs --run).');

    const migrate = aegis(project, 'deploy-exec', ['--run', 'migrate', '--', 'alembic', 'upgrade', 'head']);
    expect(migrate.status, migrate.output).toBe(0);
    expect(migrate.calls[0]).toBe('kubectl --context prod get job/shop-migrate --output=json --namespace shop');
    const pod = migrate.calls[1]!.match(/^kubectl --context prod run (shop-migrate-run-[0-9a-f]{6}) --image=ghcr\.io\/acme\/shop:v1 --restart=Never --rm -i --quiet --overrides=(.*) --namespace shop$/);
    expect(pod, migrate.calls[1]).not.toBeNull();
    const overrides = JSON.parse(pod![2]!) as { spec: { restartPolicy: string; securityContext: unknown; containers: Record<string, unknown>[] } };
    expect(overrides.spec.restartPolicy).toBe('Never');
    expect(overrides.spec.securityContext).toEqual({ runAsNonRoot: true });
    // The release's image, ConfigMap and Secret; the command given; no probes, ports or args of the long-running pod.
    expect(overrides.spec.containers).toEqual([
      {
        name: pod![1],
        image: 'ghcr.io/acme/shop:v1',
        envFrom: [{ configMapRef: { name: 'shop-config' } }, { secretRef: { name: 'shop-secrets' } }],
        command: ['alembic', 'upgrade', 'head'],
        stdin: true,
        stdinOnce: true,
        tty: false,
      },
    ]);
    const runFailed = aegis(project, 'deploy-exec', ['--run', 'webserver', '--', 'pytest'], { STANDIN_EXEC_EXIT: '5' });
    expect(runFailed.status).toBe(5);
    expect(runFailed.calls[0]).toContain('get deployment/shop-webserver --output=json');
    expect(runFailed.output).toContain('`pytest` exited with code 5 in a one-off pod of shop-webserver.');

    const refusals: Array<[string[], string]> = [
      [['webserver'], 'deploy-exec needs a command after the service and "--": aegis deploy-exec webserver -- <command> [args…]'],
      [['nginx', '--', 'ls'], '--service nginx: no such Deployment in deploy/kubernetes/base'],
      [['--run', 'nginx', '--', 'ls'], 'nginx: no such Deployment or Job in deploy/kubernetes/base; give one of webserver, worker-system, worker-load-test, migrate.'],
    ];
    for (const [args, message] of refusals) {
      const refused = aegis(project, 'deploy-exec', args);
      expect(refused.status, args.join(' ')).not.toBe(0);
      expect(refused.output).toContain(message);
      expect(refused.calls).toEqual([]);
    }
  });

  it('deploy-stop scales the Deployments to 0 keeping their replicas; deploy-restart scales them back', () => {
    const project = newProject(STACK);
    const state = tempDir('k8s-cluster');
    writeFileSync(join(state, 'replicas-shop-webserver'), '3\n');
    const stop = aegis(project, 'deploy-stop', ['--target', 'kubernetes'], { STANDIN_STATE: state });
    expect(stop.status, stop.output).toBe(0);
    const ns = '--namespace shop';
    expect(stop.calls).toEqual(
      DEPLOYMENTS.flatMap((name) => [
        `kubectl get deployment/${name} --output=json ${ns}`,
        `kubectl annotate deployment/${name} aegis.dev/replicas-before-stop=${name === 'shop-webserver' ? 3 : 2} --overwrite ${ns}`,
        `kubectl scale deployment/${name} --replicas=0 ${ns}`,
      ]),
    );
    expect(stop.output).toContain('Stopped shop-webserver (was 3), shop-worker-system (was 2), shop-worker-load-test (was 2);');
    expect(stop.output).toContain('"aegis deploy-restart" scales them back to those replicas; "aegis deploy" alone leaves them at 0.');

    // Stopping again keeps the counts recorded the first time.
    const again = aegis(project, 'deploy-stop', ['--target', 'kubernetes', '--service', 'webserver'], { STANDIN_STATE: state });
    expect(again.calls).toEqual([`kubectl get deployment/shop-webserver --output=json ${ns}`, `kubectl scale deployment/shop-webserver --replicas=0 ${ns}`]);
    expect(readFileSync(join(state, 'stopped-shop-webserver'), 'utf8').trim()).toBe('3');

    const start = aegis(project, 'deploy-restart', ['--target', 'kubernetes'], { STANDIN_STATE: state });
    expect(start.status, start.output).toBe(0);
    expect(start.calls).toEqual(
      DEPLOYMENTS.flatMap((name) => [
        `kubectl get deployment/${name} --output=json ${ns}`,
        `kubectl scale deployment/${name} --replicas=${name === 'shop-webserver' ? 3 : 2} ${ns}`,
        `kubectl annotate deployment/${name} aegis.dev/replicas-before-stop- ${ns}`,
        `kubectl rollout status deployment/${name} --timeout=300s ${ns}`,
      ]),
    );
    expect(start.output).toContain('Starting shop-webserver again: kubectl scale --replicas=3');
    // Running again, a restart is a rollout restart.
    expect(aegis(project, 'deploy-restart', ['--target', 'kubernetes', '--service', 'webserver'], { STANDIN_STATE: state }).calls[1]).toBe(`kubectl rollout restart deployment/shop-webserver ${ns}`);

    const unknown = aegis(project, 'deploy-stop', ['--target', 'kubernetes', '--service', 'nginx'], { STANDIN_STATE: state });
    expect(unknown.status).not.toBe(0);
    expect(unknown.output).toContain('--service nginx: no such Deployment');
    expect(unknown.calls).toEqual([]);
  });

  it('yo aegis:deploy init --target kubernetes does the same (Yeoman\'s own options.namespace is not taken for --namespace)', async () => {
    const saved = { ...process.env };
    const state = tempDir('k8s-yo');
    Object.assign(process.env, { PATH: `${bin}:${process.env.PATH}`, STANDIN_LOG: join(state, 'calls.log'), STANDIN_STATE: state });
    const cwd = process.cwd();
    const yo = async (project: string, args: string[]) => {
      const runner = helpers.run(DeployGenerator as never, { namespace: 'aegis:deploy', tmpdir: false, cwd: project, autoCleanup: false });
      try {
        await runner.withArguments(['init', ...args, '--project-path', project]);
      } finally {
        process.chdir(cwd);
      }
      return JSON.parse(readFileSync(join(project, '.aegis/deploy.json'), 'utf8')) as unknown;
    };
    try {
      const project = newProject(STACK);
      expect(await yo(project, ['--target', 'kubernetes', '--context', 'prod'])).toEqual({ target: 'kubernetes', kubernetes: { context: 'prod' } });
      expect(await yo(project, ['--target', 'kubernetes', '--context', 'staging', '--namespace', 'shop-staging'])).toEqual({
        target: 'kubernetes',
        kubernetes: { context: 'staging', namespace: 'shop-staging' },
      });
    } finally {
      process.env = saved;
    }
  });
});

/**
 * `aegis deploy` against real containers: a real OpenSSH server on loopback (test/support/sshd.ts) whose session
 * has `docker` answering with podman (see below), so the release is built and started by Docker Compose v2 on
 * podman, Traefik routes /health on port 80, the health wait reads it, a release that never turns healthy is rolled
 * back, and a second good deploy replaces the first.
 *
 * Stand-ins (test/support/containers.ts has the engine's and the base images'): `docker` on the session's PATH is a
 * wrapper sending `docker compose …` to the Docker Compose v2 binary and the rest to `podman --remote`, both on
 * podman's Docker API at /run/docker.sock. That socket is opened to every local user for the test (read-write,
 * as membership of the docker group would give the deploy user on a real server). `deploy-setup` (apt, ufw) is not
 * run here: test/e2e/deploy.test.ts covers it.
 */
import { chmodSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveUv } from '../../shared/project/install.js';
import {
  ENGINE_SOCKET,
  baseImagesOf,
  containerEngineMissing,
  dockerCompose,
  ensureStandInImages,
  podmanQuiet,
  startEngine,
  takeHostPorts,
} from '../support/containers.js';
import { builtBin, mustRun, run, tempDir } from '../support/processes.js';
import { type TestSshServer, hasSshd, startSshServer } from '../support/sshd.js';

const missing = containerEngineMissing() ?? (hasSshd() ? undefined : 'deploy container tests: no /usr/sbin/sshd (apt-get install openssh-server), or not root; skipped, or failed in CI');
// .ci/run installs podman: in CI its absence is a failure, elsewhere one line says what to install.
if (missing && process.env.CI) throw new Error(missing);
if (missing) console.log(missing);

const uv = resolveUv() ?? 'uv';
const DOCKER = 'if [ "$1" = compose ]; then shift; exec "$AEGIS_COMPOSE_BIN" "$@"; fi\nexec podman --remote --url "$DOCKER_HOST" "$@"';

describe.skipIf(missing)('aegis deploy to real containers (podman behind docker, over SSH)', () => {
  const name = 'shipped';
  let root = '';
  let project = '';
  let appDir = '';
  let server: TestSshServer;
  let engine: Awaited<ReturnType<typeof startEngine>>;
  let releasePorts: () => void = () => {};
  let first = '';
  let serving = '';

  const aegis = (args: string[]) =>
    run('node', [builtBin, ...args, '--project-path', project], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, timeout: 600_000 });
  const current = () => readlinkSync(join(appDir, 'current')).replace('releases/', '');
  const relock = () => {
    const env = { ...process.env };
    delete env.VIRTUAL_ENV;
    mustRun(uv, ['lock', '--quiet'], { cwd: project, env });
  };
  const health = async (): Promise<{ status: number; version?: string }> => {
    try {
      const response = await fetch('http://127.0.0.1/health', { signal: AbortSignal.timeout(5_000) });
      return { status: response.status, version: ((await response.json()) as { version?: string }).version };
    } catch {
      return { status: 0 };
    }
  };

  beforeAll(async () => {
    root = tempDir('deploy-containers');
    mustRun('chmod', ['a+rx', root]);
    mustRun('node', [builtBin, 'init', name, '--yes', '--skip-install', '--python-version', '3.11', '--components', 'ingress'], { cwd: root });
    project = join(root, name);
    relock();
    mustRun('git', ['init', '-q'], { cwd: project });
    await ensureStandInImages(baseImagesOf(project));
    engine = await startEngine();
    chmodSync(ENGINE_SOCKET, 0o666);
    releasePorts = await takeHostPorts();
    server = await startSshServer({
      standIns: { docker: DOCKER },
      env: { DOCKER_HOST: `unix://${ENGINE_SOCKET}`, DOCKER_BUILDKIT: '0', AEGIS_COMPOSE_BIN: dockerCompose() },
    });
    appDir = join(server.home, 'apps', basename(root), name);
    const init = aegis([
      'deploy-init', '--host', '127.0.0.1', '--port', String(server.port), '--user', server.user, '--key', server.key,
      '--path', appDir, '--accept-new-host-key',
    ]);
    expect(init.status, init.stdout + init.stderr).toBe(0);
  }, 900_000);

  afterAll(async () => {
    if (project) {
      run(dockerCompose(), ['-p', name, '-f', 'docker-compose.yml', '-f', 'docker-compose.prod.yml', 'down', '--volumes', '--remove-orphans', '--timeout', '3'], {
        cwd: project,
        env: engine?.env,
      });
      if (engine) podmanQuiet(['rmi', '-f', `${name}:latest`], engine.env);
      if (engine) podmanQuiet(['image', 'prune', '-f', '--filter', 'label=com.docker.compose.image.builder=classic'], engine.env);
    }
    releasePorts();
    if (appDir) rmSync(join(appDir, '..'), { recursive: true, force: true });
    await server?.stop();
    await engine?.stop();
  });

  it('deploy builds and starts the release; the health wait sees /health through Traefik on port 80', { timeout: 900_000 }, async () => {
    const deployed = aegis(['deploy', '--health-retries', '60', '--health-interval', '2']);
    expect(deployed.status, deployed.stdout + deployed.stderr).toBe(0);
    expect(deployed.stdout).toMatch(/healthy after \d+ tries/);
    first = current();
    expect(await health()).toEqual({ status: 200, version: '0.1.0' });
    const ps = mustRun(dockerCompose(), ['-p', name, 'ps', '--format', '{{.Service}} {{.State}}'], { cwd: project, env: engine.env }).stdout;
    expect(ps).toContain('webserver running');
    expect(ps).toContain('traefik running');
  });

  it('a second good deploy replaces the first: new release current, its version served', { timeout: 900_000 }, async () => {
    // The project's version (pyproject.toml reads it from app/__init__.py), which /health reports.
    const init = join(project, 'app', '__init__.py');
    const bumped = readFileSync(init, 'utf8').replace('__version__ = "0.1.0"', '__version__ = "0.2.0"');
    expect(bumped).toContain('"0.2.0"');
    writeFileSync(init, bumped);
    relock();
    const deployed = aegis(['deploy', '--health-retries', '60', '--health-interval', '2']);
    expect(deployed.status, deployed.stdout + deployed.stderr).toBe(0);
    expect(current()).not.toBe(first);
    const deadline = Date.now() + 60_000;
    while ((await health()).version !== '0.2.0' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await health()).toEqual({ status: 200, version: '0.2.0' });
    serving = current();
  });

  // The release that never turns healthy runs last: its web server exits in a loop (restart: unless-stopped), and
  // after it podman's health checks (run by the test monitor, as there is no systemd) twice stayed stuck for the next
  // container in CI, a trouble of this engine, not of the deploy.
  it('a release that never turns healthy never takes over: with the ingress the deploy rolls, so the old one keeps serving', { timeout: 900_000 }, async () => {
    const entrypoint = join(project, 'app', 'entrypoints', 'webserver.py');
    const original = readFileSync(entrypoint, 'utf8');
    writeFileSync(entrypoint, `raise SystemExit("this release is broken")\n${original}`);
    try {
      const deployed = aegis(['deploy', '--health-retries', '8', '--health-interval', '2']);
      expect(deployed.status, deployed.stdout + deployed.stderr).toBe(1);
      expect(deployed.stdout).toContain('Rolling release');
      expect(deployed.stdout).toContain(`going back to ${serving}; the old one keeps serving`);
      expect(deployed.stderr).toContain(`The old webserver kept serving and still does; the new one was removed and ${serving} is current again.`);
    } finally {
      writeFileSync(entrypoint, original);
    }
    expect(current()).toBe(serving);
    // The old container was never stopped; Traefik may take a moment to drop the removed one from its routes.
    const deadline = Date.now() + 30_000;
    while ((await health()).status !== 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await health()).toEqual({ status: 200, version: '0.2.0' });
  });

});

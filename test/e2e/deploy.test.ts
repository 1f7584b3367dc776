/**
 * aegis deploy-* against a real OpenSSH server on a loopback port (test/support/sshd.ts). The server is this very
 * machine: docker and friends are recording stand-ins on the session's PATH, and the app's /health is a small HTTP
 * server in this test whose answer the test sets. Everything else is real: key authentication, host key pinning,
 * SFTP uploads, symlinks, file modes and shell commands on the server.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { type Server as TcpServer, createServer as createTcpServer } from 'node:net';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBin, freePort, mustRun, run, start, tempDir, waitForHttp } from '../support/processes.js';
import { treeHash } from '../support/project-runner.js';
import { type TestSshServer, hasSshd, startSshServer } from '../support/sshd.js';

const DOCKER = `case "$*" in
  *" exec "*) exec sh ;;
  *" ps"*) echo "NAME               SERVICE     STATUS"; echo "shop-webserver-1   webserver   running (healthy)" ;;
  *" logs"*) echo "webserver-1  | INFO  startup app=shop" ;;
esac
exit 0`;

/**
 * The app's /health, answering with the status code in a file the test rewrites. A process of its own: the aegis
 * runs below block this one (spawnSync), so a server in it could not answer them.
 */
const HEALTH_SERVER = `
const { createServer } = require('node:http');
const { readFileSync } = require('node:fs');
const [file, port] = process.argv.slice(1);
createServer((request, response) => {
  const status = request.url === '/health' ? Number(readFileSync(file, 'utf8')) : 404;
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status: status === 200 ? 'healthy' : 'unhealthy' }));
}).listen(Number(port), '127.0.0.1');
`;

let server: TestSshServer;
let health: ReturnType<typeof start>;
let healthPort = 0;
let healthFile = '';
const setHealth = (status: number) => writeFileSync(healthFile, String(status));
let root = '';
let project = '';
let appDir = '';

const aegis = (args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) =>
  run('node', [builtBin, ...args, '--project-path', project], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    ...(options.input !== undefined ? { input: options.input } : {}),
    timeout: 120_000,
  });
const target = () => JSON.parse(readFileSync(join(project, '.aegis', 'deploy.json'), 'utf8')) as Record<string, unknown>;
const current = () => readlinkSync(join(appDir, 'current')).replace('releases/', '');
const releases = () => readdirSync(join(appDir, 'releases')).sort();
const health2 = ['--health-retries', '2', '--health-interval', '0'];

beforeAll(async () => {
  if (!hasSshd()) return;
  root = tempDir('deploy');
  healthFile = join(root, 'health-status');
  setHealth(200);
  healthPort = await freePort();
  health = start(process.execPath, ['-e', HEALTH_SERVER, healthFile, String(healthPort)], { cwd: root, env: process.env });
  await waitForHttp(`http://127.0.0.1:${healthPort}/health`, 10_000);
  server = await startSshServer({ docker: DOCKER });
  // A folder of this run's own in the test user's home (the app folder on the "server").
  appDir = join(server.home, 'apps', basename(root), 'shop');
  mustRun('node', [builtBin, 'init', 'shop', '--yes', '--skip-install', '--python-version', '3.11'], { cwd: root });
  project = join(root, 'shop');
  mkdirSync(join(project, 'data'));
  writeFileSync(join(project, 'data', 'local.db'), 'local data');
  writeFileSync(join(project, '.env'), 'SECRET_KEY=local-only\n');
  writeFileSync(join(project, '.env.production'), 'APP_ENV=production\nSECRET_KEY=prod-secret\n');
  mkdirSync(join(project, '.venv', 'bin'), { recursive: true });
  writeFileSync(join(project, '.venv', 'bin', 'python'), '');
  mkdirSync(join(project, 'app', '__pycache__'));
  writeFileSync(join(project, 'app', '__pycache__', 'x.cpython-311.pyc'), '');
  mustRun('git', ['init', '-q'], { cwd: project });
}, 120_000);

afterAll(async () => {
  if (appDir) rmSync(join(appDir, '..'), { recursive: true, force: true });
  await server?.stop();
  await health?.stop();
});

// Outside CI a machine without sshd (or not root) skips; CI installs it, so there a missing sshd fails.
describe.skipIf(!hasSshd() && !process.env.CI)('deploy over SSH to a real sshd on loopback', () => {
  it('deploy-init without a terminal refuses an unknown host key, shows it, and records nothing', () => {
    const result = aegis(['deploy-init', '--host', '127.0.0.1', '--port', String(server.port), '--user', server.user, '--key', server.key, '--path', appDir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`its host key fingerprint is ${server.hostKeyFingerprint()}`);
    expect(result.stderr).toContain('--accept-new-host-key');
    expect(existsSync(join(project, '.aegis'))).toBe(false);
  });

  it('deploy-init connects, pins the host key and records the target (no secrets)', () => {
    const result = aegis([
      'deploy-init', '--host', '127.0.0.1', '--port', String(server.port), '--user', server.user, '--key', server.key,
      '--path', appDir, '--health-url', `http://127.0.0.1:${healthPort}/health`, '--keep-releases', '3', '--accept-new-host-key',
    ]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Connected to ${server.user}@127.0.0.1:${server.port} (Linux`);
    expect(target()).toEqual({
      host: '127.0.0.1',
      user: server.user,
      port: server.port,
      path: appDir,
      key: server.key,
      keepReleases: 3,
      healthUrl: `http://127.0.0.1:${healthPort}/health`,
      hostKey: server.hostKeyFingerprint(),
    });
  });

  let first = '';
  it('deploy uploads a release, links shared env (mode 600) and data, switches current, starts it and waits for /health', () => {
    server.clearCalls();
    const result = aegis(['deploy', ...health2]);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\[1\/7\] Preparing release \d{8}-\d{6}-\d{3}\n/);
    expect(result.stdout).toContain('[7/7] Waiting for');
    first = current();
    expect(releases()).toEqual([first]);
    const release = join(appDir, 'releases', first);
    expect(readFileSync(join(release, 'app', 'core', 'config.py'), 'utf8')).toBe(readFileSync(join(project, 'app', 'core', 'config.py'), 'utf8'));
    for (const excluded of ['.git', '.venv', '.aegis', 'app/__pycache__', '.env.production']) expect(existsSync(join(release, excluded)), excluded).toBe(false);
    expect(existsSync(join(release, '.env.example'))).toBe(true);
    expect(lstatSync(join(release, '.env')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(release, '.env'), 'utf8')).toBe('APP_ENV=production\nSECRET_KEY=prod-secret\n');
    expect(statSync(join(appDir, 'shared', '.env')).mode & 0o777).toBe(0o600);
    expect(readlinkSync(join(release, 'data'))).toBe(join(appDir, 'shared', 'data'));
    expect(readdirSync(join(appDir, 'shared', 'data'))).toEqual([]);
    expect(server.calls()).toEqual([`${join(appDir, 'current')}$ docker compose -p shop -f docker-compose.yml up -d --build --remove-orphans`]);
  });

  it('a release that fails its health check is rolled back to the previous one, and removed', () => {
    setHealth(500);
    server.clearCalls();
    const result = aegis(['deploy', ...health2]);
    setHealth(200);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`not healthy: rolling back to ${first}.`);
    expect(result.stderr).toMatch(new RegExp(`Release \\d{8}-\\d{6}-\\d{3} failed its health check .*; ${first} is current again`));
    expect(current()).toBe(first);
    expect(releases()).toEqual([first]);
    expect(server.calls()).toHaveLength(2);
  });

  it('deploy-status, deploy-logs and deploy-restart run docker compose in the current release', () => {
    const second = aegis(['deploy', ...health2]);
    expect(second.status, second.stderr).toBe(0);
    const latest = current();
    server.clearCalls();
    const status = aegis(['deploy-status']);
    expect(status.status, status.stderr).toBe(0);
    expect(status.stdout).toContain(`Current release: ${latest}`);
    expect(status.stdout).toContain(`Releases: ${first}, ${latest} (current)`);
    expect(status.stdout).toContain('shop-webserver-1   webserver   running (healthy)');
    const logs = aegis(['deploy-logs', '--service', 'webserver', '--tail', '50']);
    expect(logs.stdout).toContain('webserver-1  | INFO  startup app=shop');
    expect(aegis(['deploy-restart']).status).toBe(0);
    const dir = join(appDir, 'current');
    expect(server.calls()).toEqual([
      `${dir}$ docker compose -p shop -f docker-compose.yml ps`,
      `${dir}$ docker compose -p shop -f docker-compose.yml logs --tail 50 webserver`,
      `${dir}$ docker compose -p shop -f docker-compose.yml restart`,
    ]);
  });

  it('deploy-rollback makes the previous release current; a named one works too; old releases are pruned', () => {
    const latest = current();
    const back = aegis(['deploy-rollback', ...health2]);
    expect(back.status, back.stderr).toBe(0);
    expect(current()).toBe(first);
    expect(aegis(['deploy-rollback', latest, ...health2]).status).toBe(0);
    expect(current()).toBe(latest);
    const missing = aegis(['deploy-rollback', '19990101-000000-000']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`No release 19990101-000000-000 on the server; there are: ${first}, ${latest}`);
    for (let index = 0; index < 2; index += 1) expect(aegis(['deploy', ...health2]).status).toBe(0);
    expect(releases()).toHaveLength(3);
    expect(releases()).not.toContain(first);
  });

  it('deploy-shell opens a shell in the service container (stdin piped: no terminal)', () => {
    server.clearCalls();
    const shell = aegis(['deploy-shell', '--service', 'webserver'], { input: 'echo "inside $((40 + 2))"\nexit 0\n' });
    expect(shell.status, shell.stderr).toBe(0);
    expect(shell.stdout).toContain('inside 42');
    expect(server.calls()).toEqual([`${join(appDir, 'current')}$ docker compose -p shop -f docker-compose.yml exec -T webserver sh`]);
  });

  it('refuses a changed host key with both fingerprints, and changes nothing', async () => {
    const recorded = server.hostKeyFingerprint();
    await server.rotateHostKey();
    server.clearCalls();
    const before = treeHash(project);
    const result = aegis(['deploy-status']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('has changed, so this may not be your server: refusing to connect.');
    expect(result.stderr).toContain(`  recorded:  ${recorded}\n  presented: ${server.hostKeyFingerprint()}`);
    expect(treeHash(project)).toBe(before);
    expect(server.calls()).toEqual([]);
    const repin = aegis(['deploy-init', '--host', '127.0.0.1', '--port', String(server.port), '--user', server.user, '--key', server.key, '--path', appDir, '--health-url', `http://127.0.0.1:${healthPort}/health`, '--accept-new-host-key']);
    expect(repin.status, repin.stderr).toBe(0);
    expect(target().hostKey).toBe(server.hostKeyFingerprint());
  });

  it('wrong port, wrong key and a silent host fail clearly within a bounded time, changing nothing', async () => {
    const before = treeHash(project);
    const releasesBefore = releases();
    const closed = await freePort();
    const refused = aegis(['deploy-init', '--host', '127.0.0.1', '--port', String(closed), '--user', server.user, '--key', server.key]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`Cannot connect to 127.0.0.1:${closed}: connection refused.`);

    const otherKey = join(tempDir('key'), 'other');
    mustRun('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
    const wrongKey = aegis(['deploy-init', '--host', '127.0.0.1', '--port', String(server.port), '--user', server.user, '--key', otherKey, '--accept-new-host-key']);
    expect(wrongKey.status).toBe(1);
    expect(wrongKey.stderr).toContain(`refused the key ${otherKey}: add ${otherKey}.pub to ~${server.user}/.ssh/authorized_keys`);

    // A host that takes the TCP connection and never answers, as a black-holed server would.
    const silent: TcpServer = createTcpServer(() => undefined);
    const silentPort = await freePort();
    await new Promise<void>((resolve) => silent.listen(silentPort, '127.0.0.1', resolve));
    const started = Date.now();
    const timedOut = aegis(['deploy-init', '--host', '127.0.0.1', '--port', String(silentPort), '--user', server.user, '--key', server.key], { env: { AEGIS_SSH_TIMEOUT_MS: '2000' } });
    silent.close();
    expect(timedOut.status).toBe(1);
    expect(timedOut.stderr).toContain(`No SSH answer from 127.0.0.1:${silentPort} within 2 s`);
    expect(Date.now() - started).toBeLessThan(15_000);
    const noKey = aegis(['deploy-init', '--host', '127.0.0.1', '--key', join(root, 'missing-key')]);
    expect(noKey.stderr).toContain('does not exist: create one (ssh-keygen -t ed25519) or pass --key.');

    expect(treeHash(project)).toBe(before);
    expect(releases()).toEqual(releasesBefore);
  });
});

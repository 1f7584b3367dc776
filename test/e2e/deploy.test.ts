/**
 * aegis deploy-* against a real OpenSSH server on a loopback port (test/support/sshd.ts). The server is this very
 * machine: docker and friends are recording stand-ins on the session's PATH, and the app's /health is a small HTTP
 * server in this test whose answer the test sets. Everything else is real: key authentication, host key pinning,
 * SFTP uploads, symlinks, file modes and shell commands on the server.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { type AddressInfo, type Server as TcpServer, createServer as createTcpServer } from 'node:net';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBin, mustRun, refusingPort, run, start, tempDir, waitForHttp, waitForOutput } from '../support/processes.js';
import { treeHash } from '../support/project-runner.js';
import { runsWith } from '../support/requirements.js';
import { type TestSshServer, hasSshd, startSshServer } from '../support/sshd.js';

/**
 * `docker compose exec [-T] <service> <command…>` stands in for running the command in the service's container:
 * it runs it here, with the container's data mount (/app/data, the app-data volume) mapped to a folder of the
 * stand-ins' state ($STANDIN_STATE/app-data) and the container's `python` to this machine's python3.
 */
const COMPOSE_EXEC = `
import os, sys
args = sys.argv[1:]
i = args.index("exec") + 1
while args[i].startswith("-"):
    i += 1
command = [os.path.join(os.environ["STANDIN_STATE"], "app-data") if a == "/app/data" else a for a in args[i + 1:]]
if command[0] == "python":
    command[0] = sys.executable
os.execvp(command[0], command)
`;

/**
 * Stand-ins for what a real server would run, each recording its calls. They keep just enough state (in
 * $STANDIN_STATE) for server-setup.sh to see on a second run what the first one "installed"; the system files the
 * script reads and writes live under SETUP_ROOT, a scratch folder, never this machine's /etc.
 */
const DOCKER = `COMPOSE_EXEC='${COMPOSE_EXEC}'
case "$*" in
  "compose version")
    if [ -e "$STANDIN_STATE/docker-installed" ]; then echo "Docker Compose version v2.40.3"; exit 0; fi
    echo "docker: unknown command: docker compose" >&2; exit 1 ;;
  *" exec "*) exec python3 -c "$COMPOSE_EXEC" "$@" ;;
  *" ps"*) echo "NAME               SERVICE     STATUS"; echo "shop-webserver-1   webserver   running (healthy)" ;;
  *" logs"*) echo "webserver-1  | INFO  startup app=shop" ;;
esac
exit 0`;

/**
 * The app's /health, answering with the status code in a file the test rewrites. A process of its own: the aegis
 * runs below block this one (spawnSync), so a server in it could not answer them. It binds port 0 and prints the
 * port it got (no free port picked here and bound later, which another process could take in between).
 */
const HEALTH_SERVER = `
const { createServer } = require('node:http');
const { readFileSync } = require('node:fs');
const [file] = process.argv.slice(1);
const server = createServer((request, response) => {
  const status = request.url === '/health' ? Number(readFileSync(file, 'utf8')) : 404;
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status: status === 200 ? 'healthy' : 'unhealthy' }));
}).listen(0, '127.0.0.1', () => console.log('listening on ' + server.address().port));
`;

const STAND_INS: Record<string, string> = {
  docker: DOCKER,
  // As if sudo made the session root: the id stand-in then answers 0 for -u.
  sudo: '[ "$1" = -n ] && shift\nAEGIS_STANDIN_ROOT=1 exec "$@"',
  id: [
    'if [ "$1" = -u ] && [ -n "${AEGIS_STANDIN_ROOT:-}" ]; then echo 0; exit 0; fi',
    'if [ "$1" = -nG ] && grep -qx "$2" "$STANDIN_STATE/docker-members" 2>/dev/null; then echo "$(/usr/bin/id -nG "$2") docker"; exit 0; fi',
    'exec /usr/bin/id "$@"',
  ].join('\n'),
  'apt-get': [
    'case "$*" in',
    '  *docker-compose-plugin*) touch "$STANDIN_STATE/docker-installed"; echo "docker:x:998:" >> "$SETUP_ROOT/etc/group" ;;',
    '  "install -y ufw") ln -sf "$STANDIN_IMPL/ufw" "$STANDIN_STATE/bin/ufw" ;;',
    'esac',
  ].join('\n'),
  'impl/ufw': [
    'rules="$STANDIN_STATE/ufw-rules"; touch "$rules"',
    'case "$1" in',
    '  show) cat "$rules" ;;',
    '  allow) echo "ufw allow $2" >> "$rules" ;;',
    '  status) if [ -e "$STANDIN_STATE/ufw-active" ]; then echo "Status: active"; else echo "Status: inactive"; fi ;;',
    '  --force) touch "$STANDIN_STATE/ufw-active" ;;',
    'esac',
  ].join('\n'),
  systemctl: 'exit 0',
  usermod: 'echo "$3" >> "$STANDIN_STATE/docker-members"',
  // Docker's apt key is faked; anything else (the deploy's health checks) goes to the real curl.
  curl: 'case "$*" in *download.docker.com*) echo "-----BEGIN PGP PUBLIC KEY BLOCK-----" ;; *) exec /usr/bin/curl "$@" ;; esac',
  gpg: 'cat > /dev/null; while [ "$1" != -o ]; do shift; done; echo key > "$2"',
  dpkg: 'echo amd64',
  install: 'mkdir -p "$4"',
};

let server: TestSshServer;
let setupRoot = '';
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
/** The docker commands the server ran (the health checks' curl calls are recorded too, and left out here). */
const dockerCalls = () => server.calls().filter((call) => call.includes('$ docker '));

beforeAll(async () => {
  if (!hasSshd()) return;
  root = tempDir('deploy');
  healthFile = join(root, 'health-status');
  setHealth(200);
  health = start(process.execPath, ['-e', HEALTH_SERVER, healthFile], { cwd: root, env: process.env });
  healthPort = Number((await waitForOutput(health, /^listening on (\d+)$/m, 10_000))[1]);
  await waitForHttp(`http://127.0.0.1:${healthPort}/health`, 10_000);
  // The server's /etc for server-setup.sh: a scratch folder standing for a fresh Debian.
  setupRoot = join(root, 'server-root');
  mkdirSync(join(setupRoot, 'etc', 'apt', 'sources.list.d'), { recursive: true });
  writeFileSync(join(setupRoot, 'etc', 'os-release'), 'ID=debian\nVERSION_CODENAME=bookworm\n');
  writeFileSync(join(setupRoot, 'etc', 'group'), 'root:x:0:\n');
  mustRun('chmod', ['-R', 'a+rwX', setupRoot]);
  mustRun('chmod', ['a+rx', root]);
  server = await startSshServer({ standIns: STAND_INS, env: { SETUP_ROOT: setupRoot } });
  // A folder of this run's own in the test user's home (the app folder on the "server").
  appDir = join(server.home, 'apps', basename(root), 'shop');
  mustRun('node', [builtBin, 'init', 'shop', '--yes', '--skip-install', '--python-version', '3.11', '--components', 'ingress'], { cwd: root });
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

// Outside CI a machine without sshd (or not root) skips, saying so; CI installs it, so there a missing sshd fails.
const withSshd = runsWith(
  hasSshd(),
  'the deploy tests over SSH',
  'they need OpenSSH\'s server at /usr/sbin/sshd (apt-get install openssh-server; its service need not run) and root',
);
describe.skipIf(!withSshd)('deploy over SSH to a real sshd on loopback', () => {
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

  it('deploy-setup runs scripts/server-setup.sh through sudo; a second run installs, enables and restarts nothing', () => {
    server.clearCalls();
    const first = aegis(['deploy-setup']);
    expect(first.status, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain('[2/2] Provisioning the server');
    expect(first.stdout).toContain('[changed] Docker Engine and compose plugin installed');
    const system = (calls: string[]) =>
      calls.map((call) => call.slice(call.indexOf('$ ') + 2)).filter((call) => !/^(id|sudo) /.test(call));
    expect(server.calls()[0]).toMatch(new RegExp(`\\$ sudo -n env APP_DIR=${appDir} DEPLOY_USER=${server.user} bash /tmp/aegis-server-setup-shop\\.sh$`));
    // `curl … | gpg …` starts both ends of the pipe at once: each records its call when it starts, in either order.
    // Both must have run, with their arguments, between the commands before and after the pipeline.
    const pipeline = ['curl -fsSL https://download.docker.com/linux/debian/gpg', `gpg --batch --yes --dearmor -o ${setupRoot}/etc/apt/keyrings/docker.gpg`];
    const firstRun = system(server.calls());
    const piped = firstRun.findIndex((call) => pipeline.includes(call));
    expect(firstRun.slice(piped, piped + 2).sort()).toEqual([...pipeline].sort());
    expect(firstRun.toSpliced(piped, 2, '<curl | gpg>')).toEqual([
      'docker compose version',
      'apt-get update',
      'apt-get install -y ca-certificates curl gpg',
      `install -m 0755 -d ${setupRoot}/etc/apt/keyrings`,
      '<curl | gpg>',
      'dpkg --print-architecture',
      'apt-get update',
      'apt-get install -y docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin',
      'systemctl enable --now docker',
      'docker compose version',
      `usermod -aG docker ${server.user}`,
      'apt-get install -y ufw',
      'ufw show added',
      'ufw allow OpenSSH',
      'ufw allow 80/tcp',
      'ufw allow 443/tcp',
      'ufw status',
      'ufw --force enable',
    ]);
    expect(JSON.parse(readFileSync(join(setupRoot, 'etc', 'docker', 'daemon.json'), 'utf8'))).toEqual({
      'log-driver': 'json-file',
      'log-opts': { 'max-size': '10m', 'max-file': '3' },
    });
    for (const folder of ['releases', 'shared']) expect(statSync(join(appDir, folder)).isDirectory()).toBe(true);

    server.clearCalls();
    const second = aegis(['deploy-setup']);
    expect(second.status, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).not.toContain('[changed]');
    expect(system(server.calls())).toEqual(['docker compose version', 'ufw show added', 'ufw status']);
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
    expect(dockerCalls()).toEqual([`${join(appDir, 'current')}$ docker compose -p shop -f docker-compose.yml -f docker-compose.prod.yml up -d --build --remove-orphans`]);
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
    // With the ingress a deploy is rolling when a webserver runs; this stand-in's `ps -q` names no container
    // (deploy-rolling.test.ts has one that does), so the release starts as a whole and is rolled back as one.
    const dir = join(appDir, 'current');
    const composeIn = `${dir}$ docker compose -p shop -f docker-compose.yml -f docker-compose.prod.yml`;
    expect(dockerCalls()).toEqual([`${composeIn} ps -q webserver`, `${composeIn} up -d --build --remove-orphans`, `${composeIn} up -d --build --remove-orphans`]);
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
    expect(dockerCalls()).toEqual([
      `${dir}$ docker compose -p shop -f docker-compose.yml -f docker-compose.prod.yml ps`,
      `${dir}$ docker compose -p shop -f docker-compose.yml -f docker-compose.prod.yml logs --tail 50 webserver`,
      `${dir}$ docker compose -p shop -f docker-compose.yml -f docker-compose.prod.yml restart`,
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
    expect(dockerCalls()).toEqual([`${join(appDir, 'current')}$ docker compose -p shop -f docker-compose.yml -f docker-compose.prod.yml exec -T webserver sh`]);
  });

  describe('backups of the data volume', () => {
    // The app-data volume, as the stand-in's `docker compose exec` maps /app/data: a SQLite database and a file.
    let volume = '';
    const sql = (statement: string) =>
      mustRun('python3', ['-c', 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nrows = c.execute(sys.argv[2]).fetchall()\nc.commit()\nprint(rows)', join(volume, 'app.db'), statement]).stdout.trim();
    const note = () => readFileSync(join(volume, 'uploads', 'note.txt'), 'utf8');
    const backupsDir = () => join(appDir, 'backups');
    const backups = () => readdirSync(backupsDir()).sort();
    const volumeState = () => JSON.stringify([readdirSync(volume).sort(), note(), sql('SELECT body FROM notes ORDER BY body')]);
    let firstBackup = '';

    beforeAll(() => {
      if (!server) return;
      volume = join(server.state, 'app-data');
      mkdirSync(join(volume, 'uploads'), { recursive: true });
      sql('CREATE TABLE notes (body TEXT)');
      sql("INSERT INTO notes VALUES ('before')");
      writeFileSync(join(volume, 'uploads', 'note.txt'), 'before');
      mustRun('chmod', ['-R', 'a+rwX', volume]);
    });

    it('deploy-backup archives the volume (SQLite through the online backup API) with a manifest; deploy-backups lists it', () => {
      expect(aegis(['deploy-backups']).stdout).toContain('No backups in');
      server.clearCalls();
      const result = aegis(['deploy-backup']);
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('1 SQLite database(s) copied with the online backup API');
      expect(result.stdout).toContain('[5/5] Keeping the newest 7 backups: nothing to remove');
      [firstBackup] = backups() as [string];
      expect(firstBackup).toMatch(/^\d{8}-\d{6}-\d{3}$/);
      const manifest = JSON.parse(readFileSync(join(backupsDir(), firstBackup, 'manifest.json'), 'utf8'));
      expect(manifest).toMatchObject({ id: firstBackup, release: current(), reason: 'manual', parts: [{ file: 'data.tar.gz', kind: 'data-volume' }] });
      expect(manifest.parts[0].bytes).toBe(statSync(join(backupsDir(), firstBackup, 'data.tar.gz')).size);
      expect(dockerCalls()[0]).toContain(`${join(appDir, 'current')}$ docker compose -p shop -f docker-compose.yml -f docker-compose.prod.yml exec -T webserver python -c`);
      const list = aegis(['deploy-backups']);
      expect(list.status, list.stderr).toBe(0);
      expect(list.stdout).toMatch(new RegExp(`  ${firstBackup}  [\\d.]+ (B|KiB), \\d+ s ago, data-volume, release ${current()}`));
    });

    it('deploy-restore refuses without a terminal and without --yes, changing nothing', () => {
      writeFileSync(join(volume, 'uploads', 'note.txt'), 'after');
      const before = volumeState();
      const result = aegis(['deploy-restore', firstBackup]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('there is no terminal to confirm on: pass --yes to restore headless.');
      expect(volumeState()).toBe(before);
      expect(backups()).toEqual([firstBackup]);
    });

    it('deploy-restore --yes takes a safety backup, then brings the data of the backup back', () => {
      sql("INSERT INTO notes VALUES ('after')");
      writeFileSync(join(volume, 'extra.txt'), 'made after the backup');
      server.clearCalls();
      const result = aegis(['deploy-restore', firstBackup, '--yes']);
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('[5/7] Unpacking the data volume beside the current data');
      expect(result.stdout).toContain('[6/7] Swapping the restored data in');
      expect(note()).toBe('before');
      expect(sql('SELECT body FROM notes ORDER BY body')).toBe("[('before',)]");
      expect(readdirSync(volume).sort()).toEqual(['app.db', 'uploads']);
      const [, safety] = backups() as [string, string];
      expect(JSON.parse(readFileSync(join(backupsDir(), safety, 'manifest.json'), 'utf8')).reason).toBe(`before restoring ${firstBackup}`);
      expect(result.stdout).toContain(`the state before is in backup ${safety}.`);
      expect(dockerCalls().at(-1)).toBe(`${join(appDir, 'current')}$ docker compose -p shop -f docker-compose.yml -f docker-compose.prod.yml restart`);
    });

    it('a failing restore step is named and leaves the current data as it was', () => {
      writeFileSync(join(volume, 'uploads', 'note.txt'), 'current');
      const before = volumeState();
      // A damaged archive: unpacking it fails.
      writeFileSync(join(backupsDir(), firstBackup, 'data.tar.gz'), 'not a gzip archive');
      const result = aegis(['deploy-restore', firstBackup, '--yes']);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Step "Unpacking the data volume beside the current data" failed');
      expect(volumeState()).toBe(before);
      expect(readdirSync(volume).filter((name) => name.startsWith('.aegis-'))).toEqual([]);
      expect(aegis(['deploy-restore', '20990101-000000-000', '--yes']).stderr).toContain('No backup 20990101-000000-000 on the server; there are: ');
    });

    it('deploy-backup --keep N keeps the newest N backups; --download copies the new one here', () => {
      const before = backups();
      expect(before).toHaveLength(3);
      const downloads = join(root, 'downloads');
      const result = aegis(['deploy-backup', '--keep', '2', '--download', downloads]);
      expect(result.status, result.stdout + result.stderr).toBe(0);
      const after = backups();
      expect(after).toHaveLength(2);
      expect(after[0]).toBe(before[2]);
      expect(after[1]! > before[2]!).toBe(true);
      expect(result.stdout).toContain(`removing ${before[0]}, ${before[1]}`);
      expect(readdirSync(downloads)).toEqual([after[1]]);
      for (const file of ['data.tar.gz', 'manifest.json']) {
        expect(readFileSync(join(downloads, after[1]!, file))).toEqual(readFileSync(join(backupsDir(), after[1]!, file)));
      }
    });

    it('deploy backs up first when it runs migrations (a migrate service), unless --no-backup', () => {
      const composeFile = join(project, 'docker-compose.yml');
      const original = readFileSync(composeFile, 'utf8');
      writeFileSync(composeFile, original.replace(/^services:\n/m, 'services:\n  migrate:\n    image: shop:latest\n    command: ["shop", "db", "upgrade"]\n'));
      try {
        const before = backups();
        const deployed = aegis(['deploy', ...health2]);
        expect(deployed.status, deployed.stdout + deployed.stderr).toBe(0);
        expect(deployed.stdout).toContain('This deploy runs migrations: backing up the server\'s data first ("aegis deploy --no-backup" skips it).');
        const added = backups().filter((name) => !before.includes(name));
        expect(added).toHaveLength(1);
        expect(JSON.parse(readFileSync(join(backupsDir(), added[0]!, 'manifest.json'), 'utf8')).reason).toBe('before deploy');
        const skipped = aegis(['deploy', ...health2, '--no-backup']);
        expect(skipped.status, skipped.stdout + skipped.stderr).toBe(0);
        expect(skipped.stdout).not.toContain('backing up');
        expect(backups()).toHaveLength(before.length + 1);
      } finally {
        writeFileSync(composeFile, original);
      }
    });
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
    // A port held (bound, never listening) for the whole call, so nothing else can start listening on it meanwhile.
    const { port: closed, release } = await refusingPort();
    const refused = aegis(['deploy-init', '--host', '127.0.0.1', '--port', String(closed), '--user', server.user, '--key', server.key]);
    await release();
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`Cannot connect to 127.0.0.1:${closed}: connection refused.`);

    const otherKey = join(tempDir('key'), 'other');
    mustRun('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
    const wrongKey = aegis(['deploy-init', '--host', '127.0.0.1', '--port', String(server.port), '--user', server.user, '--key', otherKey, '--accept-new-host-key']);
    expect(wrongKey.status).toBe(1);
    expect(wrongKey.stderr).toContain(`refused the key ${otherKey}: add ${otherKey}.pub to ~${server.user}/.ssh/authorized_keys`);

    // A host that takes the TCP connection and never answers, as a black-holed server would.
    // Bound on port 0 and asked which port it got: no other process can be listening there.
    const silent: TcpServer = createTcpServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as AddressInfo).port;
    // Bounded by AEGIS_SSH_TIMEOUT_MS, not asserted on the wall clock (a loaded machine is slow, not wrong): a hang
    // would fail at the run's 120 s timeout.
    const timedOut = aegis(['deploy-init', '--host', '127.0.0.1', '--port', String(silentPort), '--user', server.user, '--key', server.key], { env: { AEGIS_SSH_TIMEOUT_MS: '2000' } });
    silent.close();
    expect(timedOut.status).toBe(1);
    expect(timedOut.stderr).toContain(`No SSH answer from 127.0.0.1:${silentPort} within 2 s`);
    const noKey = aegis(['deploy-init', '--host', '127.0.0.1', '--key', join(root, 'missing-key')]);
    expect(noKey.stderr).toContain('does not exist: create one (ssh-keygen -t ed25519) or pass --key.');

    expect(treeHash(project)).toBe(before);
    expect(releases()).toEqual(releasesBefore);
  });
});

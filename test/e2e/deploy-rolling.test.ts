/**
 * Rolling releases (`aegis deploy` and `aegis deploy-rollback`, rolling by default with the ingress) and the faults of a backup (a full disk, a
 * connection cut mid-backup), against a real OpenSSH server on a loopback port (test/support/sshd.ts), as
 * deploy.test.ts does. The server is this very machine. What stands in for what:
 * - `docker` is a recording stand-in on the SSH session's PATH that keeps the webserver containers it "runs" in a
 *   JSON file of its state: `compose up --scale webserver=N --no-recreate webserver` adds containers up to N,
 *   `compose ps -q webserver` lists the running ones, `inspect` answers each one's health (a new container's comes
 *   from a file the test writes: Docker's health check of the new webserver), `stop` and `rm` change and drop them;
 * - Traefik is not run: the health URL checked through it at the end of a release is a small HTTP server of this
 *   test (as in deploy.test.ts); that Traefik routes only to healthy containers is Traefik's documented behaviour;
 * - `docker compose exec webserver …` runs the command on this machine, the container's /app/data (the app-data
 *   volume) being a folder of the stand-in's state, so the backup's archive is written for real;
 * - the server's full disk is a real one: a 256 KiB tmpfs mounted on the app folder's backups/ (ENOSPC);
 * - the cut connection is real: a TCP relay between aegis and sshd whose sockets the test destroys.
 * Key authentication, host key pinning, the shell commands, symlinks, files and exit codes on the server are real.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, type Server as TcpServer, type Socket, connect, createServer as createTcpServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBin, mustRun, refusingPort, run, start, tempDir, waitForHttp, waitForOutput } from '../support/processes.js';
import { runsWith } from '../support/requirements.js';
import { type TestSshServer, hasSshd, startSshServer } from '../support/sshd.js';

/**
 * The `docker` stand-in (Python, run by the recording shell script; no single quotes in it). Containers live in
 * $STANDIN_STATE/containers.json as {id, status, health}. `compose exec` runs the command here as described above;
 * when $STANDIN_STATE/hang-after names a word of the command, it runs, then writes $STANDIN_STATE/hanging and waits
 * until hang-after is removed: a step still running when the connection is cut.
 */
const DOCKER_PY = `
import json, os, secrets, subprocess, sys, time
args = sys.argv[1:]
state = os.environ["STANDIN_STATE"]
db = os.path.join(state, "containers.json")
containers = json.load(open(db)) if os.path.exists(db) else []
def save():
    json.dump(containers, open(db, "w"))
def running():
    return [c for c in containers if c["status"] == "running"]
def new_container():
    path = os.path.join(state, "new-health")
    health = open(path).read().strip() if os.path.exists(path) else "healthy"
    containers.append({"id": secrets.token_hex(32), "status": "running", "health": health})
def find(ids):
    known = {c["id"]: c for c in containers}
    for i in ids:
        if i not in known:
            print("Error response from daemon: No such container: " + i, file=sys.stderr)
            sys.exit(1)
    return [known[i] for i in ids]
if args[0] == "inspect":
    for c in find(args[3:]):
        print(c["health"] if c["status"] == "running" else c["status"])
    sys.exit(0)
if args[0] == "stop":
    for c in find(args[1:]):
        c["status"] = "exited"
        print(c["id"])
    save()
    sys.exit(0)
if args[0] == "rm":
    ids = [a for a in args[1:] if a != "-f"]
    find(ids)
    containers = [c for c in containers if c["id"] not in ids]
    save()
    print("\\n".join(ids))
    sys.exit(0)
i = 1
while args[i] in ("-p", "-f"):
    i += 2
sub, rest = args[i], args[i + 1:]
if sub == "ps":
    print("\\n".join(c["id"] for c in running()))
elif sub == "up":
    scale = [a.split("=")[1] for a in rest if a.startswith("webserver=")]
    if scale:
        while len(running()) < int(scale[0]):
            new_container()
    elif not running():
        new_container()
    save()
elif sub == "exec":
    j = 0
    while rest[j].startswith("-"):
        j += 1
    command = [os.path.join(state, "app-data") if a == "/app/data" else a for a in rest[j + 1:]]
    if command[0] == "python":
        command[0] = sys.executable
    hang = os.path.join(state, "hang-after")
    word = open(hang).read().strip() if os.path.exists(hang) else None
    if not word or word not in " ".join(command):
        os.execvp(command[0], command)
    code = subprocess.run(command).returncode
    open(os.path.join(state, "hanging"), "w").close()
    while os.path.exists(hang):
        time.sleep(0.05)
    sys.exit(code)
`;

/** The health URL's server (Traefik's route to the app), answering with the status in a file the test rewrites. */
const HEALTH_SERVER = `
const { readFileSync } = require('node:fs');
const server = require('node:http').createServer((request, response) => response.writeHead(request.url === '/health' ? Number(readFileSync(process.argv[1], 'utf8')) : 404).end('{}'))
  .listen(0, '127.0.0.1', () => console.log('listening on ' + server.address().port));
`;

let server: TestSshServer;
let health: ReturnType<typeof start>;
let healthFile = '';
let root = '';
let project = '';
let appDir = '';

const aegis = (args: string[], options: { env?: NodeJS.ProcessEnv } = {}) =>
  run('node', [builtBin, ...args, '--project-path', project], { cwd: root, env: { ...process.env, NO_COLOR: '1', ...options.env }, input: '', timeout: 120_000 });
const quick = ['--health-retries', '3', '--health-interval', '0', '--no-backup'];
const COMPOSE = 'docker compose -p shop -f docker-compose.yml -f docker-compose.prod.yml';
/** The docker commands the server ran, in order, without the working folder. */
const dockerCalls = () => server.calls().filter((call) => call.includes('$ docker ')).map((call) => call.slice(call.indexOf('$ docker ') + 2));
interface Container { readonly id: string; readonly status: string; readonly health: string }
const containers = () => JSON.parse(readFileSync(join(server.state, 'containers.json'), 'utf8')) as Container[];
const setNewHealth = (status: string) => writeFileSync(join(server.state, 'new-health'), status);
const current = () => readlinkSync(join(appDir, 'current')).replace('releases/', '');
const releases = () => readdirSync(join(appDir, 'releases')).sort();
const history = () => readFileSync(join(appDir, 'history.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
const deployFile = () => join(project, '.aegis', 'deploy.json');

beforeAll(async () => {
  if (!hasSshd()) return;
  root = tempDir('deploy-rolling');
  healthFile = join(root, 'health-status');
  writeFileSync(healthFile, '200');
  health = start(process.execPath, ['-e', HEALTH_SERVER, healthFile], { cwd: root, env: process.env });
  const healthPort = Number((await waitForOutput(health, /^listening on (\d+)$/m, 10_000))[1]);
  await waitForHttp(`http://127.0.0.1:${healthPort}/health`, 10_000);
  mustRun('chmod', ['a+rx', root]);
  server = await startSshServer({ standIns: { docker: `DOCKER_PY='${DOCKER_PY}'\nexec python3 -c "$DOCKER_PY" "$@"` } });
  mkdirSync(join(server.state, 'app-data'), { recursive: true });
  mustRun('chmod', ['a+rwX', join(server.state, 'app-data')]);
  appDir = join(server.home, 'apps', basename(root), 'shop');
  mustRun('node', [builtBin, 'init', 'shop', '--yes', '--skip-install', '--python-version', '3.11', '--components', 'ingress'], { cwd: root });
  project = join(root, 'shop');
  const init = aegis([
    'deploy-init', '--host', '127.0.0.1', '--port', String(server.port), '--user', server.user, '--key', server.key,
    '--path', appDir, '--health-url', `http://127.0.0.1:${healthPort}/health`, '--accept-new-host-key',
  ]);
  if (init.status !== 0) throw new Error(init.stdout + init.stderr);
}, 120_000);

afterAll(async () => {
  if (appDir) {
    run('umount', [join(appDir, 'backups')]);
    rmSync(join(appDir, '..'), { recursive: true, force: true });
  }
  await server?.stop();
  await health?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

// Outside CI a machine without sshd (or not root) skips, saying so; CI installs it, so there a missing sshd fails.
const withSshd = runsWith(hasSshd(), 'the rolling release tests over SSH', "they need OpenSSH's server at /usr/sbin/sshd (apt-get install openssh-server; its service need not run) and root");
describe.skipIf(!withSshd)('rolling releases and backup faults over SSH to a real sshd on loopback', () => {
  let first = '';
  it('the first release starts the whole stack: no webserver runs yet, so there is nothing to keep serving', () => {
    const result = aegis(['deploy', ...quick]);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('No webserver is running: nothing to keep serving');
    expect(result.stdout).toContain('[7/7] Waiting for');
    expect(dockerCalls()).toEqual([`${COMPOSE} up -d --build --remove-orphans`]);
    expect(containers().map((c) => c.status)).toEqual(['running']);
    first = current();
  });

  it('a rolling release starts the new webserver beside the old one and stops the old only once the new is healthy', () => {
    const [old] = containers();
    server.clearCalls();
    const result = aegis(['deploy', ...quick]);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`Rolling release: the new webserver starts beside the running one (${old!.id.slice(0, 12)})`);
    expect(result.stdout).toContain('[8/11] Waiting for the new webserver to be healthy');
    expect(result.stdout).toContain('healthy after 1 checks');
    const fresh = containers().find((c) => c.id !== old!.id)!;
    // In this order: the old one is found, the new one started beside it and seen healthy, then the old one stopped.
    expect(dockerCalls()).toEqual([
      `${COMPOSE} ps -q webserver`,
      `${COMPOSE} build`,
      `${COMPOSE} up -d --no-build --no-deps --no-recreate --scale webserver=2 webserver`,
      `${COMPOSE} ps -q webserver`,
      `docker inspect --format {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}} ${fresh.id}`,
      `docker stop ${old!.id}`,
      `docker rm ${old!.id}`,
      `${COMPOSE} up -d --no-build --remove-orphans`,
    ]);
    expect(containers()).toEqual([{ id: fresh.id, status: 'running', health: 'healthy' }]);
    expect(releases()).toEqual([first, current()].sort());
    expect(history().at(-1)).toMatchObject({ action: 'deploy', release: current(), outcome: 'live' });
  });

  it('a failed health gate removes the new webserver and never stops the old; the failure is recorded naming the step', () => {
    const [old] = containers();
    const before = current();
    const releasesBefore = releases();
    setNewHealth('unhealthy');
    server.clearCalls();
    const result = aegis(['deploy', ...quick]);
    setNewHealth('healthy');
    expect(result.status).toBe(1);
    const id = /Preparing release (\d{8}-\d{6}-\d{3})/.exec(result.stdout)![1]!;
    expect(result.stdout).toContain('the new webserver is unhealthy');
    expect(result.stderr).toContain('Step "Waiting for the new webserver to be healthy (its Docker health check)" failed');
    expect(result.stderr).toContain(`The old webserver kept serving and still does; the new one was removed and ${before} is current again.`);
    const calls = dockerCalls();
    const fresh = calls.find((call) => call.startsWith('docker inspect'))!.split(' ').at(-1)!;
    expect(fresh).not.toBe(old!.id);
    expect(calls.some((call) => call.startsWith('docker stop'))).toBe(false);
    expect(calls.at(-1)).toBe(`docker rm -f ${fresh}`);
    expect(containers()).toEqual([old]);
    expect(current()).toBe(before);
    expect(releases()).toEqual(releasesBefore);
    expect(history().at(-1)).toMatchObject({ release: id, outcome: 'failed', detail: expect.stringContaining('Step "Waiting for the new webserver to be healthy') });
  });

  it('a new webserver still starting after the retries counts as failed too; --no-rolling restarts everything', () => {
    const [old] = containers();
    setNewHealth('starting');
    const slow = aegis(['deploy', ...quick]);
    setNewHealth('healthy');
    expect(slow.status).toBe(1);
    expect(slow.stdout).toContain('the new webserver is still starting after 3 checks');
    expect(containers()).toEqual([old]);

    server.clearCalls();
    const plain = aegis(['deploy', ...quick, '--no-rolling']);
    expect(plain.status, plain.stdout + plain.stderr).toBe(0);
    expect(plain.stdout).not.toContain('Rolling release');
    expect(dockerCalls()).toEqual([`${COMPOSE} up -d --build --remove-orphans`]);
  });

  it('with a migrate service, the migrations run on the new release before its webserver starts beside the old', () => {
    const composeFile = join(project, 'docker-compose.yml');
    const original = readFileSync(composeFile, 'utf8');
    writeFileSync(composeFile, original.replace(/^services:\n/m, 'services:\n  migrate:\n    image: shop:latest\n    command: ["shop", "db", "upgrade"]\n'));
    server.clearCalls();
    try {
      const result = aegis(['deploy', ...quick]);
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('[7/12] Running the migrations: docker compose run --rm migrate');
      expect(dockerCalls().slice(1, 4)).toEqual([`${COMPOSE} build`, `${COMPOSE} run --rm migrate`, `${COMPOSE} up -d --no-build --no-deps --no-recreate --scale webserver=2 webserver`]);
    } finally {
      writeFileSync(composeFile, original);
    }
  });

  it('deploy-rollback rolls as a deploy does: the earlier release starts beside the current one, which stops once it is healthy', () => {
    const [old] = containers();
    const before = current();
    const releasesBefore = releases();
    const wanted = releasesBefore[releasesBefore.indexOf(before) - 1]!;
    server.clearCalls();
    const result = aegis(['deploy-rollback', '--health-retries', '3', '--health-interval', '0']);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`Rolling rollback: the webserver of ${wanted} starts beside the running one (${old!.id.slice(0, 12)})`);
    expect(result.stdout).toContain('[4/7] Waiting for the new webserver to be healthy');
    const fresh = containers().find((c) => c.id !== old!.id)!;
    expect(dockerCalls()).toEqual([
      `${COMPOSE} ps -q webserver`,
      `${COMPOSE} build`,
      `${COMPOSE} up -d --no-build --no-deps --no-recreate --scale webserver=2 webserver`,
      `${COMPOSE} ps -q webserver`,
      `docker inspect --format {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}} ${fresh.id}`,
      `docker stop ${old!.id}`,
      `docker rm ${old!.id}`,
      `${COMPOSE} up -d --no-build --remove-orphans`,
    ]);
    expect(containers()).toEqual([{ id: fresh.id, status: 'running', health: 'healthy' }]);
    expect(current()).toBe(wanted);
    expect(releases()).toEqual(releasesBefore);
    expect(history().at(-1)).toMatchObject({ action: 'rollback', release: wanted, outcome: 'live' });
  });

  it('a rollback whose webserver fails its health gate leaves the current one serving and current, keeps both releases and records the step', () => {
    const [old] = containers();
    const before = current();
    const releasesBefore = releases();
    const wanted = releasesBefore[releasesBefore.indexOf(before) - 1]!;
    setNewHealth('unhealthy');
    server.clearCalls();
    const result = aegis(['deploy-rollback', '--health-retries', '3', '--health-interval', '0']);
    setNewHealth('healthy');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('the new webserver is unhealthy');
    expect(result.stderr).toContain('Step "Waiting for the new webserver to be healthy (its Docker health check)" failed');
    expect(result.stderr).toContain(`The old webserver kept serving and still does; the new one was removed and ${before} is current again.`);
    const calls = dockerCalls();
    const fresh = calls.find((call) => call.startsWith('docker inspect'))!.split(' ').at(-1)!;
    expect(fresh).not.toBe(old!.id);
    expect(calls.some((call) => call.startsWith('docker stop'))).toBe(false);
    expect(calls.at(-1)).toBe(`docker rm -f ${fresh}`);
    expect(containers()).toEqual([old]);
    expect(current()).toBe(before);
    expect(releases()).toEqual(releasesBefore);
    expect(history().at(-1)).toMatchObject({ action: 'rollback', release: wanted, outcome: 'failed', detail: expect.stringContaining('Step "Waiting for the new webserver to be healthy') });
  });

  it('--rolling without the ingress refuses before connecting, naming the fix', () => {
    mustRun('node', [builtBin, 'init', 'plain', '--yes', '--skip-install', '--python-version', '3.11'], { cwd: root });
    const result = run('node', [builtBin, 'deploy', '--rolling', '--project-path', join(root, 'plain')], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, input: '' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--rolling needs the ingress component');
    expect(result.stderr).toContain('Run "aegis add ingress", or deploy without --rolling.');
  });

  it('an unreachable server: the deploy fails naming it, records nothing and changes nothing', async () => {
    const recorded = readFileSync(deployFile(), 'utf8');
    const before = [releases(), readFileSync(join(appDir, 'history.jsonl'), 'utf8'), JSON.stringify(containers())];
    const { port, release } = await refusingPort();
    writeFileSync(deployFile(), recorded.replace(`"port": ${server.port}`, `"port": ${port}`));
    server.clearCalls();
    try {
      const result = aegis(['deploy', ...quick]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`Cannot connect to 127.0.0.1:${port}: connection refused.`);
    } finally {
      await release();
      writeFileSync(deployFile(), recorded);
    }
    expect(server.calls()).toEqual([]);
    expect([releases(), readFileSync(join(appDir, 'history.jsonl'), 'utf8'), JSON.stringify(containers())]).toEqual(before);
  });

  describe('backup faults', () => {
    const backupsDir = () => join(appDir, 'backups');

    beforeAll(() => {
      if (!server) return;
      // More than the full disk below holds, and incompressible: 1 MiB of random bytes in the app-data volume.
      writeFileSync(join(server.state, 'app-data', 'upload.bin'), randomBytes(1024 * 1024));
      mustRun('chmod', ['a+r', join(server.state, 'app-data', 'upload.bin')]);
    });

    it('a full disk on the server: the backup fails naming the step, and no half backup is left or listed', () => {
      mkdirSync(backupsDir(), { recursive: true });
      mustRun('chmod', ['a+rwx', backupsDir()]);
      mustRun('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0777', 'tmpfs', backupsDir()]);
      try {
        const result = aegis(['deploy-backup']);
        expect(result.status).toBe(1);
        expect(result.stdout).toMatch(/No space left on device/i);
        expect(result.stderr).toContain('Step "Archiving the data volume (SQLite databases through the online backup API)" failed');
        expect(readdirSync(backupsDir())).toEqual([]);
        const list = aegis(['deploy-backups']);
        expect(list.status, list.stderr).toBe(0);
        expect(list.stdout).toContain('No backups in');
      } finally {
        mustRun('umount', [backupsDir()]);
      }
    });

    it('an interrupted backup (the connection cut mid-step) names the step; its .partial folder is never listed', async () => {
      // A TCP relay between aegis and sshd, cut while the archive step runs: a dropped network.
      const sockets: Socket[] = [];
      const relay: TcpServer = createTcpServer((client) => {
        const upstream = connect(server.port, '127.0.0.1');
        for (const socket of [client, upstream]) {
          socket.on('error', () => undefined);
          sockets.push(socket);
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
      const recorded = readFileSync(deployFile(), 'utf8');
      writeFileSync(deployFile(), recorded.replace(`"port": ${server.port}`, `"port": ${(relay.address() as AddressInfo).port}`));
      const hang = join(server.state, 'hang-after');
      const hanging = join(server.state, 'hanging');
      rmSync(hanging, { force: true });
      writeFileSync(hang, 'tarfile');
      try {
        const backup = start('node', [builtBin, 'deploy-backup', '--project-path', project], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
        for (let tries = 0; !existsSync(hanging) && tries < 400; tries += 1) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(existsSync(hanging)).toBe(true);
        for (const socket of sockets) socket.destroy();
        expect(await backup.exited).toBe(1);
        expect(backup.output()).toContain('Step "Archiving the data volume (SQLite databases through the online backup API)" failed: the SSH connection');
        expect(backup.output()).toContain('Its outcome on the server is unknown.');
      } finally {
        rmSync(hang, { force: true });
        relay.close();
        writeFileSync(deployFile(), recorded);
      }
      // What the cut left: the backup's folder under its .partial name, with the archive half or wholly written.
      const left = readdirSync(backupsDir());
      expect(left).toEqual([expect.stringMatching(/^\d{8}-\d{6}-\d{3}\.partial$/)]);
      expect(existsSync(join(backupsDir(), left[0]!, 'manifest.json'))).toBe(false);
      const list = aegis(['deploy-backups']);
      expect(list.status, list.stderr).toBe(0);
      expect(list.stdout).toContain('No backups in');
      expect(aegis(['deploy-restore', left[0]!.replace('.partial', ''), '--yes']).stderr).toContain('No backup');
      // The next backup completes and is the only one listed.
      const next = aegis(['deploy-backup']);
      expect(next.status, next.stdout + next.stderr).toBe(0);
      const listed = aegis(['deploy-backups']).stdout.split('\n').filter((line) => /^ {2}\d{8}-/.test(line));
      expect(listed).toHaveLength(1);
    });
  });
});

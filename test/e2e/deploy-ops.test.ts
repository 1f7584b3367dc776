/**
 * aegis deploy-exec, deploy-stop, deploy-history, deploy-restore --drill, the interrupted restore and
 * deploy-cd-setup, against a real OpenSSH server on a loopback port (test/support/sshd.ts), as deploy.test.ts does.
 * The server is this very machine: `docker` is a recording stand-in on the session's PATH, and the app's /health is
 * a small HTTP server of this test. Key authentication, host key pinning, the shell commands, files and exit codes
 * on the server are real, and so is PostgreSQL (below).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, type Server as TcpServer, type Socket, connect, createServer as createTcpServer } from 'node:net';
import { basename, join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBin, mustRun, refusingPort, run, start, tempDir, waitForHttp, waitForOutput } from '../support/processes.js';
import { runsWith } from '../support/requirements.js';
import { type TestSshServer, hasSshd, startSshServer } from '../support/sshd.js';
import { workflowProblems } from '../support/workflow-schemas.js';

/** This helper's PostgreSQL database on the machine's server (127.0.0.1:5432, trust): stands in for the postgres container's. */
const PG_DB = `aegis_ops_${process.pid}`;

/**
 * `docker compose exec|run [--rm] [-T] <service> <command…>` stands in for the command in the service's container:
 * it runs here. In `webserver` (and any app service) the container's data mount (/app/data, the app-data volume) is
 * a folder of the stand-ins' state ($STANDIN_STATE/app-data) and `python` this machine's python3. In `postgres` the
 * container's environment is this machine's PostgreSQL: POSTGRES_USER=postgres, POSTGRES_DB=$STANDIN_PGDB and
 * PGHOST=127.0.0.1, so pg_dump, pg_restore, psql, createdb and dropdb are the real ones against a real server.
 * When $STANDIN_STATE/hang-after names a word of the command, the command runs and then waits until the file is
 * removed: a step still running when the user interrupts aegis.
 */
const COMPOSE_EXEC = `
import os, subprocess, sys, time
args = sys.argv[1:]
i = next(n for n, a in enumerate(args) if a in ("exec", "run")) + 1
while args[i].startswith("-"):
    i += 1
service, command = args[i], args[i + 1:]
state = os.environ["STANDIN_STATE"]
env = dict(os.environ)
if service == "postgres":
    env.update(POSTGRES_USER="postgres", POSTGRES_DB=os.environ["STANDIN_PGDB"], PGHOST="127.0.0.1")
else:
    command = [os.path.join(state, "app-data") if a == "/app/data" else a for a in command]
    if command[0] == "python":
        command[0] = sys.executable
hang = os.path.join(state, "hang-after")
word = open(hang).read().strip() if os.path.exists(hang) else None
if not word or word not in " ".join(command):
    os.execvpe(command[0], command, env)
code = subprocess.run(command, env=env).returncode
while os.path.exists(hang):
    time.sleep(0.05)
sys.exit(code)
`;

/** `docker`: compose exec/run as above; `stop` fails when $STANDIN_STATE/stop-fails exists; the rest succeed. */
const DOCKER = `COMPOSE_EXEC='${COMPOSE_EXEC}'
case " $* " in
  *" exec "*|*" run "*) exec python3 -c "$COMPOSE_EXEC" "$@" ;;
  *" stop "*) if [ -e "$STANDIN_STATE/stop-fails" ]; then echo "Error response from daemon: cannot stop container" >&2; exit 1; fi ;;
esac
exit 0`;

/** The app's /health, answering with the status in a file the test rewrites (a process of its own: the aegis runs below block this one). */
const HEALTH_SERVER = `
const { readFileSync } = require('node:fs');
const server = require('node:http').createServer((request, response) => response.writeHead(request.url === '/health' ? Number(readFileSync(process.argv[1], 'utf8')) : 404).end('{}'))
  .listen(0, '127.0.0.1', () => console.log('listening on ' + server.address().port));
`;

let server: TestSshServer;
let health: ReturnType<typeof start>;
let healthPort = 0;
let healthFile = '';
const setHealth = (status: number) => writeFileSync(healthFile, String(status));
let root = '';
/** Folders of this run outside root, removed at the end. */
const scratch: string[] = [];
const scratchDir = (prefix: string) => {
  const dir = tempDir(prefix);
  scratch.push(dir);
  return dir;
};
let project = '';
let appDir = '';

const psql = (sql: string, database = PG_DB) => mustRun('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-Atc', sql]).stdout.trim();
const databases = () => psql("SELECT datname FROM pg_database WHERE datname LIKE 'aegis_ops_%' ORDER BY 1", 'postgres').split('\n').filter(Boolean);

/** aegis with the project; `before` go before `--project-path`, `after` (a command after `--`) after it. */
const aegis = (args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; after?: string[] } = {}) =>
  run('node', [builtBin, ...args, '--project-path', project, ...(options.after ?? [])], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    input: options.input ?? '',
    timeout: 120_000,
  });
const dockerCalls = () => server.calls().filter((call) => call.includes('$ docker ')).map((call) => call.slice(call.indexOf('$ docker ') + 2));
const COMPOSE = 'docker compose -p shop -f docker-compose.yml';
const deployFile = () => join(project, '.aegis', 'deploy.json');

beforeAll(async () => {
  if (!hasSshd()) return;
  root = tempDir('deploy-ops');
  healthFile = join(root, 'health-status');
  setHealth(200);
  health = start(process.execPath, ['-e', HEALTH_SERVER, healthFile], { cwd: root, env: process.env });
  healthPort = Number((await waitForOutput(health, /^listening on (\d+)$/m, 10_000))[1]);
  await waitForHttp(`http://127.0.0.1:${healthPort}/health`, 10_000);
  mustRun('chmod', ['a+rx', root]);
  mustRun('createdb', ['-h', '127.0.0.1', '-U', 'postgres', PG_DB]);
  server = await startSshServer({ standIns: { docker: DOCKER }, env: { STANDIN_PGDB: PG_DB } });
  // The app-data volume, as the stand-in's `docker compose exec` maps /app/data.
  mkdirSync(join(server.state, 'app-data'), { recursive: true });
  mustRun('chmod', ['a+rwX', join(server.state, 'app-data')]);
  appDir = join(server.home, 'apps', basename(root), 'shop');
  mustRun('node', [builtBin, 'init', 'shop', '--yes', '--skip-install', '--python-version', '3.11', '--components', 'database[engine=postgres]'], { cwd: root });
  project = join(root, 'shop');
  mustRun('git', ['config', 'user.name', 'Ada Lovelace'], { cwd: project });
  mustRun('git', ['config', 'user.email', 'ada@example.com'], { cwd: project });
  const init = aegis([
    'deploy-init', '--host', '127.0.0.1', '--port', String(server.port), '--user', server.user, '--key', server.key,
    '--path', appDir, '--health-url', `http://127.0.0.1:${healthPort}/health`, '--accept-new-host-key',
  ]);
  if (init.status !== 0) throw new Error(init.stdout + init.stderr);
}, 120_000);

afterAll(async () => {
  if (appDir) rmSync(join(appDir, '..'), { recursive: true, force: true });
  await server?.stop();
  await health?.stop();
  if (root) for (const database of databases()) run('dropdb', ['-h', '127.0.0.1', '-U', 'postgres', '--if-exists', database]);
  for (const dir of [root, ...scratch]) if (dir) rmSync(dir, { recursive: true, force: true });
});

// Outside CI a machine without sshd (or not root) skips, saying so; CI installs it, so there a missing sshd fails.
const withSshd = runsWith(hasSshd(), 'the deploy operations tests over SSH', "they need OpenSSH's server at /usr/sbin/sshd (apt-get install openssh-server; its service need not run) and root");
describe.skipIf(!withSshd)('deploy operations over SSH to a real sshd on loopback', () => {
  it('deploy-exec and deploy-stop refuse before anything is deployed, naming the fix', () => {
    const exec = aegis(['deploy-exec', 'webserver'], { after: ['--', 'true'] });
    expect(exec.status).toBe(1);
    expect(exec.stderr).toContain('Nothing is deployed on 127.0.0.1 yet, so there is nothing to run a command in: run "aegis deploy" first.');
    expect(aegis(['deploy-stop']).stderr).toContain('nothing to stop');
    const history = aegis(['deploy-history']);
    expect(history.status, history.stderr).toBe(0);
    expect(history.stdout).toContain('No deploys recorded in');
    expect(dockerCalls()).toEqual([]);
  });

  it('deploy ships a release to run commands in', () => {
    const deployed = aegis(['deploy', '--health-retries', '2', '--health-interval', '0']);
    expect(deployed.status, deployed.stdout + deployed.stderr).toBe(0);
  });

  describe('deploy-exec', () => {
    it('runs a one-off command in the service container: arguments kept word for word, output streamed, exit code passed through', () => {
      server.clearCalls();
      const ok = aegis(['deploy-exec', 'webserver'], { after: ['--', 'python', '-c', 'import sys; print(sys.argv[1:])', 'two words', "it's", '$HOME'] });
      expect(ok.status, ok.stderr).toBe(0);
      expect(ok.stdout).toBe("['two words', \"it's\", '$HOME']\n");
      expect(dockerCalls()).toEqual([`${COMPOSE} exec -T webserver python -c import sys; print(sys.argv[1:]) two words it's $HOME`]);

      const failing = aegis(['deploy-exec', 'webserver'], { after: ['--', 'sh', '-c', 'echo out; echo err >&2; exit 3'] });
      expect(failing.status).toBe(3);
      expect(failing.stdout).toBe('out\n');
      expect(failing.stderr).toContain('err\n');
      expect(failing.stderr).toContain('`sh -c echo out; echo err >&2; exit 3` exited with code 3 in webserver on 127.0.0.1');
    });

    it('passes stdin through; --run starts a new one-off container (a service that is not running, such as migrate)', () => {
      const piped = aegis(['deploy-exec', 'webserver'], { after: ['--', 'python', '-'], input: 'print(6 * 7)\n' });
      expect(piped.status, piped.stderr).toBe(0);
      expect(piped.stdout).toBe('42\n');
      server.clearCalls();
      const once = aegis(['deploy-exec', 'migrate', '--run'], { after: ['--', 'shop', '--version'] });
      expect(dockerCalls()).toEqual([`${COMPOSE} run --rm -T migrate shop --version`]);
      // No `shop` command on this machine: the exit code of the missing command comes back.
      expect(once.status).not.toBe(0);
    });

    it('a connection lost under the command is reported as such (outcome unknown), exit 1', async () => {
      // A TCP relay between aegis and sshd, cut while the command runs: a dropped network.
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
      const running = join(server.state, 'running');
      rmSync(running, { force: true });
      try {
        const script = `touch ${running}; while [ -e ${running} ]; do sleep 0.1; done`;
        const exec = start('node', [builtBin, 'deploy-exec', 'webserver', '--project-path', project, '--', 'sh', '-c', script], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
        for (let tries = 0; !existsSync(running) && tries < 400; tries += 1) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(existsSync(running)).toBe(true);
        for (const socket of sockets) socket.destroy();
        expect(await exec.exited).toBe(1);
        expect(exec.output()).toContain('The SSH connection closed before the command finished: its outcome on the server is unknown');
      } finally {
        rmSync(running, { force: true });
        relay.close();
        writeFileSync(deployFile(), recorded);
      }
    });

    it('refuses a missing command or a bad service name before connecting', () => {
      server.clearCalls();
      const none = aegis(['deploy-exec', 'webserver']);
      expect(none.status).toBe(1);
      expect(none.stderr).toContain('deploy-exec needs a command after the service and "--": aegis deploy-exec webserver -- <command> [args…]');
      const bad = aegis(['deploy-exec', 'web server'], { after: ['--', 'true'] });
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain('"web server" is not a compose service name');
      expect(server.calls()).toEqual([]);
    });
  });

  describe('deploy-stop', () => {
    it('runs docker compose stop in the current release (one service with --service)', () => {
      server.clearCalls();
      const all = aegis(['deploy-stop']);
      expect(all.status, all.stderr).toBe(0);
      expect(all.stdout).toContain('[1/1] Stopping the app: docker compose stop');
      expect(all.stdout).toContain('"aegis deploy-restart" starts them again.');
      expect(aegis(['deploy-stop', '--service', 'webserver']).status).toBe(0);
      expect(dockerCalls()).toEqual([`${COMPOSE} stop`, `${COMPOSE} stop webserver`]);
    });

    it('a failing stop names the step and exits 1', () => {
      writeFileSync(join(server.state, 'stop-fails'), '');
      try {
        const result = aegis(['deploy-stop']);
        expect(result.status).toBe(1);
        expect(result.stdout).toContain('cannot stop container');
        expect(result.stderr).toContain('Step "Stopping the app: docker compose stop" failed');
      } finally {
        rmSync(join(server.state, 'stop-fails'));
      }
    });
  });

  describe('deploy-history', () => {
    const head = () => mustRun('git', ['rev-parse', 'HEAD'], { cwd: project }).stdout.trim();
    const historyFile = () => join(appDir, 'history.jsonl');
    const entries = () => readFileSync(historyFile(), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const release = (result: { stdout: string }) => /Preparing release (\d{8}-\d{6}-\d{3})/.exec(result.stdout)![1]!;
    const quick = ['--health-retries', '1', '--health-interval', '0', '--no-backup'];

    it('lists each deploy, newest first: time, release, commit, who, outcome; failures and rollbacks too', () => {
      const [first] = entries();
      expect(first).toMatchObject({ action: 'deploy', commit: head(), deployer: 'Ada Lovelace <ada@example.com>', outcome: 'live' });
      expect(first).not.toHaveProperty('uncommitted');

      setHealth(500);
      const failed = aegis(['deploy', ...quick]);
      setHealth(200);
      expect(failed.status).toBe(1);
      const unhealthy = release(failed);

      writeFileSync(join(project, 'CHANGES.txt'), 'not committed yet\n');
      const fromCi = aegis(['deploy', ...quick], { env: { GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'octocat', GITHUB_RUN_ID: '42' } });
      rmSync(join(project, 'CHANGES.txt'));
      expect(fromCi.status, fromCi.stderr).toBe(0);
      const second = release(fromCi);
      const back = aegis(['deploy-rollback', '--health-retries', '1', '--health-interval', '0']);
      expect(back.status, back.stderr).toBe(0);

      const result = aegis(['deploy-history']);
      expect(result.status, result.stderr).toBe(0);
      const lines = result.stdout.trim().split('\n');
      expect(lines[0]).toBe(`Releases on 127.0.0.1 (${historyFile()}), newest first:`);
      const commit = head().slice(0, 12);
      const at = String.raw`  \d{4}-\d\d-\d\d \d\d:\d\d UTC  `;
      expect(lines.slice(1)).toEqual([
        expect.stringMatching(new RegExp(`^${at}rollback  ${first!.release}  ${commit} +Ada Lovelace <ada@example.com>  live \\(current\\) \\(\\d+ s\\)$`)),
        expect.stringMatching(new RegExp(`^${at}deploy    ${second}  ${commit}\\+changes +octocat \\(GitHub Actions run 42\\)  live \\(\\d+ s\\)$`)),
        expect.stringMatching(new RegExp(`^${at}deploy    ${unhealthy}  ${commit} +Ada Lovelace <ada@example.com>  rolled back: Release ${unhealthy} failed its health check`)),
        expect.stringMatching(new RegExp(`^${at}deploy    ${first!.release}  ${commit} +Ada Lovelace <ada@example.com>  live \\(\\d+ s\\)$`)),
      ]);
      expect(entries().map((entry) => entry.outcome)).toEqual(['live', 'rolled back', 'live', 'live']);
      expect(entries()[2]).toMatchObject({ uncommitted: true });
    });

    it('--limit shows the newest N; a torn line (a write cut short) is skipped, the rest still read', () => {
      writeFileSync(historyFile(), `${readFileSync(historyFile(), 'utf8')}{"release": "2026`);
      const result = aegis(['deploy-history', '--limit', '2']);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout.trim().split('\n')).toHaveLength(3);
      expect(result.stdout).toContain('rollback');
      expect(aegis(['deploy-history', '--limit', '0']).stderr).toContain('--limit 0: give a whole number of at least 1.');
      // The next deploy's entry goes on a line of its own after the torn one.
      expect(aegis(['deploy', ...quick]).status).toBe(0);
      const lines = readFileSync(historyFile(), 'utf8').trim().split('\n');
      expect(lines.at(-2)).toBe('{"release": "2026');
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({ action: 'deploy', outcome: 'live' });
    });
  });

  describe('backups, drills and restores, with PostgreSQL for real', () => {
    // The app-data volume (as the stand-in maps /app/data) holds a SQLite database and a file; PostgreSQL is the
    // machine's, in this test's own database (PG_DB).
    let volume = '';
    const sqlite = (statement: string) =>
      mustRun('python3', ['-c', 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nrows = c.execute(sys.argv[2]).fetchall()\nc.commit()\nprint(rows)', join(volume, 'app.db'), statement]).stdout.trim();
    const live = () => JSON.stringify([readdirSync(volume).sort(), sqlite('SELECT body FROM notes ORDER BY body'), psql('SELECT item FROM orders ORDER BY id')]);
    const backupsDir = () => join(appDir, 'backups');
    const backups = () => readdirSync(backupsDir()).sort();
    const manifest = (id: string) => JSON.parse(readFileSync(join(backupsDir(), id, 'manifest.json'), 'utf8')) as { id: string; parts: { file: string; kind: string; bytes: number }[] };
    /** A copy of a backup under another id, its manifest rewritten; `change` alters the copy first. */
    const copyBackup = (from: string, id: string, change: (dir: string) => void = () => undefined) => {
      const dir = join(backupsDir(), id);
      mustRun('cp', ['-a', join(backupsDir(), from), dir]);
      change(dir);
      const copy = manifest(from);
      const parts = copy.parts.map((part) => ({ ...part, bytes: Number(mustRun('stat', ['-c', '%s', join(dir, part.file)]).stdout.trim()) }));
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...copy, id, parts }));
      mustRun('chmod', ['-R', 'a+rwX', dir]);
    };
    const scratchLeft = () => readdirSync('/tmp').filter((name) => name.startsWith('aegis-drill-'));
    let taken = '';

    beforeAll(() => {
      if (!server) return;
      volume = join(server.state, 'app-data');
      sqlite('CREATE TABLE notes (body TEXT)');
      sqlite("INSERT INTO notes VALUES ('before')");
      mustRun('chmod', ['-R', 'a+rwX', volume]);
      psql("CREATE TABLE orders (id int PRIMARY KEY, item text); INSERT INTO orders VALUES (1, 'tea'), (2, 'cake'), (3, 'jam')");
    });

    it('deploy-backup dumps PostgreSQL with the real pg_dump (custom format) beside the data volume', () => {
      const result = aegis(['deploy-backup']);
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('Dumping PostgreSQL (pg_dump -Fc)');
      [taken] = backups().filter((name) => manifest(name).parts.length === 2).slice(-1) as [string];
      expect(manifest(taken).parts.map((part) => part.kind)).toEqual(['data-volume', 'postgres-dump']);
      expect(readFileSync(join(backupsDir(), taken, 'postgres.dump')).subarray(0, 5).toString()).toBe('PGDMP');
    });

    it('deploy-restore --drill restores into scratch copies, checks them, and changes nothing live', () => {
      // The scratch database an interrupted drill left behind: dropped first.
      mustRun('createdb', ['-h', '127.0.0.1', '-U', 'postgres', `${PG_DB}_aegis_drill`]);
      psql('CREATE TABLE leftover (id int)', `${PG_DB}_aegis_drill`);
      const before = live();
      server.clearCalls();
      const result = aegis(['deploy-restore', '--drill', taken]);
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain("[1/3] Checking the backup's files against its manifest");
      expect(result.stdout).toContain('SQLite app.db: integrity ok, 1 tables, 1 rows');
      expect(result.stdout).toContain(`PostgreSQL: 1 tables, 3 rows restored into the scratch database ${PG_DB}_aegis_drill (dropped after)`);
      expect(result.stdout).toContain(`Drill passed: backup ${taken}`);
      expect(live()).toBe(before);
      expect(databases()).toEqual([PG_DB]);
      expect(scratchLeft()).toEqual([]);
      expect(dockerCalls().map((call) => call.split(' ').slice(6, 9).join(' '))).toEqual(['exec -T webserver', 'exec -T postgres']);
    });

    it('a drill of a damaged backup names the failing step, drops its scratch copies and changes nothing live', () => {
      const before = live();
      const truncated = '20261201-000000-001';
      copyBackup(taken, truncated, (dir) => writeFileSync(join(dir, 'postgres.dump'), readFileSync(join(dir, 'postgres.dump')).subarray(0, 200)));
      const result = aegis(['deploy-restore', '--drill', truncated]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Step "Restoring PostgreSQL into a scratch database and counting its rows" failed');
      expect(databases()).toEqual([PG_DB]);

      const resized = '20261201-000000-002';
      copyBackup(taken, resized);
      writeFileSync(join(backupsDir(), resized, 'data.tar.gz'), 'not what the manifest says');
      const damaged = aegis(['deploy-restore', '--drill', resized]);
      expect(damaged.status).toBe(1);
      expect(damaged.stdout).toContain('data.tar.gz: not the');
      expect(damaged.stderr).toContain('Step "Checking the backup\'s files against its manifest" failed');
      expect(live()).toBe(before);
      expect(scratchLeft()).toEqual([]);
      for (const id of [truncated, resized]) rmSync(join(backupsDir(), id), { recursive: true });
    });

    it('deploy-restore --yes brings PostgreSQL (pg_restore) and the files back', () => {
      psql("INSERT INTO orders VALUES (4, 'later'); UPDATE orders SET item = 'scone' WHERE id = 2");
      sqlite("INSERT INTO notes VALUES ('after')");
      const result = aegis(['deploy-restore', taken, '--yes']);
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(psql('SELECT item FROM orders ORDER BY id')).toBe('tea\ncake\njam');
      expect(sqlite('SELECT body FROM notes')).toBe("[('before',)]");
    });

    it('an interrupted restore (aegis stopped mid-step) leaves the current data in place; the next restore works', async () => {
      psql("INSERT INTO orders VALUES (5, 'current')");
      sqlite("INSERT INTO notes VALUES ('current')");
      const before = live();
      const hang = join(server.state, 'hang-after');
      // The unpack runs, then the step hangs until the marker goes: the user presses Ctrl-C meanwhile.
      writeFileSync(hang, '.aegis-restore');
      mustRun('chmod', ['a+rw', hang]);
      server.clearCalls();
      const restore = start('node', [builtBin, 'deploy-restore', taken, '--yes', '--project-path', project], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
      try {
        await waitForOutput(restore, /Unpacking the data volume beside the current data/, 60_000);
        for (let tries = 0; !existsSync(join(volume, '.aegis-restore', 'app.db')) && tries < 200; tries += 1) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(existsSync(join(volume, '.aegis-restore', 'app.db'))).toBe(true);
      } finally {
        await restore.stop();
        rmSync(hang, { force: true });
      }
      // Only what a stopped restore leaves: the unpacked copy beside the data, never in it.
      expect(readdirSync(volume).sort()).toEqual(['.aegis-restore', 'app.db']);
      rmSync(join(volume, '.aegis-restore'), { recursive: true });
      expect(live()).toBe(before);
      expect(dockerCalls().some((call) => call.endsWith(' restart'))).toBe(false);

      // Left in place, it is replaced by the next restore's unpack.
      mkdirSync(join(volume, '.aegis-restore'));
      writeFileSync(join(volume, '.aegis-restore', 'stale'), '');
      mustRun('chmod', ['-R', 'a+rwX', join(volume, '.aegis-restore')]);
      const again = aegis(['deploy-restore', taken, '--yes']);
      expect(again.status, again.stdout + again.stderr).toBe(0);
      expect(readdirSync(volume).filter((name) => name.startsWith('.aegis-'))).toEqual([]);
      expect(psql('SELECT item FROM orders ORDER BY id')).toBe('tea\ncake\njam');
    });

    it('deploy-backup --keep-days N also removes backups older than N days', () => {
      for (const id of ['20200101-000000-000', '20200102-000000-000']) copyBackup(taken, id);
      const kept = backups().filter((name) => !name.startsWith('2020'));
      const result = aegis(['deploy-backup', '--keep', '50', '--keep-days', '30']);
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('Keeping the newest 50 backups, none older than 30 days (the newest always): removing 20200101-000000-000, 20200102-000000-000');
      expect(backups().slice(0, -1)).toEqual(kept);
      expect(aegis(['deploy-backup', '--keep-days', '0']).stderr).toContain('--keep-days 0: give a whole number of at least 1.');
    });
  });

  describe('deploy-cd-setup', () => {
    interface Step { readonly name?: string; readonly uses?: string; readonly run?: string; readonly if?: string; readonly env?: Record<string, string> }
    type Workflow = { jobs: Record<string, { steps: Step[] }> };
    const workflowFile = () => join(project, '.github', 'workflows', 'deploy.yml');
    const ciFile = () => join(project, '.github', 'workflows', 'ci.yml');
    const releases = () => readdirSync(join(appDir, 'releases')).sort();

    /**
     * The deploy job's steps as a GitHub runner runs them (bash -eo pipefail, secrets and runner.temp filled in,
     * GITHUB_ACTIONS and the actor set, an `if: always()` step run after a failure), in a clone of the project.
     * Stand-ins: the clone is actions/checkout; this Node is actions/setup-node; the built bin of this checkout is
     * the generator-aegis package that `npx --package generator-aegis@<version>` fetches from npm.
     */
    const runDeployJob = (checkout: string, secrets: Record<string, string>, edit: (text: string) => string = (text) => text) => {
      const runnerTemp = scratchDir('runner-temp');
      const workflow = yaml.load(edit(readFileSync(join(checkout, '.github', 'workflows', 'deploy.yml'), 'utf8'))) as Workflow;
      const fill = (value: string) => {
        const filled = value.replace(/\$\{\{ secrets\.(\w+) \}\}/g, (_, name: string) => secrets[name] ?? '').replace(/\$\{\{ runner\.temp \}\}/g, runnerTemp);
        if (filled.includes('${{')) throw new Error(`an expression this runner does not know: ${filled}`);
        return filled;
      };
      const log: string[] = [];
      let failed: string | undefined;
      for (const step of workflow.jobs.deploy!.steps) {
        if (step.uses || (failed && step.if !== 'always()')) continue;
        const script = fill(step.run!).replace(/npx --yes --package generator-aegis@[\w.-]+ -- aegis /, `${process.execPath} ${builtBin} `);
        const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, fill(value)]));
        const result = run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
          cwd: checkout,
          env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'octocat', GITHUB_RUN_ID: '7', RUNNER_TEMP: runnerTemp, ...env },
          input: '',
          timeout: 120_000,
        });
        log.push(`## ${step.name}\n${result.stdout}${result.stderr}`);
        if (result.status !== 0) failed ??= step.name;
      }
      return { failed, log: log.join('\n'), runnerTemp };
    };
    let checkout = '';

    it('writes a workflow valid against GitHub\'s schema: the CI check job, then the deploy; prints the secrets to create', () => {
      const result = aegis(['deploy-cd-setup']);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain('Wrote .github/workflows/deploy.yml: on each push to main (and by hand), the project\'s checks, then "aegis deploy"');
      expect(result.stdout).toContain('AEGIS_DEPLOY_SSH_KEY   a private key the server accepts');
      expect(result.stdout).toContain('gh secret set AEGIS_DEPLOY_SSH_KEY < deploy_key');
      expect(result.stdout).toContain('AEGIS_ENV_PRODUCTION   optional');
      expect(result.stdout).toContain(`refuses a server whose host key is not ${server.hostKeyFingerprint()}`);
      expect(result.stdout).toContain('Commit .aegis/deploy.json and .github/workflows/deploy.yml');
      const workflow = yaml.load(readFileSync(workflowFile(), 'utf8')) as Workflow;
      expect(workflowProblems(workflow)).toEqual([]);
      expect(workflow.jobs.check).toEqual((yaml.load(readFileSync(ciFile(), 'utf8')) as Workflow).jobs.check);
      expect(workflow.jobs.deploy!.steps.find((step) => step.run?.endsWith('aegis deploy'))!.env!.AEGIS_DEPLOY_HOST_KEY).toBe(server.hostKeyFingerprint());

      expect(aegis(['deploy-cd-setup']).stdout).toContain('.github/workflows/deploy.yml is up to date.');
      writeFileSync(workflowFile(), `${readFileSync(workflowFile(), 'utf8')}# mine\n`);
      const edited = readFileSync(workflowFile(), 'utf8');
      const refused = aegis(['deploy-cd-setup', '--branch', 'release']);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('exists and differs from what deploy-cd-setup writes: pass --force to replace it');
      expect(readFileSync(workflowFile(), 'utf8')).toBe(edited);
      expect(aegis(['deploy-cd-setup', '--force']).status).toBe(0);
      expect(readFileSync(workflowFile(), 'utf8')).not.toContain('# mine');
    });

    it('its deploy job, run step by step as a runner would, deploys with the key from the secret and the pinned host key', () => {
      mustRun('git', ['add', '.aegis/deploy.json', '.github/workflows/deploy.yml'], { cwd: project });
      mustRun('git', ['commit', '-qm', 'deploy from CI'], { cwd: project });
      checkout = join(scratchDir('checkout'), 'shop');
      mustRun('git', ['clone', '-q', project, checkout]);
      // As committed from a developer's machine: the key path there means nothing on the runner.
      const target = JSON.parse(readFileSync(join(checkout, '.aegis', 'deploy.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(checkout, '.aegis', 'deploy.json'), JSON.stringify({ ...target, key: '/home/developer/.ssh/id_ed25519' }));
      const before = releases();
      const job = runDeployJob(checkout, { AEGIS_DEPLOY_SSH_KEY: readFileSync(server.key, 'utf8'), AEGIS_ENV_PRODUCTION: 'APP_ENV=production\nFROM=ci' });
      expect(job.failed, job.log).toBeUndefined();
      expect(job.log).toMatch(/Deployed \d{8}-\d{6}-\d{3} to /);
      expect(releases().filter((name) => !before.includes(name))).toHaveLength(1);
      expect(readFileSync(join(appDir, 'shared', '.env'), 'utf8')).toBe('APP_ENV=production\nFROM=ci\n');
      const last = JSON.parse(readFileSync(join(appDir, 'history.jsonl'), 'utf8').trim().split('\n').at(-1)!) as Record<string, unknown>;
      expect(last).toMatchObject({ deployer: 'octocat (GitHub Actions run 7)', outcome: 'live', commit: mustRun('git', ['rev-parse', 'HEAD'], { cwd: checkout }).stdout.trim() });
      // The last step removed the key and the env file.
      expect(readdirSync(job.runnerTemp)).toEqual([]);
      expect(existsSync(join(checkout, '.env.production'))).toBe(false);
    });

    it('a missing secret stops at the key step; a host key other than the pinned one refuses to connect; nothing deployed', () => {
      const before = releases();
      server.clearCalls();
      const noSecret = runDeployJob(checkout, {});
      expect(noSecret.failed).toBe('The deploy key from the repository secrets');
      expect(noSecret.log).toContain('::error::The repository secret AEGIS_DEPLOY_SSH_KEY is not set');

      const other = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
      const wrongHost = runDeployJob(checkout, { AEGIS_DEPLOY_SSH_KEY: readFileSync(server.key, 'utf8') }, (text) => text.replace(server.hostKeyFingerprint(), other));
      expect(wrongHost.failed).toBe('Deploy over SSH (host key pinned)');
      expect(wrongHost.log).toContain(`AEGIS_DEPLOY_HOST_KEY is ${other} but .aegis/deploy.json pins ${server.hostKeyFingerprint()}: refusing to connect.`);
      expect(releases()).toEqual(before);
      expect(server.calls()).toEqual([]);
    });

    it('refuses without a pinned host key or without a check job in ci.yml, writing nothing', () => {
      rmSync(workflowFile());
      const recorded = readFileSync(deployFile(), 'utf8');
      const ci = readFileSync(ciFile(), 'utf8');
      try {
        const { hostKey: _pinned, ...unpinned } = JSON.parse(recorded) as Record<string, unknown>;
        writeFileSync(deployFile(), JSON.stringify(unpinned));
        const noKey = aegis(['deploy-cd-setup']);
        expect(noKey.status).toBe(1);
        expect(noKey.stderr).toContain('.aegis/deploy.json pins no host key: run "aegis deploy-init --host 127.0.0.1" first');
        writeFileSync(deployFile(), recorded);
        writeFileSync(ciFile(), ci.replace('\n  check:\n', '\n  tests:\n'));
        const noCheck = aegis(['deploy-cd-setup']);
        expect(noCheck.status).toBe(1);
        expect(noCheck.stderr).toContain('.github/workflows/ci.yml has no "check" job');
        expect(aegis(['deploy-cd-setup', '--branch', '-x']).stderr).toContain('--branch -x: give a branch name');
        expect(existsSync(workflowFile())).toBe(false);
      } finally {
        writeFileSync(deployFile(), recorded);
        writeFileSync(ciFile(), ci);
        mustRun('git', ['checkout', '--', '.github/workflows/deploy.yml'], { cwd: project });
      }
    });
  });

  it('an unreachable server: every command fails naming it, exits 1 and changes nothing', async () => {
    const recorded = readFileSync(deployFile(), 'utf8');
    const { port, release } = await refusingPort();
    writeFileSync(deployFile(), recorded.replace(`"port": ${server.port}`, `"port": ${port}`));
    server.clearCalls();
    try {
      for (const [args, after] of [[['deploy-exec', 'webserver'], ['--', 'true']], [['deploy-stop'], []], [['deploy-history'], []], [['deploy-restore', '--drill', '20261201-000000-000'], []]] as const) {
        const result = aegis([...args], { after: [...after] });
        expect(result.status, args.join(' ')).toBe(1);
        expect(result.stderr).toContain(`Cannot connect to 127.0.0.1:${port}: connection refused.`);
      }
    } finally {
      await release();
      writeFileSync(deployFile(), recorded);
    }
    expect(server.calls()).toEqual([]);
  });
});

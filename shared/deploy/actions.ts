import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { AegisError } from '../errors.js';
import { readState } from '../model/project-state.js';
import { type HostKeyPolicy } from './host-key.js';
import { recorded } from './history.js';
import { releaseFiles } from './release-files.js';
import { DeploySession, attach, shellQuote } from './session.js';
import { type Output, Steps, stepFailure } from './steps.js';
import { type DeployTarget, readTarget, writeTarget } from './target.js';

export interface ConnectOptions {
  readonly acceptNewHostKey?: boolean;
  readonly confirm?: (fingerprint: string) => Promise<boolean>;
}

function policy(target: DeployTarget, options: ConnectOptions): HostKeyPolicy {
  return {
    ...(target.hostKey ? { pinned: target.hostKey } : {}),
    acceptNew: options.acceptNewHostKey === true,
    ...(options.confirm ? { confirm: options.confirm } : {}),
  };
}

/**
 * In CI (the workflow deploy-cd-setup writes): AEGIS_DEPLOY_KEY names the key file, in place of the recorded path;
 * AEGIS_DEPLOY_HOST_KEY names the host key the workflow was written for, which must be the one pinned.
 */
export function targetFromEnvironment(target: DeployTarget, env: NodeJS.ProcessEnv = process.env): DeployTarget {
  const expected = env.AEGIS_DEPLOY_HOST_KEY;
  if (expected && target.hostKey !== expected) {
    throw new AegisError(
      `AEGIS_DEPLOY_HOST_KEY is ${expected} but .aegis/deploy.json pins ${target.hostKey ?? 'no host key'}: refusing to connect. ` +
        'If the server\'s key really changed, check it, run "aegis deploy-init --accept-new-host-key" and then "aegis deploy-cd-setup --force".',
    );
  }
  return env.AEGIS_DEPLOY_KEY ? { ...target, key: env.AEGIS_DEPLOY_KEY } : target;
}

export async function withSession<T>(root: string, options: ConnectOptions, use: (session: DeploySession, target: DeployTarget) => Promise<T>): Promise<T> {
  const target = targetFromEnvironment(readTarget(root));
  const session = await DeploySession.open(target, policy(target, options));
  try {
    return await use(session, target);
  } finally {
    session.close();
  }
}

const q = shellQuote;

/** `docker compose` for the current release: the production overrides when the project has them. */
export function compose(target: DeployTarget, slug: string, args: string): string {
  return (
    `cd ${q(`${target.path}/current`)} && if [ -f docker-compose.prod.yml ]; then set -- -f docker-compose.yml -f docker-compose.prod.yml; ` +
    `else set -- -f docker-compose.yml; fi && docker compose -p ${q(slug)} "$@" ${args}`
  );
}

/** The compose project name: the project's, as docker-compose.prod.yml names it, so volumes survive releases. */
export function projectSlug(root: string): string {
  return readState(root).answers.name;
}

/**
 * Where the server checks a new release: the app's port without the ingress; through Traefik with it (by the
 * domain over HTTPS when there is one; the certificate is not verified, as the first one may still be on its way).
 */
function defaultHealthUrl(root: string): string {
  const { answers } = readState(root);
  if (!answers.components.includes('ingress')) return 'http://127.0.0.1:8000/health';
  const domain = answers.options.ingress?.domain;
  return domain ? `https://${domain}/health` : 'http://127.0.0.1/health';
}

export interface InitOptions extends ConnectOptions {
  readonly host: string;
  readonly user?: string;
  readonly port?: number;
  readonly path?: string;
  readonly key: string;
  readonly keepReleases?: number;
  readonly healthUrl?: string;
}

/** Records the target after a successful connection; nothing is written when it fails. */
export async function deployInit(root: string, options: InitOptions, output: Output): Promise<DeployTarget> {
  const slug = projectSlug(root);
  const previous = existsSync(join(root, '.aegis', 'deploy.json')) ? readTarget(root) : undefined;
  const sameServer = previous && previous.host === options.host && previous.port === (options.port ?? 22);
  const draft: DeployTarget = {
    host: options.host,
    user: options.user ?? 'root',
    port: options.port ?? 22,
    path: options.path ?? `/opt/${slug}`,
    key: options.key,
    keepReleases: options.keepReleases ?? 5,
    healthUrl: options.healthUrl ?? defaultHealthUrl(root),
    ...(sameServer && previous.hostKey && options.acceptNewHostKey !== true ? { hostKey: previous.hostKey } : {}),
  };
  const session = await DeploySession.open(draft, policy(draft, options));
  try {
    const probe = await session.run('uname -sr');
    const target = { ...draft, hostKey: session.hostKey };
    writeTarget(root, target);
    output.log(`Connected to ${target.user}@${target.host}:${target.port} (${probe.stdout.trim() || 'unknown system'}).`);
    output.log(`Host key ${session.hostKey} recorded in .aegis/deploy.json; later connections refuse any other key.`);
    output.log(`Next: "aegis deploy-setup" provisions the server, then "aegis deploy" ships a release to ${target.path}.`);
    return target;
  } finally {
    session.close();
  }
}

/** Uploads scripts/server-setup.sh and runs it on the server (as root, through sudo for another user). */
export async function deploySetup(root: string, options: ConnectOptions, output: Output): Promise<void> {
  const script = join(root, 'scripts', 'server-setup.sh');
  if (!existsSync(script)) {
    throw new AegisError('scripts/server-setup.sh is missing: "aegis add ingress" adds it (with Traefik in front of the app).');
  }
  await withSession(root, options, async (session, target) => {
    const steps = new Steps(session, 2, output);
    const remote = `/tmp/aegis-server-setup-${projectSlug(root)}.sh`;
    steps.announce(`Uploading scripts/server-setup.sh to ${remote}`);
    await session.ssh.execCommand(`umask 077 && cat > ${q(remote)}`, { stdin: readFileSync(script, 'utf8') });
    const env = `APP_DIR=${q(target.path)} DEPLOY_USER=${q(target.user)}`;
    const run = target.user === 'root' ? `env ${env} bash ${q(remote)}` : `sudo -n env ${env} bash ${q(remote)}`;
    try {
      await steps.run('Provisioning the server (Docker, firewall, log rotation, app folder)', run);
    } finally {
      await session.run(`rm -f ${q(remote)}`);
    }
  });
}

export interface DeployOptions extends ConnectOptions {
  readonly healthRetries?: number;
  readonly healthIntervalSeconds?: number;
  /** Runs first, over the deploy's session, before anything changes on the server (the backup before migrations). */
  readonly beforeDeploy?: (session: DeploySession, target: DeployTarget) => Promise<void>;
  /**
   * Start the new webserver beside the old one behind Traefik and stop the old one once the new is healthy
   * (true), or restart everything with `docker compose up` (false). Default: rolling with the ingress component.
   */
  readonly rolling?: boolean;
}

/** The compose service Traefik routes to, the one a rolling deploy starts beside the old. */
const WEBSERVER = 'webserver';

/**
 * Whether a deploy is rolling: as asked, else when the project has the ingress (Traefik is what routes requests to
 * the old and the new webserver while both run; without it both would want port 8000).
 */
export function rollingDeploy(root: string, requested?: boolean): boolean {
  const ingress = readState(root).answers.components.includes('ingress');
  if (requested === true && !ingress) {
    throw new AegisError(
      '--rolling needs the ingress component: Traefik routes requests to the old and the new webserver while both run (without it both would need port 8000). ' +
        'Run "aegis add ingress", or deploy without --rolling.',
    );
  }
  return requested ?? ingress;
}

/** The ids of the webserver containers running now (`docker compose ps -q`: running ones only). */
async function webserverContainers(session: DeploySession, target: DeployTarget, slug: string): Promise<string[]> {
  const ps = await session.run(compose(target, slug, `ps -q ${WEBSERVER}`));
  if (ps.code !== 0) throw stepFailure('Finding the running webserver', `docker compose ps -q ${WEBSERVER}`, ps);
  return ps.stdout.split('\n').map((line) => line.trim()).filter((line) => /^[0-9a-f]{12,64}$/.test(line));
}

/**
 * Polls Docker's health status of the containers (their compose health check, the one Traefik also goes by: it
 * routes only to healthy containers) until all are healthy; fails at once when one is unhealthy or has exited.
 */
function containersHealthy(ids: readonly string[], options: DeployOptions): string {
  const retries = options.healthRetries ?? 30;
  const interval = options.healthIntervalSeconds ?? 2;
  const format = q('{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}');
  return (
    `i=0; s=; while [ $i -lt ${retries} ]; do i=$((i+1)); ` +
    `s=$(docker inspect --format ${format} ${ids.join(' ')} | sort -u | tr '\n' ' '); ` +
    `case "$s" in "healthy "|"running ") echo "healthy after $i checks"; exit 0 ;; *unhealthy*|*exited*|*dead*) echo "the new webserver is \${s% }"; exit 1 ;; esac; ` +
    `sleep ${interval}; done; echo "the new webserver is still \${s% } after ${retries} checks"; exit 1`
  );
}

/** Whether `docker compose up` runs migrations: the project's compose file has the one-shot `migrate` service. */
export function runsMigrations(root: string): boolean {
  const file = join(root, 'docker-compose.yml');
  return existsSync(file) && /^ {2}migrate:/m.test(readFileSync(file, 'utf8'));
}

/** `20261127-024800-123`: UTC, sortable, distinct for deploys in the same second. */
function releaseId(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/(\d{6})\.(\d{3})Z$/, '$1-$2');
}

function healthCheck(target: DeployTarget, options: DeployOptions): string {
  const retries = options.healthRetries ?? 30;
  const interval = options.healthIntervalSeconds ?? 2;
  return (
    `i=0; while [ $i -lt ${retries} ]; do i=$((i+1)); ` +
    `if curl -fsSk --max-time 5 -o /dev/null ${q(target.healthUrl)}; then echo "healthy after $i tries"; exit 0; fi; sleep ${interval}; done; ` +
    `echo "not healthy after ${retries} tries: ${target.healthUrl}"; exit 1`
  );
}

export async function readCurrent(session: DeploySession, target: DeployTarget): Promise<string | undefined> {
  const result = await session.run(`readlink ${q(`${target.path}/current`)}`);
  return result.code === 0 ? result.stdout.trim().replace(/^releases\//, '') || undefined : undefined;
}

function switchTo(target: DeployTarget, release: string): string {
  const link = `${target.path}/.current.tmp`;
  return `ln -sfn ${q(`releases/${release}`)} ${q(link)} && mv -Tf ${q(link)} ${q(`${target.path}/current`)}`;
}

/**
 * A release: upload into a new folder, link the shared env file and data, switch `current` atomically, start it,
 * wait for /health, and on failure switch back to the previous release. Keeps the newest releases.
 */
export async function deploy(root: string, options: DeployOptions, output: Output): Promise<string> {
  const slug = projectSlug(root);
  const files = releaseFiles(root);
  const envFile = join(root, '.env.production');
  const rolling = rollingDeploy(root, options.rolling);
  const migrations = runsMigrations(root);
  return withSession(root, options, async (session, target) =>
    recorded(root, session, target, 'deploy', output, async (note) => {
      const id = releaseId();
      note.release = id;
      await options.beforeDeploy?.(session, target);
      const release = `${target.path}/releases/${id}`;
      const previous = await readCurrent(session, target);
      const old = rolling && previous ? await webserverContainers(session, target, slug) : [];
      if (rolling && !old.length) output.log('No webserver is running: nothing to keep serving, so this release starts as a whole (docker compose up).');
      if (old.length) output.log(`Rolling release: the new webserver starts beside the running one (${old.map((c) => c.slice(0, 12)).join(', ')}) behind Traefik; the old one stops once the new one is healthy.`);
      const steps = new Steps(session, old.length ? 6 + rollingSteps(migrations) : 7, output);
      await steps.run(`Preparing release ${id}`, `mkdir -p ${q(release)} ${q(`${target.path}/shared/data`)} && test -w ${q(release)}`);
      steps.announce(`Uploading ${files.length} files (no .git, .venv, caches, data/ or local .env)`);
      const folders = [...new Set(files.map((file) => posix.dirname(file)).filter((folder) => folder !== '.'))];
      if (folders.length) await steps.try(`cd ${q(release)} && mkdir -p ${folders.map(q).join(' ')}`);
      try {
        await session.ssh.putFiles(files.map((file) => ({ local: join(root, file), remote: `${release}/${file}` })), { concurrency: 8 });
      } catch (error) {
        throw new AegisError(`Step "Uploading files" failed: SFTP upload into ${release} failed (${(error as Error).message}).`);
      }
      const sharedEnv = `${target.path}/shared/.env`;
      if (existsSync(envFile)) {
        steps.announce('Uploading .env.production as shared/.env (mode 600)');
        const upload = await session.ssh.execCommand(`umask 077 && cat > ${q(`${sharedEnv}.tmp`)} && chmod 600 ${q(`${sharedEnv}.tmp`)} && mv -f ${q(`${sharedEnv}.tmp`)} ${q(sharedEnv)}`, {
          stdin: readFileSync(envFile, 'utf8'),
        });
        if (upload.code !== 0) throw stepFailure('Uploading .env.production', 'cat > shared/.env', { code: upload.code ?? 1, stdout: upload.stdout, stderr: upload.stderr });
      } else {
        steps.announce('No local .env.production: keeping the server\'s shared/.env (created empty, mode 600, if missing)');
        await steps.try(`umask 077 && touch ${q(sharedEnv)} && chmod 600 ${q(sharedEnv)}`);
      }
      await steps.run('Linking shared/.env and shared/data into the release', `ln -sfn ${q(sharedEnv)} ${q(`${release}/.env`)} && ln -sfn ${q(`${target.path}/shared/data`)} ${q(`${release}/data`)}`);
      await steps.run(`Switching current to ${id}`, switchTo(target, id));
      if (old.length && previous) await rollWebserver(session, target, slug, { id, previous, old, migrations, discard: release }, steps, options, output);
      else await steps.run('Starting it: docker compose up -d --build', compose(target, slug, 'up -d --build --remove-orphans'));
      steps.announce(`Waiting for ${target.healthUrl}`);
      const health = await steps.try(healthCheck(target, options));
      if (health.code !== 0) {
        if (!previous) {
          throw new AegisError(`Release ${id} is not healthy (${target.healthUrl}) and there is no previous release to go back to: see "aegis deploy-logs".`);
        }
        output.log(`Release ${id} is not healthy: rolling back to ${previous}.`);
        note.outcome = 'rolled back';
        await steps.try(`${switchTo(target, previous)} && ${compose(target, slug, 'up -d --build --remove-orphans')} && rm -rf ${q(release)}`);
        throw new AegisError(`Release ${id} failed its health check (${target.healthUrl}); ${previous} is current again. "aegis deploy-logs" shows why.`);
      }
      const prune = await steps.try(
        `cd ${q(`${target.path}/releases`)} && ls -1 | sort | head -n -${target.keepReleases} | while read -r old; do [ "$old" = ${q(id)} ] || rm -rf -- "$old"; done`,
      );
      if (prune.code !== 0) output.log('Could not prune old releases (see above); the deploy itself succeeded.');
      output.log(`Deployed ${id} to ${target.user}@${target.host}:${target.path}/current.`);
      return id;
      }),
  );
}

/** The steps `rollWebserver` runs: build, (migrate,) start beside, health, stop the old, the other services. */
export function rollingSteps(migrations: boolean): number {
  return 5 + (migrations ? 1 : 0);
}

/**
 * The rolling part of a deploy or a rollback, `current` already switched to the release `id`: build, migrate, start
 * its webserver beside the old one (compose's `--scale` with `--no-recreate` leaves the old container alone), wait
 * for Docker to call it healthy, then stop and remove the old one and bring the other services (the workers, which
 * drain first) to the release. A failure before the old one is stopped removes the new one, switches `current`
 * back to `previous` and removes the folder `discard` (a deploy's new release; a rollback's target is kept): the old
 * webserver served throughout and is left as it was.
 */
async function rollWebserver(
  session: DeploySession,
  target: DeployTarget,
  slug: string,
  release: { id: string; previous: string; old: readonly string[]; migrations: boolean; discard?: string },
  steps: Steps,
  options: DeployOptions,
  output: Output,
): Promise<void> {
  const { id, previous, old } = release;
  let fresh: string[] = [];
  try {
    await steps.run('Building the images: docker compose build', compose(target, slug, 'build'));
    if (release.migrations) await steps.run('Running the migrations: docker compose run --rm migrate', compose(target, slug, 'run --rm migrate'));
    const scale = `up -d --no-build --no-deps --no-recreate --scale ${WEBSERVER}=${old.length * 2} ${WEBSERVER}`;
    try {
      await steps.run(`Starting the new webserver beside the old one: docker compose ${scale}`, compose(target, slug, scale));
    } finally {
      fresh = (await webserverContainers(session, target, slug).catch(() => [])).filter((container) => !old.includes(container));
    }
    const title = 'Waiting for the new webserver to be healthy (its Docker health check)';
    if (!fresh.length) {
      steps.announce(title);
      throw new AegisError(`Step "${title}" failed: docker compose started no new webserver container.`);
    }
    await steps.run(title, containersHealthy(fresh, options));
  } catch (error) {
    output.log(`Release ${id} failed before its webserver took over: removing that webserver and going back to ${previous}; the old one keeps serving.`);
    const undo = [
      ...(fresh.length ? [`docker rm -f ${fresh.join(' ')}`] : []),
      switchTo(target, previous),
      ...(release.discard ? [`rm -rf ${q(release.discard)}`] : []),
    ].join(' ; ');
    await session.run(undo, output.stream).catch(() => undefined);
    const message = (error as Error).message.replace(/\s*$/, '');
    throw new AegisError(`${message} The old webserver kept serving and still does; the new one was removed and ${previous} is current again.`);
  }
  await steps.run('Stopping the old webserver: docker stop, docker rm', `docker stop ${old.join(' ')} && docker rm ${old.join(' ')}`);
  await steps.run(`Bringing the other services to ${release.discard ? 'the new release' : id} (workers drain first): docker compose up -d`, compose(target, slug, 'up -d --no-build --remove-orphans'));
}

export async function deployStatus(root: string, options: ConnectOptions, output: Output): Promise<void> {
  const slug = projectSlug(root);
  await withSession(root, options, async (session, target) => {
    const current = await readCurrent(session, target);
    const releases = (await session.run(`ls -1 ${q(`${target.path}/releases`)} 2>/dev/null | sort`)).stdout.trim().split('\n').filter(Boolean);
    output.log(`Server: ${target.user}@${target.host}:${target.port}, ${target.path}`);
    output.log(`Current release: ${current ?? 'none (nothing deployed yet)'}`);
    output.log(`Releases: ${releases.length ? releases.map((name) => (name === current ? `${name} (current)` : name)).join(', ') : 'none'}`);
    if (current) {
      const ps = await session.run(compose(target, slug, 'ps'), output.stream);
      if (ps.code !== 0) throw stepFailure('docker compose ps', 'docker compose ps', ps);
    }
  });
}

export async function deployLogs(root: string, options: ConnectOptions & { service?: string; follow?: boolean; tail?: number }, output: Output): Promise<void> {
  const slug = projectSlug(root);
  await withSession(root, options, async (session, target) => {
    const args = ['logs', '--tail', String(options.tail ?? 200), ...(options.follow ? ['--follow'] : []), ...(options.service ? [q(options.service)] : [])];
    const result = await session.run(compose(target, slug, args.join(' ')), output.stream);
    if (result.code !== 0) throw stepFailure('docker compose logs', args.join(' '), result);
  });
}

export async function deployRestart(root: string, options: ConnectOptions & { service?: string }, output: Output): Promise<void> {
  const slug = projectSlug(root);
  await withSession(root, options, async (session, target) => {
    await new Steps(session, 1, output).run('Restarting: docker compose restart', compose(target, slug, `restart${options.service ? ` ${q(options.service)}` : ''}`));
  });
}

/**
 * Makes an earlier release current again: the one named, else the one before the current. With the ingress (or
 * `rolling: true`) and a webserver running it rolls as a deploy does (`rollWebserver`): the release's webserver
 * starts beside the current one, which stops only once the new one is healthy; a failure before that leaves the
 * current release serving and current. Otherwise the release restarts as a whole (`docker compose up`).
 */
export async function deployRollback(root: string, options: DeployOptions & { release?: string }, output: Output): Promise<string> {
  const slug = projectSlug(root);
  const rolling = rollingDeploy(root, options.rolling);
  const migrations = runsMigrations(root);
  return withSession(root, options, async (session, target) =>
    recorded(root, session, target, 'rollback', output, async (note) => {
      const current = await readCurrent(session, target);
      const releases = (await session.run(`ls -1 ${q(`${target.path}/releases`)} 2>/dev/null | sort`)).stdout.trim().split('\n').filter(Boolean);
      let wanted = options.release;
      if (wanted === undefined) {
        const older = releases.filter((name) => current !== undefined && name < current);
        wanted = older[older.length - 1];
        if (!wanted) throw new AegisError(`There is no release before ${current ?? 'the current one'} to roll back to (releases: ${releases.join(', ') || 'none'}).`);
      } else if (!releases.includes(wanted)) {
        throw new AegisError(`No release ${wanted} on the server; there are: ${releases.join(', ') || 'none'}.`);
      }
      note.release = wanted;
      const old = rolling && current ? await webserverContainers(session, target, slug) : [];
      if (rolling && !old.length) output.log(`No webserver is running: nothing to keep serving, so ${wanted} starts as a whole (docker compose up).`);
      if (old.length) output.log(`Rolling rollback: the webserver of ${wanted} starts beside the running one (${old.map((c) => c.slice(0, 12)).join(', ')}) behind Traefik; the running one stops once it is healthy.`);
      const steps = new Steps(session, old.length ? 2 + rollingSteps(migrations) : 3, output);
      await steps.run(`Switching current to ${wanted}`, switchTo(target, wanted));
      if (old.length && current) await rollWebserver(session, target, slug, { id: wanted, previous: current, old, migrations }, steps, options, output);
      else await steps.run('Starting it: docker compose up -d --build', compose(target, slug, 'up -d --build --remove-orphans'));
      steps.announce(`Waiting for ${target.healthUrl}`);
      const health = await steps.try(healthCheck(target, options));
      if (health.code !== 0) throw new AegisError(`Rolled back to ${wanted}, but it is not healthy (${target.healthUrl}): see "aegis deploy-logs".`);
      output.log(`Rolled back: ${wanted} is current (was ${current ?? 'none'}).`);
      return wanted;
      }),
  );
}

/** An interactive shell in a service's container (a pseudo-terminal when this side has one). */
export async function deployShell(root: string, options: ConnectOptions & { service?: string }): Promise<number> {
  const slug = projectSlug(root);
  return withSession(root, options, async (session, target) => {
    const tty = process.stdin.isTTY === true;
    return attach(session, compose(target, slug, `exec${tty ? '' : ' -T'} ${q(options.service ?? 'webserver')} sh`));
  });
}

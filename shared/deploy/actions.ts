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
  return withSession(root, options, async (session, target) =>
    recorded(root, session, target, 'deploy', output, async (note) => {
      const id = releaseId();
      note.release = id;
      await options.beforeDeploy?.(session, target);
      const steps = new Steps(session, 7, output);
      const release = `${target.path}/releases/${id}`;
      const previous = await readCurrent(session, target);
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
      await steps.run('Starting it: docker compose up -d --build', compose(target, slug, 'up -d --build --remove-orphans'));
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

/** Makes an earlier release current again: the one named, else the one before the current. */
export async function deployRollback(root: string, options: DeployOptions & { release?: string }, output: Output): Promise<string> {
  const slug = projectSlug(root);
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
      const steps = new Steps(session, 3, output);
      await steps.run(`Switching current to ${wanted}`, switchTo(target, wanted));
      await steps.run('Starting it: docker compose up -d --build', compose(target, slug, 'up -d --build --remove-orphans'));
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

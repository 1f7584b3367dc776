import { AegisError } from '../errors.js';
import { type ConnectOptions, compose, projectSlug, readCurrent, withSession } from './actions.js';
import { type DeploySession, attach, shellQuote } from './session.js';
import { type Output, Steps } from './steps.js';
import type { DeployTarget } from './target.js';

const q = shellQuote;

/** A compose service name as compose accepts it: refused here, before connecting, when it is not one. */
const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function checkService(service: string): string {
  if (!SERVICE_NAME.test(service)) {
    throw new AegisError(`"${service}" is not a compose service name: give one of the services in docker-compose.yml (webserver, worker, migrate, …).`);
  }
  return service;
}

async function requireRelease(session: DeploySession, target: DeployTarget, what: string): Promise<string> {
  const current = await readCurrent(session, target);
  if (!current) throw new AegisError(`Nothing is deployed on ${target.host} yet, so there is nothing to ${what}: run "aegis deploy" first.`);
  return current;
}

export interface ExecOptions extends ConnectOptions {
  readonly service: string;
  readonly command: readonly string[];
  /** A new one-off container (`docker compose run --rm`) instead of the running one (`docker compose exec`). */
  readonly run?: boolean;
}

/**
 * `aegis deploy-exec <service> -- <command…>`: the command in the service's container of the current release, its
 * output streamed and its exit code returned (so scripts see it). With `run`, in a one-off container that is removed
 * afterwards: for a service that is not running, such as `migrate`.
 */
export async function deployExec(root: string, options: ExecOptions, output: Output): Promise<number> {
  const service = checkService(options.service);
  if (!options.command.length) {
    throw new AegisError(`deploy-exec needs a command after the service and "--": aegis deploy-exec ${service} -- <command> [args…]`);
  }
  const slug = projectSlug(root);
  return withSession(root, options, async (session, target) => {
    await requireRelease(session, target, 'run a command in');
    const tty = process.stdin.isTTY === true;
    const words = options.command.map(q).join(' ');
    const how = options.run ? `run --rm${tty ? '' : ' -T'} ${q(service)}` : `exec${tty ? '' : ' -T'} ${q(service)}`;
    const code = await attach(session, compose(target, slug, `${how} ${words}`));
    if (code !== 0) {
      (output.error ?? output.log)(
        `\`${options.command.join(' ')}\` exited with code ${code} in ${service} on ${target.host}` +
          (options.run ? '.' : ` (a service that is not running, such as migrate, needs --run).`),
      );
    }
    return code;
  });
}

/** `aegis deploy-stop`: `docker compose stop` in the current release (containers and volumes stay; deploy-restart starts them again). */
export async function deployStop(root: string, options: ConnectOptions & { service?: string }, output: Output): Promise<void> {
  const service = options.service === undefined ? undefined : checkService(options.service);
  const slug = projectSlug(root);
  await withSession(root, options, async (session, target) => {
    const current = await requireRelease(session, target, 'stop');
    await new Steps(session, 1, output).run(
      `Stopping ${service ?? 'the app'}: docker compose stop`,
      compose(target, slug, `stop${service ? ` ${q(service)}` : ''}`),
    );
    output.log(`Stopped ${service ?? 'every service'} of release ${current}; its containers and data stay. "aegis deploy-restart" starts ${service ? 'it' : 'them'} again.`);
  });
}

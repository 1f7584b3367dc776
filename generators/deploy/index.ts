// First: on a Node this package does not support, loading stops here with a clear line (shared/node-guard.ts).
import '../../shared/node-guard.js';
import Generator from 'yeoman-generator';
import { DEPLOY_ACTION_OPTIONS } from '../../shared/deploy/deploy-options.js';
import { DEPLOY_ACTIONS, type DeployAction, runDeployAction } from '../../shared/deploy/run-action.js';
import { AegisError } from '../../shared/errors.js';
import { registerOptions } from '../../shared/yeoman/generator-options.js';
import type { OptionDefinition } from '../../shared/options/definitions.js';

/** `yo aegis:deploy <init|setup|push|status|logs|shell|restart|rollback|backup|backups|restore|exec|stop|history|cd-setup>`: the same actions as `aegis deploy-*`. */
export default class DeployGenerator extends Generator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options as never, { customInstallTask: true });
    this.argument('action', { type: String, required: false, description: DEPLOY_ACTIONS.join('|') });
    this.argument('release', { type: String, required: false, description: 'for rollback: the release to make current; for restore: the backup id; for exec: the service' });
    this.argument('command', { type: Array, required: false, description: 'for exec: the command and its arguments (after "--")' });
    const byName = new Map<string, OptionDefinition>();
    for (const definitions of Object.values(DEPLOY_ACTION_OPTIONS)) for (const option of definitions) byName.set(option.name, option);
    // Yeoman refuses an option named no-X: it is the negation of the boolean X (--no-backup sets backup to false,
    // which runDeployAction reads as --no-backup).
    for (const option of [...byName.values()].filter((candidate) => candidate.name.startsWith('no-'))) {
      byName.delete(option.name);
      const positive = option.name.slice(3);
      if (!byName.has(positive)) byName.set(positive, { name: positive, type: 'boolean', description: `--no-${positive}: ${option.description}` });
    }
    registerOptions(this, [...byName.values()]);
    if (!this.options.help) this._action();
  }

  _action(): DeployAction {
    const action = (this.options as Record<string, unknown>).action as string | undefined;
    if (!action || !(DEPLOY_ACTIONS as readonly string[]).includes(action)) {
      throw new AegisError(`yo aegis:deploy needs an action: ${DEPLOY_ACTIONS.join(', ')} (e.g. yo aegis:deploy init --host my-server).`);
    }
    return action as DeployAction;
  }

  async default(): Promise<void> {
    if (this.options.help) return;
    const release = (this.options as Record<string, unknown>).release as string | undefined;
    const command = ((this.options as Record<string, unknown>).command as string[] | undefined) ?? [];
    // Yeoman puts the generator's own namespace (aegis:deploy) in options.namespace; a --namespace given replaces it.
    // A Kubernetes namespace never has a colon, so one with a colon is Yeoman's, not the user's.
    const { namespace, ...rest } = this.options as Record<string, unknown>;
    const options = typeof namespace === 'string' && !namespace.includes(':') ? { ...rest, namespace } : rest;
    const code = await runDeployAction(this._action(), options, release ? [release, ...command] : [], {
      log: (line) => this.log(line),
      stream: (chunk) => process.stdout.write(chunk),
      error: (line) => process.stderr.write(`${line}\n`),
    });
    if (code !== 0) process.exitCode = code;
  }
}

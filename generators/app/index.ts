// First: on a Node this package does not support, loading stops here with a clear line (shared/node-guard.ts).
import '../../shared/node-guard.js';
import Generator from 'yeoman-generator';
import { type RawAnswers, defaultDescription } from '../../shared/model/answers.js';
import { type InitOptions, parseInitOptions } from '../../shared/options/parse.js';
import { validateProjectName } from '../../shared/model/project-name.js';
import { DEFAULT_PYTHON_VERSION, SUPPORTED_PYTHON_VERSIONS } from '../../shared/model/python-versions.js';
import { askFeatureOptions, registerOptions } from '../../shared/yeoman/generator-options.js';
import { OPTIONAL_COMPONENTS, SERVICES, findFeature } from '../../shared/model/registry.js';
import { runInitFromAnswers } from '../../shared/commands/run-init.js';
import { readInitFlags } from '../../shared/commands/init-request.js';
import { INIT_OPTIONS } from '../../shared/options/init.js';

function validationMessage(check: () => unknown): true | string {
  try {
    check();
    return true;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** `yo aegis [name]`: scaffolds a new project from the answers. */
export default class AppGenerator extends Generator {
  private raw: RawAnswers = {};
  private settings: InitOptions;

  constructor(args: string[], options: Record<string, unknown>) {
    // customInstallTask: there is no package.json to npm-install; our install step is uv's.
    super(args, options as never, { customInstallTask: true });
    this.argument('name', { type: String, required: false, description: 'Project name (lowercase, e.g. my-service)' });
    registerOptions(this, INIT_OPTIONS);
    this.settings = parseInitOptions(this.options as Record<string, unknown>);
    if (!this.options.help) this._checkFlags();
  }

  /**
   * Checks what the flags say before the run loop starts, so bad input fails at once, before any question,
   * with nothing written (a throw here surfaces as the one-line error alone).
   */
  _checkFlags(): void {
    this.raw = readInitFlags((this.options as Record<string, unknown>).name as string | undefined, this.options, this.settings, this.env.cwd);
  }

  async prompting(): Promise<void> {
    if (this.settings.yes) return;
    const raw = this.raw;
    const { name } = raw.name
      ? { name: raw.name }
      : await this.prompt<{ name: string }>([
          {
            type: 'input',
            name: 'name',
            message: 'Project name',
            validate: (value: string) => validationMessage(() => validateProjectName(value)),
          },
        ]);
    raw.name = name;
    const questions = [];
    if (raw.description === undefined) {
      questions.push({ type: 'input', name: 'description', message: 'Description', default: defaultDescription(name) });
    }
    if (raw.pythonVersion === undefined) {
      questions.push({
        type: 'select',
        name: 'pythonVersion',
        message: 'Python version',
        choices: [...SUPPORTED_PYTHON_VERSIONS],
        default: DEFAULT_PYTHON_VERSION,
      });
    }
    const pick = [
      { name: 'components', message: 'Components', features: OPTIONAL_COMPONENTS },
      { name: 'services', message: 'Services', features: SERVICES },
    ] as const;
    for (const { name: key, message, features } of pick) {
      if (raw[key] !== undefined || features.length === 0) continue;
      const choices = features.map((feature) => ({ name: `${feature.name}: ${feature.description}`, value: feature.name }));
      questions.push({ type: 'checkbox', name: key, message, choices });
    }
    if (questions.length === 0) return;
    const given = await this.prompt<RawAnswers>(questions as never);
    Object.assign(raw, Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)));
    if (Array.isArray(given.components)) raw.components = await this._promptOptions(given.components as string[]);
    if (Array.isArray(given.services)) raw.services = await this._promptOptions(given.services as string[]);
  }

  /** Asks each picked feature's options (e.g. the scheduler's persistence); returns `name[option=value,…]` entries. */
  async _promptOptions(names: readonly string[]): Promise<string[]> {
    const entries: string[] = [];
    for (const name of names) {
      const values = Object.entries(await askFeatureOptions(this, findFeature(name)!));
      entries.push(values.length ? `${name}[${values.map(([option, value]) => `${option}=${value}`).join(',')}]` : name);
    }
    return entries;
  }

  /** The whole init, and the exit status it ends with: this is the generator's last task. */
  async writing(): Promise<void> {
    const output = { log: (text: string) => this.log(text), print: (text: string) => process.stdout.write(text) };
    const result = await runInitFromAnswers(this.raw, this.settings, this.env.cwd, output);
    if (result.exitCode !== 0) process.exitCode = result.exitCode;
  }
}

// First: on a Node this package does not support, loading stops here with a clear line (shared/node-guard.ts).
import '../../shared/node-guard.js';
import { resolve } from 'node:path';
import Generator from 'yeoman-generator';
import {
  type ProjectAnswers,
  type RawAnswers,
  defaultDescription,
  resolveAnswers,
  validateDescription,
} from '../../shared/model/answers.js';
import { parseFeatureRequests } from '../../shared/model/feature-request.js';
import { type InitOptions, parseInitOptions } from '../../shared/options/parse.js';
import { readOption } from '../../shared/options/definitions.js';
import { validateProjectName } from '../../shared/model/project-name.js';
import { DEFAULT_PYTHON_VERSION, SUPPORTED_PYTHON_VERSIONS, parsePythonVersion } from '../../shared/model/python-versions.js';
import { askFeatureOptions, registerOptions } from '../../shared/yeoman/generator-options.js';
import { OPTIONAL_COMPONENTS, SERVICES, findFeature } from '../../shared/model/registry.js';
import { runInit } from '../../shared/commands/run-init.js';
import { assertTargetUsable } from '../../shared/project/target-dir.js';
import { formatNextSteps } from './next-steps.js';
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
  private answers?: ProjectAnswers;
  private notes: readonly string[] = [];
  private target = '';
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
    const option = (name: string): string | undefined => readOption(this.options, name) as string | undefined;
    this.raw = {
      name: (this.options as Record<string, unknown>).name as string | undefined,
      description: option('description'),
      pythonVersion: option('python-version'),
      components: option('components'),
      services: option('services'),
    };
    if (this.raw.name !== undefined || this.settings.yes) validateProjectName(this.raw.name);
    if (this.raw.description !== undefined) validateDescription(this.raw.description);
    if (this.raw.pythonVersion !== undefined) parsePythonVersion(this.raw.pythonVersion);
    if (this.raw.name !== undefined) {
      resolveAnswers(this.raw);
      this._resolveTarget(this.raw.name);
    } else {
      parseFeatureRequests('component', this.raw.components);
      parseFeatureRequests('service', this.raw.services);
    }
  }

  /** The project folder for `name`, refused when it is unusable. */
  _resolveTarget(name: string): string {
    const target = resolve(this.env.cwd, this.settings.outputDir ?? '.', name);
    assertTargetUsable(target, this.settings.force);
    return target;
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

  configuring(): void {
    const { answers, notes } = resolveAnswers(this.raw);
    this.answers = answers;
    this.notes = notes;
    this.target = this._resolveTarget(this.answers.name);
  }

  /** The whole init, and the exit status it ends with: this is the generator's last task. */
  async writing(): Promise<void> {
    const answers = this.answers!;
    const result = await runInit({
      target: this.target,
      answers,
      notes: this.notes,
      options: this.settings,
      output: { log: (text) => this.log(text), print: (text) => process.stdout.write(text) },
      nextSteps: (installed) => formatNextSteps(answers, { target: this.target, cwd: this.env.cwd, installed }),
    });
    if (result.exitCode !== 0) process.exitCode = result.exitCode;
  }
}

import Generator from 'yeoman-generator';
import type { CommandOutput } from '../commands/apply-and-report.js';
import { CHANGE_OPTIONS } from '../options/change.js';
import type { AnswersChange } from '../commands/change-plan.js';
import type { ChangeOptions } from '../options/parse.js';
import type { FeatureRequest } from '../model/feature-request.js';
import { resolveSelection } from '../model/feature-selection.js';
import { askFeatureOptions, registerOptions } from './generator-options.js';
import type { OptionDefinition } from '../options/definitions.js';
import type { LoadedProject } from '../commands/project-load.js';
import type { FileChange } from '../engine/reconcile.js';
import { findFeature } from '../model/registry.js';
import { prepareChange, runChange } from '../commands/run-change.js';

export type { AnswersChange } from '../commands/change-plan.js';

/**
 * The Yeoman side of add and remove: parse the options, read the project (or take the one the bin read), ask what
 * is open, and hand the change to `runChange`.
 * Subclasses only say which change: `_change()`.
 */
export abstract class ChangeGenerator extends Generator {
  protected settings?: ChangeOptions;
  protected project?: LoadedProject;
  protected change?: AnswersChange;
  /** The planned file changes, once `writing` has run. */
  changes: readonly FileChange[] = [];

  constructor(args: string[], options: Record<string, unknown>, definitions: readonly OptionDefinition[]) {
    // inheritTasks: the run-loop methods below live on this base class, not on each generator's own class.
    super(args, options as never, { customInstallTask: true, inheritTasks: true });
    registerOptions(this, [...definitions, ...CHANGE_OPTIONS]);
  }

  abstract _change(): AnswersChange;

  /** Reads the project and checks the new answers; a throw here prints one line and leaves the project as it was. */
  _prepare(): void {
    if (this.options.help) return;
    const prepared = prepareChange(this.options as Record<string, unknown>, this.env.cwd, () => this._change(), (line) => this.log(line));
    this.settings = prepared.settings;
    this.project = prepared.project;
    this.change = prepared.change;
  }

  /** Asks, on a terminal and without --yes, the options of features being added for the first time. */
  async prompting(): Promise<void> {
    if (!this.settings || this.settings.yes || !process.stdin.isTTY) return;
    const { state } = this.project!;
    const present = new Set(resolveSelection(state.answers, state.answers.options).features.map((f) => f.name));
    const asked: FeatureRequest[] = [];
    for (const request of this.change!.add) {
      const options = present.has(request.name) ? request.options : await askFeatureOptions(this, findFeature(request.name)!, request.options);
      asked.push({ name: request.name, options });
    }
    this.change = { ...this.change!, add: asked };
  }

  /** The whole change, and the exit status it ends with: this is the generator's last task. */
  async writing(): Promise<void> {
    if (!this.settings) return;
    const output: CommandOutput = { log: (text) => this.log(text), print: (text) => process.stdout.write(text) };
    const result = await runChange(this.project!, this.change!, this.settings, output);
    this.changes = result.changes;
    if (result.exitCode !== 0) process.exitCode = result.exitCode;
  }
}

import { resolve } from 'node:path';
import Generator from 'yeoman-generator';
import { applyChanges } from '../engine/apply-changes.js';
import { recoverInterruptedChange } from '../engine/apply-transaction.js';
import { changesJson, formatChangeReport, formatConflicts, formatStat } from '../engine/change-report.js';
import { CHANGE_OPTIONS } from '../options/change.js';
import { compareVersions } from '../update/changelog.js';
import { AegisError } from '../errors.js';
import type { FeatureRequest } from '../model/feature-request.js';
import { type Selection, addFeatures, removeFeatures, resolveSelection } from '../model/feature-selection.js';
import { askFeatureOptions, registerOptions } from './generator-options.js';
import { runInstall } from '../project/install.js';
import { type OptionDefinition, readOption } from '../options/definitions.js';
import { packageVersion } from '../package-info.js';
import { planProjectChange } from '../engine/project-change.js';
import { type ProjectState, readState } from '../model/project-state.js';
import type { FileChange } from '../engine/reconcile.js';
import { findFeature } from '../model/registry.js';
import { readPythonFiles } from '../project/python-files.js';
import { formatStaleImports, staleImportsAfter } from '../project/stale-imports.js';

/**
 * add and remove render both sides with this version's templates, so the project must be at this version: else the
 * template changes in between would count as the user's edits. `aegis update` brings it there first.
 */
function refuseOutOfStepProject(root: string, state: ProjectState): void {
  if (state.pendingUpdate) {
    throw new AegisError(
      `${root} is in the middle of an update to generator-aegis ${state.pendingUpdate.version} with conflicts: resolve them ` +
        'and run "aegis update --finish" first.',
    );
  }
  if (state.version === packageVersion) return;
  const fix =
    compareVersions(state.version, packageVersion) < 0
      ? `run "aegis update" first to bring in the template changes since ${state.version}, then run this again`
      : `install that version (npm install -g generator-aegis@${state.version}) or newer and run it`;
  throw new AegisError(`${root} was last rendered by generator-aegis ${state.version}, and this is ${packageVersion}: ${fix}.`);
}

/** A change to the project's answers: features to add (with options) or to remove. */
export interface AnswersChange {
  readonly add: readonly FeatureRequest[];
  readonly remove: readonly string[];
}

/**
 * The Yeoman side of add and remove: read the project's answers, change them, let the engine plan the files, and
 * apply the plan all-or-nothing (see apply-transaction.ts).
 * Subclasses only say which change: `_change()`.
 */
export abstract class ChangeGenerator extends Generator {
  protected root = '';
  protected state?: ProjectState;
  protected next?: ProjectState;
  protected notes: readonly string[] = [];
  /** The planned file changes, once `writing` has run. */
  changes: readonly FileChange[] = [];

  constructor(args: string[], options: Record<string, unknown>, definitions: readonly OptionDefinition[]) {
    // inheritTasks: the run-loop methods below live on this base class, not on each generator's own class.
    super(args, options as never, { customInstallTask: true, inheritTasks: true });
    registerOptions(this, [...definitions, ...CHANGE_OPTIONS]);
  }

  abstract _change(): AnswersChange;

  _flag(name: string): unknown {
    return readOption(this.options as Record<string, unknown>, name);
  }

  /** Reads the project and computes the new answers; a throw here prints one line and leaves the project as it was. */
  _prepare(): void {
    if (this.options.help) return;
    this.root = resolve(this.env.cwd, (this._flag('project-path') as string | undefined) ?? '.');
    for (const flag of ['stat', 'json']) {
      if (this._flag(flag) === true && this._flag('dry-run') !== true) throw new AegisError(`--${flag} describes a plan: use it with --dry-run.`);
    }
    const recovered = recoverInterruptedChange(this.root);
    if (recovered) this.log(recovered);
    const state = readState(this.root);
    refuseOutOfStepProject(this.root, state);
    const change = this._change();
    const { selection, notes } = change.remove.length
      ? removeFeatures(state.answers, change.remove)
      : addFeatures(state.answers, change.add);
    this.state = state;
    this._select(selection, notes);
  }

  _select(selection: Selection, notes: readonly string[]): void {
    const state = this.state!;
    this.notes = notes;
    this.next = {
      version: state.version,
      answers: { ...state.answers, components: selection.components, services: selection.services, options: selection.options },
    };
  }

  /** Asks, on a terminal and without --yes, the options of features being added for the first time. */
  async prompting(): Promise<void> {
    if (this._flag('yes') === true || !process.stdin.isTTY || !this.state) return;
    const change = this._change();
    const present = new Set(resolveSelection(this.state.answers, this.state.answers.options).features.map((f) => f.name));
    const asked: FeatureRequest[] = [];
    for (const request of change.add) {
      const options = present.has(request.name) ? request.options : await askFeatureOptions(this, findFeature(request.name)!, request.options);
      asked.push({ name: request.name, options });
    }
    const { selection, notes } = addFeatures(this.state.answers, asked);
    this._select(selection, notes);
  }

  writing(): void {
    const state = this.state!;
    const json = this._flag('json') === true;
    if (!json) for (const note of this.notes) this.log(note);
    this.changes = planProjectChange({ root: this.root, before: state, after: this.next! });
    if (this._flag('dry-run') === true) {
      if (json) process.stdout.write(`${JSON.stringify({ notes: this.notes, files: changesJson(this.changes) }, null, 2)}\n`);
      else if (this._flag('stat') === true) process.stdout.write(`${formatStat(this.changes)}\nDry run: nothing was written.\n`);
      else process.stdout.write(`${formatChangeReport(this.changes, { diffs: true, dryRun: true })}\nDry run: nothing was written.\n`);
      return;
    }
    applyChanges(this.root, this.changes);
  }

  async install(): Promise<void> {
    if (this._flag('dry-run') === true || this.changes.length === 0) return;
    const conflicted = this.changes.some((change) => change.action === 'conflict');
    const codeChanged = this.changes.some((change) => change.path !== '.yo-rc.json');
    if (conflicted || !codeChanged || this._flag('skip-install') === true) return;
    await runInstall(this.root, (line) => this.log(line));
  }

  end(): void {
    if (this._flag('dry-run') === true) return;
    // Conflicts are listed once, below, with what to do.
    if (this.changes.length) this.log(formatChangeReport(this.changes, { only: ['create', 'update', 'delete', 'merge', 'keep', 'skip'] }));
    if (this.changes.some((change) => change.action === 'conflict')) {
      this.log(formatConflicts(this.changes));
      this.log('The install step was skipped until the conflicts are resolved.');
      process.exitCode = 1;
    }
    const stale = staleImportsAfter(this.changes, () => readPythonFiles(this.root));
    if (stale.length) {
      this.log(formatStaleImports(stale));
      process.exitCode = 1;
    }
  }
}

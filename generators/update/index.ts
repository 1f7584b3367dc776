import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Generator from 'yeoman-generator';
import { applyChanges } from '../../shared/engine/apply-changes.js';
import { recoverInterruptedChange } from '../../shared/engine/apply-transaction.js';
import { binaryConflictNote, formatChangeReport, isBinaryConflict } from '../../shared/engine/change-report.js';
import { compareVersions } from '../../shared/update/changelog.js';
import { AegisError } from '../../shared/errors.js';
import { type BackupPoint, createBackupPoint, dropBackupPoint, gitToplevel, registerUnmerged, uncommittedPaths, unmergedPaths } from '../../shared/update/git.js';
import { registerOptions } from '../../shared/yeoman/generator-options.js';
import { runInstall } from '../../shared/project/install.js';
import { hasConflictMarkers } from '../../shared/engine/line-merge.js';
import { readOption } from '../../shared/options/definitions.js';
import { packageVersion } from '../../shared/package-info.js';
import { readDiskFile, realDisk, stateFileChange } from '../../shared/engine/project-change.js';
import { type ProjectState, STATE_FILE, readState } from '../../shared/model/project-state.js';
import type { FileChange } from '../../shared/engine/reconcile.js';
import { UPDATE_COMMAND_OPTIONS } from '../../shared/options/update.js';
import { checkFromSource, locateVersion } from '../../shared/update/version-source.js';
import { type UpdatePlan, planUpdate } from '../../shared/update/update-plan.js';
import { formatUpdatePlan, updatePlanJson } from '../../shared/update/update-report.js';

type Mode = 'update' | 'finish' | 'current';

/** `yo aegis:update` / `aegis update`: brings the template changes since the recorded version into the project. */
export default class UpdateGenerator extends Generator {
  private root = '';
  private state?: ProjectState;
  private stateText = '';
  private mode: Mode = 'current';
  private plan?: UpdatePlan;
  private inGit = false;
  private backup?: BackupPoint;

  private oldPackageRoot = '';

  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options as never, { customInstallTask: true });
    registerOptions(this, UPDATE_COMMAND_OPTIONS);
    // Checks that can fail on the user's input run here, before the run loop: the error is then one line alone.
    if (!this.options.help) this._prepare();
  }

  _flag(name: string): unknown {
    return readOption(this.options as Record<string, unknown>, name);
  }

  _dryRun(): boolean {
    return this._flag('dry-run') === true;
  }

  _prepare(): void {
    this.root = resolve(this.env.cwd, (this._flag('project-path') as string | undefined) ?? '.');
    this._checkFlags();
    const recovered = recoverInterruptedChange(this.root);
    if (recovered) this.log(recovered);
    const state = readState(this.root);
    this.state = state;
    this.stateText = readFileSync(join(this.root, STATE_FILE), 'utf8');
    this.inGit = gitToplevel(this.root) !== undefined;
    if (state.pendingUpdate) {
      this.mode = 'finish';
      this._checkResolved();
      return;
    }
    if (this._flag('finish') === true) {
      throw new AegisError(`No update is pending in ${this.root}: there is nothing to finish (run "aegis update" to start one).`);
    }
    const order = compareVersions(state.version, packageVersion);
    if (order === 0) return;
    if (order > 0) {
      throw new AegisError(
        `${this.root} was last rendered by generator-aegis ${state.version}, newer than this ${packageVersion}: ` +
          `install the newer one (npm install -g generator-aegis@${state.version}) and run it.`,
      );
    }
    this.mode = 'update';
    if (!this._dryRun() && this.inGit && this._flag('force') !== true) this._refuseDirtyTree();
    const from = this._flag('from') as string | undefined;
    this.oldPackageRoot = locateVersion(state.version, { ...(from !== undefined ? { from } : {}), log: (line) => this.log(line) });
  }

  async initializing(): Promise<void> {
    if (this.options.help || this.mode !== 'update') return;
    const conflictStyle = this._flag('conflict-style') as 'merge' | 'diff3' | undefined;
    this.plan = await planUpdate({
      root: this.root,
      state: this.state!,
      stateText: this.stateText,
      oldPackageRoot: this.oldPackageRoot,
      ...(conflictStyle ? { conflictStyle } : {}),
    });
  }

  _checkFlags(): void {
    const style = this._flag('conflict-style');
    if (style !== undefined && style !== 'merge' && style !== 'diff3') {
      throw new AegisError(`--conflict-style ${String(style)}: choose merge or diff3.`);
    }
    for (const flag of ['stat', 'json', 'exit-code']) {
      if (this._flag(flag) === true && !this._dryRun()) throw new AegisError(`--${flag} describes a plan: use it with --dry-run.`);
    }
    if (this._flag('finish') === true && this._dryRun()) throw new AegisError('--finish and --dry-run do not go together.');
    const from = this._flag('from');
    if (typeof from === 'string') checkFromSource(from);
  }

  _refuseDirtyTree(): void {
    const dirty = uncommittedPaths(this.root);
    if (dirty.length === 0) return;
    throw new AegisError(
      [
        `${this.root} has uncommitted changes, so the update would mix with them:`,
        ...dirty.map((path) => `  ${path}`),
        'Commit or stash them first, then run the update again (or pass --force: they go into the backup tag first).',
      ].join('\n'),
    );
  }

  writing(): void {
    if (this.options.help) return;
    if (this.mode === 'current') {
      if (this._dryRun() && this._flag('json') === true) {
        const plan = { from: packageVersion, to: packageVersion, changelog: [], changes: [] };
        process.stdout.write(`${JSON.stringify(updatePlanJson(plan), null, 2)}\n`);
        return;
      }
      this.log(`${this.root} is up to date: generator-aegis ${packageVersion} rendered it last.`);
      return;
    }
    if (this.mode === 'finish') return this._finish();
    const plan = this.plan!;
    if (this._dryRun()) return this._printDryRun(plan);
    this.log(`Updating from generator-aegis ${plan.from} to ${plan.to}.`);
    if (this.inGit && plan.changes.length > 0) {
      const created = plan.changes.filter((change) => change.action === 'create').map((change) => change.path);
      this.backup = createBackupPoint(this.root, `aegis-update/before-${plan.to}-${timestamp()}`, created);
      this.log(
        this.backup
          ? `Backup: tag ${this.backup.ref}. To undo the update: ${this.backup.restore}`
          : 'No backup point: this repository has no commit yet.',
      );
    }
    const conflicts = plan.changes.filter((change) => change.action === 'conflict').map((change) => change.path);
    const backup = this.backup ? { backup: this.backup.ref } : {};
    const next: ProjectState =
      conflicts.length > 0
        ? { ...this.state!, pendingUpdate: { version: plan.to, conflicts, ...backup } }
        : { version: plan.to, answers: this.state!.answers };
    try {
      applyChanges(this.root, [...plan.changes, ...this._stateChange(next)]);
    } catch (error) {
      if (this.backup) dropBackupPoint(this.root, this.backup);
      throw error;
    }
  }

  _stateChange(next: ProjectState): FileChange[] {
    const change = stateFileChange(realDisk(this.root), next);
    return change ? [change] : [];
  }

  _printDryRun(plan: UpdatePlan): void {
    if (this._flag('json') === true) process.stdout.write(`${JSON.stringify(updatePlanJson(plan), null, 2)}\n`);
    else process.stdout.write(`${formatUpdatePlan(plan, { stat: this._flag('stat') === true })}\n`);
    if (this._flag('exit-code') === true && plan.changes.length > 0) process.exitCode = 1;
  }

  /** A pending update ends once no conflict is left: markers in a file, or an unmerged entry in git's index. */
  _checkResolved(): void {
    const pending = this.state!.pendingUpdate!;
    if (compareVersions(pending.version, packageVersion) > 0) {
      throw new AegisError(`The pending update is to generator-aegis ${pending.version}, newer than this ${packageVersion}: finish it with that version.`);
    }
    const problems: string[] = [];
    for (const path of pending.conflicts) {
      const contents = readDiskFile(this.root, path);
      if (typeof contents === 'string' && hasConflictMarkers(contents)) problems.push(`  ${path}  (conflict markers remain)`);
    }
    if (this.inGit) {
      for (const path of unmergedPaths(this.root)) {
        if (!problems.some((line) => line.startsWith(`  ${path}  `))) {
          problems.push(`  ${path}  (unmerged in git's index: "git add ${path}" once it is resolved)`);
        }
      }
    }
    if (problems.length > 0) {
      throw new AegisError(
        [
          `The update to generator-aegis ${pending.version} is not finished; still conflicted:`,
          ...problems,
          'Resolve each file (keep what you want between the markers, delete the markers), "git add" it, then run "aegis update --finish".',
        ].join('\n'),
      );
    }
  }

  _finish(): void {
    const pending = this.state!.pendingUpdate!;
    if (this._dryRun()) {
      process.stdout.write(`The update to ${pending.version} is resolved; "aegis update --finish" records it.\n`);
      return;
    }
    applyChanges(this.root, this._stateChange({ version: pending.version, answers: this.state!.answers }));
    this.log(`Update to generator-aegis ${pending.version} finished: the project records it now.`);
  }

  async install(): Promise<void> {
    if (this.options.help || this._dryRun() || this.mode === 'current') return;
    const changes = this.plan?.changes ?? [];
    const conflicts = changes.filter((change) => change.action === 'conflict');
    if (this.inGit) {
      registerUnmerged(this.root, conflicts.map((change) => ({ path: change.path, ...change.sides! })));
    }
    const codeChanged = this.mode === 'finish' || changes.length > 0;
    if (conflicts.length > 0 || !codeChanged || this._flag('skip-install') === true) return;
    await runInstall(this.root, (line) => this.log(line));
  }

  end(): void {
    if (this.options.help || this._dryRun() || this.mode !== 'update') return;
    const plan = this.plan!;
    // Conflicts are listed once, below, with what to do.
    this.log(formatChangeReport(plan.changes, { only: ['create', 'update', 'delete', 'merge', 'keep', 'skip'] }));
    const conflicts = plan.changes.filter((change) => change.action === 'conflict');
    if (conflicts.length === 0) {
      this.log(`Updated to generator-aegis ${plan.to}.`);
      return;
    }
    this.log(
      [
        `${conflicts.length} file${conflicts.length === 1 ? ' has' : 's have'} conflicts between your edits and generator-aegis ${plan.to}:`,
        ...conflicts.map((change) =>
          isBinaryConflict(change) ? `  ${change.path}  (${binaryConflictNote(change, this.inGit)})` : `  ${change.path}`,
        ),
        conflicts.every(isBinaryConflict)
          ? `Keep yours or take the template's for each one${this.inGit ? ', "git add" it,' : ','}`
          : this.inGit
            ? 'Resolve each one (git mergetool, your editor\'s merge view, or by hand between the <<<<<<< / ======= / >>>>>>> markers), "git add" it,'
            : 'Resolve each one: keep what you want between the <<<<<<< / ======= / >>>>>>> markers and delete the markers,',
        `then run "aegis update --finish". Until then the project stays recorded at ${plan.from}, and the install step waits.`,
      ].join('\n'),
    );
    process.exitCode = 1;
  }
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
}

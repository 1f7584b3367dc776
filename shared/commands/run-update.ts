import { type CommandOutput, type CommandResult, applyAndReport, reportChanges } from './apply-and-report.js';
import { applyChanges } from '../engine/apply-changes.js';
import { binaryConflictNote, isBinaryConflict } from '../engine/change-report.js';
import { compareVersions } from '../model/version-order.js';
import { type UpdateOptions, parseUpdateOptions } from '../options/parse.js';
import { AegisError } from '../errors.js';
import { createBackupPoint, dropBackupPoint, gitToplevel, registerUnmerged, uncommittedPaths, unmergedPaths } from '../update/git.js';
import { hasConflictMarkers } from '../engine/line-merge.js';
import { packageVersion } from '../package-info.js';
import { readDiskFile, stateTextChange } from '../engine/project-change.js';
import { type LoadedProject, givenProject, loadProject } from './project-load.js';
import type { ProjectState } from '../model/project-state.js';
import type { FileChange } from '../engine/reconcile.js';
import { type UpdatePlan, planUpdate } from '../update/update-plan.js';
import { formatUpdatePlan, updatePlanJson } from '../update/update-report.js';
import { locateVersion } from '../update/version-source.js';

/** What `aegis update` does with a project: bring it to this version, finish a pending update, or nothing. */
export type UpdateMode = 'update' | 'finish' | 'current';

/** A project checked for an update, before anything is planned. */
export interface PreparedUpdate {
  readonly project: LoadedProject;
  readonly mode: UpdateMode;
  readonly inGit: boolean;
  /** The package of the recorded version (mode `update`). */
  readonly oldPackageRoot: string;
}

/**
 * update's options read and its project loaded (or the one the bin read, handed on as the option `project`), then
 * `prepareUpdate`: every refusal of bad input is thrown from here, before anything is written.
 */
export async function prepareUpdateCommand(raw: Record<string, unknown>, cwd: string, log: (line: string) => void): Promise<{ settings: UpdateOptions; prepared: PreparedUpdate }> {
  const { settings, prepared } = checkUpdateCommand(raw, cwd, log);
  return { settings, prepared: await locateOldPackage(prepared, settings, log) };
}

/** `prepareUpdateCommand` without fetching the recorded version's package: the checks that need no network. */
export function checkUpdateCommand(raw: Record<string, unknown>, cwd: string, log: (line: string) => void): { settings: UpdateOptions; prepared: PreparedUpdate } {
  const settings = parseUpdateOptions(raw, cwd);
  const project = givenProject(raw, settings.root) ?? loadProject(settings.root, log);
  return { settings, prepared: prepareUpdate(project, settings) };
}

/** For an update that is due, the package of the version the project was last rendered by (--from, cache or registry). */
export async function locateOldPackage(prepared: PreparedUpdate, options: UpdateOptions, log: (line: string) => void): Promise<PreparedUpdate> {
  if (prepared.mode !== 'update' || prepared.oldPackageRoot !== '') return prepared;
  const from = options.from !== undefined ? { from: options.from } : {};
  return { ...prepared, oldPackageRoot: await locateVersion(prepared.project.state.version, { ...from, log }) };
}

/**
 * Checks that can fail on the user's input, before anything is planned: each refusal is one message. The recorded
 * version's package is located afterwards (`locateOldPackage`): it may need the network.
 */
export function prepareUpdate(project: LoadedProject, options: UpdateOptions): PreparedUpdate {
  const { root, state } = project;
  const inGit = gitToplevel(root) !== undefined;
  const prepared = { project, inGit, oldPackageRoot: '' };
  if (state.pendingUpdate) {
    refuseUnresolved(project, inGit);
    return { ...prepared, mode: 'finish' };
  }
  if (options.finish) {
    throw new AegisError(`No update is pending in ${root}: there is nothing to finish (run "aegis update" to start one).`);
  }
  const order = compareVersions(state.version, packageVersion);
  if (order === 0) return { ...prepared, mode: 'current' };
  if (order > 0) {
    throw new AegisError(
      `${root} was last rendered by generator-aegis ${state.version}, newer than this ${packageVersion}: ` +
        `install the newer one (npm install -g generator-aegis@${state.version}) and run it.`,
    );
  }
  if (!options.dryRun && inGit && !options.force) refuseDirtyTree(root);
  return { ...prepared, mode: 'update' };
}

function refuseDirtyTree(root: string): void {
  const dirty = uncommittedPaths(root);
  if (dirty.length === 0) return;
  throw new AegisError(
    [
      `${root} has uncommitted changes, so the update would mix with them:`,
      ...dirty.map((path) => `  ${path}`),
      'Commit or stash them first, then run the update again (or pass --force: they go into the backup tag first).',
    ].join('\n'),
  );
}

/** A pending update ends once no conflict is left: markers in a file, or an unmerged entry in git's index. */
function refuseUnresolved(project: LoadedProject, inGit: boolean): void {
  const pending = project.state.pendingUpdate!;
  if (compareVersions(pending.version, packageVersion) > 0) {
    throw new AegisError(`The pending update is to generator-aegis ${pending.version}, newer than this ${packageVersion}: finish it with that version.`);
  }
  const problems: string[] = [];
  for (const path of pending.conflicts) {
    const contents = readDiskFile(project.root, path);
    if (typeof contents === 'string' && hasConflictMarkers(contents)) problems.push(`  ${path}  (conflict markers remain)`);
  }
  if (inGit) {
    for (const path of unmergedPaths(project.root)) {
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

/** `aegis update` as a plain function, once prepared: plan, then the shared tail. */
export async function runUpdate(prepared: PreparedUpdate, options: UpdateOptions, output: CommandOutput): Promise<CommandResult> {
  const { project } = prepared;
  if (prepared.mode === 'finish') return finishUpdate(prepared, options, output);
  if (prepared.mode === 'current') {
    if (options.dryRun && options.json) {
      const plan = { from: packageVersion, to: packageVersion, changelog: [], changes: [] };
      output.print(`${JSON.stringify(updatePlanJson(plan), null, 2)}\n`);
    } else {
      output.log(`${project.root} is up to date: generator-aegis ${packageVersion} rendered it last.`);
    }
    return { exitCode: 0, changes: [] };
  }
  const plan = await planUpdate({
    root: project.root,
    state: project.state,
    stateText: project.stateText,
    oldPackageRoot: prepared.oldPackageRoot,
    ...(options.conflictStyle ? { conflictStyle: options.conflictStyle } : {}),
  });
  return applyAndReport({
    root: project.root,
    changes: plan.changes,
    options,
    output,
    preview: () => ({
      text: options.json ? `${JSON.stringify(updatePlanJson(plan), null, 2)}\n` : `${formatUpdatePlan(plan, { stat: options.stat })}\n`,
      exitCode: options.exitCode && plan.changes.length > 0 ? 1 : 0,
    }),
    apply: (changes) => applyWithBackup(prepared, plan, changes, output),
    applied: () => {
      if (!prepared.inGit) return;
      const conflicts = plan.changes.filter((change) => change.action === 'conflict');
      registerUnmerged(project.root, conflicts.map((change) => ({ path: change.path, ...change.sides! })));
    },
    report: (changes) =>
      reportChanges(project.root, changes, {
        listEmpty: true,
        conflicts: (conflicted) => updateConflicts(conflicted, plan, prepared.inGit),
        done: `Updated to generator-aegis ${plan.to}.`,
      }),
  });
}

/** In git, a backup tag first (named in .yo-rc.json while conflicts are pending); the change and the state then. */
function applyWithBackup(prepared: PreparedUpdate, plan: UpdatePlan, changes: readonly FileChange[], output: CommandOutput): void {
  const { root, stateText } = prepared.project;
  output.log(`Updating from generator-aegis ${plan.from} to ${plan.to}.`);
  let backup: ReturnType<typeof createBackupPoint> = undefined;
  if (prepared.inGit && changes.length > 0) {
    const created = changes.filter((change) => change.action === 'create').map((change) => change.path);
    backup = createBackupPoint(root, `aegis-update/before-${plan.to}-${timestamp()}`, created);
    output.log(backup ? `Backup: tag ${backup.ref}. To undo the update: ${backup.restore}` : 'No backup point: this repository has no commit yet.');
  }
  const pending = plan.nextState.pendingUpdate;
  const next: ProjectState = pending && backup ? { ...plan.nextState, pendingUpdate: { ...pending, backup: backup.ref } } : plan.nextState;
  const stateChange = stateTextChange(stateText, next);
  try {
    applyChanges(root, [...changes, ...(stateChange ? [stateChange] : [])]);
  } catch (error) {
    if (backup) dropBackupPoint(root, backup);
    throw error;
  }
}

function updateConflicts(conflicts: readonly FileChange[], plan: UpdatePlan, inGit: boolean): string {
  return [
    `${conflicts.length} file${conflicts.length === 1 ? ' has' : 's have'} conflicts between your edits and generator-aegis ${plan.to}:`,
    ...conflicts.map((change) => (isBinaryConflict(change) ? `  ${change.path}  (${binaryConflictNote(change, inGit)})` : `  ${change.path}`)),
    conflicts.every(isBinaryConflict)
      ? `Keep yours or take the template's for each one${inGit ? ', "git add" it,' : ','}`
      : inGit
        ? 'Resolve each one (git mergetool, your editor\'s merge view, or by hand between the <<<<<<< / ======= / >>>>>>> markers), "git add" it,'
        : 'Resolve each one: keep what you want between the <<<<<<< / ======= / >>>>>>> markers and delete the markers,',
    `then run "aegis update --finish". Until then the project stays recorded at ${plan.from}, and the install step waits.`,
  ].join('\n');
}

/** `aegis update --finish`: the resolved update recorded, then the install step it waited for. */
function finishUpdate(prepared: PreparedUpdate, options: UpdateOptions, output: CommandOutput): Promise<CommandResult> {
  const { root, state, stateText } = prepared.project;
  const pending = state.pendingUpdate!;
  const stateChange = stateTextChange(stateText, { version: pending.version, answers: state.answers });
  return applyAndReport({
    root,
    changes: stateChange ? [stateChange] : [],
    options,
    output,
    preview: () => ({ text: `The update to ${pending.version} is resolved; "aegis update --finish" records it.\n` }),
    applied: () => output.log(`Update to generator-aegis ${pending.version} finished: the project records it now.`),
    installAlways: true,
    report: () => ({ lines: [], exitCode: 0 }),
  });
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
}

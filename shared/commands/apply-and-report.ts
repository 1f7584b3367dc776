import { applyChanges } from '../engine/apply-changes.js';
import { formatChangeReport, formatConflicts } from '../engine/change-report.js';
import { runInstall } from '../project/install.js';
import { STATE_FILE } from '../model/project-state.js';
import { readPythonFiles } from '../project/python-files.js';
import type { FileChange } from '../engine/reconcile.js';
import { formatStaleImports, staleImportsAfter } from '../project/stale-imports.js';

/** Where a command speaks: `log` for progress and reports (Yeoman's log, on stderr), `print` for a dry run's plan (stdout). */
export interface CommandOutput {
  log(text: string): void;
  print(text: string): void;
}

/** The options the tail of every command that writes a project reads. */
export interface TailOptions {
  readonly dryRun: boolean;
  readonly skipInstall: boolean;
}

/** What a command ends with; the outermost adapter turns `exitCode` into the process's. */
export interface CommandResult {
  readonly exitCode: number;
  readonly changes: readonly FileChange[];
}

export interface ApplyRequest {
  readonly root: string;
  /** Every file the command writes, .yo-rc.json included. */
  readonly changes: readonly FileChange[];
  readonly options: TailOptions;
  readonly output: CommandOutput;
  /** The dry run: the text printed on stdout, and the exit code it ends with (absent: the command has no dry run). */
  readonly preview?: () => { readonly text: string; readonly exitCode?: number };
  /** Writes the changes all-or-nothing; `applyChanges` unless the command wraps it (update's backup point). */
  readonly apply?: (changes: readonly FileChange[]) => void;
  /** Runs once the changes are on disk, before the install step. */
  readonly applied?: () => void;
  /** The install step even when only .yo-rc.json changes (the code changed earlier: init, update --finish). */
  readonly installAlways?: boolean;
  /** What is said once the change is written and installed, and the exit code. */
  readonly report: (changes: readonly FileChange[]) => { readonly lines: readonly string[]; readonly exitCode: number };
}

const REPORTED = ['create', 'update', 'delete', 'merge', 'keep', 'skip'] as const;

/**
 * The one tail of init, add, remove, update and update --finish: the dry run's output, or the change applied
 * all-or-nothing, the install step (skipped on conflicts, with --skip-install, or when no code changed) and the report.
 */
export async function applyAndReport(request: ApplyRequest): Promise<CommandResult> {
  const { root, changes, options, output } = request;
  if (options.dryRun) {
    const preview = request.preview?.() ?? { text: '' };
    output.print(preview.text);
    return { exitCode: preview.exitCode ?? 0, changes };
  }
  (request.apply ?? ((planned) => applyChanges(root, planned)))(changes);
  request.applied?.();
  const conflicted = changes.some((change) => change.action === 'conflict');
  const codeChanged = request.installAlways === true || changes.some((change) => change.path !== STATE_FILE);
  if (!conflicted && codeChanged && !options.skipInstall) await runInstall(root, (line) => output.log(line));
  const report = request.report(changes);
  for (const line of report.lines) output.log(line);
  return { exitCode: report.exitCode, changes };
}

/** The written files, conflicts listed once with what to do, and (after a remove) imports left without their package. */
export function reportChanges(
  root: string,
  changes: readonly FileChange[],
  report: { readonly listEmpty?: boolean; readonly conflicts: (conflicted: readonly FileChange[]) => string; readonly done?: string; readonly staleImports?: boolean },
): { lines: string[]; exitCode: number } {
  const lines: string[] = [];
  let exitCode = 0;
  if (changes.length || report.listEmpty) lines.push(formatChangeReport(changes, { only: REPORTED }));
  const conflicted = changes.filter((change) => change.action === 'conflict');
  if (conflicted.length) {
    lines.push(report.conflicts(conflicted));
    exitCode = 1;
  } else if (report.done) {
    lines.push(report.done);
  }
  if (report.staleImports) {
    const stale = staleImportsAfter(changes, () => readPythonFiles(root));
    if (stale.length) {
      lines.push(formatStaleImports(stale));
      exitCode = 1;
    }
  }
  return { lines, exitCode };
}

/** The conflicts listing of add and remove. */
export function changeConflicts(conflicted: readonly FileChange[]): string {
  return `${formatConflicts(conflicted)}\nThe install step was skipped until the conflicts are resolved.`;
}

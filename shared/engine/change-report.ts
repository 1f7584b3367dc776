import { createTwoFilesPatch } from 'diff';
import { type FileAction, type FileChange, isBinary } from './reconcile.js';

const LABELS: Record<FileAction, string> = {
  create: 'create',
  update: 'update',
  merge: 'merge',
  conflict: 'conflict',
  delete: 'delete',
  keep: 'keep',
  skip: 'skip',
};

/** A conflict written without markers: a file that is not text, left as the user has it. */
export function isBinaryConflict(change: FileChange): boolean {
  return change.action === 'conflict' && change.after === undefined;
}

/**
 * What to do with a binary conflict: yours is kept; `git checkout --theirs` takes the template's where git's index
 * holds the template's side (update registers it there).
 */
export function binaryConflictNote(change: FileChange, theirsInIndex: boolean): string {
  const take = theirsInIndex
    ? `"git checkout --theirs -- ${change.path}" takes the template's, or copy it by hand`
    : "copy the template's over it by hand if you want it";
  if (change.reason?.startsWith('your copy')) return theirsInIndex ? `${change.reason}; or ${take}` : change.reason;
  return `not text, changed on both sides: yours is kept as it is; ${take}`;
}

function describe(change: FileChange): string {
  switch (change.action) {
    case 'merge':
      return 'merged: your edits and the template change both kept';
    case 'conflict':
      if (isBinaryConflict(change)) return binaryConflictNote(change, false);
      return `${change.conflicts ?? 1} conflict${change.conflicts === 1 ? '' : 's'}: resolve the <<<<<<< markers`;
    case 'keep':
    case 'skip':
      return change.reason ?? '';
    default:
      return '';
  }
}

/** Added and removed line counts of a change (binary files count as no lines). */
export function lineCounts(change: FileChange): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of unifiedDiff(change).split('\n').slice(3)) {
    if (line.startsWith('+')) added += 1;
    else if (line.startsWith('-')) removed += 1;
  }
  return { added, removed };
}

export function unifiedDiff(change: FileChange): string {
  if ((change.before !== undefined && isBinary(change.before)) || (change.after !== undefined && isBinary(change.after))) {
    return `Binary files a/${change.path} and b/${change.path} differ`;
  }
  const before = change.before as string | undefined;
  const after = change.after as string | undefined;
  const patch = createTwoFilesPatch(
    change.before === undefined ? '/dev/null' : `a/${change.path}`,
    change.after === undefined ? '/dev/null' : `b/${change.path}`,
    before ?? '',
    after ?? '',
    undefined,
    undefined,
    { context: 3 },
  );
  return patch.split('\n').slice(1).join('\n').trimEnd();
}

export interface ReportOptions {
  /** Add a unified diff under each changed file (dry runs). */
  readonly diffs?: boolean;
  /** Say "Would change" in the count line. */
  readonly dryRun?: boolean;
  /**
   * List only files with these actions (Yeoman has already listed each file it wrote, and a conflicts listing that
   * follows names the conflicted ones); counts cover all.
   */
  readonly only?: readonly FileAction[];
}

/** One line per file (`  update  pyproject.toml`), with diffs when asked, and a count line. */
export function formatChangeReport(changes: readonly FileChange[], options: ReportOptions = {}): string {
  if (changes.length === 0) return 'No file changes.';
  const listed = changes.filter((change) => !options.only || options.only.includes(change.action));
  const width = Math.max(0, ...listed.map((change) => LABELS[change.action].length));
  const lines: string[] = [];
  for (const change of listed) {
    const note = describe(change);
    lines.push(`  ${LABELS[change.action].padEnd(width)}  ${change.path}${note ? `  (${note})` : ''}`);
    const showDiff = options.diffs && ['update', 'merge', 'conflict'].includes(change.action);
    if (showDiff) lines.push(unifiedDiff(change).replace(/^/gm, '    '));
  }
  const counts = new Map<string, number>();
  for (const change of changes) counts.set(change.action, (counts.get(change.action) ?? 0) + 1);
  const summary = [...counts].map(([action, count]) => `${count} ${action}`).join(', ');
  lines.push(`${options.dryRun ? 'Would change' : 'Changed'}: ${summary}.`);
  return lines.join('\n');
}

/** The closing lines for a change with conflicts: every conflicted file, and how to finish. */
export function formatConflicts(changes: readonly FileChange[]): string {
  const conflicted = changes.filter((change) => change.action === 'conflict');
  const withMarkers = conflicted.some((change) => !isBinaryConflict(change));
  return [
    `${conflicted.length} file${conflicted.length === 1 ? ' has' : 's have'} conflicts between your edits and the template:`,
    ...conflicted.map((change) => (isBinaryConflict(change) ? `  ${change.path}  (${describe(change)})` : `  ${change.path}`)),
    withMarkers
      ? 'Edit each one: keep what you want between <<<<<<< ours / ======= / >>>>>>> template, delete the markers,'
      : 'Decide for each one which version to keep,',
    'then run "uv sync" and your tests.',
  ].join('\n');
}

/** Every file of a plan for scripts (`--dry-run --json`): path, action, line counts, conflicts and reason. */
export function changesJson(changes: readonly FileChange[]): unknown[] {
  return changes.map((change) => ({
    path: change.path,
    action: change.action,
    ...lineCounts(change),
    ...(change.conflicts !== undefined ? { conflicts: change.conflicts } : {}),
    ...(change.reason ? { reason: change.reason } : {}),
  }));
}

/** `  update    app/core/log.py | +3 -1` per file, and the totals. */
export function formatStat(changes: readonly FileChange[]): string {
  if (changes.length === 0) return 'No file changes.';
  const width = Math.max(...changes.map((change) => change.action.length));
  const pathWidth = Math.max(...changes.map((change) => change.path.length));
  let added = 0;
  let removed = 0;
  const lines = changes.map((change) => {
    const counts = lineCounts(change);
    added += counts.added;
    removed += counts.removed;
    return `  ${change.action.padEnd(width)}  ${change.path.padEnd(pathWidth)} | +${counts.added} -${counts.removed}`;
  });
  lines.push(`${changes.length} file${changes.length === 1 ? '' : 's'} would change, +${added} -${removed} lines.`);
  return lines.join('\n');
}

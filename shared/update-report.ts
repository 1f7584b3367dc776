import { changesJson, formatChangeReport, lineCounts } from './change-report.js';
import type { FileChange } from './reconcile.js';
import type { UpdatePlan } from './update-plan.js';

function changelogSection(plan: UpdatePlan): string[] {
  if (plan.changelog.length === 0) return [`No changelog entries between ${plan.from} and ${plan.to}.`];
  const lines = [`Changes in generator-aegis since ${plan.from}:`];
  for (const entry of plan.changelog) lines.push('', `## ${entry.version}`, '', entry.body);
  return lines;
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

/** The dry run: both versions, the changelog between them, and every file with its action (diffs or counts). */
export function formatUpdatePlan(plan: UpdatePlan, options: { readonly stat?: boolean } = {}): string {
  const files = options.stat ? formatStat(plan.changes) : formatChangeReport(plan.changes, { diffs: true, dryRun: true });
  return [
    `Update from generator-aegis ${plan.from} to ${plan.to} (dry run: nothing is written).`,
    '',
    ...changelogSection(plan),
    '',
    'Files:',
    files,
  ].join('\n');
}

/** The dry run for scripts (`--json`). */
export function updatePlanJson(plan: UpdatePlan): unknown {
  return {
    from: plan.from,
    to: plan.to,
    changelog: plan.changelog,
    files: changesJson(plan.changes),
  };
}

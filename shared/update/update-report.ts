import { changesJson, formatChangeReport, formatStat } from '../engine/change-report.js';
import type { UpdatePlan } from './update-plan.js';

/** What the reports show of a plan. */
type ReportedPlan = Pick<UpdatePlan, 'from' | 'to' | 'changelog' | 'changes'>;

function changelogSection(plan: ReportedPlan): string[] {
  if (plan.changelog.length === 0) return [`No changelog entries between ${plan.from} and ${plan.to}.`];
  const lines = [`Changes in generator-aegis since ${plan.from}:`];
  for (const entry of plan.changelog) lines.push('', `## ${entry.version}`, '', entry.body);
  return lines;
}

/** The dry run: both versions, the changelog between them, and every file with its action (diffs or counts). */
export function formatUpdatePlan(plan: ReportedPlan, options: { readonly stat?: boolean } = {}): string {
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
export function updatePlanJson(plan: ReportedPlan): unknown {
  return {
    from: plan.from,
    to: plan.to,
    changelog: plan.changelog,
    files: changesJson(plan.changes),
  };
}

import { type CommandOutput, type CommandResult, applyAndReport, changeConflicts, reportChanges } from './apply-and-report.js';
import { type AnswersChange, planAnswersChange } from './change-plan.js';
import { changesJson, formatChangeReport, formatStat } from '../engine/change-report.js';
import type { ChangeOptions } from '../options/parse.js';
import type { LoadedProject } from './project-load.js';

/** add and remove as a plain function: plan the changed answers, then the shared tail (dry run, apply, install, report). */
export async function runChange(project: LoadedProject, change: AnswersChange, options: ChangeOptions, output: CommandOutput): Promise<CommandResult> {
  const { root } = project;
  const plan = planAnswersChange({ root, state: project.state, stateText: project.stateText, change });
  if (!options.json) for (const note of plan.notes) output.log(note);
  return applyAndReport({
    root,
    changes: plan.changes,
    options,
    output,
    preview: () => {
      if (options.json) return { text: `${JSON.stringify({ notes: plan.notes, files: changesJson(plan.changes) }, null, 2)}\n` };
      const files = options.stat ? formatStat(plan.changes) : formatChangeReport(plan.changes, { diffs: true, dryRun: true });
      return { text: `${files}\nDry run: nothing was written.\n` };
    },
    report: (changes) => reportChanges(root, changes, { conflicts: changeConflicts, staleImports: true }),
  });
}

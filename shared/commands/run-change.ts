import { type CommandOutput, type CommandResult, applyAndReport, changeConflicts, reportChanges } from './apply-and-report.js';
import { type AnswersChange, planAnswersChange } from './change-plan.js';
import { changesJson, formatChangeReport, formatStat } from '../engine/change-report.js';
import { type ChangeOptions, parseChangeOptions } from '../options/parse.js';
import { type LoadedProject, givenProject, loadProject } from './project-load.js';
import { nextAnswers, refuseOutOfStepProject } from './change-plan.js';

/** A change checked and ready to plan: its options, the project it applies to, and what it adds and removes. */
export interface PreparedChange {
  readonly settings: ChangeOptions;
  readonly project: LoadedProject;
  readonly change: AnswersChange;
}

/**
 * Reads the options and the project (or takes the one the bin read, handed on as the option `project`), then checks
 * the change against it; every refusal of bad input is thrown from here, before anything is written.
 */
export function prepareChange(raw: Record<string, unknown>, cwd: string, request: () => AnswersChange, log: (line: string) => void): PreparedChange {
  const settings = parseChangeOptions(raw, cwd);
  const project = givenProject(raw, settings.root) ?? loadProject(settings.root, log);
  refuseOutOfStepProject(settings.root, project.state);
  const change = request();
  nextAnswers(project.state, change);
  return { settings, project, change };
}

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

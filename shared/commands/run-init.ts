import { existsSync } from 'node:fs';
import { type ProjectAnswers, type RawAnswers, resolveAnswers } from '../model/answers.js';
import { type CommandOutput, type CommandResult, applyAndReport } from './apply-and-report.js';
import { recoverInterruptedChange } from '../engine/apply-transaction.js';
import { planInit } from './change-plan.js';
import type { InitOptions } from '../options/parse.js';
import { createInitialCommit } from '../project/git-repository.js';
import { initTarget } from './init-request.js';
import { formatNextSteps } from './next-steps.js';

/**
 * init as a plain function: the rendered project written all-or-nothing, the install step, the first commit of a new
 * git repository (unless --skip-git, or inside a work tree already), then `nextSteps`.
 */
export async function runInit(request: {
  readonly target: string;
  readonly answers: ProjectAnswers;
  readonly notes: readonly string[];
  readonly options: InitOptions;
  readonly output: CommandOutput;
  /** What to do next, told last (`installed`: the install step ran). */
  readonly nextSteps: (installed: boolean) => string;
}): Promise<CommandResult> {
  const { target, options, output } = request;
  for (const note of request.notes) output.log(note);
  const recovered = existsSync(target) ? recoverInterruptedChange(target) : undefined;
  if (recovered) output.log(recovered);
  const plan = planInit(target, request.answers, request.notes);
  for (const change of plan.changes) output.log(`${change.action === 'update' ? '   force' : '  create'} ${change.path}`);
  return applyAndReport({
    root: target,
    changes: plan.changes,
    options: { dryRun: false, skipInstall: options.skipInstall },
    output,
    installAlways: true,
    report: () => ({
      lines: [...(options.skipGit ? [] : createInitialCommit(target)), request.nextSteps(!options.skipInstall)],
      exitCode: 0,
    }),
  });
}

/** init from answers complete at last (flags, then what was asked): resolved, its folder checked, then `runInit`. */
export async function runInitFromAnswers(raw: RawAnswers, options: InitOptions, cwd: string, output: CommandOutput): Promise<CommandResult> {
  const { answers, notes } = resolveAnswers(raw);
  const target = initTarget(cwd, options, answers.name);
  return runInit({
    target,
    answers,
    notes,
    options,
    output,
    nextSteps: (installed) => formatNextSteps(answers, { target, cwd, installed }),
  });
}

/**
 * The commands that ask nothing, run without Yeoman: the same plain functions the generators call (shared/commands),
 * with the bin's own output. Loading yeoman-environment costs about two thirds of a command's CPU time, and a
 * command that asks no question needs nothing from it. Where a question may be asked (init without --yes, add on a
 * terminal without --yes), and for `yo aegis:*`, the generators run them.
 */
import type { CommandOutput, CommandResult } from '../shared/commands/apply-and-report.js';
import { readInitFlags } from '../shared/commands/init-request.js';
import { runInitFromAnswers } from '../shared/commands/run-init.js';
import { addRequest, removeRequest } from '../shared/commands/change-request.js';
import { prepareChange, runChange } from '../shared/commands/run-change.js';
import { prepareUpdateCommand, runUpdate } from '../shared/commands/run-update.js';
import { parseInitOptions } from '../shared/options/parse.js';

/** Progress and reports on stderr, as Yeoman's log writes them; a dry run's plan on stdout. */
const output: CommandOutput = {
  log: (text) => process.stderr.write(`${text}\n`),
  print: (text) => process.stdout.write(text),
};
const log = (line: string): void => output.log(line);

function exitWith(result: CommandResult): void {
  if (result.exitCode !== 0) process.exitCode = result.exitCode;
}

/** `aegis init <name> --yes`. */
export async function initHeadless(name: string | undefined, options: Record<string, unknown>): Promise<void> {
  const cwd = process.cwd();
  const settings = parseInitOptions(options);
  const raw = readInitFlags(name, options, settings, cwd);
  exitWith(await runInitFromAnswers(raw, settings, cwd, output));
}

/** `aegis add` (when it asks nothing) and `aegis remove`; `options.project` is the project the bin read. */
export async function changeHeadless(verb: 'add' | 'remove', names: readonly string[], options: Record<string, unknown>): Promise<void> {
  const request = verb === 'add' ? () => addRequest(names, options) : () => removeRequest(names);
  const { settings, project, change } = prepareChange(options, process.cwd(), request, log);
  exitWith(await runChange(project, change, settings, output));
}

/** `aegis update`; `options.project` is the project the bin read. */
export async function updateHeadless(options: Record<string, unknown>): Promise<void> {
  const { settings, prepared } = await prepareUpdateCommand(options, process.cwd(), log);
  exitWith(await runUpdate(prepared, settings, output));
}

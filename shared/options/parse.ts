import { resolve } from 'node:path';
import { AegisError } from '../errors.js';
import type { ConflictStyle } from '../engine/line-merge.js';
import { type OptionDefinition, readOption } from './definitions.js';
import { checkFromSource } from '../update/version-source.js';

/** The options of add, remove and the feature generators, read once from the bin's or Yeoman's raw options. */
export interface ChangeOptions {
  /** The project folder, resolved. */
  readonly root: string;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly stat: boolean;
  readonly skipInstall: boolean;
  readonly yes: boolean;
}

/** The options of update: the shared ones and its own. */
export interface UpdateOptions extends ChangeOptions {
  readonly exitCode: boolean;
  readonly from?: string;
  readonly conflictStyle?: ConflictStyle;
  readonly force: boolean;
  readonly finish: boolean;
}

/** The options of init. */
export interface InitOptions {
  readonly outputDir?: string;
  readonly force: boolean;
  readonly skipInstall: boolean;
  readonly skipGit: boolean;
  readonly yes: boolean;
}

function flag(raw: Record<string, unknown>, name: string): boolean {
  return readOption(raw, name) === true;
}

function text(raw: Record<string, unknown>, name: string): string | undefined {
  const value = readOption(raw, name);
  return typeof value === 'string' ? value : undefined;
}

function requireDryRun(options: ChangeOptions, flags: Record<string, boolean>): void {
  for (const [name, given] of Object.entries(flags)) {
    if (given && !options.dryRun) throw new AegisError(`--${name} describes a plan: use it with --dry-run.`);
  }
}

function changeOptions(raw: Record<string, unknown>, cwd: string): ChangeOptions {
  return {
    root: resolve(cwd, text(raw, 'project-path') ?? '.'),
    dryRun: flag(raw, 'dry-run'),
    json: flag(raw, 'json'),
    stat: flag(raw, 'stat'),
    skipInstall: flag(raw, 'skip-install'),
    yes: flag(raw, 'yes'),
  };
}

export function parseChangeOptions(raw: Record<string, unknown>, cwd: string): ChangeOptions {
  const options = changeOptions(raw, cwd);
  requireDryRun(options, { stat: options.stat, json: options.json });
  return options;
}

export function parseUpdateOptions(raw: Record<string, unknown>, cwd: string): UpdateOptions {
  const style = readOption(raw, 'conflict-style');
  if (style !== undefined && style !== 'merge' && style !== 'diff3') {
    throw new AegisError(`--conflict-style ${String(style)}: choose merge or diff3.`);
  }
  const from = text(raw, 'from');
  const options: UpdateOptions = {
    ...changeOptions(raw, cwd),
    exitCode: flag(raw, 'exit-code'),
    force: flag(raw, 'force'),
    finish: flag(raw, 'finish'),
    ...(from !== undefined ? { from } : {}),
    ...(style !== undefined ? { conflictStyle: style } : {}),
  };
  requireDryRun(options, { stat: options.stat, json: options.json, 'exit-code': options.exitCode });
  if (options.finish && options.dryRun) throw new AegisError('--finish and --dry-run do not go together.');
  if (from !== undefined) checkFromSource(from);
  return options;
}

/** The features' option flags as given (`--persistence sqlite` → `{ persistence: 'sqlite' }`), for the options defined. */
export function parseOptionFlags(raw: Record<string, unknown>, definitions: readonly OptionDefinition[]): Readonly<Record<string, string | undefined>> {
  return Object.fromEntries(definitions.map((definition) => [definition.name, text(raw, definition.name)]));
}

/** `yo aegis:<feature>`'s own options: `--remove`, and the feature's option flags. */
export function parseFeatureGeneratorOptions(
  raw: Record<string, unknown>,
  definitions: readonly OptionDefinition[],
): { readonly remove: boolean; readonly flags: Readonly<Record<string, string | undefined>> } {
  return { remove: flag(raw, 'remove'), flags: parseOptionFlags(raw, definitions.filter((definition) => definition.name !== 'remove')) };
}

export function parseInitOptions(raw: Record<string, unknown>): InitOptions {
  const outputDir = text(raw, 'output-dir');
  return {
    ...(outputDir !== undefined ? { outputDir } : {}),
    force: flag(raw, 'force'),
    skipInstall: flag(raw, 'skip-install'),
    skipGit: flag(raw, 'skip-git'),
    yes: flag(raw, 'yes'),
  };
}

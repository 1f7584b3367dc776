import { resolve } from 'node:path';
import { type RawAnswers, resolveAnswers, validateDescription } from '../model/answers.js';
import { parseFeatureRequests } from '../model/feature-request.js';
import type { InitOptions } from '../options/parse.js';
import { readOption } from '../options/definitions.js';
import { validateProjectName } from '../model/project-name.js';
import { parsePythonVersion } from '../model/python-versions.js';
import { assertTargetUsable } from '../project/target-dir.js';

/** The project folder for `name`, refused when it is unusable (a file, or a folder in use without --force). */
export function initTarget(cwd: string, settings: InitOptions, name: string): string {
  const target = resolve(cwd, settings.outputDir ?? '.', name);
  assertTargetUsable(target, settings.force);
  return target;
}

/**
 * The answers init's flags give, checked before anything is asked or written, so bad input fails at once with
 * nothing written: the name (required with --yes), description, Python version, features and target folder.
 */
export function readInitFlags(name: string | undefined, raw: Record<string, unknown>, settings: InitOptions, cwd: string): RawAnswers {
  const option = (key: string): string | undefined => readOption(raw, key) as string | undefined;
  const answers: RawAnswers = {
    name,
    description: option('description'),
    pythonVersion: option('python-version'),
    components: option('components'),
    services: option('services'),
  };
  if (answers.name !== undefined || settings.yes) validateProjectName(answers.name);
  if (answers.description !== undefined) validateDescription(answers.description);
  if (answers.pythonVersion !== undefined) parsePythonVersion(answers.pythonVersion);
  if (answers.name !== undefined) {
    resolveAnswers(answers);
    initTarget(cwd, settings, answers.name);
  } else {
    parseFeatureRequests('component', answers.components);
    parseFeatureRequests('service', answers.services);
  }
  return answers;
}

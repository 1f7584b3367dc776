import { relative } from 'node:path';
import type { ProjectAnswers } from '../model/answers.js';
import { defaultDescription } from '../model/answers.js';
import { formatFeatureRequest } from '../model/feature-request.js';
import { resolveSelection } from '../model/feature-selection.js';
import { DEFAULT_PYTHON_VERSION } from '../model/python-versions.js';
import { findFeature } from '../model/registry.js';

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `scheduler[sqlite],worker`: the chosen features, with the options that differ from the defaults. */
function featureList(names: readonly string[], answers: ProjectAnswers, separator = ','): string {
  return names
    .map((name) => {
      const defaults = Object.fromEntries((findFeature(name)?.options ?? []).map((option) => [option.name, option.default]));
      return formatFeatureRequest(name, answers.options[name] ?? {}, defaults);
    })
    .join(separator);
}

/** The one-line `aegis init` that recreates this stack. */
export function replayCommand(answers: ProjectAnswers): string {
  const parts = ['aegis', 'init', answers.name];
  if (answers.description !== defaultDescription(answers.name)) parts.push('--description', shellQuote(answers.description));
  if (answers.pythonVersion !== DEFAULT_PYTHON_VERSION) parts.push('--python-version', answers.pythonVersion);
  if (answers.components.length) parts.push('--components', shellQuote(featureList(answers.components, answers)));
  if (answers.services.length) parts.push('--services', shellQuote(featureList(answers.services, answers)));
  parts.push('--yes');
  return parts.join(' ');
}

export function formatNextSteps(
  answers: ProjectAnswers,
  where: { target: string; cwd: string; installed: boolean },
): string {
  const folder = relative(where.cwd, where.target) || '.';
  const stack = [
    `Python ${answers.pythonVersion}`,
    `components: ${answers.components.length ? featureList(answers.components, answers, ', ') : 'base stack'}`,
    `services: ${answers.services.length ? featureList(answers.services, answers, ', ') : 'none'}`,
  ].join('; ');
  const steps: Array<[string, string]> = [[`cd ${shellQuote(folder)}`, '']];
  if (!where.installed) steps.push(['uv sync', 'install dependencies']);
  steps.push(['make serve', 'http://localhost:8000/dashboard (PORT=… to change)']);
  for (const feature of resolveSelection(answers, answers.options).features) {
    if (feature.runCommand) steps.push([feature.runCommand.command, feature.runCommand.description]);
  }
  steps.push(['make check', 'lint, type check and tests']);
  steps.push([`uv run ${answers.name} --help`, 'the project CLI']);
  const width = Math.max(...steps.map(([command]) => command.length)) + 2;
  const lines = steps.map(([command, comment]) => (comment ? `  ${command.padEnd(width)}# ${comment}` : `  ${command}`));
  return [
    '',
    `Created ${answers.name} in ${where.target} (${stack}).`,
    '',
    'Next steps:',
    ...lines,
    '',
    'Recreate this stack with:',
    `  ${replayCommand(answers)}`,
    '',
  ].join('\n');
}

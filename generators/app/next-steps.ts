import { relative } from 'node:path';
import type { ProjectAnswers } from '../../shared/answers.js';
import { defaultDescription } from '../../shared/answers.js';
import { DEFAULT_PYTHON_VERSION } from '../../shared/python-versions.js';

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The one-line `aegis init` that recreates this stack. */
export function replayCommand(answers: ProjectAnswers): string {
  const parts = ['aegis', 'init', answers.name];
  if (answers.description !== defaultDescription(answers.name)) parts.push('--description', shellQuote(answers.description));
  if (answers.pythonVersion !== DEFAULT_PYTHON_VERSION) parts.push('--python-version', answers.pythonVersion);
  if (answers.components.length) parts.push('--components', answers.components.join(','));
  if (answers.services.length) parts.push('--services', answers.services.join(','));
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
    `components: ${answers.components.length ? answers.components.join(', ') : 'base stack'}`,
    `services: ${answers.services.length ? answers.services.join(', ') : 'none'}`,
  ].join('; ');
  const steps: Array<[string, string]> = [[`cd ${shellQuote(folder)}`, '']];
  if (!where.installed) steps.push(['uv sync', 'install dependencies']);
  steps.push(['make serve', 'http://localhost:8000/dashboard (PORT=… to change)']);
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

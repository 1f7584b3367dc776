import { spawn, spawnSync } from 'node:child_process';
import { AegisError } from './errors.js';

export const UV_INSTALL_HINT =
  'install it with "curl -LsSf https://astral.sh/uv/install.sh | sh" or "pip install uv" (https://docs.astral.sh/uv/)';

export interface InstallStep {
  readonly title: string;
  readonly command: string;
  readonly args: readonly string[];
}

/** The install step after every change: dependencies, then the formatter and the linter's fixes, as `make fix`. */
export const INSTALL_STEPS: readonly InstallStep[] = [
  { title: 'Installing dependencies', command: 'uv', args: ['sync'] },
  { title: 'Formatting', command: 'uv', args: ['run', '--no-sync', 'ruff', 'format', '.'] },
  { title: 'Applying lint fixes', command: 'uv', args: ['run', '--no-sync', 'ruff', 'check', '--fix', '.'] },
];

function childEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  // A virtualenv activated for another project would make uv warn or use the wrong interpreter.
  delete env.VIRTUAL_ENV;
  return env;
}

export function isUvAvailable(): boolean {
  const result = spawnSync('uv', ['--version'], { stdio: 'ignore', env: childEnvironment() });
  return !result.error && result.status === 0;
}

function runStep(command: string, args: readonly string[], cwd: string): Promise<{ code: number | null; error?: Error }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit', env: childEnvironment() });
    child.once('error', (error) => resolve({ code: null, error }));
    child.once('close', (code) => resolve({ code }));
  });
}

/** Runs the install step in `dir`, streaming each command's output; throws an AegisError on the first failure. */
export async function runInstall(dir: string, log: (line: string) => void): Promise<void> {
  if (!isUvAvailable()) {
    throw new AegisError(
      `uv is not installed, so the project in ${dir} was written but not installed: ${UV_INSTALL_HINT}; then run "uv sync" in ${dir}.`,
    );
  }
  for (const [index, step] of INSTALL_STEPS.entries()) {
    const commandLine = [step.command, ...step.args].join(' ');
    log(`[${index + 1}/${INSTALL_STEPS.length}] ${step.title}: ${commandLine}`);
    const result = await runStep(step.command, step.args, dir);
    if (result.error || result.code !== 0) {
      const reason = result.error ? result.error.message : `exit code ${result.code}`;
      throw new AegisError(`"${commandLine}" failed in ${dir} (${reason}): fix the problem shown above, then run it again there.`);
    }
  }
}

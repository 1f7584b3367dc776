import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { AegisError } from './errors.js';

export const UV_INSTALL_HINT =
  'install it with "curl -LsSf https://astral.sh/uv/install.sh | sh" or "pip install uv" (https://docs.astral.sh/uv/)';

/** The install step after every change, as uv commands: dependencies, then the formatter and lint fixes (`make fix`). */
const INSTALL_STEPS: ReadonlyArray<{ readonly title: string; readonly uvArgs: readonly string[] }> = [
  { title: 'Installing dependencies', uvArgs: ['sync'] },
  { title: 'Formatting', uvArgs: ['run', '--no-sync', 'ruff', 'format', '.'] },
  { title: 'Applying lint fixes', uvArgs: ['run', '--no-sync', 'ruff', 'check', '--fix', '.'] },
];

function childEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  // A virtualenv activated for another project would make uv warn or use the wrong interpreter.
  delete env.VIRTUAL_ENV;
  return env;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The uv executable to run inside the new project, or undefined when there is none. A pyenv shim is resolved to
 * its target here, in the current folder: inside the project, the shim would follow the project's
 * .python-version to a Python that may not have uv installed.
 */
export function resolveUv(): string | undefined {
  const env = childEnvironment();
  const onPath = (env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'uv')).find(isExecutable);
  if (!onPath) return undefined;
  let uv = onPath;
  if (basename(dirname(onPath)) === 'shims') {
    // Here, then from the home folder: inside a project, its .python-version may name a Python without uv, while
    // the global one has it.
    for (const cwd of [process.cwd(), homedir()]) {
      const target = spawnSync('pyenv', ['which', 'uv'], { encoding: 'utf8', env, cwd });
      if (!target.error && target.status === 0 && target.stdout.trim()) {
        uv = target.stdout.trim();
        break;
      }
    }
  }
  const version = spawnSync(uv, ['--version'], { stdio: 'ignore', env });
  return !version.error && version.status === 0 ? uv : undefined;
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
  const uv = resolveUv();
  if (!uv) {
    throw new AegisError(
      `uv is not installed, so the project in ${dir} was written but not installed: ${UV_INSTALL_HINT}; then run "uv sync" in ${dir}.`,
    );
  }
  for (const [index, step] of INSTALL_STEPS.entries()) {
    const commandLine = ['uv', ...step.uvArgs].join(' ');
    log(`[${index + 1}/${INSTALL_STEPS.length}] ${step.title}: ${commandLine}`);
    const result = await runStep(uv, step.uvArgs, dir);
    if (result.error || result.code !== 0) {
      const reason = result.error ? result.error.message : `exit code ${result.code}`;
      throw new AegisError(`"${commandLine}" failed in ${dir} (${reason}): fix the problem shown above, then run it again there.`);
    }
  }
}

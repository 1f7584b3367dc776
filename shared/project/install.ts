import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';
import { AegisError } from '../errors.js';
import { type ExecutableHost, currentHost, findExecutable, spawnExecutable, spawnSyncExecutable } from './executables.js';
import { type CheckOutput, type LintReport, formatLintReport, lintReport } from './lint-report.js';

export const UV_INSTALL_HINT =
  'install it with "curl -LsSf https://astral.sh/uv/install.sh | sh" or "pip install uv" (https://docs.astral.sh/uv/)';

/**
 * The install step after every change: dependencies, then the project's lint and format checks, read-only. The
 * render is already formatted and lint-clean, so anything they find is the user's own code, which is never
 * rewritten here (`ruff check --fix` would delete their unused imports); the findings are reported, not fixed.
 */
const SYNC_ARGS = ['sync'] as const;
const CHECK_STEPS = [
  { title: 'Checking lint (read-only)', uvArgs: ['run', '--no-sync', 'ruff', 'check', '--no-cache', '--output-format', 'json', '.'] },
  { title: 'Checking format (read-only)', uvArgs: ['run', '--no-sync', 'ruff', 'format', '--no-cache', '--check', '.'] },
] as const;
const STEP_COUNT = 1 + CHECK_STEPS.length;

function childEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  // A virtualenv activated for another project would make uv warn or use the wrong interpreter.
  delete env.VIRTUAL_ENV;
  return env;
}

/** How resolveUv runs a program: its exit status and stdout. */
export type RunProgram = (file: string, args: readonly string[], cwd: string) => { ok: boolean; stdout: string };

const runProgram: RunProgram = (file, args, cwd) => {
  const result = spawnSyncExecutable(file, args, { env: childEnvironment(), cwd, stdio: ['ignore', 'pipe', 'ignore'] });
  return { ok: !result.error && result.status === 0, stdout: result.stdout ?? '' };
};

/**
 * The uv executable to run inside the new project, or undefined when there is none: `uv` on PATH (`uv.exe` on
 * Windows, by PATHEXT). A pyenv shim (`…/shims/uv`, pyenv-win's `…\shims\uv.bat`) is resolved to its target here,
 * in the current folder: inside the project, the shim would follow the project's .python-version to a Python that
 * may not have uv installed.
 */
export function resolveUv(
  host: ExecutableHost = currentHost(childEnvironment()),
  run: RunProgram = runProgram,
  folders: readonly string[] = [process.cwd(), homedir()],
): string | undefined {
  const onPath = findExecutable('uv', host);
  if (!onPath) return undefined;
  const path = host.platform === 'win32' ? win32 : posix;
  let uv = onPath;
  const pyenv = path.basename(path.dirname(onPath)).toLowerCase() === 'shims' ? findExecutable('pyenv', host) : undefined;
  if (pyenv) {
    // Here, then from the home folder: inside a project, its .python-version may name a Python without uv, while
    // the global one has it.
    for (const cwd of folders) {
      const target = run(pyenv, ['which', 'uv'], cwd);
      if (target.ok && target.stdout.trim()) {
        uv = target.stdout.trim();
        break;
      }
    }
  }
  return run(uv, ['--version'], folders[0] ?? process.cwd()).ok ? uv : undefined;
}

function runStep(command: string, args: readonly string[], cwd: string): Promise<{ code: number | null; error?: Error }> {
  return new Promise((resolve) => {
    const child = spawnExecutable(command, args, { cwd, stdio: 'inherit', env: childEnvironment() });
    child.once('error', (error) => resolve({ code: null, error }));
    child.once('close', (code) => resolve({ code }));
  });
}

/** Runs a check with its output captured (ruff's own summary, such as "All checks passed!", is not shown). */
function runCheck(command: string, args: readonly string[], cwd: string): Promise<CheckOutput> {
  return new Promise((resolve) => {
    const child = spawnExecutable(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: childEnvironment() });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    const output = (code: number | null, error?: Error): CheckOutput => ({
      code,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
      ...(error ? { error } : {}),
    });
    child.once('error', (error) => resolve(output(null, error)));
    child.once('close', (code) => resolve(output(code)));
  });
}

/**
 * Runs the install step in `dir`: `uv sync` (its output streamed; a failure throws an AegisError), then the lint
 * and format checks, which change no file and never fail the command: what they find is logged as one warning and
 * returned.
 */
export async function runInstall(dir: string, log: (line: string) => void): Promise<LintReport> {
  const uv = resolveUv();
  if (!uv) {
    throw new AegisError(
      `uv is not installed, so the project in ${dir} was written but not installed: ${UV_INSTALL_HINT}; then run "uv sync" in ${dir}.`,
    );
  }
  const syncLine = ['uv', ...SYNC_ARGS].join(' ');
  log(`[1/${STEP_COUNT}] Installing dependencies: ${syncLine}`);
  const synced = await runStep(uv, SYNC_ARGS, dir);
  if (synced.error || synced.code !== 0) {
    const reason = synced.error ? synced.error.message : `exit code ${synced.code}`;
    throw new AegisError(`"${syncLine}" failed in ${dir} (${reason}): fix the problem shown above, then run it again there.`);
  }
  const outputs: CheckOutput[] = [];
  for (const [index, step] of CHECK_STEPS.entries()) {
    log(`[${index + 2}/${STEP_COUNT}] ${step.title}: ${['uv', ...step.uvArgs].join(' ')}`);
    outputs.push(await runCheck(uv, step.uvArgs, dir));
  }
  const report = lintReport(dir, outputs[0]!, outputs[1]!);
  for (const line of formatLintReport(report)) log(line);
  return report;
}

/**
 * The install step after a clean add/remove, with the real uv and ruff on a generated project: it installs, checks
 * lint and format read-only, and never rewrites a file (ruff's --fix would delete the user's unused imports).
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveUv } from '../../shared/project/install.js';
import { builtBin, mustRun, run, tempDir } from '../support/processes.js';

const uv = resolveUv();
// uv itself first on the PATH: a pyenv shim would follow the project's .python-version away from it.
const env = (): NodeJS.ProcessEnv => ({ ...process.env, NO_COLOR: '1', ...(uv ? { PATH: `${dirname(uv)}:${process.env.PATH}` } : {}) });
const aegis = (args: readonly string[], cwd: string) => run(process.execPath, [builtBin, ...args], { cwd, env: env() });

const CONFIG_LINE = 'import json  # mine\n';
const MINE = 'import os\nfrom typing import List, Dict\nx: List[int] = []\n';

describe.skipIf(!uv)('the install step', () => {
  let project = '';
  let config = '';

  beforeAll(() => {
    const parent = tempDir('install-step');
    const init = aegis(['init', 'demo', '--yes', '--skip-install'], parent);
    expect(init.status, init.stderr).toBe(0);
    project = join(parent, 'demo');
    mustRun(uv!, ['sync', '--quiet'], { cwd: project, env: env() });
    appendFileSync(join(project, 'app', 'core', 'config.py'), CONFIG_LINE);
    writeFileSync(join(project, 'app', 'mine.py'), MINE);
    config = readFileSync(join(project, 'app', 'core', 'config.py'), 'utf8');
  }, 300_000);

  /** app/mine.py as the user wrote it; app/core/config.py as merged, the user's line still its last. */
  function expectUserFilesKept(output: string, configAsMerged: (text: string) => void): void {
    expect(readFileSync(join(project, 'app', 'mine.py'), 'utf8')).toBe(MINE);
    const merged = readFileSync(join(project, 'app', 'core', 'config.py'), 'utf8');
    expect(merged.endsWith(`\n${CONFIG_LINE}`)).toBe(true);
    configAsMerged(merged);
    expect(output).toMatch(/Warning: the project's lint checks found \d+ lint findings?/);
    expect(output).toMatch(/^ {2}app\/mine\.py: \d+ lint findings? \(.*F401/m);
    expect(output).toMatch(/^ {2}app\/core\/config\.py: /m);
    expect(output).toContain('make lint');
    expect(output).not.toContain('All checks passed');
  }

  it('after add: installs, keeps the user lines and files byte for byte, and warns naming them', () => {
    const added = aegis(['add', 'scheduler'], project);
    const output = added.stdout + added.stderr;
    expect(added.status, output).toBe(0);
    expect(output).toContain('[1/3] Installing dependencies: uv sync');
    expect(output).toContain('[2/3] Checking lint (read-only)');
    expect(readFileSync(join(project, 'pyproject.toml'), 'utf8')).toContain('apscheduler==');
    expectUserFilesKept(output, (merged) => expect(merged).toContain('scheduler_persistence'));
  }, 300_000);

  it('after remove: the same', () => {
    const removed = aegis(['remove', 'scheduler'], project);
    const output = removed.stdout + removed.stderr;
    expect(removed.status, output).toBe(0);
    expect(readFileSync(join(project, 'pyproject.toml'), 'utf8')).not.toContain('apscheduler==');
    // Removing the scheduler takes its settings out again: the file is the user's, byte for byte.
    expectUserFilesKept(output, (merged) => expect(merged).toBe(config));
  }, 300_000);

  it('on a clean project, prints its own one-line result', () => {
    writeFileSync(join(project, 'app', 'mine.py'), 'x: list[int] = []\n');
    writeFileSync(join(project, 'app', 'core', 'config.py'), config.slice(0, -CONFIG_LINE.length));
    const added = aegis(['add', 'scheduler'], project);
    const output = added.stdout + added.stderr;
    expect(added.status, output).toBe(0);
    expect(output).toContain('Lint and format checks: no findings.');
    expect(output).not.toContain('All checks passed');
    expect(output).not.toContain('Warning:');
  }, 300_000);
});

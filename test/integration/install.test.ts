import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AegisError } from '../../shared/errors.js';
import { resolveUv, runInstall } from '../../shared/project/install.js';
import { tempDir } from '../support/processes.js';

function script(path: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

describe('resolveUv', () => {
  const originalPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = originalPath;
  });

  it('finds uv on the PATH', () => {
    const bin = tempDir('uv-bin');
    script(join(bin, 'uv'), 'echo "uv 0.0.0"');
    process.env.PATH = bin;
    expect(resolveUv()).toBe(join(bin, 'uv'));
  });

  it('resolves a pyenv shim to the uv it stands for', () => {
    const root = tempDir('uv-pyenv');
    const shims = join(root, 'shims');
    const real = join(root, 'versions', '3.11.7', 'bin');
    mkdirSync(shims);
    mkdirSync(real, { recursive: true });
    script(join(real, 'uv'), 'echo "uv 0.0.0"');
    script(join(shims, 'uv'), 'exit 127');
    script(join(shims, 'pyenv'), `echo "${join(real, 'uv')}"`);
    process.env.PATH = shims;
    expect(resolveUv()).toBe(join(real, 'uv'));
  });

  it("inside a project whose .python-version has no uv, falls back to the global Python's", () => {
    const root = tempDir('uv-pyenv-project');
    const shims = join(root, 'shims');
    const real = join(root, 'versions', '3.11.7', 'bin');
    mkdirSync(shims);
    mkdirSync(real, { recursive: true });
    script(join(real, 'uv'), 'echo "uv 0.0.0"');
    script(join(shims, 'uv'), 'exit 127');
    // As pyenv answers: no uv for the version a project's .python-version names, the global one's elsewhere.
    script(join(shims, 'pyenv'), `if [ -f .python-version ]; then echo "pyenv: uv: command not found" >&2; exit 127; fi\necho "${join(real, 'uv')}"`);
    const project = tempDir('project');
    writeFileSync(join(project, '.python-version'), '3.13\n');
    const here = process.cwd();
    process.chdir(project);
    try {
      process.env.PATH = shims;
      expect(resolveUv()).toBe(join(real, 'uv'));
    } finally {
      process.chdir(here);
    }
  });

  it('is undefined without uv, or with one that does not run', () => {
    process.env.PATH = tempDir('no-uv');
    expect(resolveUv()).toBeUndefined();
    const broken = tempDir('broken-uv');
    script(join(broken, 'uv'), 'exit 1');
    process.env.PATH = broken;
    expect(resolveUv()).toBeUndefined();
  });
});

describe('runInstall', () => {
  const originalPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = originalPath;
  });

  /** A stand-in uv: `sync` exits with `sync`, ruff's checks answer as given (ruff's own summary on stderr). */
  function fakeUv(options: { sync?: number; check?: string; format?: string }): string {
    const bin = tempDir('fake-uv');
    script(
      join(bin, 'uv'),
      [
        'case "$*" in',
        '  --version) echo "uv 0.0.0";;',
        `  sync) exit ${options.sync ?? 0};;`,
        `  *"ruff check"*) ${options.check ?? "echo '[]'; echo 'All checks passed!' >&2"};;`,
        `  *"ruff format"*) ${options.format ?? "echo '3 files already formatted'"};;`,
        '  *) exit 99;;',
        'esac',
      ].join('\n'),
    );
    process.env.PATH = bin;
    return bin;
  }

  it('on a clean project, logs its own one-line result and writes nothing', async () => {
    fakeUv({});
    const project = tempDir('install-clean');
    const log: string[] = [];
    const report = await runInstall(project, (line) => log.push(line));
    expect(report).toEqual({ files: [], problems: [] });
    expect(log).toEqual([
      '[1/3] Installing dependencies: uv sync',
      '[2/3] Checking lint (read-only): uv run --no-sync ruff check --no-cache --output-format json .',
      '[3/3] Checking format (read-only): uv run --no-sync ruff format --no-cache --check .',
      'Lint and format checks: no findings.',
    ]);
  });

  it("reports the user's findings as one warning naming the files, and returns normally", async () => {
    const project = tempDir('install-findings');
    const findings = JSON.stringify([
      { filename: join(project, 'app', 'mine.py'), code: 'F401' },
      { filename: join(project, 'app', 'mine.py'), code: 'F401' },
      { filename: join(project, 'app', 'mine.py'), code: 'UP035' },
      { filename: join(project, 'app', 'broken.py'), code: null },
    ]);
    fakeUv({
      check: `echo '${findings}'; exit 1`,
      format: "echo 'Would reformat: app/ugly.py'; echo '1 file would be reformatted'; exit 1",
    });
    const log: string[] = [];
    const report = await runInstall(project, (line) => log.push(line));
    expect(report.files).toEqual([
      { path: 'app/broken.py', codes: ['syntax error'], unformatted: false },
      { path: 'app/mine.py', codes: ['F401', 'F401', 'UP035'], unformatted: false },
      { path: 'app/ugly.py', codes: [], unformatted: true },
    ]);
    const text = log.join('\n');
    expect(text).toContain("Warning: the project's lint checks found 4 lint findings, 1 file not formatted in 3 files");
    expect(text).toContain('  app/mine.py: 3 lint findings (F401 x2, UP035)');
    expect(text).toContain('  app/ugly.py: not formatted');
    expect(text).toContain('make lint');
    expect(text).not.toContain('All checks passed');
    expect(log.filter((line) => line.startsWith('Warning'))).toHaveLength(1);
  });

  it('reports a check that cannot run as a warning, not a failure', async () => {
    fakeUv({ check: "echo 'error: Failed to spawn: `ruff`' >&2; exit 2" });
    const log: string[] = [];
    const report = await runInstall(tempDir('install-no-ruff'), (line) => log.push(line));
    expect(report.problems).toEqual(['ruff check could not run: error: Failed to spawn: `ruff`']);
    expect(log.join('\n')).toContain("Warning: the project's lint checks could not run");
  });

  it('throws an AegisError when uv sync fails', async () => {
    fakeUv({ sync: 3 });
    await expect(runInstall(tempDir('install-sync-fails'), () => {})).rejects.toThrow(AegisError);
    await expect(runInstall(tempDir('install-sync-fails'), () => {})).rejects.toThrow('"uv sync" failed');
  });
});

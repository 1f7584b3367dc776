import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveUv } from '../../shared/install.js';
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

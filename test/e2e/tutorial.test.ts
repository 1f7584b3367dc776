/**
 * docs/tutorial.md, run: every ```bash story``` block in order (the `story-init` one in an empty folder, the rest in
 * the project it creates), with `aegis` being this package's built bin, and the generated project's own tests run
 * after each step. Blocks without the marker (the deploy, which needs a server) are not run.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveUv } from '../../shared/project/install.js';
import { builtBin, mustRun, repoRoot, tempDir } from '../support/processes.js';

const tutorial = readFileSync(join(repoRoot, 'docs', 'tutorial.md'), 'utf8');
const blocks = [...tutorial.matchAll(/```bash (story(?:-init)?)\n([\s\S]*?)```/g)].map((match) => ({
  init: match[1] === 'story-init',
  commands: match[2]!.trim().split('\n').filter((line) => line.trim() && !line.trim().startsWith('#')),
}));

describe('docs/tutorial.md', () => {
  it('has the story: init first, then each step', () => {
    expect(blocks[0]?.init).toBe(true);
    expect(blocks.length).toBeGreaterThan(6);
  });

  it('runs as written, and the project passes its own tests after every step', () => {
    const work = tempDir('tutorial');
    const bin = join(work, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'aegis'), `#!/bin/sh\nexec "${process.execPath}" "${builtBin}" "$@"\n`, { mode: 0o755 });
    const uv = resolveUv() ?? 'uv';
    // uv itself first, as a user's install puts it (a pyenv shim would follow the project's .python-version away).
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${dirname(uv)}:${process.env.PATH}`, NO_COLOR: '1' };
    delete env.VIRTUAL_ENV;
    let project = work;
    for (const block of blocks) {
      const script = block.commands.filter((line) => !/^cd /.test(line.trim())).join('\n');
      const started = Date.now();
      mustRun('bash', ['-euo', 'pipefail', '-c', script], { cwd: project, env });
      if (block.init) {
        const cd = block.commands.find((line) => /^cd /.test(line.trim()));
        project = join(work, cd!.trim().slice(3));
      }
      const tests = mustRun(uv, ['run', '--no-sync', 'pytest', '-q', '-p', 'no:cacheprovider', '-x'], { cwd: project, env }).stdout;
      expect(tests, block.commands.join('; ')).toMatch(/\d+ passed/);
      console.log(`tutorial step "${block.commands[0]}": ${((Date.now() - started) / 1000).toFixed(1)} s, ${tests.trim().split('\n').pop()}`);
    }
    const state = JSON.parse(readFileSync(join(project, '.yo-rc.json'), 'utf8'))['generator-aegis'].answers as { components: string[]; services: string[] };
    expect(state.components).toEqual(['worker', 'ingress']);
    expect(state.services).toEqual(['auth', 'ai']);
  }, 1_200_000);
});

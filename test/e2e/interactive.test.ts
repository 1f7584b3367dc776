/**
 * The bundled bin asking its questions on a real terminal: `script` gives it a pseudo-terminal, and each answer is
 * typed once its question is on the screen.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtBin, tempDir } from '../support/processes.js';

const hasScript = spawnSync('script', ['--version']).status === 0;

function plain(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '');
}

if (!hasScript && process.env.CI) throw new Error('CI needs `script` (util-linux) for the interactive test');

describe.skipIf(!hasScript)('aegis init on a terminal', () => {
  it('asks name, description, Python, components and their options, and writes the answers', async () => {
    const cwd = tempDir('interactive');
    const child = spawn('script', ['-qec', `${process.execPath} ${builtBin} init --skip-install`, '/dev/null'], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' },
    });
    let screen = '';
    child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (screen += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const answer = async (question: string, keys: string): Promise<void> => {
      const deadline = Date.now() + 30_000;
      while (!plain(screen).includes(question)) {
        if (Date.now() > deadline) throw new Error(`no "${question}" on the screen:\n${plain(screen)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      screen = '';
      child.stdin.write(keys);
    };
    await answer('Project name', 'asked\r');
    await answer('Description', 'Typed on a terminal\r');
    await answer('Python version', '\r');
    await answer('Components', ' \r');
    await answer('Services', '\r');
    await answer('scheduler: Where jobs are stored', '\x1b[B\r');
    expect(await exited, plain(screen)).toBe(0);
    const state = JSON.parse(readFileSync(join(cwd, 'asked', '.yo-rc.json'), 'utf8'))['generator-aegis'];
    expect(state.answers).toMatchObject({
      name: 'asked',
      description: 'Typed on a terminal',
      pythonVersion: '3.13',
      components: ['scheduler'],
      options: { scheduler: { persistence: 'sqlite' } },
    });
  }, 90_000);
});

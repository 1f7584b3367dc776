/**
 * The generated AGENTS.md stays true: in a base project generated and installed through the built bin, every
 * command of its `bash` blocks runs and exits 0 (the aegis ones as written, `<name>` being the scheduler, committed
 * before each as the file says), `make serve` serves `/health`, every `make` target it names exists and every
 * path it names is there. In a project with every component and service, the targets and paths of their sections
 * are checked the same way (their checks run in the stack matrix).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveUv } from '../../shared/project/install.js';
import { builtBin, mustRun, run, serveOnFreePort, start, tempDir } from '../support/processes.js';

const root = tempDir('agents');
const uv = resolveUv();
const IDENTITY = { GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.com' };
const env = (): NodeJS.ProcessEnv => {
  const result: NodeJS.ProcessEnv = { ...process.env, ...IDENTITY, NO_COLOR: '1', PATH: `${dirname(uv ?? 'uv')}:${process.env.PATH ?? ''}` };
  delete result.VIRTUAL_ENV;
  return result;
};
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The commands of the file's `bash` blocks, without their comments. */
function blockCommands(text: string): string[] {
  const blocks = [...text.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1]!);
  return blocks.flatMap((block) => block.split('\n').map((line) => line.replace(/\s+#.*$/, '').trim()).filter(Boolean));
}

/** Every `make <target>` the file names, in code spans or blocks. */
function makeTargets(text: string): string[] {
  return [...new Set([...text.matchAll(/\bmake ([a-z][a-z0-9-]*)/g)].map((match) => match[1]!))].sort();
}

/** Every project path the file names in a code span (`app/core/config.py`, `alembic/versions/`), placeholders aside. */
function namedPaths(text: string): string[] {
  const spans = [...text.matchAll(/`([^`\s]+)`/g)].map((match) => match[1]!);
  return [...new Set(spans.filter((span) => /^[\w.-]+(\/[\w.-]*)+$|^[\w-]+\.(md|py|toml|ya?ml|json|ini)$/.test(span) && !span.startsWith('/')))].sort();
}

function checkNames(project: string, text: string): void {
  for (const target of makeTargets(text)) expect(run('make', ['-n', target], { cwd: project }).status, `make ${target}`).toBe(0);
  const paths = namedPaths(text);
  expect(paths.length).toBeGreaterThan(5);
  for (const path of paths) expect(existsSync(join(project, path)), path).toBe(true);
}

async function serves(project: string): Promise<number> {
  const { server, response } = await serveOnFreePort(
    (port) => start('make', ['serve'], { cwd: project, env: { ...env(), PORT: String(port) } }),
    '/health',
    90_000,
  );
  await server.stop();
  return response.status;
}

describe.skipIf(!uv)('AGENTS.md of a generated project', () => {
  let project = '';
  let text = '';
  beforeAll(() => {
    mustRun('node', [builtBin, 'init', 'demo', '--yes', '--python-version', '3.11'], { cwd: root, env: env() });
    project = join(root, 'demo');
    text = readFileSync(join(project, 'AGENTS.md'), 'utf8');
  }, 600_000);

  it('runs every command of its blocks, as written', () => {
    const commands = blockCommands(text);
    expect(commands).toContain('make check');
    expect(commands.some((command) => command.startsWith('aegis add'))).toBe(true);
    for (const command of commands) {
      const words = command.replaceAll('<name>', 'scheduler').split(/\s+/);
      let result;
      if (words[0] === 'aegis') {
        // "Commit before running one of them."
        mustRun('git', ['add', '-A'], { cwd: project, env: env() });
        if (run('git', ['diff', '--cached', '--quiet'], { cwd: project }).status !== 0) mustRun('git', ['commit', '-qm', `before ${command}`], { cwd: project, env: env() });
        result = run('node', [builtBin, ...words.slice(1)], { cwd: project, env: env() });
      } else {
        result = run('sh', ['-c', command], { cwd: project, env: env() });
      }
      expect(result.status, `${command}\n${result.stdout}\n${result.stderr}`).toBe(0);
    }
    // add then remove gave the project back: nothing of the scheduler is left.
    expect(existsSync(join(project, 'app', 'components', 'scheduler.py'))).toBe(false);
  }, 900_000);

  it('names make targets that exist and paths that are there', () => {
    checkNames(project, text);
  });

  it('make serve answers /health', async () => {
    expect(await serves(project)).toBe(200);
  }, 120_000);
});

describe('AGENTS.md with every component and service', () => {
  it('names make targets that exist and paths that are there, in each section', () => {
    const args = ['init', 'full', '--yes', '--skip-install', '--skip-git', '--python-version', '3.11'];
    mustRun('node', [builtBin, ...args, '--components', 'scheduler[sqlite],worker,database[postgres],ingress,observability,kubernetes', '--services', 'auth,ai'], { cwd: root, env: env() });
    const project = join(root, 'full');
    const text = readFileSync(join(project, 'AGENTS.md'), 'utf8');
    for (const heading of ['## Scheduler', '## Redis', '## Worker', '## Database', '## Ingress', '## Observability', '## Kubernetes', '## Auth', '## AI']) expect(text).toContain(heading);
    checkNames(project, text);
  });
});

/**
 * docs/tutorial.md, run: every ```bash story``` block in order (the `story-init` one in an empty folder, the rest in
 * the project it creates), with `aegis` being this package's built bin, and every ```python story-…``` block put
 * into the project as the page says: `story-file PATH` writes the whole file, `story-insert PATH before="TEXT"`
 * inserts the block above the first line starting with TEXT, `story-replace PATH` replaces the statement that
 * starts like the block's first line (up to its first `(` or ` =`). After each bash step the project's own tests,
 * ruff and ruff format pass, and mypy finds nothing outside the files the story's code went into (the page says
 * what those untyped lines need); a step after which no file differs from the last checked state is not checked
 * again. Blocks without the marker (the deploy, which needs a server) are not run.
 *
 * The story's code enqueues with arq's `RedisSettings()`, which is localhost:6379 database 0 whatever REDIS_URL
 * says, so the story's steps (and the real system worker they start) use the project's default Redis URL, where the
 * user's `make redis` would listen: the Redis there, or, when nothing listens on 6379, an embedded Valkey the test
 * starts there for the story (test/support/test-servers.ts). The project's tests use the run's Redis (REDIS_URL, or
 * the embedded one; database 1 unless set).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveUv } from '../../shared/project/install.js';
import { keepMypyCache, takeKeptMypyCache } from '../support/kept-mypy-cache.js';
import { builtBin, listening, mustRun, repoRoot, run, tempDir } from '../support/processes.js';
import { redisUrl, startEmbeddedRedisOn } from '../support/test-servers.js';

type Step =
  | { readonly kind: 'init'; readonly lines: readonly string[] }
  | { readonly kind: 'bash'; readonly lines: readonly string[] }
  | { readonly kind: 'file'; readonly path: string; readonly text: string }
  | { readonly kind: 'replace'; readonly path: string; readonly text: string }
  | { readonly kind: 'insert'; readonly path: string; readonly before: string; readonly text: string };

const tutorial = readFileSync(join(repoRoot, 'docs', 'tutorial.md'), 'utf8');
const steps: Step[] = [...tutorial.matchAll(/```(bash|python) story(-init|-file|-insert|-replace)?([^\n]*)\n([\s\S]*?)```/g)].map((match) => {
  const [, language, variant, rest, body] = match as unknown as [string, string, string | undefined, string, string];
  if (language === 'bash') {
    const lines = body.trim().split('\n');
    return variant === '-init' ? { kind: 'init', lines } : { kind: 'bash', lines };
  }
  const [, path, before] = /^\s*(\S+)(?:\s+before="(.*)")?\s*$/.exec(rest) ?? [];
  expect(path, `python story block without a path: ${rest}`).toBeTruthy();
  if (variant === '-insert') return { kind: 'insert', path: path!, before: before!, text: body };
  return variant === '-replace' ? { kind: 'replace', path: path!, text: body } : { kind: 'file', path: path!, text: body };
});

/** The statement of `source` starting like `text`'s first line, replaced by `text`. */
function replaceStatement(source: string, text: string): string {
  const first = text.split('\n')[0]!;
  const cut = Math.min(...['(', ' ='].map((mark) => first.indexOf(mark)).filter((at) => at >= 0).map((at) => at + 1));
  const key = first.slice(0, cut);
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.startsWith(key));
  expect(start, `no line starting with ${JSON.stringify(key)}`).toBeGreaterThanOrEqual(0);
  let end = start;
  let depth = 0;
  for (;;) {
    for (const char of lines[end]!) depth += '([{'.includes(char) ? 1 : ')]}'.includes(char) ? -1 : 0;
    if (depth <= 0) break;
    end += 1;
  }
  return [...lines.slice(0, start), ...text.replace(/\n$/, '').split('\n'), ...lines.slice(end + 1)].join('\n');
}

function apply(project: string, step: Step): void {
  if (step.kind === 'init' || step.kind === 'bash') return;
  const file = join(project, step.path);
  if (step.kind === 'file') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, step.text);
    return;
  }
  const source = readFileSync(file, 'utf8');
  if (step.kind === 'replace') {
    writeFileSync(file, replaceStatement(source, step.text));
    return;
  }
  const at = source.split('\n').findIndex((line) => line.startsWith(step.before));
  expect(at, `no line starting with ${step.before} in ${step.path}`).toBeGreaterThanOrEqual(0);
  const lines = source.split('\n');
  writeFileSync(file, [...lines.slice(0, at), ...step.text.split('\n'), '', ...lines.slice(at)].join('\n'));
}

/**
 * What the project's checks read: every file git would see (tracked, or untracked and not ignored), with its
 * contents. A step that leaves it as it was (a dry run, a worker run whose log git ignores) changes no check's input,
 * so the checks are not run again for it.
 */
function projectFingerprint(project: string): string {
  const files = mustRun('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: project }).stdout.split('\0').filter(Boolean);
  const hash = createHash('sha256');
  for (const file of [...new Set(files)].sort()) {
    hash.update(`${file}\0`);
    try {
      hash.update(readFileSync(join(project, file)));
    } catch {
      hash.update('(deleted)');
    }
  }
  return hash.digest('hex');
}

describe('docs/tutorial.md', () => {
  it('has the story: init first, then each step, and the story\'s code', () => {
    expect(steps[0]?.kind).toBe('init');
    expect(steps.filter((step) => step.kind === 'bash').length).toBeGreaterThan(6);
    const written = steps.flatMap((step) => ('path' in step ? [step.path] : []));
    expect(written).toContain('app/components/backend/api/reports.py');
    expect(written).toContain('app/components/worker/queues/system.py');
    expect(written).toContain('app/components/backend/api/assistant.py');
  });

  it('runs as written, and the project passes its own tests and linters after every step', async () => {
    // The story's Redis (see above): whatever listens on 6379, else an embedded Valkey there for the story.
    const storyRedis = (await listening(6379)) ? undefined : await startEmbeddedRedisOn(6379);
    try {
      const work = tempDir('tutorial');
      const bin = join(work, 'bin');
      mkdirSync(bin);
      writeFileSync(join(bin, 'aegis'), `#!/bin/sh\nexec "${process.execPath}" "${builtBin}" "$@"\n`, { mode: 0o755 });
      const uv = resolveUv() ?? 'uv';
      // uv itself first, as a user's install puts it (a pyenv shim would follow the project's .python-version away).
      const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${dirname(uv)}:${process.env.PATH}`, NO_COLOR: '1' };
      delete env.VIRTUAL_ENV;
      delete env.REDIS_URL;
      // mypy's cache kept on this machine for the next run (test/support/kept-mypy-cache.ts).
      const mypyCache = join(work, 'mypy-cache');
      takeKeptMypyCache('tutorial', mypyCache);
      const testEnv = { ...env, REDIS_URL: redisUrl(1), MYPY_CACHE_DIR: mypyCache };
      let project = work;
      const storyFiles = new Set<string>();
      let checked: string | undefined;
      for (const step of steps) {
        if (step.kind !== 'init' && step.kind !== 'bash') {
          apply(project, step);
          storyFiles.add(step.path);
          continue;
        }
        const script = step.lines.filter((line) => !/^cd /.test(line.trim())).join('\n');
        const started = Date.now();
        const name = step.lines[0]!;
        mustRun('bash', ['-euo', 'pipefail', '-c', script], { cwd: project, env });
        if (step.kind === 'init') {
          const cd = step.lines.find((line) => /^cd /.test(line.trim()));
          project = join(work, cd!.trim().slice(3));
        }
        const fingerprint = projectFingerprint(project);
        if (fingerprint === checked) {
          console.log(`tutorial step "${name}": ${((Date.now() - started) / 1000).toFixed(1)} s, no file changed since the last checks passed`);
          continue;
        }
        const uvRun = (...args: string[]) => run(uv, ['run', '--no-sync', ...args], { cwd: project, env: testEnv });
        for (const args of [['ruff', 'check', '.'], ['ruff', 'format', '--check', '.']]) {
          const ran = uvRun(...args);
          expect(ran.status, `after "${name}": ${args.join(' ')}\n${ran.stdout}${ran.stderr}`).toBe(0);
        }
        const mypy = uvRun('mypy', '.');
        const elsewhere = mypy.stdout.split('\n').filter((line) => /^\S+\.py:\d+: error:/.test(line) && !storyFiles.has(line.split(':')[0]!));
        expect(elsewhere, `after "${name}": mypy outside the story's files\n${mypy.stdout}`).toEqual([]);
        if (storyFiles.size === 0) expect(mypy.status, mypy.stdout).toBe(0);
        const tests = uvRun('pytest', '-q', '-p', 'no:cacheprovider', '-x');
        expect(tests.status, `after "${name}": pytest\n${tests.stdout.slice(-5000)}${tests.stderr.slice(-2000)}`).toBe(0);
        expect(tests.stdout).toMatch(/\d+ passed/);
        checked = fingerprint;
        console.log(`tutorial step "${name}": ${((Date.now() - started) / 1000).toFixed(1)} s, ${tests.stdout.trim().split('\n').pop()}`);
      }
      keepMypyCache('tutorial', mypyCache);
      const state = JSON.parse(readFileSync(join(project, '.yo-rc.json'), 'utf8'))['generator-aegis'].answers as { components: string[]; services: string[] };
      expect(state.components).toEqual(['worker', 'ingress']);
      expect(state.services).toEqual(['auth', 'ai']);
    } finally {
      await storyRedis?.stop();
    }
  }, 1_800_000);
});

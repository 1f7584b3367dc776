/**
 * Plugins as a user gets them: generator-aegis, both plugins of plugins/ and one made by `aegis plugins create`
 * packed and installed from their tarballs, `aegis plugins add` from the tarballs, the features added to a project
 * with redis, the project's own checks and boot (their cards on /health/detailed), a plugin update from 1.0.0 to a
 * 1.1.0 made here with the user's edits kept, then remove with the round trip holding.
 */
import { appendFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveUv } from '../../shared/project/install.js';
import { mustRun, readTree, repoRoot, run, serveOnFreePort, start, tempDir } from '../support/processes.js';
import { redisUrl } from '../support/test-servers.js';

const PYTHON = '3.11';
const uv = resolveUv() ?? 'uv';
const pluginSource = join(repoRoot, 'plugins', 'aegis-plugin-ratelimit');
const flagsSource = join(repoRoot, 'plugins', 'aegis-plugin-featureflags');
const skipInTree = (path: string) => /^(\.venv|\.ruff_cache|\.mypy_cache|\.pytest_cache|data|\.git)(\/|$)|__pycache__|^uv\.lock$/.test(path);

let root = '';
let aegis = '';
let env: NodeJS.ProcessEnv = {};

function pack(folder: string): string {
  const name = mustRun('npm', ['pack', '--ignore-scripts', '--pack-destination', root, '--silent'], { cwd: folder }).stdout.trim().split('\n').pop()!;
  return join(root, name);
}

beforeAll(() => {
  root = tempDir('plugins');
  const generator = pack(repoRoot);
  const prefix = join(root, 'prefix');
  mustRun('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', generator], { cwd: root });
  aegis = join(prefix, 'bin', 'aegis');
  env = { ...process.env, NO_COLOR: '1', AEGIS_CACHE_DIR: join(root, 'cache'), REDIS_URL: redisUrl(3) };
  delete env.VIRTUAL_ENV;
}, 600_000);

afterAll(() => {
  if (root && !process.env.AEGIS_KEEP_E2E) rmSync(root, { recursive: true, force: true });
});

function aegisIn(cwd: string, args: string[]): string {
  const result = run(aegis, args, { cwd, env });
  expect(result.status, `aegis ${args.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
  return result.stdout + result.stderr;
}

function projectChecks(cwd: string): void {
  const inProject = { cwd, env };
  mustRun(uv, ['sync', '--quiet'], inProject);
  expect(mustRun(uv, ['run', '--no-sync', 'pytest', '-q', '-p', 'no:cacheprovider', '-rs'], inProject).stdout).toMatch(/\d+ passed/);
  mustRun(uv, ['run', '--no-sync', 'ruff', 'check', '.'], inProject);
  mustRun(uv, ['run', '--no-sync', 'ruff', 'format', '--check', '.'], inProject);
  mustRun(uv, ['run', '--no-sync', 'mypy', '.'], inProject);
}

describe('a plugin from its tarball', () => {
  it('is added, checked, booted, updated from 1.0.0 to 1.1.0 with user edits kept, and removed', async () => {
    const v1 = pack(pluginSource);
    // 1.1.0: the same plugin with a template change, as its author would publish it.
    const next = join(root, 'ratelimit-1.1.0');
    cpSync(pluginSource, next, { recursive: true, filter: (path) => !path.includes('node_modules') });
    const manifest = JSON.parse(readFileSync(join(next, 'package.json'), 'utf8')) as { version: string };
    writeFileSync(join(next, 'package.json'), JSON.stringify({ ...manifest, version: '1.1.0' }, null, 2));
    const limiter = join(next, 'components/ratelimit/templates/app/components/ratelimit/limiter.py');
    writeFileSync(limiter, readFileSync(limiter, 'utf8').replace('"""Fixed-window counters:', '"""Fixed-window counters (1.1.0):'));
    const v11 = pack(next);
    const flags = pack(flagsSource);
    aegisIn(root, ['plugins', 'create', 'aegis-plugin-hello']);
    const hello = pack(join(root, 'aegis-plugin-hello'));

    aegisIn(root, ['init', 'shop', '--yes', '--skip-install', '--python-version', PYTHON, '--components', 'redis']);
    const project = join(root, 'shop');
    const bare = readTree(project, skipInTree);

    const refused = run(aegis, ['plugins', 'add', v1], { cwd: project, env });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('pass --yes');
    const added = aegisIn(project, ['plugins', 'add', v1, '--yes']);
    expect(added).toContain('component ratelimit');
    expect(JSON.parse(readFileSync(join(project, '.yo-rc.json'), 'utf8'))['generator-aegis'].answers.plugins).toEqual(['aegis-plugin-ratelimit@1.0.0']);
    expect(aegisIn(project, ['plugins', 'list'])).toContain('aegis-plugin-ratelimit@1.0.0  ratelimit');

    expect(aegisIn(project, ['add', 'ratelimit', '--yes', '--dry-run'])).toContain('Dry run: nothing was written.');
    aegisIn(project, ['add', 'ratelimit', '--yes', '--skip-install']);
    aegisIn(project, ['plugins', 'add', flags, '--yes']);
    aegisIn(project, ['plugins', 'add', hello, '--yes']);
    aegisIn(project, ['add', 'featureflags[redis]', 'hello', '--yes', '--skip-install']);
    expect(aegisIn(project, ['plugins', 'list'])).toContain('aegis-plugin-featureflags@1.0.0  featureflags (in the project)');
    expect(readFileSync(join(project, 'app/components/ratelimit/dependency.py'), 'utf8')).toContain('RedisRateLimiter(create_redis(settings))');
    const removeRefused = run(aegis, ['plugins', 'remove', 'aegis-plugin-ratelimit'], { cwd: project, env });
    expect(removeRefused.status).toBe(1);
    expect(removeRefused.stderr).toContain('aegis remove ratelimit');

    projectChecks(project);
    const { server, port } = await serveOnFreePort(
      (port) => start(uv, ['run', '--no-sync', 'python', '-m', 'app.entrypoints.webserver'], { cwd: project, env: { ...env, PORT: String(port), APP_ENV: 'development' } }),
      '/health',
      60_000,
    );
    try {
      const report = (await (await fetch(`http://127.0.0.1:${port}/health/detailed`)).json()) as {
        components: Record<string, { status: string; message?: string; details?: Record<string, unknown> }>;
      };
      expect(report.components.ratelimit?.status, JSON.stringify(report)).toBe('healthy');
      expect(report.components.ratelimit?.details?.backend).toBe('redis');
      expect(report.components.featureflags?.status, JSON.stringify(report)).toBe('healthy');
      expect(report.components.featureflags?.details?.store).toBe('redis');
      expect(report.components.hello?.message).toBe('greeting: hello');
      expect((await (await fetch(`http://127.0.0.1:${port}/api/flags`)).json()) as unknown).toEqual({ store: 'redis', enabled: [] });
      const status = await fetch(`http://127.0.0.1:${port}/api/ratelimit`);
      expect(status.status).toBe(200);
      expect(status.headers.get('x-ratelimit-limit')).toBe('60');
    } finally {
      await server.stop();
    }

    // The user's edits, then the plugin update: the template change arrives, the edits stay.
    appendFileSync(join(project, 'app/components/ratelimit/limiter.py'), '\n\nMY_LIMIT = 5  # mine\n');
    appendFileSync(join(project, 'app/core/config.py'), '# mine: config\n');
    const updated = aegisIn(project, ['plugins', 'update', v11, '--yes', '--skip-install']);
    expect(updated).toContain('merge');
    const merged = readFileSync(join(project, 'app/components/ratelimit/limiter.py'), 'utf8');
    expect(merged).toContain('Fixed-window counters (1.1.0):');
    expect(merged).toContain('MY_LIMIT = 5  # mine');
    expect(JSON.parse(readFileSync(join(project, '.yo-rc.json'), 'utf8'))['generator-aegis'].answers.plugins).toEqual([
      'aegis-plugin-featureflags@1.0.0',
      'aegis-plugin-hello@0.1.0',
      'aegis-plugin-ratelimit@1.1.0',
    ]);

    // Remove: the plugins' files go, except the one the user changed; shared files are as before, with the user's line.
    aegisIn(project, ['remove', 'featureflags', 'hello', '--yes', '--skip-install']);
    aegisIn(project, ['plugins', 'remove', 'aegis-plugin-featureflags', '--yes']);
    aegisIn(project, ['plugins', 'remove', 'aegis-plugin-hello', '--yes']);
    aegisIn(project, ['remove', 'ratelimit', '--yes', '--skip-install']);
    const after = readTree(project, skipInTree);
    expect(after.get('app/components/ratelimit/limiter.py')).toContain('MY_LIMIT = 5  # mine');
    expect(after.get('app/core/config.py')).toBe(`${bare.get('app/core/config.py')}# mine: config\n`);
    for (const [path, contents] of bare) {
      if (path === '.yo-rc.json' || path === 'app/core/config.py') continue;
      expect(after.get(path), path).toBe(contents);
    }
    aegisIn(project, ['plugins', 'remove', 'aegis-plugin-ratelimit', '--yes']);
    expect(readFileSync(join(project, '.yo-rc.json'), 'utf8')).toBe(bare.get('.yo-rc.json'));

    // Offline: the cache serves a recorded plugin; a missing one says how to get it.
    aegisIn(project, ['plugins', 'add', 'aegis-plugin-ratelimit@1.0.0', '--yes']);
    rmSync(join(root, 'cache', 'plugins'), { recursive: true, force: true });
    const missing = run(aegis, ['add', 'ratelimit', '--yes'], { cwd: project, env });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('aegis plugins add aegis-plugin-ratelimit@1.0.0');
    // Following the advice (here from the tarball: the registry does not have this plugin) brings it back.
    expect(aegisIn(project, ['plugins', 'add', v1, '--yes'])).toContain('it is in the plugin cache now');
    expect(aegisIn(project, ['add', 'ratelimit', '--yes', '--dry-run'])).toContain('Dry run: nothing was written.');
  }, 900_000);
});

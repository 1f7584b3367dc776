/**
 * Plugins through the built package: each plugin in plugins/ passes its own test kit run, a scaffold from
 * `aegis plugins create` passes the kit as it is, the renderer `aegis update` loads for the recorded version renders
 * a recorded plugin from the cache, and the bin's refusals change nothing.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderWithVersion } from '../../shared/update/version-renderer.js';
import { builtBin, mustRun, repoRoot, run, tempDir } from '../support/processes.js';

const pluginsDir = join(repoRoot, 'plugins');
let scratch = '';
let env: NodeJS.ProcessEnv = {};

/** The plugin resolves `generator-aegis/testing` to this build, as an `npm install generator-aegis` would. */
function linkGenerator(pluginRoot: string): void {
  const link = join(pluginRoot, 'node_modules', 'generator-aegis');
  if (existsSync(link)) return;
  mkdirSync(join(pluginRoot, 'node_modules'), { recursive: true });
  symlinkSync(repoRoot, link, 'dir');
}

beforeAll(() => {
  scratch = tempDir('plugins-integration');
  env = { ...process.env, NO_COLOR: '1', AEGIS_CACHE_DIR: join(scratch, 'cache') };
});

describe('the plugins in this repository', () => {
  it.each(readdirSync(pluginsDir).filter((name) => name.startsWith('aegis-plugin-')))('%s passes its own test kit run', (name) => {
    const root = join(pluginsDir, name);
    linkGenerator(root);
    const result = run('npm', ['test'], { cwd: root, env: { ...env, UPDATE_GOLDEN: '' } });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/# fail 0/);
    expect(result.stdout).not.toMatch(/# pass 0\b/);
  });
});

describe('aegis plugins create', () => {
  it('scaffolds a package that passes the test kit and that aegis plugins add takes', () => {
    mustRun('node', [builtBin, 'plugins', 'create', '@acme/aegis-plugin-audit-log'], { cwd: scratch, env });
    const root = join(scratch, 'aegis-plugin-audit-log');
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { aegis: { pluginApi: string }; files: string[] };
    expect(manifest.aegis.pluginApi).toBe('^1.0.0');
    expect(existsSync(join(root, 'components', 'audit-log', 'README.md'))).toBe(true);
    linkGenerator(root);
    const tests = run('npm', ['test'], { cwd: root, env });
    expect(tests.status, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toMatch(/# pass 4/);
    // The golden file the first run wrote now holds: a second run compares against it.
    expect(existsSync(join(root, 'test', 'golden', 'audit-log.json'))).toBe(true);
    expect(run('npm', ['test'], { cwd: root, env }).status).toBe(0);

    mustRun('node', [builtBin, 'init', 'demo', '--yes', '--skip-install'], { cwd: scratch, env });
    const project = join(scratch, 'demo');
    const added = mustRun('node', [builtBin, 'plugins', 'add', root, '--yes'], { cwd: project, env });
    expect(added.stderr).toContain('component audit-log');
    mustRun('node', [builtBin, 'add', 'audit-log', '--yes', '--skip-install'], { cwd: project, env });
    expect(readFileSync(join(project, 'app/components/audit_log/health.py'), 'utf8')).toContain('async def check_audit_log()');
    expect(readFileSync(join(project, 'app/services/system/checks.py'), 'utf8')).toContain('check_audit_log');
  });

  it('refuses a folder that is not empty and a name npm would refuse', () => {
    const taken = join(scratch, 'taken');
    mkdirSync(taken);
    writeFileSync(join(taken, 'mine.txt'), 'mine\n');
    const busy = run('node', [builtBin, 'plugins', 'create', 'aegis-plugin-x', '--directory', taken], { cwd: scratch, env });
    expect(busy.status).toBe(1);
    expect(busy.stderr).toContain('is not empty');
    expect(readdirSync(taken)).toEqual(['mine.txt']);
    const bad = run('node', [builtBin, 'plugins', 'create', 'Aegis Plugin'], { cwd: scratch, env });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('not a valid npm package name');
  });
});

describe('the recorded-version renderer (aegis update)', () => {
  it('renders a recorded plugin from the cache at its recorded version', async () => {
    const project = join(scratch, 'update-side');
    mustRun('node', [builtBin, 'init', 'update-side', '--yes', '--skip-install'], { cwd: scratch, env });
    mustRun('node', [builtBin, 'plugins', 'add', join(pluginsDir, 'aegis-plugin-ratelimit'), '--yes'], { cwd: project, env });
    mustRun('node', [builtBin, 'add', 'ratelimit', '--yes', '--skip-install'], { cwd: project, env });
    const stateText = readFileSync(join(project, '.yo-rc.json'), 'utf8');
    const before = process.env.AEGIS_CACHE_DIR;
    process.env.AEGIS_CACHE_DIR = env.AEGIS_CACHE_DIR;
    try {
      const tree = await renderWithVersion(repoRoot, stateText);
      expect(tree.get('app/components/ratelimit/limiter.py')).toBe(readFileSync(join(project, 'app/components/ratelimit/limiter.py'), 'utf8'));
      expect(tree.get('app/components/backend/api/routing.py')).toBe(readFileSync(join(project, 'app/components/backend/api/routing.py'), 'utf8'));
    } finally {
      if (before === undefined) delete process.env.AEGIS_CACHE_DIR;
      else process.env.AEGIS_CACHE_DIR = before;
    }
  });
});

describe('aegis plugins: refusals change nothing', () => {
  it('refuses a plugin made for another plugin API, naming both versions', () => {
    mustRun('node', [builtBin, 'init', 'refusals', '--yes', '--skip-install'], { cwd: scratch, env });
    const project = join(scratch, 'refusals');
    const stateBefore = readFileSync(join(project, '.yo-rc.json'), 'utf8');
    const future = join(scratch, 'future-plugin');
    cpSync(join(pluginsDir, 'aegis-plugin-ratelimit'), future, { recursive: true, filter: (path) => !path.includes('node_modules') });
    const manifest = JSON.parse(readFileSync(join(future, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(future, 'package.json'), JSON.stringify({ ...manifest, version: '2.0.0', aegis: { pluginApi: '^2.0.0' } }));
    const refused = run('node', [builtBin, 'plugins', 'add', future, '--yes'], { cwd: project, env });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('aegis-plugin-ratelimit@2.0.0 supports generator-aegis plugin API ^2.0.0, but this generator-aegis implements plugin API 1.0.0');
    const unknown = run('node', [builtBin, 'plugins', 'remove', 'aegis-plugin-nothing'], { cwd: project, env });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('does not use a plugin named aegis-plugin-nothing');
    const notAFile = run('node', [builtBin, 'plugins', 'add', './no/such/folder', '--yes'], { cwd: project, env });
    expect(notAFile.status).toBe(1);
    expect(notAFile.stderr).toContain('no such folder or tarball');
    const unknownFeature = run('node', [builtBin, 'add', 'ratelimit', '--yes', '--skip-install'], { cwd: project, env });
    expect(unknownFeature.status).toBe(1);
    expect(unknownFeature.stderr).toContain('Unknown component or service "ratelimit"');
    expect(readFileSync(join(project, '.yo-rc.json'), 'utf8')).toBe(stateBefore);
  });
});

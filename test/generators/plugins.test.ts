/** `yo aegis:add <plugin feature>` and `yo aegis:remove`: the Yeoman generators take a project's recorded plugins. */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../shared/commands/project-load.js';
import { loadPluginPackage } from '../../shared/plugins/plugin-package.js';
import { planPluginAdd, planPluginRemove, planPluginUpdate } from '../../shared/plugins/plugin-change.js';
import { applyChanges } from '../../shared/engine/apply-changes.js';
import { fetchPlugin } from '../../shared/plugins/plugin-fetch.js';
import { activateRecordedPlugins } from '../../shared/plugins/activate.js';
import { addFeatures, initProject, readTree, removeFeatures, scratchDir } from '../support/project-runner.js';

const pluginRoot = join(new URL('../..', import.meta.url).pathname, 'plugins', 'aegis-plugin-ratelimit');
let scratch = '';
let cacheBefore: string | undefined;

beforeAll(() => {
  scratch = scratchDir('aegis-yo-plugins-');
  cacheBefore = process.env.AEGIS_CACHE_DIR;
  process.env.AEGIS_CACHE_DIR = join(scratch, 'cache');
});

afterAll(() => {
  if (cacheBefore === undefined) delete process.env.AEGIS_CACHE_DIR;
  else process.env.AEGIS_CACHE_DIR = cacheBefore;
  activateRecordedPlugins([]);
});

describe('yo aegis:add with a plugin feature', () => {
  it('adds and removes it like a built-in, the round trip holding', async () => {
    const project = await initProject(scratch, 'yoplug');
    const plugin = loadPluginPackage(await fetchPlugin(pluginRoot));
    applyChanges(project, planPluginAdd(loadProject(project, () => undefined), plugin).changes);
    const recorded = readTree(project);
    expect(recorded.get('.yo-rc.json')).toContain('aegis-plugin-ratelimit@1.0.0');

    const added = await addFeatures(project, ['ratelimit']);
    expect(added.map((change) => `${change.action} ${change.path}`)).toContain('create app/components/ratelimit/limiter.py');
    expect(readFileSync(join(project, 'app/components/backend/api/routing.py'), 'utf8')).toContain('ratelimit_router');

    await removeFeatures(project, ['ratelimit']);
    expect(readTree(project)).toEqual(recorded);
  });
});

describe('plugin version changes the engine refuses', () => {
  it('refuses to remove a plugin in use, and to update to a version without a feature the project uses', async () => {
    const project = await initProject(scratch, 'refusing');
    const plugin = loadPluginPackage(await fetchPlugin(pluginRoot));
    applyChanges(project, planPluginAdd(loadProject(project, () => undefined), plugin).changes);
    await addFeatures(project, ['ratelimit']);
    const before = readTree(project);
    expect(() => planPluginRemove(loadProject(project, () => undefined), 'aegis-plugin-ratelimit')).toThrow(
      'aegis-plugin-ratelimit@1.0.0 still provides ratelimit',
    );

    // 2.0.0 renamed its feature: the project's ratelimit would have no templates.
    const renamed = join(scratch, 'renamed');
    cpSync(pluginRoot, renamed, { recursive: true, filter: (path) => !path.includes('node_modules') });
    const manifest = JSON.parse(readFileSync(join(renamed, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(renamed, 'package.json'), JSON.stringify({ ...manifest, version: '2.0.0' }));
    cpSync(join(renamed, 'components', 'ratelimit'), join(renamed, 'components', 'throttle'), { recursive: true });
    rmSync(join(renamed, 'components', 'ratelimit'), { recursive: true });
    const spec = join(renamed, 'components', 'throttle', 'spec.js');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace("name: 'ratelimit'", "name: 'throttle'"));
    writeFileSync(join(renamed, 'index.js'), "import { ratelimit } from './components/throttle/spec.js';\nexport const features = [ratelimit];\n");
    const next = loadPluginPackage(await fetchPlugin(renamed));
    expect(() => planPluginUpdate(loadProject(project, () => undefined), next)).toThrow(
      'aegis-plugin-ratelimit@2.0.0 no longer provides ratelimit',
    );
    expect(readTree(project)).toEqual(before);
  });
});

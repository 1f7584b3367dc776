import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PLUGIN_API_VERSION, satisfiesRange } from '../../shared/plugins/api-range.js';
import { loadPluginPackage } from '../../shared/plugins/plugin-package.js';
import { parseState } from '../../shared/model/project-state.js';
import { findFeature, featureFolder } from '../../shared/model/registry.js';
import { activateRecordedPlugins, rememberPlugin } from '../../shared/plugins/activate.js';
import { render } from '../../shared/engine/render.js';
import { normalizeAnswers } from '../../shared/model/answers.js';
import { repoRoot } from '../support/processes.js';

const source = join(repoRoot, 'plugins', 'aegis-plugin-ratelimit');
const scratch = mkdtempSync(join(tmpdir(), 'aegis-plugin-unit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the ratelimit plugin with its package.json changed. */
function variant(name: string, edit: (manifest: Record<string, unknown>) => void, specEdit?: (spec: string) => string): string {
  const folder = join(scratch, name);
  cpSync(source, folder, { recursive: true, filter: (path) => !path.includes('node_modules') });
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Record<string, unknown>;
  edit(manifest);
  writeFileSync(join(folder, 'package.json'), JSON.stringify(manifest));
  if (specEdit) {
    const spec = join(folder, 'components/ratelimit/spec.js');
    writeFileSync(spec, specEdit(readFileSync(spec, 'utf8')));
  }
  return folder;
}

describe('plugin API ranges', () => {
  it.each([
    ['1.0.0', '^1.0.0', true],
    ['1.4.2', '^1.0.0', true],
    ['2.0.0', '^1.0.0', false],
    ['0.3.1', '^0.3.0', true],
    ['0.4.0', '^0.3.0', false],
    ['1.2.0', '~1.1.0', false],
    ['1.1.9', '~1.1.0', true],
    ['1.0.0', '>=1.0.0 <2.0.0', true],
    ['2.1.0', '1.x || 2.x', true],
    ['3.0.0', '1 || 2', false],
    ['1.0.0', '*', true],
  ])('%s in %s: %s', (version, range, expected) => {
    expect(satisfiesRange(version, range)).toBe(expected);
  });
});

describe('loading a plugin package', () => {
  it('reads the features and their folders in the plugin', () => {
    const plugin = loadPluginPackage(source);
    expect(plugin.name).toBe('aegis-plugin-ratelimit');
    expect(plugin.features.map((feature) => feature.spec.name)).toEqual(['ratelimit']);
    expect(plugin.features[0]!.folder).toBe(join(source, 'components', 'ratelimit'));
  });

  it('refuses a plugin API range this version is not in, naming both', () => {
    const folder = variant('api2', (manifest) => (manifest.aegis = { pluginApi: '^2.0.0' }));
    expect(() => loadPluginPackage(folder)).toThrow(`supports generator-aegis plugin API ^2.0.0, but this generator-aegis implements plugin API ${PLUGIN_API_VERSION}`);
  });

  it('refuses a package that is not a plugin', () => {
    const folder = variant('plain', (manifest) => delete manifest.aegis);
    expect(() => loadPluginPackage(folder)).toThrow('is not a generator-aegis plugin');
  });

  it('refuses a feature that would shadow a built-in', () => {
    const folder = variant('shadow', () => undefined, (spec) => spec.replace("name: 'ratelimit'", "name: 'redis'"));
    expect(() => loadPluginPackage(folder)).toThrow('"redis", which is built into generator-aegis');
  });
});

describe('a project with a plugin', () => {
  const state = (plugins: string[], components: string[]) =>
    JSON.stringify({ 'generator-aegis': { version: '0.6.0', answers: { name: 'demo', pythonVersion: '3.11', components, services: [], options: {}, plugins } } });

  it('names the fix when its plugin is not in the cache', () => {
    expect(() => parseState(state(['aegis-plugin-nowhere@9.9.9'], []))).toThrow('run "aegis plugins add aegis-plugin-nowhere@9.9.9"');
  });

  it('takes the plugin features into the registry and renders their templates from the plugin', () => {
    rememberPlugin(loadPluginPackage(source));
    const parsed = parseState(state(['aegis-plugin-ratelimit@1.0.0'], ['ratelimit']));
    expect(parsed.answers.components).toEqual(['ratelimit']);
    expect(featureFolder(findFeature('ratelimit')!)).toBe(join(source, 'components', 'ratelimit'));
    const tree = render(parsed.answers, { generatorVersion: '0.6.0' });
    expect(tree.has('app/components/ratelimit/limiter.py')).toBe(true);
    expect(String(tree.get('.yo-rc.json'))).toContain('aegis-plugin-ratelimit@1.0.0');
    // Without the plugin recorded, the registry is the built-ins again.
    render(normalizeAnswers({ name: 'demo' }), { generatorVersion: '0.6.0' });
    expect(findFeature('ratelimit')).toBeUndefined();
    activateRecordedPlugins([]);
  });
});

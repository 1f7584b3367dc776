import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AegisError } from '../errors.js';
import type { FeatureSpec } from '../model/feature-spec.js';
import { type PluginFeature, isBuiltInName } from '../model/registry.js';
import { PLUGIN_API_VERSION, satisfiesRange } from './api-range.js';
import { isPluginName } from './plugin-ref.js';

/** A plugin package read from its folder: what `aegis plugins info` shows and what the registry takes in. */
export interface LoadedPlugin {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly root: string;
  /** The plugin API range its package.json names (`aegis.pluginApi`). */
  readonly pluginApi: string;
  readonly features: readonly PluginFeature[];
}

interface PluginManifest {
  name?: unknown;
  version?: unknown;
  description?: unknown;
  main?: unknown;
  exports?: unknown;
  aegis?: { pluginApi?: unknown };
}

function readManifest(root: string, source: string): PluginManifest {
  const file = join(root, 'package.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PluginManifest;
  } catch {
    throw new AegisError(`${source} is not an npm package (no readable package.json in ${root}).`);
  }
}

/** The module the package exports: `exports["."]` (a path, or its `import`/`default`), else `main`, else index.js. */
function entryPath(root: string, manifest: PluginManifest): string {
  const exported = manifest.exports;
  const dot = exported && typeof exported === 'object' && '.' in exported ? (exported as Record<string, unknown>)['.'] : exported;
  const target =
    typeof dot === 'string'
      ? dot
      : dot && typeof dot === 'object'
        ? ((dot as Record<string, unknown>).import ?? (dot as Record<string, unknown>).default)
        : manifest.main;
  return join(root, typeof target === 'string' ? target : 'index.js');
}

const loadModule = createRequire(import.meta.url);

function checkFeature(spec: unknown, root: string, name: string): FeatureSpec {
  const feature = spec as FeatureSpec;
  const label = `The plugin ${name}`;
  if (!feature || typeof feature !== 'object' || typeof feature.name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(feature.name)) {
    throw new AegisError(`${label} exports a feature without a valid "name" (lower case, digits and "-"): fix its spec.`);
  }
  if (feature.kind !== 'component' && feature.kind !== 'service') {
    throw new AegisError(`${label}: feature "${feature.name}" has kind ${JSON.stringify(feature.kind)}; a plugin brings a "component" or a "service".`);
  }
  if (isBuiltInName(feature.name)) {
    throw new AegisError(`${label} names a feature "${feature.name}", which is built into generator-aegis: a plugin cannot replace a built-in; rename it (e.g. "${name.replace(/^.*\//, '').replace(/^aegis-plugin-/, '')}-${feature.name}").`);
  }
  for (const field of ['requires', 'options', 'pythonDependencies', 'pythonDevDependencies'] as const) {
    if (!Array.isArray(feature[field])) throw new AegisError(`${label}: feature "${feature.name}" needs "${field}" as a list (empty when none).`);
  }
  const folder = join(root, 'components', feature.name);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new AegisError(`${label}: feature "${feature.name}" has no folder components/${feature.name}/ in the package (check "files" in its package.json).`);
  }
  return feature;
}

/**
 * Reads the plugin package in `root` (never running anything of it but its entry module), checks its plugin API
 * range against this generator-aegis and its features' shape; `source` names it in messages.
 */
export function loadPluginPackage(root: string, source: string = root): LoadedPlugin {
  const manifest = readManifest(root, source);
  const name = typeof manifest.name === 'string' ? manifest.name : '';
  const version = typeof manifest.version === 'string' ? manifest.version : '';
  if (!isPluginName(name) || version === '') throw new AegisError(`${source}: its package.json needs an npm "name" and a "version".`);
  const range = manifest.aegis?.pluginApi;
  if (typeof range !== 'string' || range.trim() === '') {
    throw new AegisError(
      `${name}@${version} is not a generator-aegis plugin: its package.json has no "aegis": { "pluginApi": "<range>" } ` +
        `(this generator-aegis implements plugin API ${PLUGIN_API_VERSION}).`,
    );
  }
  if (!satisfiesRange(PLUGIN_API_VERSION, range)) {
    throw new AegisError(
      `${name}@${version} supports generator-aegis plugin API ${range}, but this generator-aegis implements plugin API ` +
        `${PLUGIN_API_VERSION}: use a version of the plugin made for API ${PLUGIN_API_VERSION.split('.')[0]}, or a generator-aegis whose plugin API is in ${range}.`,
    );
  }
  let module: { features?: unknown; default?: unknown };
  const entry = entryPath(root, manifest);
  try {
    module = loadModule(entry) as typeof module;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new AegisError(`Cannot load the plugin ${name}@${version} (${entry}): ${reason}.`);
  }
  const exported = module.features ?? (module.default as { features?: unknown } | undefined)?.features;
  if (!Array.isArray(exported) || exported.length === 0) {
    throw new AegisError(`The plugin ${name}@${version} exports no features: its entry module must export "features", a list of feature specs.`);
  }
  const plugin = `${name}@${version}`;
  const features = exported.map((spec) => {
    const checked = checkFeature(spec, root, name);
    return { spec: checked, folder: join(root, 'components', checked.name), plugin };
  });
  const names = features.map((feature) => feature.spec.name);
  const twice = names.find((feature, index) => names.indexOf(feature) !== index);
  if (twice) throw new AegisError(`The plugin ${plugin} exports two features named "${twice}".`);
  const description = typeof manifest.description === 'string' ? manifest.description : '';
  return { name, version, description, root, pluginApi: range, features };
}

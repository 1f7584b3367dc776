import { type PluginFeature, activatePluginFeatures } from '../model/registry.js';
import { cachedPlugin } from './plugin-cache.js';
import { type LoadedPlugin, loadPluginPackage } from './plugin-package.js';
import { parsePluginRef } from './plugin-ref.js';

const loaded = new Map<string, LoadedPlugin>();
let active = '';

/** A plugin version from the cache, read once per process. */
export function recordedPlugin(entry: string): LoadedPlugin {
  const known = loaded.get(entry);
  if (known) return known;
  const plugin = loadPluginPackage(cachedPlugin(parsePluginRef(entry)), entry);
  loaded.set(entry, plugin);
  return plugin;
}

/**
 * Makes the registry the built-ins plus the features of these recorded plugins (`name@version`, from the cache):
 * called wherever a project's answers are read or rendered, so each side of a 3-way merge renders with its own
 * plugin versions.
 */
export function activateRecordedPlugins(entries: readonly string[]): void {
  const key = entries.join('\n');
  if (key === active) return;
  const features: PluginFeature[] = entries.flatMap((entry) => recordedPlugin(entry).features);
  activatePluginFeatures(features);
  active = key;
}

/** Registers a plugin read from a folder under its `name@version` (the cache's copy, or a test's). */
export function rememberPlugin(plugin: LoadedPlugin): void {
  loaded.set(`${plugin.name}@${plugin.version}`, plugin);
  active = '';
}

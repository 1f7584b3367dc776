import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AegisError } from '../errors.js';
import { versionCacheDir } from '../update/version-source.js';
import { type PluginRef, formatPluginRef } from './plugin-ref.js';

/** Where fetched plugins are kept, one folder per `name@version`: <cache>/plugins/ (see versionCacheDir). */
export function pluginCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(versionCacheDir(env), 'plugins');
}

/** The cache folder of one plugin version (`@scope/name` is kept as `@scope+name`). */
export function pluginCachePath(ref: PluginRef, cache: string = pluginCacheDir()): string {
  return join(cache, formatPluginRef({ name: ref.name.replace('/', '+'), version: ref.version }));
}

/** The cached plugin's folder; a plugin missing from the cache is an error saying how to get it. */
export function cachedPlugin(ref: PluginRef, cache: string = pluginCacheDir()): string {
  const path = pluginCachePath(ref, cache);
  if (existsSync(join(path, 'package.json'))) return path;
  const spec = formatPluginRef(ref);
  throw new AegisError(
    `The project uses the plugin ${spec}, which is not in the plugin cache (${cache}): run "aegis plugins add ${spec}" ` +
      `to fetch it from the npm registry (or "aegis plugins add <folder|tarball>" with that version), then run this again.`,
  );
}

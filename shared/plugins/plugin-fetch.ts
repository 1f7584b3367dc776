import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AegisError } from '../errors.js';
import { PackageFetchError, extractPackage } from '../npm/fetch-package.js';
import { pluginCacheDir, pluginCachePath } from './plugin-cache.js';
import { isPluginName, parsePluginRef } from './plugin-ref.js';

/** What `aegis plugins add` was given: a folder, a tarball, or an npm spec (`name`, `name@range`). */
export function describeSource(source: string): { kind: 'folder' | 'tarball' | 'registry'; path: string } {
  const path = resolve(source);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) return { kind: 'folder', path };
    if (/\.(tgz|tar\.gz)$/.test(path)) return { kind: 'tarball', path };
    throw new AegisError(`${source} is a file but not a package tarball (.tgz): give an npm package name, a plugin folder or the tarball "npm pack" makes.`);
  }
  const name = source.replace(/(?<=.)@[^@/]*$/, '');
  if (/[\\/]/.test(source) && !source.startsWith('@')) throw new AegisError(`${source}: no such folder or tarball.`);
  if (!isPluginName(name)) throw new AegisError(`"${source}" is neither a folder, a tarball nor an npm package name (e.g. aegis-plugin-ratelimit@^1.0.0).`);
  return { kind: 'registry', path: source };
}

/** Moves an unpacked package into the cache under its `name@version`. */
function keep(unpacked: string, cache: string, source: string): string {
  let manifest: { name?: unknown; version?: unknown };
  try {
    manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as typeof manifest;
  } catch {
    throw new AegisError(`${source} is not an npm package (it has no package.json).`);
  }
  const ref = parsePluginRef(`${String(manifest.name)}@${String(manifest.version)}`);
  const target = pluginCachePath(ref, cache);
  rmSync(target, { recursive: true, force: true });
  renameSync(unpacked, target);
  return target;
}

/**
 * Brings a plugin into the cache and returns its folder there. The source (the registry, a folder or a tarball) is
 * unpacked by npm's own fetcher with npm's configuration (shared/npm/fetch-package.ts): registry tarballs checked
 * against their integrity, a folder packed as `npm pack` would, and nothing of the package runs, not even its
 * prepack. An exact `name@version` already cached is used as it is, without the registry.
 */
export async function fetchPlugin(source: string, log: (line: string) => void = () => undefined, cache: string = pluginCacheDir()): Promise<string> {
  const given = describeSource(source);
  if (given.kind === 'registry' && /@\d+\.\d+\.\d+$/.test(source)) {
    const cached = pluginCachePath(parsePluginRef(source), cache);
    if (existsSync(join(cached, 'package.json'))) return cached;
  }
  if (given.kind === 'registry') log(`Fetching ${source} from the npm registry into ${cache}…`);
  mkdirSync(cache, { recursive: true });
  const scratch = mkdtempSync(join(cache, '.fetch-'));
  try {
    const unpacked = join(scratch, 'package');
    const packageSource = given.kind === 'registry' ? { kind: given.kind, spec: given.path } : { kind: given.kind, path: given.path };
    try {
      await extractPackage(packageSource, unpacked);
    } catch (error) {
      if (!(error instanceof PackageFetchError)) throw error;
      throw new AegisError(`Cannot fetch the plugin ${source}: ${error.reason}. Give a plugin folder or an "npm pack" tarball instead, or an exact cached version (see "aegis plugins list").`);
    }
    return keep(unpacked, cache, source);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

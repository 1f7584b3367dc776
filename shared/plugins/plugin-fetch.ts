import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AegisError } from '../errors.js';
import { currentHost, findExecutable, spawnSyncExecutable } from '../project/executables.js';
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

function unpack(tarball: string, cache: string, source: string): string {
  mkdirSync(cache, { recursive: true });
  const scratch = mkdtempSync(join(cache, '.extract-'));
  try {
    const result = spawnSync('tar', ['-xzf', tarball, '-C', scratch], { encoding: 'utf8' });
    if (result.error || result.status !== 0) {
      throw new AegisError(`Cannot unpack ${source}: ${(result.error?.message ?? result.stderr).trim()} (is it an npm package tarball?).`);
    }
    const unpacked = join(scratch, 'package');
    let manifest: { name?: unknown; version?: unknown };
    try {
      manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as typeof manifest;
    } catch {
      throw new AegisError(`${source} is not an npm package (its tarball has no package/package.json).`);
    }
    const ref = parsePluginRef(`${String(manifest.name)}@${String(manifest.version)}`);
    const target = pluginCachePath(ref, cache);
    rmSync(target, { recursive: true, force: true });
    renameSync(unpacked, target);
    return target;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Brings a plugin into the cache and returns its folder there: `npm pack --ignore-scripts` of the source (the
 * registry, a folder or a tarball: nothing of the package runs, not even its prepack), unpacked with tar. An exact
 * `name@version` already cached is used as it is, without the registry.
 */
export function fetchPlugin(source: string, log: (line: string) => void = () => undefined, cache: string = pluginCacheDir()): string {
  const given = describeSource(source);
  if (given.kind === 'tarball') return unpack(given.path, cache, source);
  if (given.kind === 'registry' && /@\d+\.\d+\.\d+$/.test(source)) {
    const cached = pluginCachePath(parsePluginRef(source), cache);
    if (existsSync(join(cached, 'package.json'))) return cached;
  }
  if (given.kind === 'registry') log(`Fetching ${source} from the npm registry into ${cache}…`);
  mkdirSync(cache, { recursive: true });
  const scratch = mkdtempSync(join(cache, '.fetch-'));
  try {
    const npm = findExecutable('npm', currentHost()) ?? 'npm';
    const args = ['pack', given.path, '--ignore-scripts', '--pack-destination', scratch, '--loglevel=error'];
    const result = spawnSyncExecutable(npm, args, { timeout: 120_000 });
    const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'));
    if (result.error || result.status !== 0 || !tarball) {
      const output = `${result.stderr ?? ''}${result.stdout ?? ''}`;
      const reason = result.error
        ? `npm could not run (${result.error.message})`
        : /E404|404 Not Found|is not in this registry/.test(output)
          ? `${source} is not in the npm registry`
          : /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network/i.test(output)
            ? 'the npm registry cannot be reached (offline?)'
            : `npm pack failed: ${output.trim().split('\n').slice(-3).join(' ') || `exit code ${result.status}`}`;
      throw new AegisError(`Cannot fetch the plugin ${source}: ${reason}. Give a plugin folder or an "npm pack" tarball instead, or an exact cached version (see "aegis plugins list").`);
    }
    return unpack(join(scratch, tarball), cache, source);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

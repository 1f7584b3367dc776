import { resolve } from 'node:path';
import { type NpmConfigSources, currentNpmConfigSources, readNpmConfig } from './npm-config.js';
import { pacoteOptions } from './pacote-options.js';

/** A package to fetch: an npm spec (`name`, `name@range`) from the configured registry, a package folder or a tarball. */
export type PackageSource =
  | { readonly kind: 'registry'; readonly spec: string }
  | { readonly kind: 'folder'; readonly path: string }
  | { readonly kind: 'tarball'; readonly path: string };

export interface ExtractedPackage {
  /** What was fetched: a registry tarball URL, or the folder or file. */
  readonly resolved: string;
  /** The tarball's integrity (sha512), checked against the registry's for a registry package. */
  readonly integrity: string;
}

/** Why a fetch failed, in one clause a message can carry, and whether the network was the cause. */
export class PackageFetchError extends Error {
  constructor(
    readonly reason: string,
    readonly offline: boolean,
  ) {
    super(reason);
  }
}

function pacoteSpec(source: PackageSource): string {
  if (source.kind === 'registry') return source.spec;
  return `file:${resolve(source.path)}`;
}

const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'FETCH_ERROR', 'ERR_SOCKET_TIMEOUT']);

export function describeFetchFailure(error: unknown, source: PackageSource, registry: string): PackageFetchError {
  const details = (error ?? {}) as { code?: string; statusCode?: number; message?: string; pkgid?: string };
  const code = details.code ?? '';
  // Installing a folder's dependencies, npm's error names the dependency it was about.
  const what = source.kind === 'registry' ? source.spec : source.kind === 'folder' && details.pkgid ? details.pkgid : source.path;
  if (code === 'E404' || details.statusCode === 404) return new PackageFetchError(`${what} is not in the npm registry (${registry})`, false);
  if (code === 'ETARGET') return new PackageFetchError(`${what} is not in the npm registry (${registry}): no published version matches`, false);
  if (code === 'ENOTCACHED') return new PackageFetchError(`${what} is not in npm's cache and the npm configuration says offline`, true);
  if (code === 'EINTEGRITY') {
    return new PackageFetchError(`the tarball of ${what} does not match its integrity checksum (changed in transit or in npm's cache; nothing was unpacked)`, false);
  }
  if (code === 'E401' || code === 'E403' || details.statusCode === 401 || details.statusCode === 403) {
    return new PackageFetchError(`the registry ${registry} refused ${what} (${code || details.statusCode}): check its token in your .npmrc`, false);
  }
  if (NETWORK_CODES.has(code) || /network|socket|ECONNREFUSED|ENOTFOUND/i.test(details.message ?? '')) {
    return new PackageFetchError(`the npm registry (${registry}) cannot be reached (offline?)`, true);
  }
  const firstLine = (details.message ?? String(error)).split('\n')[0]!.trim();
  return new PackageFetchError(`${what}: ${firstLine}${code ? ` (${code})` : ''}`, false);
}

/**
 * Unpacks a package into `dest` (its package.json at `dest/package.json`) with pacote, npm's own fetcher, configured
 * as npm is from `sources` (.npmrc files and npm_config_* variables: registries, tokens, cache, proxy): a registry
 * tarball is checked against the registry's integrity, and lands in npm's cache for offline use; a folder is packed
 * as `npm pack` would (its `files` and .npmignore), without running any of its scripts.
 */
export async function extractPackage(source: PackageSource, dest: string, sources: NpmConfigSources = currentNpmConfigSources()): Promise<ExtractedPackage> {
  const options = pacoteOptions(readNpmConfig(sources), sources);
  const { default: pacote } = await import('pacote');
  if (source.kind === 'folder') options.Arborist = (await import('@npmcli/arborist')).default;
  const spec = pacoteSpec(source);
  try {
    try {
      return await pacote.extract(spec, dest, options);
    } catch (error) {
      // npm's cache keeps a package's version list for 5 minutes: a version published since is not in it.
      if ((error as { code?: string }).code !== 'ETARGET' || options.preferOnline === true || options.offline === true) throw error;
      return await pacote.extract(spec, dest, { ...options, preferOnline: true });
    }
  } catch (error) {
    throw describeFetchFailure(error, source, registryFor(source, options));
  }
}

/** The registry a source is fetched from: its scope's (`@scope:registry`), else the default one. */
export function registryFor(source: PackageSource, options: Readonly<Record<string, unknown>>): string {
  const scope = source.kind === 'registry' ? /^(@[^/]+)\//.exec(source.spec)?.[1] : undefined;
  const scoped = scope === undefined ? undefined : options[`${scope}:registry`];
  return String(typeof scoped === 'string' ? scoped : options.registry);
}

/**
 * Installs the production dependencies of the package in `root` into its node_modules with arborist (npm install's
 * engine), configured as npm is; no lockfile is written and no install script runs.
 */
export async function installDependencies(root: string, sources: NpmConfigSources = currentNpmConfigSources()): Promise<void> {
  const options = pacoteOptions(readNpmConfig(sources), sources);
  const { default: Arborist } = await import('@npmcli/arborist');
  const arborist = new Arborist({ ...options, path: root, packageLock: false, save: false, audit: false, fund: false });
  try {
    await arborist.reify({ omit: ['dev'] });
  } catch (error) {
    throw describeFetchFailure(error, { kind: 'folder', path: root }, String(options.registry));
  }
}

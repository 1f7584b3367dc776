import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { AegisError } from '../errors.js';
import { PackageFetchError, type PackageSource, extractPackage } from '../npm/fetch-package.js';

const PACKAGE_NAME = 'generator-aegis';

/** Where fetched versions are kept: $AEGIS_CACHE_DIR, else $XDG_CACHE_HOME/generator-aegis, else ~/.cache/generator-aegis. */
export function versionCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AEGIS_CACHE_DIR) return resolve(env.AEGIS_CACHE_DIR);
  return join(env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache'), PACKAGE_NAME);
}

function packageVersionAt(root: string): string | undefined {
  try {
    const json = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: string; version?: string };
    return json.name === PACKAGE_NAME && typeof json.version === 'string' ? json.version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a package folder carries what rendering needs: a build (dist/) with the base templates (in dist/base/
 * since 0.5.0, under the app generator before).
 */
function isBuilt(root: string): boolean {
  return [['base', 'templates'], ['generators', 'app', 'templates']].some((parts) => existsSync(join(root, 'dist', ...parts)));
}

function checkPackage(root: string, version: string, source: string): string {
  const found = packageVersionAt(root);
  if (found === undefined) {
    throw new AegisError(`${source} is not a ${PACKAGE_NAME} package (no package.json named "${PACKAGE_NAME}").`);
  }
  if (found !== version) {
    throw new AegisError(
      `${source} holds ${PACKAGE_NAME} ${found}, but the project was last rendered by ${version}: pass that version ` +
        `(npm pack ${PACKAGE_NAME}@${version} makes its tarball).`,
    );
  }
  if (!isBuilt(root)) {
    throw new AegisError(`${source} has no build (dist/generators): run "npm run build" there, or pass the tarball "npm pack" makes.`);
  }
  return root;
}

/** Unpacks `source` (a tarball, or generator-aegis@version from the registry) into the cache's folder for `version`. */
async function unpackIntoCache(source: PackageSource, cache: string, version: string, label: string): Promise<string> {
  mkdirSync(cache, { recursive: true });
  const scratch = mkdtempSync(join(cache, '.extract-'));
  try {
    const unpacked = join(scratch, 'package');
    try {
      await extractPackage(source, unpacked);
    } catch (error) {
      if (!(error instanceof PackageFetchError)) throw error;
      if (source.kind !== 'registry') throw new AegisError(`Cannot unpack ${label}: ${error.reason} (is it an npm package tarball?).`);
      throw new AegisError(
        `Cannot get the templates of the version this project was last rendered by: ${error.reason}. Pass that version ` +
          `with --from <folder|tarball> (a checkout or "npm pack" of ${source.spec}); once fetched, versions are kept in ${cache}.`,
      );
    }
    checkPackage(unpacked, version, label);
    const target = join(cache, 'versions', version);
    mkdirSync(join(cache, 'versions'), { recursive: true });
    rmSync(target, { recursive: true, force: true });
    renameSync(unpacked, target);
    return target;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function fetchFromRegistry(version: string, cache: string, log: (line: string) => void): Promise<string> {
  const spec = `${PACKAGE_NAME}@${version}`;
  log(`Fetching ${spec} from the npm registry into ${cache} (kept there for later updates)…`);
  return unpackIntoCache({ kind: 'registry', spec }, cache, version, spec);
}

/** Refuses a --from that is neither a folder nor a file (checked before anything else, even when no update is due). */
export function checkFromSource(from: string): void {
  const path = resolve(from);
  if (!existsSync(path)) {
    throw new AegisError(`--from ${from}: no such file or folder: give a generator-aegis package folder or an "npm pack" tarball.`);
  }
  const stats = statSync(path);
  if (!stats.isDirectory() && !stats.isFile()) {
    throw new AegisError(`--from ${from} is neither a folder nor a file: give a generator-aegis package folder or an "npm pack" tarball.`);
  }
  if (stats.isFile() && !/\.(tgz|tar\.gz|tar)$/.test(path)) {
    throw new AegisError(`--from ${from} is a file but not a tarball (.tgz): give a generator-aegis package folder or the tarball "npm pack" makes.`);
  }
}

export interface LocateOptions {
  /** A package folder or tarball given with --from. */
  readonly from?: string;
  readonly cacheDir?: string;
  readonly log?: (line: string) => void;
}

/**
 * The root of generator-aegis `version`'s package: --from (a folder, used in place; a tarball, unpacked into the
 * cache), else the cache, else fetched from the npm registry into the cache (so later runs work offline).
 */
export async function locateVersion(version: string, options: LocateOptions = {}): Promise<string> {
  const cache = options.cacheDir ?? versionCacheDir();
  if (options.from !== undefined) {
    const from = resolve(options.from);
    if (!existsSync(from)) throw new AegisError(`--from ${options.from}: no such file or folder.`);
    if (statSync(from).isDirectory()) return checkPackage(from, version, `--from ${options.from}`);
    return unpackIntoCache({ kind: 'tarball', path: from }, cache, version, `--from ${options.from}`);
  }
  const cached = join(cache, 'versions', version);
  if (packageVersionAt(cached) === version && isBuilt(cached)) return cached;
  return fetchFromRegistry(version, cache, options.log ?? (() => undefined));
}

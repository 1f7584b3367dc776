// Bundles the `aegis` bin (cli/aegis.ts and everything it imports, Yeoman included) into dist/cli: Node 20 takes
// about a second to resolve and link Yeoman's ~1,500 ES modules one by one, a bundle a fraction of that. Commands
// that run no generator load only the entry chunk; the generators live in a lazily imported chunk.
//
// Some dependencies read files next to their own module while loading (`new URL('../package.json',
// import.meta.url)`). In the bundle, import.meta.url would be the chunk's, so it is replaced with the module's
// original URL, found at run time through Node's resolution from the bundle (the package is a dependency, so it is
// installed next to generator-aegis wherever npm put it).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { build } from 'esbuild';

/** `…/node_modules/a/node_modules/@b/c/dist/x.js` → packages `["a", "@b/c"]` (outermost first), path `dist/x.js`. */
function owningPackages(file) {
  const parts = file.split(sep);
  const packages = [];
  let index = parts.indexOf('node_modules');
  let end = index;
  while (index !== -1) {
    const name = parts[index + 1].startsWith('@') ? `${parts[index + 1]}/${parts[index + 2]}` : parts[index + 1];
    packages.push(name);
    end = index + 1 + name.split('/').length;
    index = parts.indexOf('node_modules', end);
  }
  return { packages, pathInPackage: parts.slice(end).join('/') };
}

const originalModuleUrl = {
  name: 'original-module-url',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]node_modules[\\/].*\.(m?js|cjs)$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const { packages, pathInPackage } = owningPackages(args.path);
      const call = `__aegisModuleUrl(import.meta.url, ${JSON.stringify(packages)}, ${JSON.stringify(pathInPackage)})`;
      return { contents: text.replaceAll('import.meta.url', call), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * yeoman-environment imports `fly-import` to install generators from npm at run time (`yo` installing a missing
 * generator), which this bin never does: its generators are bundled. Loading it initialises npm's arborist, pacote,
 * sigstore, tuf and tar on every command, about 15% of a command's CPU. The bin's bundle gets this stand-in instead:
 * the environment still constructs its repository object (the constructor keeps the path), and anything that would
 * install or import a package from npm throws, naming the cause.
 */
export const flyImportStub = `
import { join, resolve } from 'node:path';
const unsupported = (what) => {
  throw new Error(\`generator-aegis: \${what} needs fly-import (installing Yeoman generators from npm at run time), which the aegis bin leaves out; run the generator with yo instead\`);
};
export class FlyRepository {
  constructor(config = {}) {
    this.arboristConfig = config.arboristConfig;
    this.repositoryPath = config.repositoryPath ?? '.';
  }
  get repositoryPath() { return this._repositoryPath; }
  set repositoryPath(path) {
    this._repositoryPath = resolve(path);
    this.nodeModulesPath = join(this._repositoryPath, 'node_modules');
  }
  async load() { return unsupported('loading the generator repository'); }
  async install(spec) { return unsupported(\`installing \${spec}\`); }
  async import(spec) { return unsupported(\`importing \${spec}\`); }
  async resolve(spec) { return unsupported(\`resolving \${spec}\`); }
  findSpecs() { return unsupported('finding installed generators'); }
}
export const resetConfig = () => {};
export const defineConfig = () => {};
export const getConfig = () => ({});
export const getDefaultRepository = () => new FlyRepository();
export const flyInstall = async (specifier) => unsupported(\`installing \${specifier}\`);
export const flyImport = async (specifier) => unsupported(\`importing \${specifier}\`);
`;

const withoutFlyImport = {
  name: 'without-fly-import',
  setup(builder) {
    builder.onResolve({ filter: /^fly-import$/ }, () => ({ path: 'fly-import', namespace: 'aegis-stub' }));
    builder.onLoad({ filter: /^fly-import$/, namespace: 'aegis-stub' }, () => ({ contents: flyImportStub, loader: 'js', resolveDir: process.cwd() }));
  },
};

/**
 * @yeoman/adapter builds its inquirer prompt module when the environment is created, so every command loaded inquirer
 * and all its prompts (rxjs, iconv-lite, chardet: over 1 MB of the bundle) though only an interactive `init` asks
 * anything. In the bin's bundle, the adapter's prompt module loads inquirer (in a chunk of its own) at the first
 * question instead; the adapter only ever calls it.
 */
const lazyInquirer = {
  name: 'lazy-inquirer',
  setup(builder) {
    const adapterInquirer = /[\\/]@yeoman[\\/]adapter[\\/]dist[\\/]inquirer\.js$/;
    builder.onLoad({ filter: adapterInquirer }, (args) => {
      if (args.suffix === '?eager') return undefined;
      const contents = `
export const createAdapterPromptModule = (parameter) => {
  let promptModule;
  return async (questions, initialAnswers) => {
    promptModule ??= (await import('aegis-eager-adapter-inquirer')).createAdapterPromptModule(parameter);
    return promptModule(questions, initialAnswers);
  };
};`;
      return { contents, loader: 'js', resolveDir: dirname(args.path), pluginData: { path: args.path } };
    });
    builder.onResolve({ filter: /^aegis-eager-adapter-inquirer$/ }, (args) => ({ path: args.pluginData?.path ?? join(args.resolveDir, 'inquirer.js'), suffix: '?eager' }));
  },
};

const banner = `
import { createRequire as __aegisCreateRequire } from 'node:module';
import { dirname as __aegisDirname, join as __aegisJoin } from 'node:path';
import { fileURLToPath as __aegisFileURLToPath, pathToFileURL as __aegisPathToFileURL } from 'node:url';
import { existsSync as __aegisExists } from 'node:fs';
const require = __aegisCreateRequire(import.meta.url);
const __aegisChunkFilename = __aegisFileURLToPath(import.meta.url);
const __aegisChunkDirname = __aegisDirname(__aegisChunkFilename);
const __aegisModuleUrls = new Map();
function __aegisPackageDir(name, from) {
  const resolveFrom = __aegisCreateRequire(__aegisJoin(from, 'package.json'));
  for (const request of [name + '/package.json', name]) {
    try {
      let dir = __aegisDirname(resolveFrom.resolve(request));
      while (!__aegisExists(__aegisJoin(dir, 'package.json'))) dir = __aegisDirname(dir);
      return dir;
    } catch {}
  }
  return undefined;
}
/** The URL a bundled module had in node_modules; the chunk's own when it cannot be found (never needed then). */
function __aegisModuleUrl(chunkUrl, packages, pathInPackage) {
  const key = packages.join('>') + ':' + pathInPackage;
  if (!__aegisModuleUrls.has(key)) {
    // Node's resolution from the bundle walks up to generator-aegis's node_modules and on to where npm hoisted.
    let dir = __aegisDirname(__aegisChunkFilename);
    for (const name of packages) dir = dir && __aegisPackageDir(name, dir);
    __aegisModuleUrls.set(key, dir ? __aegisPathToFileURL(__aegisJoin(dir, pathInPackage)).href : chunkUrl);
  }
  return __aegisModuleUrls.get(key);
}`;

export async function bundleBin(root, outdir) {
  await build({
    entryPoints: { aegis: join(root, 'cli', 'aegis.ts') },
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    logLevel: 'warning',
    plugins: [withoutFlyImport, lazyInquirer, originalModuleUrl],
    // Whitespace and syntax minified, names kept: a stack trace (AEGIS_DEBUG=1) still names every function. Measured
    // (docs/benchmarks.md): peak RSS 8 MiB lower, CPU about the same; renaming identifiers too saved nothing more.
    minifyWhitespace: true,
    minifySyntax: true,
    // ssh2 loads native addons (optional speed-ups): node-ssh stays in node_modules and is imported from there. So do
    // pacote and arborist (npm's fetcher and packer, loaded only when a package is fetched): they read their own files.
    external: ['node-ssh', 'ssh2', 'cpu-features', 'pacote', '@npmcli/arborist'],
    banner: { js: banner.trim() },
    // CommonJS modules' free __filename and __dirname read the chunk's (declared in the banner under names no module
    // uses: an ES module's own top-level `const __filename` would otherwise clash with the banner's).
    define: { __filename: '__aegisChunkFilename', __dirname: '__aegisChunkDirname' },
  });
}

/**
 * The renderer other versions load for `aegis update` (shared/update/render-recorded.ts): one self-contained file, so an
 * old version fetched into a cache renders without installing its dependencies.
 */
export async function bundleRenderer(root, outdir) {
  await build({
    entryPoints: { 'render-recorded': join(root, 'shared', 'update', 'render-recorded.ts') },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __aegisCreateRequire } from 'node:module';\nconst require = __aegisCreateRequire(import.meta.url);" },
  });
}

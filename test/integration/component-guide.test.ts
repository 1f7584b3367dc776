/**
 * Follows docs/writing-a-component.md: the `cache` component of test/fixtures/components/cache/ is placed into a copy
 * of the engine (shared/, base/, components/, package.json) as the guide says, as components/cache/ with the registry
 * lines the guide names, and that copy's own render and reconcile are imported and checked. The repository itself
 * is never changed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectAnswers } from '../../shared/model/answers.js';
import type { FeatureRequest } from '../../shared/model/feature-request.js';
import type { FileChange, FileContents } from '../../shared/engine/reconcile.js';
import type { RenderedTree } from '../../shared/engine/render.js';
import { resolveUv } from '../../shared/project/install.js';
import { TEST_VERSION, renderAnswers } from '../support/memory-project.js';
import { STACKS, stackAnswers } from '../support/stack-matrix.js';

const repo = join(import.meta.dirname, '..', '..');
const fixture = join(repo, 'test', 'fixtures', 'components', 'cache');
const guidePath = join(repo, 'docs', 'writing-a-component.md');

/** What the engine needs to render: copied from the repository into the workspace. */
const ENGINE = ['shared', 'base', 'components', 'package.json'];

/** Where the guide puts the component: all of it in one folder, found by its name. */
const FOLDER = 'components/cache';

/** The registry lines the guide names, in components/index.ts: one import, one list entry. */
const REGISTRY = 'components/index.ts';
const REGISTRY_IMPORT_AFTER = "import { auth } from './auth/spec.js';\n";
const REGISTRY_IMPORT = "import { cache } from './cache/spec.js';\n";
/** The registry's list as it is, and with the guide's `cache` placed after the components it follows. */
const REGISTRY_LIST_BEFORE = readFileSync(new URL(`../../${REGISTRY}`, import.meta.url), 'utf8')
  .split('\n')
  .find((line) => line.startsWith('export const BUILT_IN_FEATURES'))!;
const REGISTRY_LIST_AFTER = REGISTRY_LIST_BEFORE.replace('ingress, auth', 'ingress, cache, auth');

type Render = (answers: ProjectAnswers, options: { generatorVersion: string }) => RenderedTree;

/** The workspace's own engine modules (their module state, e.g. componentsDir, resolves inside the workspace). */
interface Engine {
  render: Render;
  reconcileTrees: (base: ReadonlyMap<string, FileContents>, theirs: ReadonlyMap<string, FileContents>, disk: (path: string) => FileContents | undefined) => FileChange[];
  normalizeAnswers: (raw: { name: string; pythonVersion: string }) => ProjectAnswers;
  addFeatures: (current: Selection, requests: readonly FeatureRequest[]) => { selection: Selection };
  removeFeatures: (current: Selection, names: readonly string[]) => { selection: Selection };
  STATE_FILE: string;
  updateStateFile: (existing: string | undefined, state: { version: string; answers: ProjectAnswers }) => string;
  componentsDir: string;
  packageRoot: string;
  OPTIONAL_COMPONENTS: readonly { name: string }[];
}

interface Selection {
  readonly components: readonly string[];
  readonly services: readonly string[];
  readonly options: ProjectAnswers['options'];
}

function filesUnder(root: string, dir: string = root): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(root, path);
    return [relative(root, path).split(sep).join('/')];
  });
}

/** path → sha256 of every file of the engine's parts under `root`. */
function engineTree(root: string): Map<string, string> {
  const paths = ENGINE.flatMap((part) => (part.includes('.') ? [part] : filesUnder(root, join(root, part))));
  return new Map(paths.sort().map((path) => [path, createHash('sha256').update(readFileSync(join(root, path))).digest('hex')]));
}

function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`expected exactly one "${from.trim()}" in ${REGISTRY}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

function text(tree: RenderedTree, path: string): string {
  const contents = tree.get(path);
  if (typeof contents !== 'string') throw new Error(`${path} was not rendered as text`);
  return contents;
}

function withoutState(tree: ReadonlyMap<string, FileContents> | undefined, stateFile: string): Map<string, FileContents> {
  const files = new Map(tree ?? []);
  files.delete(stateFile);
  return files;
}

const sorted = (files: ReadonlyMap<string, FileContents>) => new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

let workspace: string;
let engine: Engine;

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'aegis-component-guide-'));
  for (const part of ENGINE) cpSync(join(repo, part), join(workspace, part), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(workspace, 'node_modules'), 'dir');
  // The guide's steps: the component's folder, then the registry lines.
  cpSync(fixture, join(workspace, FOLDER), { recursive: true });
  const registryPath = join(workspace, REGISTRY);
  let registry = readFileSync(registryPath, 'utf8');
  registry = replaceOnce(registry, REGISTRY_IMPORT_AFTER, REGISTRY_IMPORT_AFTER + REGISTRY_IMPORT);
  registry = replaceOnce(registry, REGISTRY_LIST_BEFORE, REGISTRY_LIST_AFTER);
  writeFileSync(registryPath, registry);

  const load = (module: string) => import(join(workspace, 'shared', module)) as Promise<Record<string, unknown>>;
  const modules = ['engine/render.ts', 'engine/reconcile.ts', 'model/answers.ts', 'model/feature-selection.ts', 'model/project-state.ts'];
  const [render, reconcile, answers, selection, state, packageInfo, registryModule] = await Promise.all(
    [...modules, 'package-info.ts', 'model/registry.ts'].map(load),
  );
  engine = { ...render, ...reconcile, ...answers, ...selection, ...state, ...packageInfo, ...registryModule } as unknown as Engine;
}, 120_000);

afterAll(() => {
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

// ---- the engine under init, add and remove, with a Map as the disk (as test/support/memory-project.ts does) ----

interface Project {
  readonly files: ReadonlyMap<string, FileContents>;
  readonly answers: ProjectAnswers;
}

const renders = new Map<string, RenderedTree>();
function renderIn(answers: ProjectAnswers): RenderedTree {
  const key = JSON.stringify(answers);
  let tree = renders.get(key);
  if (!tree) renders.set(key, (tree = engine.render(answers, { generatorVersion: TEST_VERSION })));
  return tree;
}

function change(before: Project | undefined, answers: ProjectAnswers): Project {
  const files = new Map(before?.files ?? []);
  const base = withoutState(before && renderIn(before.answers), engine.STATE_FILE);
  const changes = engine.reconcileTrees(base, withoutState(renderIn(answers), engine.STATE_FILE), (path) => files.get(path));
  for (const step of changes) {
    if (step.action === 'delete') files.delete(step.path);
    else if (step.action === 'create' || step.action === 'update' || step.action === 'merge') files.set(step.path, step.after!);
    else throw new Error(`${step.path}: ${step.action}`);
  }
  const current = files.get(engine.STATE_FILE);
  files.set(engine.STATE_FILE, engine.updateStateFile(typeof current === 'string' ? current : undefined, { version: TEST_VERSION, answers }));
  return { files: sorted(files), answers };
}

const EMPTY: Selection = { components: [], services: [], options: {} };
const withSelection = (answers: ProjectAnswers, selection: Selection): ProjectAnswers => ({
  ...answers,
  components: selection.components,
  services: selection.services,
  options: selection.options,
});
const requests = (names: readonly string[]): FeatureRequest[] => names.map((name) => ({ name, options: {} }));
const bare = () => engine.normalizeAnswers({ name: 'demo', pythonVersion: '3.11' });
const init = (names: readonly string[]) => change(undefined, withSelection(bare(), engine.addFeatures(EMPTY, requests(names)).selection));
const add = (project: Project, names: readonly string[]) =>
  change(project, withSelection(project.answers, engine.addFeatures(project.answers, requests(names)).selection));
const remove = (project: Project, names: readonly string[]) =>
  change(project, withSelection(project.answers, engine.removeFeatures(project.answers, names).selection));

/** Contents as text, binary as hex: what toEqual compares byte for byte. */
const snapshot = (files: ReadonlyMap<string, FileContents>) =>
  new Map([...files].map(([path, contents]) => [path, typeof contents === 'string' ? contents : contents.binary.toString('hex')]));

describe('the component guide, followed', () => {
  it('runs the workspace’s own engine: its registry has cache, its templates are its own', () => {
    expect(engine.packageRoot.replace(/\/$/, '')).toBe(workspace);
    expect(engine.componentsDir).toBe(join(workspace, 'components'));
    expect(engine.OPTIONAL_COMPONENTS.map((feature) => feature.name)).toContain('cache');
  });

  it('(a) touches exactly the component’s folder and the registry', () => {
    const before = engineTree(repo);
    const after = engineTree(workspace);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((path) => before.get(path) !== after.get(path)).sort();
    const component = filesUnder(fixture).map((path) => `${FOLDER}/${path}`);
    expect(changed).toEqual([...component, REGISTRY].sort());
    // Nothing of the repository's own changed: every changed path is new, except the registry.
    expect(changed.filter((path) => before.has(path))).toEqual([REGISTRY]);
    // The registry gained exactly the two lines the guide names.
    const lines = (root: string) => readFileSync(join(root, REGISTRY), 'utf8').split('\n');
    const added = lines(workspace).filter((line) => !lines(repo).includes(line));
    expect(added).toEqual([REGISTRY_IMPORT.trimEnd(), REGISTRY_LIST_AFTER]);
  });

  it('(b) converges: init with cache ≡ init then add cache, byte for byte; add then remove gives the base back', () => {
    for (const others of [[], ['worker']]) {
      const base = init(others);
      const added = add(base, ['cache']);
      expect(snapshot(added.files)).toEqual(snapshot(init([...others, 'cache']).files));
      expect(snapshot(remove(added, ['cache']).files)).toEqual(snapshot(base.files));
      // And init is the render itself.
      expect(snapshot(withoutState(added.files, engine.STATE_FILE))).toEqual(snapshot(withoutState(renderIn(added.answers), engine.STATE_FILE)));
    }
  });

  it('(c) leaves the render of every existing stack of the matrix unchanged', () => {
    for (const stack of STACKS) {
      const answers = stackAnswers(stack);
      const ours = withoutState(renderIn(answers), engine.STATE_FILE);
      const theirs = withoutState(renderAnswers(answers), engine.STATE_FILE);
      expect(snapshot(ours), stack.name).toEqual(snapshot(theirs));
    }
    expect(STACKS.map((stack) => stack.name)).toEqual(expect.arrayContaining(['base', 'everything-sqlite']));
  });

  it('(d) brings its setting, health check, router, Makefile target and README section in through the slots', () => {
    const base = renderIn(init([]).answers);
    const tree = renderIn(init(['cache']).answers);
    const own = filesUnder(join(fixture, 'templates'));
    expect([...tree.keys()].filter((path) => !base.has(path)).sort()).toEqual(own.sort());
    for (const path of own) expect(tree.get(path), path).toBe(readFileSync(join(fixture, 'templates', path), 'utf8'));

    const config = text(tree, 'app/core/config.py');
    expect(config).toMatch(/\n {4}# Cache\n {4}cache_ttl_seconds: float = Field\(default=60\.0, gt=0\)\n/);
    expect(text(tree, '.env.example')).toMatch(/\n# Cache\nCACHE_TTL_SECONDS=60\n/);
    const readme = text(tree, 'README.md');
    expect(readme).toContain('| `CACHE_TTL_SECONDS` | `60` | how long a cached value is served |');
    expect(readme).toContain(readFileSync(join(fixture, 'contrib', 'README.md.ejs'), 'utf8'));
    expect(readme).toContain('make cache-stats  # the cache statistics of a running server');
    expect(readme).toContain('  components/cache/     in-process TTL cache, its health check and route');
    expect(readme).toContain('`cache` (the in-process cache)');

    const checks = text(tree, 'app/services/system/checks.py');
    expect(checks).toContain('from app.components.cache.health import check_cache\n');
    expect(checks).toContain('    registry.register("cache", check_cache)\n    registry.register("system", check_system_resources)\n');
    const routing = text(tree, 'app/components/backend/api/routing.py');
    expect(routing).toContain('from app.components.cache.router import router as cache_router\n');
    expect(routing).toContain('    app.include_router(cache_router)\n');
    expect(text(tree, 'Makefile')).toContain(`\n${readFileSync(join(fixture, 'contrib', 'Makefile.ejs'), 'utf8')}`);
    // Its fragments follow the shared templates' rules (test/unit/shared-templates.test.ts): no has./options. reads.
    for (const path of filesUnder(join(fixture, 'contrib'))) expect(readFileSync(join(fixture, 'contrib', path), 'utf8'), path).not.toMatch(/<%[^%]*\b(?:has|options)\./);

    // Only those files changed, and the base render never mentions the cache.
    const changed = [...base.keys()].filter((path) => path !== engine.STATE_FILE && tree.get(path) !== base.get(path)).sort();
    // AGENTS.md shows the README's layout lines too.
    expect(changed).toEqual(['.env.example', 'AGENTS.md', 'Makefile', 'README.md', 'app/components/backend/api/routing.py', 'app/core/config.py', 'app/services/system/checks.py']);
    for (const [path, contents] of base) if (path !== engine.STATE_FILE && typeof contents === 'string') expect(contents, path).not.toMatch(/CACHE_TTL|cache_ttl|check_cache|cache_router|components[./]cache/);
  });

  it('(e) type-checks in place: the spec as a FeatureSpec, with the engine', () => {
    // The fixture is left out of the repository's tsconfig (its imports resolve only where the guide puts it).
    writeFileSync(
      join(workspace, 'tsconfig.guide.json'),
      JSON.stringify({
        extends: join(repo, 'tsconfig.json'),
        compilerOptions: { rootDir: '.', noEmit: true },
        include: ['shared/**/*.ts', 'base/*.ts', 'components/**/*.ts'],
        // The components' own tests import the repository's test support, which the workspace has not.
        exclude: ['node_modules', 'components/*/*.test.ts', '**/templates*/**', '**/contrib/**'],
      }),
    );
    const result = spawnSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(workspace, 'tsconfig.guide.json')], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    rmSync(join(workspace, 'tsconfig.guide.json'));
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  }, 120_000);

  it('quotes every fixture file in the guide, and names each file a component touches', () => {
    const guide = readFileSync(guidePath, 'utf8');
    const blocks = new Set([...guide.matchAll(/^```[a-z]*\n([\s\S]*?)^```$/gm)].map((match) => match[1]));
    for (const path of filesUnder(fixture)) expect(blocks.has(readFileSync(join(fixture, path), 'utf8')), `docs/writing-a-component.md quotes ${path}`).toBe(true);
    for (const line of [REGISTRY_IMPORT.trimEnd(), REGISTRY_LIST_AFTER]) expect(guide).toContain(line);
    for (const path of [FOLDER, REGISTRY, 'shared/model/versions.ts', `${FOLDER}/README.md`, 'CHANGELOG.md']) expect(guide).toContain(path);
  });
});

/** The generated project's own tests of the cache, with uv and its Python 3.11 (uv fetches what its cache lacks). */
const uv = resolveUv();
const canRunPython = process.env.AEGIS_GUIDE_PYTEST !== '0' && uv !== undefined;

describe.skipIf(!canRunPython)('the rendered cache component', () => {
  it('passes its own tests (uv sync && uv run pytest -q tests/test_cache.py)', () => {
    const project = mkdtempSync(join(tmpdir(), 'aegis-guide-project-'));
    try {
      for (const [path, contents] of renderIn(init(['cache']).answers)) {
        mkdirSync(dirname(join(project, path)), { recursive: true });
        writeFileSync(join(project, path), typeof contents === 'string' ? contents : contents.binary);
      }
      const env = { ...process.env, PATH: `${dirname(uv!)}:${process.env.PATH ?? ''}`, UV_PYTHON: '3.11' };
      execFileSync(uv!, ['sync', '--quiet'], { cwd: project, env, stdio: 'pipe', timeout: 300_000 });
      const output = execFileSync(uv!, ['run', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/test_cache.py'], { cwd: project, env, encoding: 'utf8', timeout: 60_000 });
      expect(output).toMatch(/4 passed/);
      // Lint-clean and formatted as written: the install step checks these and fixes nothing; and typed.
      const cacheFiles = filesUnder(join(fixture, 'templates')).filter((path) => path.endsWith('.py'));
      const run = (...args: string[]) => {
        const result = spawnSync(uv!, ['run', ...args, ...cacheFiles], { cwd: project, env, encoding: 'utf8', timeout: 60_000 });
        expect(result.status, `${args.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
      };
      run('ruff', 'check', '--no-cache');
      run('ruff', 'format', '--diff', '--no-cache');
      run('mypy', '--no-incremental');
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  }, 600_000);
});

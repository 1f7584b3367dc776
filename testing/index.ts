/**
 * The plugin test kit, `generator-aegis/testing`: the checks generator-aegis runs on its own components, for a
 * plugin's features. Each check renders in memory with the real engine (nothing is written) and throws an Error
 * naming what broke; `renderPluginProject` and `writePluginProject` give the project itself to test further.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type ProjectAnswers, normalizeAnswers } from '../shared/model/answers.js';
import { addFeatures, removeFeatures } from '../shared/model/feature-selection.js';
import { parseAnyFeatureRequests } from '../shared/model/feature-request.js';
import { type FileChange, type FileContents, reconcileTrees } from '../shared/engine/reconcile.js';
import { type RenderedTree, render } from '../shared/engine/render.js';
import { STATE_FILE } from '../shared/model/project-state.js';
import { activateRecordedPlugins, rememberPlugin } from '../shared/plugins/activate.js';
import { type LoadedPlugin, loadPluginPackage } from '../shared/plugins/plugin-package.js';
import { PLUGIN_API_VERSION } from '../shared/plugins/api-range.js';
import { contributionHash } from './contribution-hash.js';

export { PLUGIN_API_VERSION };
export type { LoadedPlugin };
export type { FeatureSpec } from '../shared/model/feature-spec.js';

/** The version every kit render records: fixed, so golden hashes do not move with generator-aegis releases. */
export const KIT_VERSION = '0.0.0-test';

/** Reads a plugin package from its folder (your package's root) exactly as `aegis plugins add` would. */
export function loadPlugin(root: string): LoadedPlugin {
  const plugin = loadPluginPackage(root);
  rememberPlugin(plugin);
  return plugin;
}

/** A project's answers: `features` is what `aegis init --components/--services` or `aegis add` takes (`ratelimit,redis`). */
export function pluginAnswers(plugins: LoadedPlugin | readonly LoadedPlugin[], features: string = '', name: string = 'demo'): ProjectAnswers {
  const list = Array.isArray(plugins) ? plugins : [plugins as LoadedPlugin];
  const entries = list.map((plugin) => `${plugin.name}@${plugin.version}`).sort();
  activateRecordedPlugins(entries);
  const bare = { ...normalizeAnswers({ name }), plugins: entries };
  return withFeatures(bare, features);
}

function withFeatures(answers: ProjectAnswers, features: string): ProjectAnswers {
  if (features.trim() === '') return answers;
  activateRecordedPlugins(answers.plugins ?? []);
  const { selection } = addFeatures(answers, parseAnyFeatureRequests(features));
  return { ...answers, components: selection.components, services: selection.services, options: selection.options };
}

function without(answers: ProjectAnswers, names: readonly string[]): ProjectAnswers {
  activateRecordedPlugins(answers.plugins ?? []);
  const { selection } = removeFeatures(answers, names);
  return { ...answers, components: selection.components, services: selection.services, options: selection.options };
}

/** The whole project these answers render to (project-relative path → contents), .yo-rc.json included. */
export function renderPluginProject(answers: ProjectAnswers): RenderedTree {
  return render(answers, { generatorVersion: KIT_VERSION });
}

/** Writes a rendered project into a folder (to run its own checks: uv sync, ruff, mypy, pytest). */
export function writePluginProject(answers: ProjectAnswers, folder: string): void {
  for (const [path, contents] of renderPluginProject(answers)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), typeof contents === 'string' ? contents : contents.binary);
  }
}

type Files = Map<string, FileContents>;

function withoutState(tree: ReadonlyMap<string, FileContents>): Files {
  const files = new Map(tree);
  files.delete(STATE_FILE);
  return files;
}

/** One command on an in-memory project: reconcile from `before`'s render to `after`'s, the disk being `files`. */
function change(
  files: Files,
  before: ProjectAnswers | undefined,
  after: ProjectAnswers,
  conflicts: 'refuse' | 'write' = 'refuse',
): { files: Files; changes: FileChange[] } {
  const base = before ? withoutState(renderPluginProject(before)) : new Map<string, FileContents>();
  const theirs = withoutState(renderPluginProject(after));
  const changes = reconcileTrees(base, theirs, (path) => files.get(path));
  const next = new Map(files);
  for (const item of changes) {
    if (item.action === 'delete') next.delete(item.path);
    else if (item.action === 'create' || item.action === 'update' || item.action === 'merge') next.set(item.path, item.after!);
    else if (item.action === 'conflict' && conflicts === 'write') next.set(item.path, item.after!);
    else if (item.action === 'conflict') throw new Error(`${item.path}: the change conflicts with the project's lines`);
  }
  return { files: next, changes };
}

const text = (contents: FileContents | undefined): string | undefined =>
  contents === undefined ? undefined : typeof contents === 'string' ? contents : contents.binary.toString('hex');

function differences(a: Files, b: Files): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((path) => text(a.get(path)) !== text(b.get(path))).sort();
}

function fail(check: string, feature: string, paths: readonly string[]): never {
  throw new Error(`${check} fails for "${feature}": ${paths.slice(0, 20).join(', ')}${paths.length > 20 ? ` (and ${paths.length - 20} more)` : ''}`);
}

export interface CheckOptions {
  /** Features in the project before the plugin's is added (`redis`), to check it beside them. */
  readonly with?: string;
}

/** `aegis init` with the feature and `aegis init` then `aegis add` it give the same files. */
export function checkConvergence(plugin: LoadedPlugin, feature: string, options: CheckOptions = {}): void {
  const start = pluginAnswers(plugin, options.with ?? '');
  const target = withFeatures(start, feature);
  const initial = change(new Map(), undefined, start).files;
  const added = change(initial, start, target).files;
  const direct = withoutState(renderPluginProject(target));
  const paths = differences(added, direct);
  if (paths.length) fail('convergence (init with it = init, then add it)', feature, paths);
}

/** Adding the feature, then removing it, gives back the project as it was, byte for byte. */
export function checkRoundTrip(plugin: LoadedPlugin, feature: string, options: CheckOptions = {}): void {
  const start = pluginAnswers(plugin, options.with ?? '');
  const target = withFeatures(start, feature);
  const initial = change(new Map(), undefined, start).files;
  const added = change(initial, start, target).files;
  const removed = change(added, target, without(target, [feature.replace(/\[.*$/, '')])).files;
  const paths = differences(initial, removed);
  if (paths.length) fail('round trip (add, then remove)', feature, paths);
}

/**
 * A user line at the end of every text file the project has: each one survives adding the feature and removing it
 * again. Where the feature's own change meets the line, the file is written with conflict markers, as the CLI does
 * (the line is kept between them): that passes, a lost line fails.
 */
export function checkUserLinesSurvive(plugin: LoadedPlugin, feature: string, options: CheckOptions = {}): void {
  const start = pluginAnswers(plugin, options.with ?? '');
  const target = withFeatures(start, feature);
  const edited = new Map(change(new Map(), undefined, start).files);
  const lines = new Map<string, string>();
  for (const [path, contents] of edited) {
    if (typeof contents !== 'string' || !/\.(py|toml|md|ya?ml|example)$|Makefile$/.test(path)) continue;
    const line = `${path.endsWith('.md') ? '<!-- mine -->' : '# mine'} ${lines.size}\n`;
    lines.set(path, line);
    edited.set(path, `${contents}${contents.endsWith('\n') ? '' : '\n'}${line}`);
  }
  const added = change(edited, start, target, 'write').files;
  const removed = change(added, target, without(target, [feature.replace(/\[.*$/, '')]), 'write').files;
  const lost = [...lines].filter(([path, line]) => ![added, removed].every((files) => (text(files.get(path)) ?? '').includes(line.trim())));
  if (lost.length) fail("user lines survive (a user's line in every file, through add and remove)", feature, lost.map(([path]) => path));
}

/**
 * The feature's render against hashes kept in `goldenFile` (JSON: path → the hash of what the feature adds or
 * changes in that file compared with the project without it). UPDATE_GOLDEN=1, or a missing file, writes them;
 * review the diff.
 */
export function checkGoldenRender(plugin: LoadedPlugin, feature: string, goldenFile: string, options: CheckOptions = {}): void {
  const start = pluginAnswers(plugin, options.with ?? '');
  const before = withoutState(renderPluginProject(start));
  const after = withoutState(renderPluginProject(withFeatures(start, feature)));
  const hashes: Record<string, string> = {};
  for (const path of differences(before, after)) {
    hashes[path] = contributionHash(text(before.get(path)), text(after.get(path)));
  }
  const current = `${JSON.stringify(hashes, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(goldenFile)) {
    mkdirSync(dirname(goldenFile), { recursive: true });
    writeFileSync(goldenFile, current);
    return;
  }
  const kept = JSON.parse(readFileSync(goldenFile, 'utf8')) as Record<string, string>;
  const paths = [...new Set([...Object.keys(kept), ...Object.keys(hashes)])].filter((path) => kept[path] !== hashes[path]).sort();
  if (paths.length) fail(`golden render (${goldenFile}; UPDATE_GOLDEN=1 rewrites it)`, feature, paths);
}

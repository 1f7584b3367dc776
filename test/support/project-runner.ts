import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import helpers from 'yeoman-test';
import AddGenerator from '../../generators/add/index.js';
import AppGenerator from '../../generators/app/index.js';
import RemoveGenerator from '../../generators/remove/index.js';
import type { ChangeGenerator } from '../../shared/yeoman/change-generator.js';
import { featureGenerator } from '../../shared/yeoman/feature-generator.js';
import type { FileChange } from '../../shared/engine/reconcile.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const generatorPath = (name: string): string => join(repoRoot, 'generators', name, 'index.ts');

export function scratchDir(prefix = 'aegis-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs a generator from source in `cwd`, as yo would, with the options given (headless). */
async function run(generator: unknown, name: string, cwd: string, args: string[], options: Record<string, unknown>) {
  const runner = helpers.run(generator as never, { resolved: generatorPath(name), namespace: `aegis:${name}`, tmpdir: false, cwd, autoCleanup: false });
  try {
    return await runner.withArguments(args).withOptions({ yes: true, skipInstall: true, ...options } as never);
  } finally {
    process.chdir(repoRoot);
  }
}

/** `aegis init NAME` into `parent`, without its git repository (the trees compared are the rendered ones); returns the project folder. */
export async function initProject(parent: string, name: string, options: Record<string, unknown> = {}): Promise<string> {
  await run(AppGenerator, 'app', parent, [name], { skipGit: true, ...options });
  return join(parent, name);
}

/** The file changes a change generator planned (and, unless --dry-run, wrote). */
function plannedChanges(result: { generator: unknown }): readonly FileChange[] {
  return (result.generator as ChangeGenerator).changes;
}

export async function addFeatures(project: string, names: string[], options: Record<string, unknown> = {}) {
  return plannedChanges(await run(AddGenerator, 'add', project, names, options));
}

export async function removeFeatures(project: string, names: string[], options: Record<string, unknown> = {}) {
  return plannedChanges(await run(RemoveGenerator, 'remove', project, names, options));
}

/** Runs `yo aegis:<feature>` (e.g. scheduler): the generator the build writes for it is `featureGenerator(name)`. */
export async function runFeatureGenerator(project: string, feature: string, options: Record<string, unknown> = {}) {
  return plannedChanges(await run(featureGenerator(feature), feature, project, [], options));
}

/** Every file under `dir` (project-relative path → bytes as text), skipping nothing. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'latin1'));
    }
  };
  walk(dir);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Every folder under `dir`, to check that nothing is left behind empty. */
export function listFolders(dir: string): string[] {
  const folders: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        folders.push(relative(dir, join(folder, entry.name)));
        walk(join(folder, entry.name));
      }
    }
  };
  walk(dir);
  return folders.sort();
}

export function treeHash(dir: string): string {
  const hash = createHash('sha256');
  for (const [path, contents] of readTree(dir)) hash.update(`${path}\0${contents}\0`);
  return hash.digest('hex');
}
